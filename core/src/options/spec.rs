//! The table of options: every client and solve option's name, value type, default, bounds
//! and one-line doc, declared once. The readers ([`super::client_builder`],
//! [`super::solve_options`]) read each option through its entry here, refuse names the table
//! does not hold and suggest names from it. It is public so that the bindings' typed surfaces
//! (Python keywords and docstrings, TypeScript's `ClientOptions`, the C header's option docs)
//! can be rendered from it rather than typed again.

use crate::client::{DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_REQUEST_TIMEOUT};
use crate::engine::retry::RetryPolicy;
use crate::engine::{FailoverPolicy, human};
use crate::provider::waits::LONGEST;
use crate::provider::{MAX_POLL_WAIT, MAX_REQUEST_TIMEOUT, MAX_TIMEOUT};
use std::time::Duration;

/// One option: what a binding needs to name, type, check and document it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct OptionSpec {
    /// The snake_case name, as the map of options takes it. A duration is also taken as
    /// `<name>_ms`, in milliseconds (see [`ValueType::Duration`]).
    pub name: &'static str,
    /// What the value is, with its bounds.
    pub value: ValueType,
    /// What applies when the option is not given.
    pub default: OptionDefault,
    /// One line for documentation: what the option does.
    pub doc: &'static str,
    /// Whether a solve (and `submit`, `wait`) takes it too, overriding the client's.
    pub per_solve: bool,
    /// A value as JSON text, for documentation (empty for groups and lists: their fields have
    /// examples of their own).
    pub example: &'static str,
}

