//! Values that must never be printed (the API key, proxy passwords) and the one redaction
//! step every string leaving the core goes through.
//!
//! [`Secret`] wraps a `String` whose `Debug` prints `***` and which has no `Display`.
//! [`Redactor`] masks secrets in text a service sent back or an error built from it: error
//! messages and codes, event messages, log lines, and each binding's error fields. It masks
//! every spelling a secret can travel in (raw, percent-encoded, form-encoded, JSON-escaped)
//! and only then cuts long text, so a secret straddling the cut cannot leak half of itself.

use crate::error::Error;
use std::fmt;

/// A secret string: readable through [`Secret::expose`], never printed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for building a request. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The account's API key.
pub type ApiKey = Secret;

/// The longest message an error or event carries once redacted (characters).
pub const MAX_MESSAGE: usize = 400;
/// The longest code an error or event carries once redacted (characters).
pub const MAX_CODE: usize = 64;
/// What a secret is replaced with.
pub const MASK: &str = "***";

/// Secrets shorter than this many characters (a proxy password `e` or `captcha`) are masked
/// only where they stand as a token: not inside a word or number (`2captcha`, `deadline`).
/// Masking them everywhere would make every message unreadable and hide nothing: a secret
/// that short appears in ordinary words by chance, and where it travels (a proxy URL's
/// userinfo, a form or JSON value) separators stand on both sides of it.
pub const SHORT_SECRET: usize = 8;

/// Masks a set of secrets in any text, in every spelling they travel in.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Every spelling of every secret, longest first (so that a longer spelling that
    /// contains a shorter one is masked whole), each with whether it is masked only as a
    /// whole token ([`SHORT_SECRET`]).
    needles: Vec<(String, bool)>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} spellings)", self.needles.len())
    }
}

/// The spellings a secret can take on the wire or in an echo of it.
fn spellings(secret: &str) -> Vec<String> {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let mut out = vec![secret.to_owned()];
    // Percent-encoded: strict (every non-alphanumeric byte) and as URL paths and userinfo
    // usually carry it (unreserved characters kept).
    out.push(utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string());
    const USERINFO: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    out.push(utf8_percent_encode(secret, USERINFO).to_string());
    // Lower-case hex escapes, as some servers echo them.
    let lower_hex: String = {
        let enc = utf8_percent_encode(secret, USERINFO).to_string();
        let mut s = String::with_capacity(enc.len());
        let mut chars = enc.chars().peekable();
        while let Some(c) = chars.next() {
            s.push(c);
            if c == '%' {
                for _ in 0..2 {
                    if let Some(h) = chars.next() {
                        s.push(h.to_ascii_lowercase());
                    }
                }
            }
        }
        s
    };
    out.push(lower_hex);
    // Form-encoded (`application/x-www-form-urlencoded`: spaces as `+`).
    out.push(form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    // JSON-escaped (the inside of a JSON string).
    if let Ok(j) = serde_json::to_string(secret) {
        out.push(j.trim_matches('"').to_owned());
    }
    out
}

/// The passwords in URLs given as an option, raw and percent-decoded, for a [`Redactor`]:
/// the userinfo's (`redis://:pw@host`, `https://user:pw@host/`) and a `pass` or `password`
/// query value (`redis+unix:///run/redis.sock?pass=pw`), of each URL of a comma-separated list
/// (`redis://:pw1@a,redis://:pw2@b`).
pub(crate) fn url_passwords(urls: &str) -> Vec<String> {
    let mut out = Vec::new();
    for one in urls.split(',') {
        let Ok(u) = url::Url::parse(one.trim()) else {
            continue;
        };
        if let Some(p) = u.password() {
            out.push(p.to_owned());
            if let Ok(d) = percent_encoding::percent_decode_str(p).decode_utf8() {
                out.push(d.into_owned());
            }
        }
        for (name, value) in u.query_pairs() {
            if name == "pass" || name == "password" {
                out.push(value.into_owned());
            }
        }
        if let Some(q) = u.query() {
            // The raw spelling too, as the URL was written.
            for pair in q.split('&') {
                if let Some(("pass" | "password", raw)) = pair.split_once('=') {
                    out.push(raw.to_owned());
                }
            }
        }
    }
    out
}

impl Redactor {
    /// A redactor for these secrets (empty ones are ignored).
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Redactor {
        Redactor::default().with(secrets)
    }

    /// This redactor plus more secrets.
    pub fn with<'a>(&self, secrets: impl IntoIterator<Item = &'a str>) -> Redactor {
        let mut needles = self.needles.clone();
        for s in secrets.into_iter().filter(|s| !s.is_empty()) {
            let short = s.chars().count() < SHORT_SECRET;
            // A long secret is found in any letter case (kept folded): services and URL
            // parsers echo text upper- or lower-cased (a host name always comes back
            // lower-cased), and a key with capitals must not leak that way.
            needles.extend(spellings(s).into_iter().map(|n| match short {
                true => (n, true),
                false => (n.to_ascii_lowercase(), false),
            }));
        }
        needles.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Redactor { needles }
    }

    /// `text` with every secret masked.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        // ASCII folding keeps every byte where it was, so a match in `folded` is one in `out`.
        let mut folded = out.to_ascii_lowercase();
        for (n, token_only) in &self.needles {
            if *token_only {
                if out.contains(n.as_str()) {
                    out = mask_tokens(&out, n);
                    folded = out.to_ascii_lowercase();
                }
            } else if folded.contains(n.as_str()) {
                out = mask_folded(&out, &folded, n);
                folded = out.to_ascii_lowercase();
            }
        }
        out
    }

    /// `text` with every secret masked, then cut to `max` characters.
    pub fn cut(&self, text: &str, max: usize) -> String {
        excerpt(&self.text(text), max)
    }

    /// The error with its message and code masked, then cut, and its task id masked (a
    /// service that answers with a secret as the task id must not get it into logs).
    pub fn error(&self, e: Error) -> Error {
        e.map_text(
            |m| self.cut(m, MAX_MESSAGE),
            |c| self.cut(c, MAX_CODE),
            |t| self.text(t),
        )
    }
}

