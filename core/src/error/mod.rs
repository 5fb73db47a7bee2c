//! The one error type of capbridge.
//!
//! Every failure, whether found by validation before a request, returned by the service as a
//! code, or met on the network, becomes an [`Error`] with a stable [`ErrorKind`]. Bindings map
//! the kind once (one exception class per kind in Python, `kind` strings in Node and C), and
//! retry logic asks [`Error::retryable`] and [`Error::retry_after`] instead of matching text.
//!
//! Errors may hold text a service sent back, which can echo the API key or a proxy password:
//! every error leaving the core goes through the one redaction step
//! ([`crate::secret::Redactor`]) that masks them in its message and code.

mod codes;

pub(crate) use codes::numeric_limit_code;
pub use codes::{CodeInfo, KNOWN_CODES, lookup_code};

use std::fmt;
use std::time::Duration;

/// What went wrong, in words shared by every language binding.
///
/// The snake_case names returned by [`ErrorKind::as_str`] are part of the public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The task was refused before or by the service: a missing or malformed field, a bad image.
    InvalidTask,
    /// The API key is malformed, unknown, or not allowed from this IP.
    Auth,
    /// The account has no money left.
    Balance,
    /// A request limit of the service was hit; see [`Error::retry_after`].
    RateLimited,
    /// The proxy given with the task is malformed or was refused by the service.
    Proxy,
    /// The service could not solve the captcha (not charged).
    Unsolvable,
    /// The task id is unknown to the service.
    NotFound,
    /// A good/bad report was not recorded.
    Report,
    /// The solve's overall deadline passed; the task id, if one was given, is kept.
    Timeout,
    /// A transport failure that survived the retry policy.
    Network,
    /// Anything else the service said: HTML pages, 5xx, unknown codes, malformed replies.
    Service,
    /// The caller cancelled the operation.
    Cancelled,
    /// The library was called in a way it does not support: an unknown provider, a bad option,
    /// a blocking call from inside an async runtime.
    Usage,
}

impl ErrorKind {
    /// Every kind, in declaration order (for tables, bindings and tests).
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::InvalidTask,
        ErrorKind::Auth,
        ErrorKind::Balance,
        ErrorKind::RateLimited,
        ErrorKind::Proxy,
        ErrorKind::Unsolvable,
        ErrorKind::NotFound,
        ErrorKind::Report,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Service,
        ErrorKind::Cancelled,
        ErrorKind::Usage,
    ];

    /// The stable snake_case name used by every binding.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidTask => "invalid_task",
            ErrorKind::Auth => "auth",
            ErrorKind::Balance => "balance",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Proxy => "proxy",
            ErrorKind::Unsolvable => "unsolvable",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Report => "report",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::Service => "service",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Usage => "usage",
        }
    }

    /// Parses a name produced by [`ErrorKind::as_str`].
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether repeating the same call later, unchanged, may succeed.
    ///
    /// Rate limits, transport failures, service faults and deadlines pass with time; an
    /// unsolvable captcha may be solved on a second submit (the service does not charge for
    /// the first). Bad keys, tasks, proxies and reports need the caller to change something.
    pub const fn default_retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited
                | ErrorKind::Unsolvable
                | ErrorKind::Timeout
                | ErrorKind::Network
                | ErrorKind::Service
        )
    }
}

/// As its name (`"rate_limited"`), as every binding spells it.
impl serde::Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::str::FromStr for ErrorKind {
    type Err = Error;

    /// Parses a name produced by [`ErrorKind::as_str`] (`"rate_limited".parse()`).
    fn from_str(name: &str) -> Result<ErrorKind> {
        ErrorKind::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
            Error::usage(format!(
                "{name:?} is not an error kind; expected one of {}",
                names.join(", ")
            ))
        })
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A capbridge error: a kind, the service's raw code when there is one, a message, and the
/// task id once the service has given one. One pointer wide, so `Result`s stay small.
///
/// [`source`](std::error::Error::source) is what a caller attached with
/// [`Error::with_source`]; capbridge attaches none of its own: a transport error's text
/// holds the request's URL (a form provider's key among its query), so its words reach the
/// message only through the one redaction step, and the error itself is dropped.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    code: Option<String>,
    message: String,
    task_id: Option<String>,
    field: Option<String>,
    option: Option<String>,
    retryable: bool,
    retry_after: Option<Duration>,
    source: Option<Source>,
}

