//! Client and solve options from a map of names to values: the one constructor every binding
//! feeds, so that an option is named, typed, checked and documented once, here.
//!
//! [`CLIENT_OPTIONS`] is that once: a table of every option with its value type, default,
//! bounds and one-line doc. The readers below read each option through its entry, refuse a
//! name the table does not hold (suggesting the nearest one it does); the bindings' typed
//! surfaces can be rendered from the same table.
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
//! | `timeout`, `initial_delay`, `poll_interval` | the waits of every kind (default: the provider's per kind); a solve takes them too |
//! | `request_timeout` | each HTTP request (default 30 s); a solve takes it too, for its submits and the polls of its task alone |
//! | `max_concurrent_requests` | requests in flight at once (default 64) |
//! | `batch_polling` | batch polls on or off (form protocol) |
//! | `json_replies`, `header_acao`, `debug_dump` | form protocol wire options |
//! | `soft_id` | the integrator's id (text or number) |
//! | `limits` | a custom provider's limits: the fields of [`crate::Limits`]; fields left out keep the provider's own (its protocol family's) |
//! | `retry` | the fields of [`crate::RetryPolicy`] |
//! | `adaptive_waits` | learn each kind's first wait from the solves seen (default on; never under the provider's documented minimum; a given `initial_delay` wins) |
//! | `callback_listen` | run a receiver for pushed answers (`pingback`, `callbackUrl`) on this address (`"0.0.0.0:8088"`); tasks are polled only after a third of their deadline |
//! | `callback_url` | the public URL the service calls (each task's token appended); with `shared_limits`, may be another member's receiver |
//! | `shared_limits` | keep the key's limits in Redis (`redis://[user:password@]host:port/db`), shared by every process and machine using the key; a list of URLs (or URLs separated by commas) names a Redis Cluster's nodes; needs the `shared-limits` cargo feature (the bindings turn it on) |

mod read;
pub(crate) mod spec;

pub use spec::{CLIENT_OPTIONS, OptionDefault, OptionSpec, ValueType, find, solve_options_table};

use crate::client::ClientBuilder;
use crate::engine::retry::RetryPolicy;
use crate::engine::{FailoverPolicy, SolveOptions};
use crate::error::Result;
use crate::provider::{Limits, Protocol, Provider};
use crate::secret::Redactor;
use read::{Reader, TextOrList, bad};
use serde_json::{Map, Value};
use spec::*;

impl ClientBuilder {
    /// A builder from options given by name (what the bindings use); see [`crate::options`].
    pub fn from_options(options: Map<String, Value>) -> Result<Self> {
        client_builder(options)
    }
}

fn provider_of(r: &mut Reader) -> Result<Option<(Provider, String)>> {
    let name = r.text(&PROVIDER)?;
    let key = r.text(&API_KEY)?;
    let protocol = r.text(&PROTOCOL)?;
    let (name, key) = match (name, key) {
        (None, None) => return Ok(None),
        (Some(n), Some(k)) => (n, k),
        (None, Some(_)) => return Err(bad(&r.name(PROVIDER.name), "is required")),
        (Some(_), None) => return Err(bad(&r.name(API_KEY.name), "is required")),
    };
    let t = name.trim();
    let provider = if t.starts_with("http://") || t.starts_with("https://") {
        let protocol = match &protocol {
            Some(p) => Protocol::from_name(p).map_err(|e| e.with_option(r.name(PROTOCOL.name)))?,
            None => Protocol::Form,
        };
        Provider::custom_with(t, protocol)
    } else {
        if protocol.is_some() {
            return Err(bad(
                &r.name(PROTOCOL.name),
                "applies only to a provider given as a base URL (a preset knows its protocol)",
            ));
        }
        Provider::from_name(t)
    }
    .map_err(|e| e.with_option(r.name(PROVIDER.name)))?;
    let provider = match r.text(&BASE_URL)? {
        Some(url) => provider
            .with_base_url(&url)
            .map_err(|e| e.with_option(r.name(BASE_URL.name)))?,
        None => provider,
    };
    Ok(Some((provider, key)))
}

