//! Client and solve options from a map of names to values: the one constructor every binding
//! feeds, so that an option is named, typed, checked and documented once, here.
//!
//! Names are snake_case. Each binding turns its own spelling into these names generically
//! (Python keywords as they are, Node's camelCase to snake_case) and spells the option of a
//! `usage` error ([`crate::Error::option`]) back its own way.
//!
//! Durations are seconds (`timeout: 90`, `poll_interval: 0.5`) or, with the `_ms` suffix,
//! milliseconds (`timeout_ms: 90000`): Node and C pass milliseconds, Python seconds.
//!
//! | option | value |
//! |---|---|
//! | `provider` | a preset name (`"2captcha"`, `"capsolver"`, ...) or a base URL |
//! | `api_key` | the account's key |
//! | `protocol` | `"form"` or `"json"`, for a base URL (default `"form"`) |
//! | `base_url` | another base URL for the provider, keeping its behaviour |
//! | `providers` | failover: a list of `{provider, api_key, base_url?, protocol?}`, in order |
//! | `failover` | `{busy_for, outage_attempts, on_unsolvable}` |
//! | `timeout`, `initial_delay`, `poll_interval` | the waits of every kind (default: the provider's per kind) |
//! | `request_timeout` | each HTTP request (default 30 s) |
//! | `max_concurrent_requests` | requests in flight at once (default 64) |
//! | `batch_polling` | batch polls on or off (form protocol) |
//! | `json_replies`, `header_acao`, `debug_dump` | form protocol wire options |
//! | `soft_id` | the integrator's id (text or number) |
//! | `limits` | a custom provider's limits: the fields of [`crate::Limits`] |
//! | `retry` | the fields of [`crate::RetryPolicy`] |
//! | `shared_limits` | keep the key's limits in Redis (`redis://[user:password@]host:port/db`), shared by every process and machine using the key; needs the `shared-limits` cargo feature (the bindings turn it on) |

use crate::client::ClientBuilder;
use crate::engine::retry::RetryPolicy;
use crate::engine::{FailoverPolicy, SolveOptions, check_duration};
use crate::error::{Error, Result};
use crate::provider::{
    Limits, MAX_POLL_WAIT, MAX_REQUEST_TIMEOUT, MAX_TIMEOUT, Protocol, Provider,
};
use serde_json::{Map, Value};
use std::time::Duration;

/// Reads typed options out of a map, remembering which were read so that the rest can be
/// refused by name.
struct Reader {
    prefix: String,
    map: Map<String, Value>,
}

fn bad(option: &str, reason: impl Into<String>) -> Error {
    Error::usage(reason).with_option(option)
}

/// The longest duration any option takes, 255 days (keeps the f64 -> Duration conversion
/// exact and in range).
const MAX_SECS: u64 = 255 * 86_400;