impl Error {
    /// A new error of `kind` with a message; retryability follows the kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                code: None,
                message: message.into(),
                task_id: None,
                field: None,
                option: None,
                retryable: kind.default_retryable(),
                retry_after: None,
                source: None,
            }),
        }
    }

    /// A client-side validation failure: the field at fault (its snake_case path, such as
    /// `website_key` or `cookies[0]`) and the reason, which does not repeat the field's name
    /// (each binding spells the field its own way in front of it).
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Error {
        let mut e = Error::new(ErrorKind::InvalidTask, message);
        e.inner.field = Some(field.to_owned());
        e
    }

    /// A misuse of the library (bad option, unknown provider, ...).
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage, message)
    }

    /// The error for a code the service returned (`ERROR_ZERO_BALANCE`, `ERROR: 1005`, ...).
    ///
    /// Known codes get their kind, wait and description from the API documentation's tables; unknown codes
    /// become [`ErrorKind::Service`] and keep the raw text.
    pub fn from_code(code: &str) -> Error {
        match lookup_code(code) {
            Some(info) => {
                let mut e = Error::new(info.kind, info.description);
                e.inner.code = Some(code.to_owned());
                e.inner.retryable = info.retryable;
                e.inner.retry_after = info.retry_after;
                e.inner.field = info.field.map(str::to_owned);
                e
            }
            None => Error::new(
                ErrorKind::Service,
                "the service returned a code capbridge does not know",
            )
            .with_code(code)
            .with_retryable(false),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The provider's raw code (`ERROR_CAPTCHA_UNSOLVABLE`, `ERROR: 1005`, `HTTP 502`), if any.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The human-readable message (never contains the API key or a proxy password).
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The message with every option or field name it cites spelled by `spell`: the name
    /// after `did you mean ` (up to `?`) and after `(option ` (up to `)`). The core cites
    /// names by their snake_case path (`limits.submit_interval`); each binding passes its own
    /// spelling (Python `limits["submit_interval"]`, Node `limits.submitInterval`), so that
    /// rule lives here once.
    pub fn message_spelled(&self, spell: impl Fn(&str) -> String) -> String {
        spell_names(&self.inner.message, spell)
    }

    /// The message in a binding's [`Spelling`]: the names it cites, and, for the errors about
    /// the caller's own input (`usage`, `invalid_task`), the words for values. A service's own
    /// text (other kinds) keeps its words.
    pub fn message_in(&self, spelling: &Spelling) -> String {
        let message = self.message_spelled(spelling.name);
        match self.inner.kind {
            ErrorKind::Usage | ErrorKind::InvalidTask => (spelling.words)(&message),
            _ => message,
        }
    }

    /// The whole error as one line in a binding's [`Spelling`], laid out the same in every
    /// language: `kind [code]: name: message (task id)`, the field or option at fault and the
    /// names the message cites spelled the binding's way. `Display` is this in the core's
    /// own spelling.
    pub fn to_string_in(&self, spelling: &Spelling) -> String {
        let i = &self.inner;
        let mut s = String::from(i.kind.as_str());
        if let Some(code) = &i.code {
            s.push_str(" [");
            s.push_str(code);
            s.push(']');
        }
        self.push_rest(&mut s, spelling);
        s
    }

    /// [`Error::to_string_in`] with `lead` in place of `kind [code]`: Python leads with the
    /// call whose arguments it refused (`RecaptchaV2(...): website_key: ...`).
    pub fn to_string_after(&self, lead: &str, spelling: &Spelling) -> String {
        let mut s = lead.to_owned();
        self.push_rest(&mut s, spelling);
        s
    }

    /// `: name: message (task id)`.
    fn push_rest(&self, s: &mut String, spelling: &Spelling) {
        let i = &self.inner;
        s.push_str(": ");
        if let Some(name) = i.field.as_ref().or(i.option.as_ref()) {
            s.push_str(&(spelling.name)(name));
            s.push_str(": ");
        }
        s.push_str(&self.message_in(spelling));
        if let Some(id) = &i.task_id {
            s.push_str(" (task ");
            s.push_str(id);
            s.push(')');
        }
    }

    /// The service's task id, once one was given for this operation.
    pub fn task_id(&self) -> Option<&str> {
        self.inner.task_id.as_deref()
    }

    /// The task field that failed validation, for `invalid_task` errors.
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }

    /// The client or solve option that was refused, for `usage` errors (`timeout`,
    /// `poll_interval`, ...), or the argument (`task_id`, for a task id that cannot be one):
    /// each binding spells it its own way.
    pub fn option(&self) -> Option<&str> {
        self.inner.option.as_deref()
    }

    /// Names the option at fault.
    pub fn with_option(mut self, option: impl Into<String>) -> Error {
        self.inner.option = Some(option.into());
        self
    }

    /// Whether repeating the same call later, unchanged, may succeed.
    pub fn retryable(&self) -> bool {
        self.inner.retryable
    }

    /// How long to wait before repeating the call (the service's block time for limit
    /// codes). Only a retryable error has one: `retry_after()` is `Some` only when
    /// [`Error::retryable`] is true, so the two never disagree.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after.filter(|_| self.inner.retryable)
    }

    /// Attaches the task id (kept if already set: the first id given is the task's id).
    pub fn with_task_id(mut self, task_id: impl Into<String>) -> Error {
        if self.inner.task_id.is_none() {
            self.inner.task_id = Some(task_id.into());
        }
        self
    }

    /// Attaches the task id if there is one.
    pub fn with_task_id_opt(self, task_id: Option<&str>) -> Error {
        match task_id {
            Some(id) => self.with_task_id(id),
            None => self,
        }
    }

    /// Sets the raw code.
    pub fn with_code(mut self, code: impl Into<String>) -> Error {
        self.inner.code = Some(code.into());
        self
    }

    /// Overrides retryability.
    pub fn with_retryable(mut self, retryable: bool) -> Error {
        self.inner.retryable = retryable;
        self
    }

    /// Sets the wait before a retry.
    pub fn with_retry_after(mut self, after: Duration) -> Error {
        self.inner.retry_after = Some(after);
        self
    }

    /// Attaches an underlying cause. The caller makes sure it holds no secret.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.inner.source = Some(Box::new(source));
        self
    }

    /// Prefixes the message with context (`"submit"` gives `"submit: ..."`).
    pub fn context(mut self, context: &str) -> Error {
        self.inner.message = format!("{context}: {}", self.inner.message);
        self
    }

    /// Rewrites the message.
    pub(crate) fn map_message(mut self, f: impl FnOnce(&str) -> String) -> Error {
        self.inner.message = f(&self.inner.message);
        self
    }

    /// Puts a sentence before the message (`"lead; message"`): what must survive the cut
    /// every message gets.
    pub(crate) fn with_lead(mut self, lead: &str) -> Error {
        self.inner.message = format!("{lead}; {}", self.inner.message);
        self
    }

    /// Rewrites the message, the code and the task id (the one redaction step uses this).
    pub(crate) fn map_text(
        mut self,
        message: impl FnOnce(&str) -> String,
        code: impl FnOnce(&str) -> String,
        task_id: impl FnOnce(&str) -> String,
    ) -> Error {
        self.inner.message = message(&self.inner.message);
        if let Some(c) = self.inner.code.take() {
            self.inner.code = Some(code(&c));
        }
        if let Some(t) = self.inner.task_id.take() {
            self.inner.task_id = Some(task_id(&t));
        }
        self
    }

    /// A copy without the source (sources are not `Clone`); used to hand one failure to
    /// several waiters, such as every solve of a batch poll.
    pub fn clone_shallow(&self) -> Error {
        let i = &self.inner;
        Error {
            inner: Box::new(Inner {
                kind: i.kind,
                code: i.code.clone(),
                message: i.message.clone(),
                task_id: i.task_id.clone(),
                field: i.field.clone(),
                option: i.option.clone(),
                retryable: i.retryable,
                retry_after: i.retry_after,
                source: None,
            }),
        }
    }
}