/// The limits given under `limits`, each field left out taken from `own`: the provider's
/// own limits (for a custom provider, those of its protocol family: a json service does not
/// borrow the form protocol's 60 submits in 3 s).
fn limits_of(mut r: Reader, own: &Limits) -> Result<Limits> {
    let d = own;
    let l = Limits {
        submit_interval: r.duration(&SUBMIT_INTERVAL)?.unwrap_or(d.submit_interval),
        submit_window: r.duration(&SUBMIT_WINDOW)?.unwrap_or(d.submit_window),
        submits_per_window: r
            .whole(&SUBMITS_PER_WINDOW)?
            .unwrap_or(d.submits_per_window),
        polls_per_task: r.whole(&POLLS_PER_TASK)?.unwrap_or(d.polls_per_task),
        poll_allowance: r.whole(&POLL_ALLOWANCE)?.unwrap_or(d.poll_allowance),
        max_polls_per_task: r.whole(&MAX_POLLS_PER_TASK)?.or(d.max_polls_per_task),
        min_poll_interval: r
            .duration(&MIN_POLL_INTERVAL)?
            .unwrap_or(d.min_poll_interval),
        balance_interval: r.duration(&BALANCE_INTERVAL)?.unwrap_or(d.balance_interval),
        no_slot_wait: r.duration(&NO_SLOT_WAIT)?.unwrap_or(d.no_slot_wait),
        rate_limit_wait: r.duration(&RATE_LIMIT_WAIT)?.unwrap_or(d.rate_limit_wait),
        zero_balance_wait: r
            .duration(&ZERO_BALANCE_WAIT)?
            .unwrap_or(d.zero_balance_wait),
    };
    r.finish()?;
    Ok(l)
}

fn retry_of(mut r: Reader) -> Result<RetryPolicy> {
    let d = RetryPolicy::default();
    let p = RetryPolicy {
        base_delay: r.duration(&BASE_DELAY)?.unwrap_or(d.base_delay),
        max_delay: r.duration(&MAX_DELAY)?.unwrap_or(d.max_delay),
        unknown_submit_retries: r
            .whole(&UNKNOWN_SUBMIT_RETRIES)?
            .unwrap_or(d.unknown_submit_retries),
        max_attempts: r.whole(&MAX_ATTEMPTS)?.unwrap_or(d.max_attempts),
    };
    r.finish()?;
    Ok(p)
}

fn failover_of(mut r: Reader) -> Result<FailoverPolicy> {
    let d = FailoverPolicy::default();
    let p = FailoverPolicy {
        busy_for: r.duration(&BUSY_FOR)?.unwrap_or(d.busy_for),
        outage_attempts: r.whole(&OUTAGE_ATTEMPTS)?.unwrap_or(d.outage_attempts),
        on_unsolvable: r.flag(&ON_UNSOLVABLE)?.unwrap_or(d.on_unsolvable),
    };
    r.finish()?;
    Ok(p)
}

/// The three waits of a solve (client-wide or per call), each within its bounds.
fn waits(r: &mut Reader) -> Result<[Option<std::time::Duration>; 3]> {
    Ok([
        r.duration(&TIMEOUT)?,
        r.duration(&INITIAL_DELAY)?,
        r.duration(&POLL_INTERVAL)?,
    ])
}

/// A client builder from options (see [`CLIENT_OPTIONS`] for the names). Every failure is a
/// `usage` error naming the option, with every API key the options hold masked: a key given
/// where a provider belongs, or one entry's key as another's provider, stays out of the text.
pub fn client_builder(options: Map<String, Value>) -> Result<ClientBuilder> {
    let keys = api_keys(&options);
    read_client(options).map_err(|e| Redactor::new(keys.iter().map(String::as_str)).error(e))
}