impl Reader {
    fn new(prefix: &str, map: Map<String, Value>) -> Reader {
        Reader {
            prefix: prefix.to_owned(),
            map,
        }
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Takes a value; `null` counts as absent.
    fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    fn string(&mut self, key: &str) -> Result<Option<String>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(bad(&self.name(key), "expected text")),
        }
    }

    fn text_or_number(&mut self, key: &str) -> Result<Option<String>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(n)) if n.is_u64() => Ok(Some(n.to_string())),
            Some(_) => Err(bad(&self.name(key), "expected text or a whole number")),
        }
    }

    fn bool(&mut self, key: &str) -> Result<Option<bool>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(bad(&self.name(key), "expected true or false")),
        }
    }

    fn whole<T: TryFrom<u64>>(&mut self, key: &str) -> Result<Option<T>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .and_then(|n| T::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| {
                    bad(
                        &self.name(key),
                        "expected a whole number, not negative, in range",
                    )
                }),
            Some(_) => Err(bad(&self.name(key), "expected a whole number")),
        }
    }

    fn object(&mut self, key: &str) -> Result<Option<Map<String, Value>>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(_) => Err(bad(&self.name(key), "expected an object of options")),
        }
    }

    /// A duration given as `key` (seconds) or `key_ms` (milliseconds), not both, up to
    /// [`MAX_SECS`] (the engine's own maxima are smaller and checked where they apply).
    fn duration(&mut self, key: &str) -> Result<Option<Duration>> {
        self.duration_within(key, Duration::ZERO, Duration::from_secs(MAX_SECS))
    }

    /// [`Reader::duration`] within `min..=max`, the error naming the option as the caller
    /// spelled it (`request_timeout_ms`, not `request_timeout`).
    fn duration_within(
        &mut self,
        key: &str,
        min: Duration,
        max: Duration,
    ) -> Result<Option<Duration>> {
        let ms_key = format!("{key}_ms");
        let (secs, ms) = (self.take(key), self.take(&ms_key));
        let (value, per_second, name) = match (secs, ms) {
            (None, None) => return Ok(None),
            (Some(_), Some(_)) => {
                return Err(bad(
                    &self.name(key),
                    format!("given twice, as {key} and as {ms_key}: give one"),
                ));
            }
            (Some(v), None) => (v, 1.0, self.name(key)),
            (None, Some(v)) => (v, 1000.0, self.name(&ms_key)),
        };
        let Some(n) = value.as_f64() else {
            return Err(bad(&name, "expected a number"));
        };
        let secs = n / per_second;
        if !secs.is_finite() || secs < 0.0 {
            return Err(bad(&name, "expected a finite number, not negative"));
        }
        // Compared as floats first: a huge number never reaches the Duration conversion.
        let d = if secs > max.as_secs_f64() {
            max.saturating_add(Duration::from_secs(1))
        } else {
            Duration::from_secs_f64(secs)
        };
        check_duration(&name, Some(d), min, max)?;
        Ok(Some(d))
    }

    /// The three waits of a solve (client-wide or per call), each within its bounds.
    fn waits(&mut self) -> Result<[Option<Duration>; 3]> {
        let ms = Duration::from_millis(1);
        Ok([
            self.duration_within("timeout", ms, MAX_TIMEOUT)?,
            self.duration_within("initial_delay", Duration::ZERO, MAX_POLL_WAIT)?,
            self.duration_within("poll_interval", ms, MAX_POLL_WAIT)?,
        ])
    }

    /// Fails on any option not read, suggesting the nearest known name.
    fn finish(self, known: &[&str]) -> Result<()> {
        if let Some(key) = self.map.keys().next() {
            // A misspelled `timout_ms` gets `timeout_ms`: the spelling the caller uses.
            let (stem, suffix) = match key.strip_suffix("_ms") {
                Some(stem) => (stem, "_ms"),
                None => (key.as_str(), ""),
            };
            let reason = match crate::error::nearest(stem, known) {
                Some(k) => {
                    format!("is not an option; did you mean {}{k}{suffix}?", self.prefix)
                }
                None => "is not an option".to_owned(),
            };
            return Err(bad(&self.name(key), reason));
        }
        Ok(())
    }
}

/// Every option [`client_builder`] reads.
pub const CLIENT_OPTIONS: &[&str] = &[
    "provider",
    "api_key",
    "protocol",
    "base_url",
    "providers",
    "failover",
    "timeout",
    "initial_delay",
    "poll_interval",
    "request_timeout",
    "max_concurrent_requests",
    "batch_polling",
    "json_replies",
    "header_acao",
    "debug_dump",
    "soft_id",
    "limits",
    "retry",
    "shared_limits",
];