/// `text` with each occurrence of `needle` (ASCII lower-case) masked, found in `folded`
/// (`text` ASCII lower-cased).
fn mask_folded(text: &str, folded: &str, needle: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in folded.match_indices(needle) {
        if at < last {
            continue;
        }
        out.push_str(&text[last..at]);
        out.push_str(MASK);
        last = at + needle.len();
    }
    out.push_str(&text[last..]);
    out
}

/// `text` with each occurrence of `needle` that is not part of a word or number masked: no
/// ASCII letter or digit just after it, nor just before it unless that one ends an escape
/// (`%3A` or `\u003a`: `user%3Ahunter2%40host` is how a form body carries a proxy).
fn mask_tokens(text: &str, needle: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let ends_escape = |head: &str| {
        let hex = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_hexdigit());
        let tail = |n: usize| head.len().checked_sub(n).and_then(|i| head.get(i..));
        tail(3).is_some_and(|t| t.starts_with('%') && hex(&t[1..]))
            || tail(6).is_some_and(|t| t.starts_with("\\u") && hex(&t[2..]))
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(needle) {
        if at < last {
            continue; // overlaps a masked occurrence
        }
        let end = at + needle.len();
        let head = text.get(..at).unwrap_or_default();
        let before = head.chars().next_back();
        let after = text.get(end..).and_then(|t| t.chars().next());
        if (word(before) && !ends_escape(head)) || word(after) {
            continue;
        }
        out.push_str(text.get(last..at).unwrap_or_default());
        out.push_str(MASK);
        last = end;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    out
}

/// Masks `secrets` in `text`, in every spelling they travel in (a one-off [`Redactor`]).
pub fn redact(text: &str, secrets: &[&str]) -> String {
    Redactor::new(secrets.iter().copied()).text(text)
}

/// The first `max` characters of `text`, on a character boundary, with control characters
/// shown as spaces: a short, printable excerpt. Cuts only: mask first ([`Redactor::cut`]).
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_of_urls_in_every_form() {
        let found = |u: &str| url_passwords(u);
        assert_eq!(found("redis://:pw%2D1@a:6379"), ["pw%2D1", "pw-1"]);
        assert_eq!(
            found("redis://:p1@a,redis://:p2@b"),
            ["p1", "p1", "p2", "p2"]
        );
        assert_eq!(
            found("redis+unix:///run/redis.sock?db=1&pass=s%20ecret"),
            ["s ecret", "s%20ecret"]
        );
        assert!(found("redis://10.0.0.5:6379/0").is_empty());
        assert!(found("not a url").is_empty());
    }

    /// Echoed in another case (a URL parser lower-cases a host name; services upper-case
    /// text): masked. A short secret is matched as given, as a token only.
    #[test]
    fn long_secrets_are_masked_in_any_case() {
        let r = Redactor::new(["AbCdEf0123456789AbCdEf", "Pw1"]);
        for echoed in [
            "a redirect to abcdef0123456789abcdef.evil.test",
            "KEY ABCDEF0123456789ABCDEF IS WRONG",
            "key=AbCdEf0123456789AbCdEf&x=é",
        ] {
            let masked = r.text(echoed);
            assert!(
                !masked.to_ascii_lowercase().contains("abcdef0123456789"),
                "{echoed} -> {masked}"
            );
            assert!(masked.contains("***"), "{masked}");
        }
        assert_eq!(r.text("é ABCDEF0123456789ABCDEF é"), "é *** é");
        assert_eq!(r.text("pass Pw1, not pw1"), "pass ***, not pw1");
    }

    #[test]
    fn debug_hides_value() {
        let s = Secret::new("1abc234de56fab7c89012d34e56fa7b8");
        assert_eq!(format!("{s:?}"), "***");
    }

    #[test]
    fn redact_replaces_every_spelling() {
        assert_eq!(redact("k=abc&x=abc", &["abc", ""]), "k=***&x=***");
        let r = Redactor::new(["p@ss w/rd\"x"]);
        for echoed in [
            "p@ss w/rd\"x",
            "p%40ss%20w%2Frd%22x",
            "p%40ss+w%2Frd%22x",
            "p%40ss%20w%2frd%22x",
            "p@ss w/rd\\\"x",
        ] {
            assert_eq!(r.text(&format!("[{echoed}]")), "[***]", "{echoed}");
        }
    }

    #[test]
    fn short_secrets_are_masked_as_tokens_only() {
        // A proxy password `e` or `captcha` leaves words alone and is masked where it travels.
        let r = Redactor::new(["e", "captcha", "p4"]);
        assert_eq!(
            r.text("the solve's deadline passed; 2captcha does not solve it"),
            "the solve's deadline passed; 2captcha does not solve it"
        );
        assert_eq!(
            r.text("proxy http://u:captcha@h:1 {\"password\":\"e\"} p=p4&x=1 [e]"),
            "proxy http://u:***@h:1 {\"password\":\"***\"} p=***&x=1 [***]"
        );
        assert_eq!(r.text("captcha"), "***");
        assert_eq!(r.text("proxy=u%3Acaptcha%40h"), "proxy=u%3A***%40h");
        assert_eq!(r.text("\\u003acaptcha\\u0040"), "\\u003a***\\u0040");
        assert_eq!(r.text("x3Acaptcha"), "x3Acaptcha");
        assert_eq!(
            r.text("éeé"),
            "é***é",
            "only ASCII letters and digits make a word"
        );
        // Eight characters or more: masked wherever they appear.
        assert_eq!(redact("x2captchas9", &["captchas"]), "x2***9");
    }

    #[test]
    fn masks_before_cutting() {
        let key = "0123456789abcdef0123456789abcdef";
        let text = format!("{}{key}{}", "a".repeat(390), "b".repeat(100));
        let cut = Redactor::new([key]).cut(&text, MAX_MESSAGE);
        assert!(!cut.contains("0123456789"), "{cut}");
        assert!(cut.chars().count() <= MAX_MESSAGE + 1);
    }

    #[test]
    fn excerpt_is_bounded_and_printable() {
        assert_eq!(excerpt("a\nb", 10), "a b");
        assert_eq!(excerpt("ééééé", 2), "éé…");
        assert_eq!(excerpt("éé", 2), "éé");
    }
}