/// How a binding writes what an error cites: option and field names, and the words for
/// values in the reasons about the caller's own input. The core words everything for JSON
/// and snake_case paths ([`Spelling::CORE`], which Rust and C use); Python and Node pass
/// theirs to [`Error::to_string_in`], so that the layout of an error's text lives here once.
#[derive(Clone, Copy, Debug)]
pub struct Spelling {
    /// An option or field path (`limits.submit_interval`, `providers[0].api_key`) as the
    /// binding's users write it.
    pub name: fn(&str) -> String,
    /// A reason (`expected true or false`) in the binding's words for values.
    pub words: fn(&str) -> String,
}

fn as_given(s: &str) -> String {
    s.to_owned()
}

impl Spelling {
    /// The core's own spelling: names and words as given.
    pub const CORE: Spelling = Spelling {
        name: as_given,
        words: as_given,
    };

    /// Any core text (an event's message or line) with the names it cites spelled this way,
    /// as [`Error::message_spelled`] spells an error's.
    pub fn names_in(&self, text: &str) -> String {
        spell_names(text, self.name)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_in(&Spelling::CORE))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind)
            .field("code", &i.code)
            .field("message", &i.message)
            .field("task_id", &i.task_id)
            .field("field", &i.field)
            .field("option", &i.option)
            .field("retryable", &i.retryable)
            .field("retry_after", &i.retry_after);
        if let Some(s) = &i.source {
            d.field("source", &s.to_string());
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// `Result` with capbridge's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a core message cites a name: the text before it and the character that ends it.
/// An OS or library error's text without what only a programmer reads: the ` (os error 2)`
/// suffix.
pub(crate) fn plain_cause(text: &str) -> String {
    let t = text.trim();
    let t = match t.rfind(" (os error ") {
        Some(i) if t.ends_with(')') => &t[..i],
        _ => t,
    };
    t.to_owned()
}

/// Names the services and their libraries give our task fields (folded: lower case, no `_`
/// or `-`), and ours: `sitekey=` is 2captcha's `website_key`.
/// A name may mean one of several fields: the first the kind has wins (FunCaptcha's key is
/// `public_key`).
const OTHER_NAMES: &[(&str, &str)] = &[
    ("sitekey", "website_key"),
    ("sitekey", "public_key"),
    ("googlekey", "website_key"),
    ("websitekey", "public_key"),
    ("publickey", "public_key"),
    ("publickey", "website_key"),
    ("websitepublickey", "public_key"),
    ("websitepublickey", "website_key"),
    ("pageaction", "action"),
    ("pageurl", "website_url"),
    ("url", "website_url"),
    ("siteurl", "website_url"),
    ("body", "image"),
    ("file", "image"),
    ("img", "image"),
    ("textinstructions", "instructions"),
    ("comment", "instructions"),
    ("imginstructions", "instructions_image"),
    ("lang", "language"),
    ("data", "cdata"),
];

/// The known name a misspelled `name` most likely meant: the one spelled alike but for case,
/// `_` and `-` (`websiteURL` or `website-url` for `website_url`: another library's spelling),
/// else the most similar one when it is near enough to suggest. The core's "did you mean" for
/// options and task fields; the bindings ask it too where their own argument checks run
/// first (Python's keyword arguments), so that every language suggests alike.
pub fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let folded = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let f = folded(name);
    if let Some(k) = known.iter().find(|k| folded(k) == f) {
        return Some(k);
    }
    // The providers' own names for our fields (`sitekey`, `pageurl`, ...), which no spelling
    // distance finds.
    if let Some(k) = OTHER_NAMES
        .iter()
        .filter(|(theirs, _)| *theirs == f)
        .find_map(|(_, ours)| known.iter().find(|k| *k == ours))
    {
        return Some(k);
    }
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(k, name), *k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The stem of a name that says "in milliseconds" as other libraries spell it
/// (`timeout_ms`, `timeoutMs`, `timeoutMS`, `TIMEOUT_MS`, `timeout-ms`): a misspelled
/// duration is then suggested with capbridge's own unit, never as the option in seconds that
/// the same number would make a thousand times longer.
pub fn millis_stem(name: &str) -> Option<&str> {
    ["_ms", "-ms", "Ms", "_MS", "-MS", "MS"]
        .iter()
        .find_map(|suffix| {
            let stem = name.strip_suffix(suffix)?;
            // `timeoutMS` is milliseconds, `ITEMS` is not: a bare `MS` follows a lower case
            // letter.
            let bare = *suffix == "MS";
            (!bare || stem.ends_with(|c: char| c.is_ascii_lowercase())).then_some(stem)
        })
        .filter(|stem| !stem.is_empty())
}

const NAME_MARKS: [(&str, char); 3] = [
    ("did you mean ", '?'),
    ("(option ", ')'),
    // The argument of the verb a message advises (`ask for it later with result(task_id)`).
    ("with result(", ')'),
];

/// `message` with each cited name (see [`Error::message_spelled`]) passed through `spell`.
pub(crate) fn spell_names(message: &str, spell: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(message.len() + 8);
    let mut rest = message;
    loop {
        let hit = NAME_MARKS
            .into_iter()
            .filter_map(|(mark, stop)| rest.find(mark).map(|i| (i, mark, stop)))
            .min_by_key(|(i, _, _)| *i);
        let Some((i, mark, stop)) = hit else {
            out.push_str(rest);
            return out;
        };
        let (before, after) = rest.split_at(i + mark.len());
        out.push_str(before);
        let end = after.find(stop).unwrap_or(after.len());
        out.push_str(&spell(&after[..end]));
        rest = &after[end..];
    }
}

#[cfg(test)]
mod spelling_tests {
    use super::{Error, ErrorKind, Spelling};

    #[test]
    fn one_layout_in_every_spelling() {
        let shout = Spelling {
            name: |s| s.to_uppercase(),
            words: |s| s.replace("true or false", "True or False"),
        };
        let e = Error::usage("expected true or false; did you mean limits.max_attempts?")
            .with_option("limits.max_attemps");
        assert_eq!(
            e.to_string(),
            "usage: limits.max_attemps: expected true or false; did you mean limits.max_attempts?"
        );
        assert_eq!(
            e.to_string_in(&shout),
            "usage: LIMITS.MAX_ATTEMPS: expected True or False; did you mean LIMITS.MAX_ATTEMPTS?"
        );
        assert_eq!(
            e.to_string_after("Client(...)", &shout),
            "Client(...): LIMITS.MAX_ATTEMPS: expected True or False; did you mean LIMITS.MAX_ATTEMPTS?"
        );
        // A service's own words stay as they came; the code and the task id keep their place.
        let e = Error::new(ErrorKind::Service, "said true or false")
            .with_code("HTTP 502")
            .with_task_id("7");
        assert_eq!(
            e.to_string_in(&shout),
            "service [HTTP 502]: said true or false (task 7)"
        );
        assert_eq!(e.to_string(), e.to_string_in(&Spelling::CORE));
    }

    #[test]
    fn cited_names_are_respelled_and_nothing_else() {
        let upper = |s: &str| s.to_uppercase();
        assert_eq!(
            super::spell_names(
                "x is not an option; did you mean limits.submit_interval?",
                upper
            ),
            "x is not an option; did you mean LIMITS.SUBMIT_INTERVAL?"
        );
        assert_eq!(
            super::spell_names(
                "stopped (option retry.unknown_submit_retries); did you mean a? b",
                upper
            ),
            "stopped (option RETRY.UNKNOWN_SUBMIT_RETRIES); did you mean A? b"
        );
        assert_eq!(super::spell_names("no names here", upper), "no names here");
        assert_eq!(
            super::spell_names("cut (option abc", upper),
            "cut (option ABC"
        );
    }
}

#[cfg(test)]
mod nearest_tests {
    use super::nearest;

    #[test]
    fn the_providers_names_for_our_fields_are_suggested() {
        let v2 = ["website_url", "website_key", "invisible", "user_agent"];
        for (theirs, ours) in [
            ("sitekey", "website_key"),
            ("googlekey", "website_key"),
            ("pageurl", "website_url"),
            ("pageURL", "website_url"),
            ("url", "website_url"),
            ("userAgent", "user_agent"),
        ] {
            assert_eq!(nearest(theirs, &v2), Some(ours), "{theirs}");
        }
        // Only a field the kind has: an image task has no website_key to suggest.
        assert_eq!(nearest("sitekey", &["image", "numeric"]), None);
        assert_eq!(nearest("body", &["image", "numeric"]), Some("image"));
        // FunCaptcha's key is public_key, and its url is the page's, not surl.
        let fun = ["website_url", "public_key", "surl", "data"];
        assert_eq!(nearest("sitekey", &fun), Some("public_key"));
        assert_eq!(nearest("websiteKey", &fun), Some("public_key"));
        assert_eq!(nearest("url", &fun), Some("website_url"));
    }
}