fn provider_of(r: &mut Reader) -> Result<Option<(Provider, String)>> {
    let name = r.string("provider")?;
    let key = r.string("api_key")?;
    let protocol = r.string("protocol")?;
    let (name, key) = match (name, key) {
        (None, None) => return Ok(None),
        (Some(n), Some(k)) => (n, k),
        (None, Some(_)) => return Err(bad(&r.name("provider"), "is required")),
        (Some(_), None) => return Err(bad(&r.name("api_key"), "is required")),
    };
    let t = name.trim();
    let provider = if t.starts_with("http://") || t.starts_with("https://") {
        let protocol = match &protocol {
            Some(p) => Protocol::from_name(p).map_err(|e| e.with_option(r.name("protocol")))?,
            None => Protocol::Form,
        };
        Provider::custom_with(t, protocol)
    } else {
        if protocol.is_some() {
            return Err(bad(
                &r.name("protocol"),
                "applies only to a provider given as a base URL (a preset knows its protocol)",
            ));
        }
        Provider::from_name(t)
    }
    .map_err(|e| e.with_option(r.name("provider")))?;
    let provider = match r.string("base_url")? {
        Some(url) => provider
            .with_base_url(&url)
            .map_err(|e| e.with_option(r.name("base_url")))?,
        None => provider,
    };
    Ok(Some((provider, key)))
}

fn limits_of(prefix: &str, m: Map<String, Value>) -> Result<Limits> {
    let mut r = Reader::new(prefix, m);
    let d = Limits::form_protocol();
    let l = Limits {
        submit_interval: r.duration("submit_interval")?.unwrap_or(d.submit_interval),
        submit_window: r.duration("submit_window")?.unwrap_or(d.submit_window),
        submits_per_window: r
            .whole("submits_per_window")?
            .unwrap_or(d.submits_per_window),
        polls_per_task: r.whole("polls_per_task")?.unwrap_or(d.polls_per_task),
        poll_allowance: r.whole("poll_allowance")?.unwrap_or(d.poll_allowance),
        max_polls_per_task: r.whole("max_polls_per_task")?.or(d.max_polls_per_task),
        min_poll_interval: r
            .duration("min_poll_interval")?
            .unwrap_or(d.min_poll_interval),
        balance_interval: r
            .duration("balance_interval")?
            .unwrap_or(d.balance_interval),
        no_slot_wait: r.duration("no_slot_wait")?.unwrap_or(d.no_slot_wait),
        rate_limit_wait: r.duration("rate_limit_wait")?.unwrap_or(d.rate_limit_wait),
        zero_balance_wait: r
            .duration("zero_balance_wait")?
            .unwrap_or(d.zero_balance_wait),
    };
    r.finish(&[
        "submit_interval",
        "submit_window",
        "submits_per_window",
        "polls_per_task",
        "poll_allowance",
        "max_polls_per_task",
        "min_poll_interval",
        "balance_interval",
        "no_slot_wait",
        "rate_limit_wait",
        "zero_balance_wait",
    ])?;
    Ok(l)
}

fn retry_of(prefix: &str, m: Map<String, Value>) -> Result<RetryPolicy> {
    let mut r = Reader::new(prefix, m);
    let d = RetryPolicy::default();
    let p = RetryPolicy {
        base_delay: r.duration("base_delay")?.unwrap_or(d.base_delay),
        max_delay: r.duration("max_delay")?.unwrap_or(d.max_delay),
        unknown_submit_retries: r
            .whole("unknown_submit_retries")?
            .unwrap_or(d.unknown_submit_retries),
        max_attempts: r.whole("max_attempts")?.unwrap_or(d.max_attempts),
    };
    r.finish(&[
        "base_delay",
        "max_delay",
        "unknown_submit_retries",
        "max_attempts",
    ])?;
    Ok(p)
}

fn failover_of(prefix: &str, m: Map<String, Value>) -> Result<FailoverPolicy> {
    let mut r = Reader::new(prefix, m);
    let d = FailoverPolicy::default();
    let p = FailoverPolicy {
        busy_for: r.duration("busy_for")?.unwrap_or(d.busy_for),
        outage_attempts: r.whole("outage_attempts")?.unwrap_or(d.outage_attempts),
        on_unsolvable: r.bool("on_unsolvable")?.unwrap_or(d.on_unsolvable),
    };
    r.finish(&["busy_for", "outage_attempts", "on_unsolvable"])?;
    Ok(p)
}