/// The type of an option's value, with its bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum ValueType {
    /// Text.
    Text,
    /// Text, one of these words.
    Choice(&'static [&'static str]),
    /// `true` or `false`.
    Bool,
    /// A whole number within `min..=max`.
    Whole {
        /// The least value.
        min: u64,
        /// The greatest value.
        max: u64,
    },
    /// A duration within `min..=max`: seconds under the option's name (`timeout: 90`,
    /// fractions allowed), or milliseconds under the name with `_ms` (`timeout_ms: 90000`),
    /// never both. Python passes seconds, Node and C milliseconds.
    Duration {
        /// The least value.
        min: Duration,
        /// The greatest value.
        max: Duration,
    },
    /// Text or a whole number (kept as its text).
    TextOrWhole,
    /// Text, or a list of texts (`shared_limits`: one Redis URL, or a cluster's nodes).
    TextOrList,
    /// An object of named options (these).
    Group(&'static [OptionSpec]),
    /// A list of objects of named options (these).
    List(&'static [OptionSpec]),
}

/// What applies when an option is not given.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum OptionDefault {
    /// Nothing: the option must be given.
    Required,
    /// Nothing set here; the words say what applies instead (often the provider's own value).
    Words(&'static str),
    /// This text.
    Text(&'static str),
    /// This truth value.
    Bool(bool),
    /// This number.
    Whole(u64),
    /// This duration.
    Duration(Duration),
}

impl OptionDefault {
    /// The default in words for documentation: `"required"`, `"30 s"`, `"64"`, `"false"`,
    /// or the entry's words.
    pub fn describe(&self) -> String {
        match self {
            OptionDefault::Required => "required".to_owned(),
            OptionDefault::Words(w) => (*w).to_owned(),
            OptionDefault::Text(t) => format!("{t:?}"),
            OptionDefault::Bool(b) => b.to_string(),
            OptionDefault::Whole(n) => n.to_string(),
            OptionDefault::Duration(d) => human(*d),
        }
    }
}

impl ValueType {
    /// The bounds in words for documentation (`"1 ms to 7 days"`, `"at least 1"`), if any.
    pub fn describe_bounds(&self) -> Option<String> {
        match self {
            ValueType::Whole { min, max } => match (*min, *max) {
                (0, u64::MAX) => None,
                (min, u64::MAX) => Some(format!("at least {min}")),
                (min, max) => Some(format!("{min} to {max}")),
            },
            ValueType::Duration { min, max } => Some(format!("{} to {}", human(*min), human(*max))),
            ValueType::Choice(words) => Some(words.join(" or ")),
            _ => None,
        }
    }
}

const MS: Duration = Duration::from_millis(1);
const U32: u64 = u32::MAX as u64;

const fn spec(
    name: &'static str,
    value: ValueType,
    default: OptionDefault,
    doc: &'static str,
    example: &'static str,
) -> OptionSpec {
    OptionSpec {
        name,
        value,
        default,
        doc,
        per_solve: false,
        example,
    }
}

const fn duration(min: Duration, max: Duration) -> ValueType {
    ValueType::Duration { min, max }
}

const fn whole(min: u64, max: u64) -> ValueType {
    ValueType::Whole { min, max }
}

/// `provider`: the first provider.
pub(crate) const PROVIDER: OptionSpec = spec(
    "provider",
    ValueType::Text,
    OptionDefault::Required,
    "a preset name (\"2captcha\", \"capsolver\", ...) or the service's base URL (http:// or https://)",
    "\"2captcha\"",
);
/// `api_key`.
pub(crate) const API_KEY: OptionSpec = spec(
    "api_key",
    ValueType::Text,
    OptionDefault::Required,
    "the account's API key",
    "\"0123456789abcdef0123456789abcdef\"",
);
/// `protocol`.
pub(crate) const PROTOCOL: OptionSpec = spec(
    "protocol",
    ValueType::Choice(&["form", "json"]),
    OptionDefault::Text("form"),
    "the protocol family of a provider given as a base URL (a preset knows its own)",
    "\"json\"",
);
/// `base_url`.
pub(crate) const BASE_URL: OptionSpec = spec(
    "base_url",
    ValueType::Text,
    OptionDefault::Words("the provider's own"),
    "another base URL for the provider, keeping its behaviour (tests, proxies, mirrors)",
    "\"http://127.0.0.1:8080/\"",
);

/// The fields of each entry of `providers`.
const PROVIDER_FIELDS: &[OptionSpec] = &[PROVIDER, API_KEY, BASE_URL, PROTOCOL];

pub(crate) const SUBMIT_INTERVAL: OptionSpec = spec(
    "submit_interval",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Words("the provider's"),
    "least time between two submits",
    "0.1",
);
pub(crate) const SUBMIT_WINDOW: OptionSpec = spec(
    "submit_window",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Words("the provider's"),
    "the sliding window of the submit cap",
    "3",
);
pub(crate) const SUBMITS_PER_WINDOW: OptionSpec = spec(
    "submits_per_window",
    whole(0, U32),
    OptionDefault::Words("the provider's"),
    "most submits in one window",
    "60",
);
pub(crate) const POLLS_PER_TASK: OptionSpec = spec(
    "polls_per_task",
    whole(0, u64::MAX),
    OptionDefault::Words("the provider's"),
    "poll requests allowed per task sent, account-wide",
    "20",
);
pub(crate) const POLL_ALLOWANCE: OptionSpec = spec(
    "poll_allowance",
    whole(0, u64::MAX),
    OptionDefault::Words("the provider's"),
    "poll requests allowed on top of polls_per_task",
    "1200",
);
pub(crate) const MAX_POLLS_PER_TASK: OptionSpec = spec(
    "max_polls_per_task",
    whole(0, U32),
    OptionDefault::Words("the provider's (none: no cap)"),
    "most polls of one task",
    "120",
);
pub(crate) const MIN_POLL_INTERVAL: OptionSpec = spec(
    "min_poll_interval",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Words("the provider's"),
    "least time between two polls of one task",
    "2",
);
pub(crate) const BALANCE_INTERVAL: OptionSpec = spec(
    "balance_interval",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Words("the provider's"),
    "least time between two balance requests (a sooner one gets the last reply)",
    "30",
);
pub(crate) const NO_SLOT_WAIT: OptionSpec = spec(
    "no_slot_wait",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Words("the provider's"),
    "wait before resubmitting after \"no slot available\"",
    "5",
);
pub(crate) const RATE_LIMIT_WAIT: OptionSpec = spec(
    "rate_limit_wait",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Words("the provider's"),
    "pause of all submits after \"too many requests\" when the service names no wait",
    "10",
);
pub(crate) const ZERO_BALANCE_WAIT: OptionSpec = spec(
    "zero_balance_wait",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Words("the provider's"),
    "time during which submits fail at once, unsent, after a zero balance",
    "60",
);
/// The fields of `limits`: those of [`crate::Limits`].
const LIMITS_FIELDS: &[OptionSpec] = &[
    SUBMIT_INTERVAL,
    SUBMIT_WINDOW,
    SUBMITS_PER_WINDOW,
    POLLS_PER_TASK,
    POLL_ALLOWANCE,
    MAX_POLLS_PER_TASK,
    MIN_POLL_INTERVAL,
    BALANCE_INTERVAL,
    NO_SLOT_WAIT,
    RATE_LIMIT_WAIT,
    ZERO_BALANCE_WAIT,
];

pub(crate) const BASE_DELAY: OptionSpec = spec(
    "base_delay",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Duration(RetryPolicy::DEFAULT.base_delay),
    "first backoff delay after a transient failure",
    "1",
);
pub(crate) const MAX_DELAY: OptionSpec = spec(
    "max_delay",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Duration(RetryPolicy::DEFAULT.max_delay),
    "longest backoff delay",
    "20",
);
pub(crate) const UNKNOWN_SUBMIT_RETRIES: OptionSpec = spec(
    "unknown_submit_retries",
    whole(0, U32),
    OptionDefault::Whole(RetryPolicy::DEFAULT.unknown_submit_retries as u64),
    "resubmits allowed after submits whose outcome is unknown (each may be charged)",
    "2",
);
pub(crate) const MAX_ATTEMPTS: OptionSpec = spec(
    "max_attempts",
    whole(0, U32),
    OptionDefault::Whole(RetryPolicy::DEFAULT.max_attempts as u64),
    "attempts of a call outside a solve (submit, result, balance, report)",
    "3",
);
/// The fields of `retry`: those of [`crate::RetryPolicy`].
const RETRY_FIELDS: &[OptionSpec] = &[BASE_DELAY, MAX_DELAY, UNKNOWN_SUBMIT_RETRIES, MAX_ATTEMPTS];

pub(crate) const BUSY_FOR: OptionSpec = spec(
    "busy_for",
    duration(Duration::ZERO, LONGEST),
    OptionDefault::Duration(FailoverPolicy::DEFAULT.busy_for),
    "move on when the provider has had no free slot (or asked to slow down) this long",
    "30",
);
pub(crate) const OUTAGE_ATTEMPTS: OptionSpec = spec(
    "outage_attempts",
    whole(0, U32),
    OptionDefault::Whole(FailoverPolicy::DEFAULT.outage_attempts as u64),
    "move on after this many submits in a row without a usable reply",
    "3",
);
pub(crate) const ON_UNSOLVABLE: OptionSpec = spec(
    "on_unsolvable",
    ValueType::Bool,
    OptionDefault::Bool(FailoverPolicy::DEFAULT.on_unsolvable),
    "move on when the provider says the captcha is unsolvable",
    "true",
);
/// The fields of `failover`: those of [`crate::FailoverPolicy`].
const FAILOVER_FIELDS: &[OptionSpec] = &[BUSY_FOR, OUTAGE_ATTEMPTS, ON_UNSOLVABLE];

/// The three waits, which a solve takes too.
pub(crate) const TIMEOUT: OptionSpec = OptionSpec {
    per_solve: true,
    ..spec(
        "timeout",
        duration(MS, MAX_TIMEOUT),
        OptionDefault::Words("the provider's, per task kind"),
        "overall deadline of a solve",
        "90",
    )
};
/// `initial_delay`.
pub(crate) const INITIAL_DELAY: OptionSpec = OptionSpec {
    per_solve: true,
    ..spec(
        "initial_delay",
        duration(Duration::ZERO, MAX_POLL_WAIT),
        OptionDefault::Words("the provider's, per task kind"),
        "wait before the first poll",
        "5",
    )
};
/// `poll_interval`.
pub(crate) const POLL_INTERVAL: OptionSpec = OptionSpec {
    per_solve: true,
    ..spec(
        "poll_interval",
        duration(MS, MAX_POLL_WAIT),
        OptionDefault::Words("the provider's, per task kind"),
        "wait between polls",
        "5",
    )
};

pub(crate) const PROVIDERS: OptionSpec = spec(
    "providers",
    ValueType::List(PROVIDER_FIELDS),
    OptionDefault::Words("none"),
    "failover: more providers to move a solve to when the ones before fail, in order",
    "",
);
pub(crate) const FAILOVER: OptionSpec = spec(
    "failover",
    ValueType::Group(FAILOVER_FIELDS),
    OptionDefault::Words("the defaults of its fields"),
    "when a solve moves to the next provider",
    "",
);
/// `request_timeout`: a solve may take its own (for its submits and the polls of its task
/// alone; a batch poll keeps the client's).
pub(crate) const REQUEST_TIMEOUT: OptionSpec = OptionSpec {
    per_solve: true,
    ..spec(
        "request_timeout",
        duration(MS, MAX_REQUEST_TIMEOUT),
        OptionDefault::Duration(DEFAULT_REQUEST_TIMEOUT),
        "timeout of each HTTP request",
        "30",
    )
};
pub(crate) const MAX_CONCURRENT_REQUESTS: OptionSpec = spec(
    "max_concurrent_requests",
    whole(1, U32),
    OptionDefault::Whole(DEFAULT_MAX_CONCURRENT_REQUESTS as u64),
    "most HTTP requests of the client in flight at once (the rest wait for a free slot)",
    "64",
);
pub(crate) const BATCH_POLLING: OptionSpec = spec(
    "batch_polling",
    ValueType::Bool,
    OptionDefault::Words("on where the provider offers batch polls"),
    "batch polls on or off (form protocol only)",
    "false",
);
pub(crate) const JSON_REPLIES: OptionSpec = spec(
    "json_replies",
    ValueType::Bool,
    OptionDefault::Bool(true),
    "ask a form-protocol service for JSON replies (json=1)",
    "true",
);
pub(crate) const HEADER_ACAO: OptionSpec = spec(
    "header_acao",
    ValueType::Bool,
    OptionDefault::Bool(false),
    "ask a form-protocol service for Access-Control-Allow-Origin: * (header_acao=1)",
    "false",
);
pub(crate) const DEBUG_DUMP: OptionSpec = spec(
    "debug_dump",
    ValueType::Bool,
    OptionDefault::Bool(false),
    "ask a form-protocol service to dump the parameters it received (debug_dump=1)",
    "false",
);
pub(crate) const SOFT_ID: OptionSpec = spec(
    "soft_id",
    ValueType::TextOrWhole,
    OptionDefault::Words("none"),
    "the integrating software's id (soft_id, softId or appId on the wire)",
    "\"4580\"",
);
pub(crate) const LIMITS: OptionSpec = spec(
    "limits",
    ValueType::Group(LIMITS_FIELDS),
    OptionDefault::Words("the provider's (only a provider given as a base URL may change them)"),
    "the request limits of a provider given as a base URL; fields left out keep its own",
    "",
);
pub(crate) const RETRY: OptionSpec = spec(
    "retry",
    ValueType::Group(RETRY_FIELDS),
    OptionDefault::Words("the defaults of its fields"),
    "retry and backoff settings",
    "",
);
pub(crate) const SHARED_LIMITS: OptionSpec = spec(
    "shared_limits",
    ValueType::TextOrList,
    OptionDefault::Words("none: each process keeps the key's limits alone"),
    "keep the key's limits in Redis (redis://[user:password@]host:port/db), shared by every process using the key; a list of URLs names a Redis Cluster's nodes",
    "\"redis://127.0.0.1:6379/0\"",
);

pub(crate) const ADAPTIVE_WAITS: OptionSpec = spec(
    "adaptive_waits",
    ValueType::Bool,
    OptionDefault::Bool(true),
    "learn each kind's first wait from the solves seen (never under the provider's documented minimum; a given initial_delay wins)",
    "true",
);

pub(crate) const CALLBACK_LISTEN: OptionSpec = spec(
    "callback_listen",
    ValueType::Text,
    OptionDefault::Words("none: answers are polled"),
    "run a receiver for answers the service pushes (pingback, callbackUrl) on this address; tasks are then polled only after a third of their deadline, as a safety net",
    "\"0.0.0.0:8088\"",
);

pub(crate) const CALLBACK_URL: OptionSpec = spec(
    "callback_url",
    ValueType::Text,
    OptionDefault::Words("the receiver's own address (callback_listen on a specific one)"),
    "the public URL the service calls to push answers (each task's secret token is appended); with shared_limits, another member's receiver",
    "\"https://cb.example.com/capbridge/\"",
);

/// Every client option, in the order the documentation presents them. The ones with
/// [`OptionSpec::per_solve`] are the solve options too ([`solve_options_table`]).
pub static CLIENT_OPTIONS: &[OptionSpec] = &[
    PROVIDER,
    API_KEY,
    PROTOCOL,
    BASE_URL,
    PROVIDERS,
    FAILOVER,
    TIMEOUT,
    INITIAL_DELAY,
    POLL_INTERVAL,
    REQUEST_TIMEOUT,
    MAX_CONCURRENT_REQUESTS,
    BATCH_POLLING,
    JSON_REPLIES,
    HEADER_ACAO,
    DEBUG_DUMP,
    SOFT_ID,
    LIMITS,
    RETRY,
    SHARED_LIMITS,
    ADAPTIVE_WAITS,
    CALLBACK_LISTEN,
    CALLBACK_URL,
];

/// The options a solve takes (`timeout`, `initial_delay`, `poll_interval`,
/// `request_timeout`): the entries of [`CLIENT_OPTIONS`] with [`OptionSpec::per_solve`].
pub fn solve_options_table() -> impl Iterator<Item = &'static OptionSpec> {
    CLIENT_OPTIONS.iter().filter(|s| s.per_solve)
}

/// The entry of an option given by its path as errors name it (`timeout_ms`,
/// `limits.submit_interval`, `providers[1].api_key`), if the table has one.
pub fn find(path: &str) -> Option<&'static OptionSpec> {
    let mut table = CLIENT_OPTIONS;
    let mut found = None;
    for segment in path.split('.') {
        // `providers[1]` is the list's entry; the index says nothing about the name.
        let name = segment.split('[').next().unwrap_or(segment);
        let spec = table.iter().find(|s| s.name == name).or_else(|| {
            let stem = name.strip_suffix("_ms")?;
            table
                .iter()
                .find(|s| s.name == stem && matches!(s.value, ValueType::Duration { .. }))
        })?;
        table = match spec.value {
            ValueType::Group(fields) | ValueType::List(fields) => fields,
            _ => &[],
        };
        found = Some(spec);
    }
    found
}