/// The API keys in a map of client options (top level and each `providers` entry).
fn api_keys(options: &Map<String, Value>) -> Vec<String> {
    let entries = options
        .get(PROVIDERS.name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object);
    std::iter::once(options)
        .chain(entries)
        .filter_map(|m| m.get(API_KEY.name).and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

fn read_client(options: Map<String, Value>) -> Result<ClientBuilder> {
    let mut r = Reader::new("", options, CLIENT_OPTIONS, false);
    r.refuse_unknown()?;
    let mut providers = Vec::new();
    if let Some(first) = provider_of(&mut r)? {
        providers.push(first);
    }
    let entries = r.list(&PROVIDERS)?;
    let listed_none = entries.as_ref().is_some_and(Vec::is_empty);
    for mut pr in entries.unwrap_or_default() {
        pr.refuse_unknown()?;
        match provider_of(&mut pr)? {
            Some(p) => providers.push(p),
            None => return Err(bad(&pr.name(PROVIDER.name), "is required")),
        }
        pr.finish()?;
    }
    let mut list = providers.into_iter();
    let Some((provider, key)) = list.next() else {
        if listed_none {
            return Err(bad(
                PROVIDERS.name,
                "is empty: list at least one provider (or give provider and api_key)",
            ));
        }
        return Err(bad(
            PROVIDER.name,
            "is required (a preset name or a base URL)",
        ));
    };
    // The form family's wire options belong to its codec, through the provider.
    let switches = (
        r.flag(&JSON_REPLIES)?,
        r.flag(&HEADER_ACAO)?,
        r.flag(&DEBUG_DUMP)?,
    );
    let provider = provider
        .with_form_switches(switches.0, switches.1, switches.2)
        .map_err(|e| {
            let given = [
                (JSON_REPLIES.name, switches.0),
                (HEADER_ACAO.name, switches.1),
                (DEBUG_DUMP.name, switches.2),
            ];
            let name = given
                .iter()
                .find(|(_, v)| v.is_some())
                .map_or(JSON_REPLIES.name, |g| g.0);
            e.with_option(name)
        })?;
    let own_limits = provider.limits().clone();
    let mut b = ClientBuilder::new(provider, key);
    for (p, k) in list {
        b = b.fallback(p, k);
    }
    if let Some(g) = r.group(&FAILOVER)? {
        b = b.failover(failover_of(g)?);
    }
    let [timeout, initial_delay, poll_interval] = waits(&mut r)?;
    if let Some(d) = timeout {
        b = b.timeout(d);
    }
    if let Some(d) = initial_delay {
        b = b.initial_delay(d);
    }
    if let Some(d) = poll_interval {
        b = b.poll_interval(d);
    }
    if let Some(d) = r.duration(&REQUEST_TIMEOUT)? {
        b = b.request_timeout(d);
    }
    if let Some(n) = r.whole(&MAX_CONCURRENT_REQUESTS)? {
        b = b.max_concurrent_requests(n);
    }
    if let Some(on) = r.flag(&BATCH_POLLING)? {
        b = b.batch_polling(on);
    }
    if let Some(id) = r.text_or_whole(&SOFT_ID)? {
        b = b.soft_id(id);
    }
    if let Some(g) = r.group(&LIMITS)? {
        b = b.limits(limits_of(g, &own_limits)?);
    }
    if let Some(g) = r.group(&RETRY)? {
        b = b.retry(retry_of(g)?);
    }
    match r.text_or_list(&SHARED_LIMITS)? {
        Some(TextOrList::Text(url)) => b = b.shared_limits(url),
        Some(TextOrList::List(nodes)) => b = b.shared_limits(nodes),
        None => {}
    }
    if let Some(on) = r.flag(&ADAPTIVE_WAITS)? {
        b = b.adaptive_waits(on);
    }
    if let Some(address) = r.text(&CALLBACK_LISTEN)? {
        b = b.callback_listen(address);
    }
    if let Some(url) = r.text(&CALLBACK_URL)? {
        b = b.callback_url(url);
    }
    r.finish()?;
    Ok(b)
}

/// Per-solve options from a map (the entries of [`CLIENT_OPTIONS`] marked
/// [`OptionSpec::per_solve`]: `timeout`, `initial_delay`, `poll_interval`, `request_timeout`,
/// in seconds or with `_ms`). The binding adds its own cancel token and event callback.
pub fn solve_options(options: Map<String, Value>) -> Result<SolveOptions> {
    let mut r = Reader::new("", options, CLIENT_OPTIONS, true);
    let mut o = SolveOptions::new();
    [o.timeout, o.initial_delay, o.poll_interval] = waits(&mut r)?;
    o.request_timeout = r.duration(&REQUEST_TIMEOUT)?;
    r.finish()?;
    o.check()?;
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, ErrorKind};
    use serde_json::json;
    use std::time::Duration;

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
    async fn validate_refuses_what_build_refuses_and_starts_nothing() {
        let key = "0123456789abcdef0123456789abcdef";
        for (extra, option) in [
            (
                json!({"callback_url": "https://cb.example.com/x/"}),
                "callback_url",
            ),
            (
                json!({"shared_limits": "mysql://db.example.com/"}),
                "shared_limits",
            ),
            (json!({"callback_listen": "port 80"}), "callback_listen"),
        ] {
            let mut m = map(json!({"provider": "2captcha", "api_key": key}));
            m.extend(map(extra));
            let checked = client_builder(m.clone()).unwrap().validate().unwrap_err();
            let Err(built) = client_builder(m).unwrap().build() else {
                panic!("built")
            };
            assert_eq!(checked.option(), Some(option), "{checked}");
            assert_eq!(checked.to_string(), built.to_string());
        }
        // With several providers, which one's key is wrong.
        let m = map(json!({"provider": "2captcha", "api_key": key,
                           "providers": [{"provider": "capsolver", "api_key": "a b"}]}));
        let e = client_builder(m).unwrap().validate().unwrap_err();
        assert!(e.message().starts_with("capsolver: "), "{e}");
        // A receiver's address is read, not bound: an address another socket holds validates
        // (build would fail on it), and stays held by that socket.
        let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = held.local_addr().unwrap().to_string();
        let m = map(json!({"provider": "2captcha", "api_key": key, "callback_listen": addr}));
        client_builder(m.clone()).unwrap().validate().unwrap();
        assert!(
            client_builder(m).unwrap().build().is_err(),
            "{addr} is taken"
        );
        // Every interface without a URL: the URL cannot be told, refused by both.
        let m =
            map(json!({"provider": "2captcha", "api_key": key, "callback_listen": "0.0.0.0:0"}));
        let e = client_builder(m).unwrap().validate().unwrap_err();
        assert_eq!(e.option(), Some("callback_url"), "{e}");
    }

    #[test]
    fn a_misspelt_name_is_named_before_a_missing_one() {
        for (given, option, says) in [
            (
                json!({"provider": "2captcha", "apikey": "k"}),
                "apikey",
                "did you mean api_key?",
            ),
            (
                json!({"providr": "2captcha", "api_key": "k"}),
                "providr",
                "did you mean provider?",
            ),
            (
                json!({"providers": [{"provider": "2captcha", "apiKey": "k"}]}),
                "providers[0].apiKey",
                "did you mean providers[0].api_key?",
            ),
            (json!({"providers": []}), "providers", "is empty"),
        ] {
            let Err(e) = client_builder(map(given)) else {
                panic!("accepted")
            };
            assert_eq!(e.option(), Some(option), "{e}");
            assert!(e.message().contains(says), "{e}");
        }
    }

    #[test]
    fn a_key_in_the_providers_place_is_not_repeated() {
        // Swapped arguments, a short key given where the provider belongs, and one entry's
        // key as another entry's provider: no key in any message.
        let long = "1abc234de56fab7c89012d34e56fa7b8";
        let e = err(json!({"provider": long, "api_key": "2captcha"}));
        assert!(!e.message().contains("1abc234de5"), "{e}");
        assert!(
            e.message().contains("32-character value") && e.message().contains("API key"),
            "{e}"
        );
        assert_eq!(e.option(), Some("provider"));
        let e = err(json!({
            "provider": "2captcha", "api_key": "SECRETKEY1",
            "providers": [{"provider": "SECRETKEY1", "api_key": "x"}],
        }));
        assert!(!e.to_string().contains("SECRETKEY1"), "{e}");
        assert!(e.message().contains("unknown provider"), "{e}");
        // A misspelt name is still shown.
        let e = err(json!({"provider": "2captca", "api_key": long}));
        assert!(e.message().contains("\"2captca\""), "{e}");
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
        // Other libraries' spellings of milliseconds get the option in milliseconds.
        for (given, meant) in [
            ("timeoutMs", "timeout_ms"),
            ("TIMEOUT_MS", "timeout_ms"),
            ("timeoutMS", "timeout_ms"),
            ("requestTimeoutMS", "request_timeout_ms"),
            ("pollIntervalMs", "poll_interval_ms"),
            ("request-timeout-ms", "request_timeout_ms"),
        ] {
            let e = err(json!({"provider": "2captcha", "api_key": key, given: 3}));
            assert!(
                e.message().contains(&format!("did you mean {meant}?")),
                "{e}"
            );
        }
        assert_eq!(crate::error::millis_stem("ITEMS"), None);
        assert_eq!(crate::error::millis_stem("ms"), None);
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

    /// Issue 19, defect 3: a custom json provider's limits given in part keep the json
    /// family's for the rest, not the form protocol's 60 submits in 3 s.
    #[tokio::test]
    async fn limits_left_out_keep_the_providers_own_family() {
        let key = "0123456789abcdef0123456789abcdee";
        let limits_of = |url: &str, protocol: &str| {
            client_builder(map(json!({
                "provider": url, "api_key": key, "protocol": protocol,
                "limits": {"min_poll_interval_ms": 10},
            })))
            .and_then(ClientBuilder::build)
            .map(|c| c.limits())
        };
        let json = limits_of("http://127.0.0.1:19/json-family/", "json").unwrap();
        assert_eq!(
            json,
            Limits {
                min_poll_interval: Duration::from_millis(10),
                ..Limits::json_protocol()
            }
        );
        let form = limits_of("http://127.0.0.1:19/form-family/", "form").unwrap();
        assert_eq!(
            form,
            Limits {
                min_poll_interval: Duration::from_millis(10),
                ..Limits::form_protocol()
            }
        );
    }

    /// `shared_limits` takes one URL or a list of a cluster's nodes; anything else is refused
    /// naming the option (or the entry of the list).
    #[test]
    fn shared_limits_takes_a_url_or_a_list() {
        let key = "0123456789abcdef0123456789abcdef";
        let with = |v: Value| {
            client_builder(map(
                json!({"provider": "2captcha", "api_key": key, "shared_limits": v}),
            ))
        };
        assert!(with(json!("redis://127.0.0.1:6379/0")).is_ok());
        assert!(
            with(json!([
                "redis://127.0.0.1:7000/",
                "redis://127.0.0.1:7001/"
            ]))
            .is_ok()
        );
        for (v, option) in [
            (json!([]), "shared_limits"),
            (json!(7), "shared_limits"),
            (json!(["redis://127.0.0.1:7000/", 7]), "shared_limits[1]"),
        ] {
            let e = with(v).err().unwrap();
            assert_eq!(e.option(), Some(option), "{e}");
        }
    }

    /// A value of the wrong type for an entry: what the reader of that type refuses.
    fn wrong(spec: &OptionSpec) -> Value {
        match spec.value {
            ValueType::Text
            | ValueType::Choice(_)
            | ValueType::TextOrWhole
            | ValueType::TextOrList => json!(true),
            ValueType::Bool | ValueType::Whole { .. } | ValueType::Duration { .. } => json!("x"),
            ValueType::Group(_) | ValueType::List(_) => json!(1),
        }
    }

    /// A valid value for an entry, from its example (a provider as a base URL, which every
    /// other option accepts).
    fn sample(spec: &OptionSpec) -> Value {
        match spec.value {
            ValueType::Group(fields) => Value::Object(
                fields
                    .iter()
                    .map(|f| (f.name.to_owned(), sample(f)))
                    .collect(),
            ),
            ValueType::List(fields) => json!([Value::Object(
                fields
                    .iter()
                    .map(|f| (f.name.to_owned(), sample(f)))
                    .collect()
            )]),
            _ if spec.name == "provider" => json!("http://127.0.0.1:9/"),
            // The example says json; the form switches need form.
            _ if spec.name == "protocol" => json!("form"),
            _ => serde_json::from_str(spec.example)
                .unwrap_or_else(|e| panic!("{}: example {:?}: {e}", spec.name, spec.example)),
        }
    }

    const BASE: &str =
        r#"{"provider": "http://127.0.0.1:9/", "api_key": "0123456789abcdef0123456789abcdef"}"#;

    /// Every entry of the table is read, under its name: a wrong value for it is refused
    /// naming it (at the top level, in a group, in each entry of a list), and a map holding
    /// every entry is taken whole. Together with the readers refusing to read an option the
    /// table does not declare (a `service` error the full map would meet), the table and what
    /// the readers accept are the same set.
    #[test]
    fn the_table_and_the_readers_agree() {
        let base = || -> Map<String, Value> { serde_json::from_str(BASE).unwrap() };
        let mut checked = 0;
        for top in CLIENT_OPTIONS {
            let mut cases = vec![(top.name.to_owned(), {
                let mut m = base();
                m.insert(top.name.to_owned(), wrong(top));
                m
            })];
            match top.value {
                ValueType::Group(fields) => {
                    for f in fields {
                        let mut m = base();
                        m.insert(top.name.to_owned(), json!({ f.name: wrong(f) }));
                        cases.push((format!("{}.{}", top.name, f.name), m));
                    }
                }
                ValueType::List(fields) => {
                    for f in fields {
                        let mut entry = sample(top)[0].clone();
                        entry[f.name] = wrong(f);
                        let mut m = base();
                        m.insert(top.name.to_owned(), json!([entry]));
                        cases.push((format!("{}[0].{}", top.name, f.name), m));
                    }
                }
                _ => {}
            }
            for (path, m) in cases {
                let e = client_builder(m)
                    .err()
                    .unwrap_or_else(|| panic!("{path}: accepted"));
                assert_eq!(e.kind(), ErrorKind::Usage, "{path}: {e}");
                assert_eq!(e.option(), Some(path.as_str()), "{path}: {e}");
                assert!(find(&path).is_some(), "{path}");
                checked += 1;
            }
            if top.per_solve {
                let e = solve_options(map(json!({ top.name: wrong(top) }))).unwrap_err();
                assert_eq!(e.option(), Some(top.name), "{e}");
            } else {
                let e = solve_options(map(json!({ top.name: sample(top) }))).unwrap_err();
                assert!(e.message().contains("is a client option"), "{e}");
                assert_eq!(e.option(), Some(top.name), "{e}");
            }
        }
        assert!(checked > 35, "checked only {checked}");

        let full: Map<String, Value> = CLIENT_OPTIONS
            .iter()
            .map(|s| (s.name.to_owned(), sample(s)))
            .collect();
        if let Err(e) = client_builder(full) {
            panic!("a map of every option was refused: {e:?}");
        }
        let solve: Map<String, Value> = solve_options_table()
            .map(|s| (s.name.to_owned(), sample(s)))
            .collect();
        assert_eq!(solve.len(), 4);
        if let Err(e) = solve_options(solve) {
            panic!("a map of every solve option was refused: {e:?}");
        }
    }

    /// Every entry is documented, and the module's table of options names every top-level one.
    #[test]
    fn the_table_is_documented() {
        let docs = include_str!("mod.rs");
        for s in CLIENT_OPTIONS {
            assert!(
                docs.contains(&format!("`{}`", s.name)),
                "{} is not in the module docs",
                s.name
            );
        }
        fn each(table: &[OptionSpec], f: &mut impl FnMut(&OptionSpec)) {
            for s in table {
                f(s);
                if let ValueType::Group(t) | ValueType::List(t) = s.value {
                    each(t, f);
                }
            }
        }
        let mut names = Vec::new();
        each(CLIENT_OPTIONS, &mut |s| {
            assert!(
                !s.doc.is_empty() && !s.doc.ends_with('.'),
                "{}: {:?}",
                s.name,
                s.doc
            );
            assert!(!s.default.describe().is_empty(), "{}", s.name);
            let nested = matches!(s.value, ValueType::Group(_) | ValueType::List(_));
            assert_eq!(
                s.example.is_empty(),
                nested,
                "{}: example {:?}",
                s.name,
                s.example
            );
            names.push(s.name);
        });
        assert!(names.len() > 35);
        assert_eq!(find("timeout_ms").map(|s| s.name), Some("timeout"));
        assert_eq!(
            find("providers[1].api_key").map(|s| s.name),
            Some("api_key")
        );
        assert_eq!(
            find("limits.submit_interval_ms").map(|s| s.name),
            Some("submit_interval")
        );
        assert!(find("limits.nope").is_none());
        assert!(find("api_key_ms").is_none());
        assert_eq!(
            REQUEST_TIMEOUT.value.describe_bounds().as_deref(),
            Some("1 ms to 1 hour")
        );
        assert_eq!(REQUEST_TIMEOUT.default.describe(), "30 s");
    }
}