/// A client builder from options (see the [module documentation](self) for the names).
/// Every failure is a `usage` error naming the option.
pub fn client_builder(options: Map<String, Value>) -> Result<ClientBuilder> {
    let mut r = Reader::new("", options);
    let mut providers = Vec::new();
    if let Some(first) = provider_of(&mut r)? {
        providers.push(first);
    }
    match r.take("providers") {
        None => {}
        Some(Value::Array(list)) => {
            for (i, item) in list.into_iter().enumerate() {
                let prefix = format!("providers[{i}].");
                let Value::Object(m) = item else {
                    return Err(bad(
                        &format!("providers[{i}]"),
                        "expected an object with provider and api_key",
                    ));
                };
                let mut pr = Reader::new(&prefix, m);
                match provider_of(&mut pr)? {
                    Some(p) => providers.push(p),
                    None => return Err(bad(&format!("{prefix}provider"), "is required")),
                }
                pr.finish(&["provider", "api_key", "base_url", "protocol"])?;
            }
        }
        Some(_) => return Err(bad("providers", "expected a list of providers")),
    }
    let mut list = providers.into_iter();
    let Some((provider, key)) = list.next() else {
        return Err(bad("provider", "is required (a preset name or a base URL)"));
    };
    // The form family's wire options belong to its codec, through the provider.
    let switches = (
        r.bool("json_replies")?,
        r.bool("header_acao")?,
        r.bool("debug_dump")?,
    );
    let provider = provider
        .with_form_switches(switches.0, switches.1, switches.2)
        .map_err(|e| {
            let given = [
                ("json_replies", switches.0),
                ("header_acao", switches.1),
                ("debug_dump", switches.2),
            ];
            let name = given
                .iter()
                .find(|(_, v)| v.is_some())
                .map_or("json_replies", |g| g.0);
            e.with_option(name)
        })?;
    let mut b = ClientBuilder::new(provider, key);
    for (p, k) in list {
        b = b.fallback(p, k);
    }
    if let Some(m) = r.object("failover")? {
        b = b.failover(failover_of("failover.", m)?);
    }
    let [timeout, initial_delay, poll_interval] = r.waits()?;
    if let Some(d) = timeout {
        b = b.timeout(d);
    }
    if let Some(d) = initial_delay {
        b = b.initial_delay(d);
    }
    if let Some(d) = poll_interval {
        b = b.poll_interval(d);
    }
    let ms = Duration::from_millis(1);
    if let Some(d) = r.duration_within("request_timeout", ms, MAX_REQUEST_TIMEOUT)? {
        b = b.request_timeout(d);
    }
    if let Some(n) = r.whole("max_concurrent_requests")? {
        b = b.max_concurrent_requests(n);
    }
    if let Some(on) = r.bool("batch_polling")? {
        b = b.batch_polling(on);
    }
    if let Some(id) = r.text_or_number("soft_id")? {
        b = b.soft_id(id);
    }
    if let Some(m) = r.object("limits")? {
        b = b.limits(limits_of("limits.", m)?);
    }
    if let Some(m) = r.object("retry")? {
        b = b.retry(retry_of("retry.", m)?);
    }
    if let Some(url) = r.string("shared_limits")? {
        b = b.shared_limits(url);
    }
    r.finish(CLIENT_OPTIONS)?;
    Ok(b)
}

/// Every option [`solve_options`] reads.
pub const SOLVE_OPTIONS: &[&str] = &["timeout", "initial_delay", "poll_interval"];

/// Per-solve options from a map (`timeout`, `initial_delay`, `poll_interval`, in seconds or
/// with `_ms`). The binding adds its own cancel token and event callback.
pub fn solve_options(options: Map<String, Value>) -> Result<SolveOptions> {
    let mut r = Reader::new("", options);
    let mut o = SolveOptions::new();
    [o.timeout, o.initial_delay, o.poll_interval] = r.waits()?;
    r.finish(SOLVE_OPTIONS)?;
    o.check()?;
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn err(v: Value) -> Error {
        match client_builder(map(v)).and_then(ClientBuilder::build) {
            Ok(_) => panic!("accepted"),
            Err(e) => e,
        }
    }

    #[tokio::test]
    async fn builds_and_names_what_is_wrong() {
        let key = "0123456789abcdef0123456789abcdef";
        let c = client_builder(map(json!({
            "provider": "http://127.0.0.1:9/", "api_key": key, "protocol": "json",
            "timeout_ms": 90000, "poll_interval": 0.5, "soft_id": 7,
            "limits": {"submit_interval_ms": 0, "submits_per_window": 1000},
            "providers": [{"provider": "capsolver", "api_key": key}],
            "failover": {"on_unsolvable": false},
        })))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(c.providers().len(), 2);
        assert_eq!(c.provider().protocol(), Protocol::Json);
        assert_eq!(
            c.waits(crate::TaskKind::ImageToText).timeout,
            Duration::from_secs(90)
        );

        let e = err(json!({"provider": "2captcha", "api_key": key, "timout_ms": 3}));
        assert!(e.message().contains("did you mean timeout_ms?"), "{e}");
        let e = err(json!({"provider": "2captcha", "api_key": key, "timout": 3}));
        assert_eq!(e.kind(), ErrorKind::Usage);
        assert_eq!(e.option(), Some("timout"));
        assert!(e.message().contains("did you mean timeout"), "{e}");
        let e = err(json!({"provider": "2captcha", "api_key": key, "timeout": -1}));
        assert_eq!(e.option(), Some("timeout"));
        let e = err(json!({"provider": "2captcha", "api_key": key, "timeout": 1, "timeout_ms": 5}));
        assert_eq!(e.option(), Some("timeout"));
        let e = err(json!({"provider": "2captcha", "api_key": key, "poll_interval_ms": 1e30}));
        assert_eq!(e.option(), Some("poll_interval_ms"));
        // Range errors name the option as given, with its unit.
        let e = err(json!({"provider": "2captcha", "api_key": key, "request_timeout_ms": 0}));
        assert_eq!(e.option(), Some("request_timeout_ms"));
        assert!(e.message().contains("between 1 ms and 1 hour"), "{e}");
        let e = err(json!({"provider": "2captcha", "api_key": key, "timeout": 1e9}));
        assert_eq!(e.option(), Some("timeout"));
        assert!(e.message().contains("7 days"), "{e}");
        let e = solve_options(map(json!({"poll_interval_ms": 0}))).unwrap_err();
        assert_eq!(e.option(), Some("poll_interval_ms"));
        let e =
            err(json!({"provider": "2captcha", "api_key": key, "limits": {"submit_intervall": 1}}));
        assert_eq!(e.option(), Some("limits.submit_intervall"));
        let e = err(json!({"provider": "2captcha", "api_key": key, "limits": {}}));
        assert!(e.message().contains("cannot be changed"), "{e}");
        let e = err(json!({"provider": "nope", "api_key": key}));
        assert_eq!(e.option(), Some("provider"));
        let e = err(json!({"api_key": key}));
        assert_eq!(e.option(), Some("provider"));
        let e = err(
            json!({"provider": "2captcha", "api_key": key, "providers": [{"provider": "capsolver"}]}),
        );
        assert_eq!(e.option(), Some("providers[0].api_key"));
        let e = err(json!({"provider": "2captcha", "api_key": key, "batch_polling": "yes"}));
        assert_eq!(e.option(), Some("batch_polling"));
        for e in [
            err(json!({"provider": "2captcha", "api_key": key, "timeout": 1e19})),
            err(json!({"provider": "2captcha", "api_key": key, "request_timeout": 0})),
        ] {
            assert_eq!(e.kind(), ErrorKind::Usage, "{e}");
            assert!(e.option().is_some(), "{e}");
            assert!(!e.to_string().contains("Provider::"), "{e}");
        }
        let o = solve_options(map(json!({"timeout_ms": 1500}))).unwrap();
        assert_eq!(o.timeout, Some(Duration::from_millis(1500)));
        assert_eq!(
            solve_options(map(json!({"poll_interval": 0})))
                .unwrap_err()
                .option(),
            Some("poll_interval")
        );
    }
}
