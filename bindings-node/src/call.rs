//! One call's inputs, turned into what the core takes: the task ([`task`]), the client
//! options ([`client_options`]) and the per-call options ([`call_options`]).
//!
//! Keys are converted generically ([`crate::convert`]); the only names known here are the
//! binding's own: `onEvent` (a callback) and `signal` (an `AbortSignal`), which are not core
//! options. Everything else goes to the core, which names whatever it refuses (a client
//! option given per call among them); before it, this module says what the core's tables
//! cannot: that a function under another name is a misspelt `onEvent` ([`stray_function`]),
//! and that `signal` belongs to a call, not to the client.

use crate::channel;
use crate::convert::{Input, member, snake_case};
use crate::errors::{Walked, to_js_error};
use crate::events::Collected;
use crate::promise::Extras;
use crate::raw::{self, Kind, entries, type_of};
use crate::signal::{self, AbortWatch, Kept, SignalState};
use capbridge::options::OptionSpec;
use capbridge::{CancelToken, Error, ErrorKind, SolveOptions, Task};
use napi::{Env, JsValue, Unknown, sys};
use serde_json::{Map, Value};

/// The binding's own option names, in the core's spelling: like every option, each is taken in
/// any spelling that [`snake_case`] turns into it (`onEvent`, `on_event`, `OnEvent`).
const ON_EVENT: &str = "on_event";
const SIGNAL: &str = "signal";

fn is_nullish(env: sys::napi_env, v: sys::napi_value) -> napi::Result<bool> {
    let t = type_of(env, v)?;
    Ok(t == sys::ValueType::napi_undefined || t == sys::ValueType::napi_null)
}

/// A plain object (not an array, not binary data), whose members can be read one by one.
fn is_plain_object(env: sys::napi_env, v: sys::napi_value) -> napi::Result<bool> {
    if type_of(env, v)? != sys::ValueType::napi_object {
        return Ok(false);
    }
    Ok(!raw::is(env, v, Kind::Array)?)
}

/// A task object (`{ type: "RecaptchaV2", websiteUrl, websiteKey, ... }`) as a core task:
/// top-level keys to snake_case, nested values (`data`, `extra`, `cookies`, `proxy`) as given,
/// binary data as base64; then the core parses and validates it, naming any bad field.
pub(crate) fn task(env: &Env, task: Unknown) -> Result<Task, Walked> {
    let raw = env.raw();
    let v = task.raw();
    // Anything but an object reaches the core as `null`: it says what a task must be.
    let value = if is_plain_object(raw, v)? {
        let mut map = Map::new();
        for (key, item) in entries(raw, v)? {
            let (key, item) = member(raw, &key, item, Input::Task).map_err(Walked::task)?;
            if let Some(item) = item {
                map.insert(key, item);
            }
        }
        Value::Object(map)
    } else {
        Value::Null
    };
    Ok(Task::from_value(value)?)
}

/// The client options: every key converted to snake_case (nested ones too), and `onEvent`
/// kept apart. The core builds the client from the map and names any option it refuses.
pub(crate) fn client_options(
    env: &Env,
    options: Unknown,
) -> Result<(Map<String, Value>, Option<sys::napi_value>), Walked> {
    let raw = env.raw();
    let v = options.raw();
    if !is_plain_object(raw, v)? {
        return Err(Error::usage(
            "expected an object of options, such as { provider: \"2captcha\", apiKey }",
        )
        .with_option("options")
        .into());
    }
    let mut map = Map::new();
    let mut on_event = OnEvent::default();
    for (key, item) in entries(raw, v)? {
        let name = snake_case(&key);
        if name == ON_EVENT {
            on_event.take(raw, item)?;
            continue;
        }
        // Every option of a call is one of the client's, but the binding's `signal`.
        if name == SIGNAL {
            if !is_nullish(raw, item)? {
                return Err(Error::usage("is per call: client.solve(task, { signal })")
                    .with_option(SIGNAL)
                    .into());
            }
            continue;
        }
        stray_function(raw, &name, item, option(&name).is_some())?;
        let (key, item) = member(raw, &key, item, Input::Options).map_err(Walked::option)?;
        if let Some(item) = item {
            insert_once(&mut map, key, item)?;
        }
    }
    milliseconds_only(&map, "")?;
    Ok((map, on_event.callback))
}

/// The entry of a top-level option named `name` (core spelling: `api_key`, `timeout_ms`), if
/// the core's table holds one.
fn option(name: &str) -> Option<&'static OptionSpec> {
    if name.contains(['.', '[']) {
        return None; // a path, not a name
    }
    capbridge::options::find(name)
}

/// A function under a name the options table does not hold (`onEvents`, `callback`): `onEvent`
/// is the one option that takes a function, so it is suggested, rather than the function
/// refused as data of the wrong type (which is what the walk says of a function under an
/// option the table holds: `timeoutMs: () => 5`). A name not spelled like it (`callback`) is
/// told why.
fn stray_function(
    env: sys::napi_env,
    name: &str,
    item: sys::napi_value,
    known: bool,
) -> Result<(), Walked> {
    if known || type_of(env, item)? != sys::ValueType::napi_function {
        return Ok(());
    }
    let why = match capbridge::error::nearest(name, &[ON_EVENT]) {
        Some(_) => "",
        None => " (the one option that takes a function)",
    };
    Err(
        Error::usage(format!("is not an option; did you mean {ON_EVENT}?{why}"))
            .with_option(name)
            .into(),
    )
}

/// `onEvent`'s value, as found among the options.
#[derive(Default)]
struct OnEvent {
    given: bool,
    callback: Option<sys::napi_value>,
}

impl OnEvent {
    /// Takes the value of a member spelt `onEvent` (or `on_event`, ...); a second spelling is
    /// refused as for any option ([`insert_once`]).
    fn take(&mut self, env: sys::napi_env, item: sys::napi_value) -> Result<(), Walked> {
        if is_nullish(env, item)? {
            return Ok(());
        }
        if self.given {
            return Err(Error::usage("is given twice, in two spellings")
                .with_option(ON_EVENT)
                .into());
        }
        self.given = true;
        self.callback = callback(env, item)?;
        Ok(())
    }
}

/// Adds an option, refusing one given twice in two spellings (`timeoutMs` and `timeout_ms`),
/// where either silently winning would surprise.
fn insert_once(map: &mut Map<String, Value>, key: String, item: Value) -> Result<(), Walked> {
    if map.contains_key(&key) {
        return Err(Error::usage("is given twice, in two spellings")
            .with_option(key)
            .into());
    }
    map.insert(key, item);
    Ok(())
}

/// Durations are milliseconds in JavaScript (`timeoutMs`, `limits.submitIntervalMs`). The core
/// also reads one in seconds under its bare name (`timeout`, as Python gives it), which a
/// JavaScript caller would give in milliseconds by habit and get a thousand times longer: so
/// the bare name is refused here, naming the `Ms` one.
fn milliseconds_only(map: &Map<String, Value>, prefix: &str) -> Result<(), Walked> {
    use capbridge::options::ValueType;
    for (key, value) in map {
        let path = format!("{prefix}{key}");
        match capbridge::options::find(&path).map(|s| s.value) {
            Some(ValueType::Duration { .. }) if !key.ends_with("_ms") => {
                return Err(Error::usage(format!(
                    "durations are milliseconds in JavaScript: give {}",
                    crate::convert::js_name(&format!("{key}_ms"))
                ))
                .with_option(path)
                .into());
            }
            Some(ValueType::Group(_)) => {
                if let Value::Object(m) = value {
                    milliseconds_only(m, &format!("{path}."))?;
                }
            }
            Some(ValueType::List(_)) => {
                if let Value::Array(items) = value {
                    for (i, item) in items.iter().enumerate() {
                        if let Value::Object(m) = item {
                            milliseconds_only(m, &format!("{path}[{i}]."))?;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn callback(env: sys::napi_env, v: sys::napi_value) -> Result<Option<sys::napi_value>, Walked> {
    if is_nullish(env, v)? {
        return Ok(None);
    }
    if type_of(env, v)? != sys::ValueType::napi_function {
        return Err(Error::usage("expected a function")
            .with_option(ON_EVENT)
            .into());
    }
    Ok(Some(v))
}

/// Whether a call returns a Promise or blocks the JavaScript thread.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Promise,
    Sync,
}

/// A call's options, ready for the core, plus what the binding keeps for itself.
pub(crate) struct Call {
    /// Timing, cancel token and event handler, for the core.
    pub(crate) opts: SolveOptions,
    /// The `AbortSignal` registration and the event callback's id (Promise calls).
    pub(crate) extras: Extras,
    /// Events held for the callback (`*Sync` calls).
    pub(crate) collected: Option<Collected>,
}

/// Per-call options `{ timeoutMs, initialDelayMs, pollIntervalMs, requestTimeoutMs, signal,
/// onEvent }`: the timing keys go to the core ([`capbridge::options::solve_options`]);
/// `signal` becomes a cancel token; `onEvent` a handler. An already aborted signal refuses
/// the call before anything is sent. A client option (`sharedLimits`, `apiKey`) is refused
/// (by the core) saying that it is one.
pub(crate) fn call_options(
    env: &Env,
    options: Option<Unknown>,
    mode: Mode,
) -> Result<Call, Walked> {
    let raw = env.raw();
    let mut map = Map::new();
    let mut on_event = OnEvent::default();
    let mut signal_value = None;
    if let Some(options) = options {
        let v = options.raw();
        if !is_nullish(raw, v)? {
            if !is_plain_object(raw, v)? {
                return Err(Error::usage(
                    "expected an object of options, such as { timeoutMs: 60000 }",
                )
                .with_option("options")
                .into());
            }
            for (key, item) in entries(raw, v)? {
                let name = snake_case(&key);
                if name == ON_EVENT {
                    on_event.take(raw, item)?;
                } else if name == SIGNAL {
                    if !is_nullish(raw, item)? {
                        if signal_value.is_some() {
                            return Err(Error::usage("is given twice, in two spellings")
                                .with_option(SIGNAL)
                                .into());
                        }
                        signal_value = Some(item);
                    }
                } else if option(&name).is_some_and(|s| !s.per_solve) {
                    // A client option (`sharedLimits`, `apiKey`): the core refuses it by name,
                    // saying where it goes, whatever the value, which is not walked (a
                    // function or bytes there would be reported instead). `undefined` is
                    // left out, as everywhere.
                    if type_of(raw, item)? != sys::ValueType::napi_undefined {
                        insert_once(&mut map, name, Value::Null)?;
                    }
                } else {
                    stray_function(raw, &name, item, option(&name).is_some())?;
                    let (key, item) =
                        member(raw, &key, item, Input::Options).map_err(Walked::option)?;
                    if let Some(item) = item {
                        insert_once(&mut map, key, item)?;
                    }
                }
            }
        }
    }
    let on_event = on_event.callback;
    milliseconds_only(&map, "")?;
    let mut opts = capbridge::options::solve_options(map)?;

    let live_signal = match signal_value {
        None => None,
        Some(_) if mode == Mode::Sync => {
            return Err(Error::usage(
                "a *Sync call blocks the thread its signal would fire on; use the Promise method to cancel",
            )
            .with_option("signal")
            .into());
        }
        Some(s) => match signal::inspect(raw, s)? {
            None => {
                return Err(Error::usage("expected an AbortSignal")
                    .with_option("signal")
                    .into());
            }
            Some(SignalState::Aborted) => {
                let e = Error::new(
                    ErrorKind::Cancelled,
                    "the signal was aborted before the call started; nothing was sent",
                );
                return Err(Walked::Napi(signal::with_cause(
                    env,
                    to_js_error(env, &e),
                    s,
                )));
            }
            Some(SignalState::Live) => Some(s),
        },
    };

    let mut extras = Extras::default();
    if let Some(s) = live_signal {
        let token = CancelToken::new();
        extras.watch = Some(AbortWatch::start(env, s, token.clone())?);
        extras.signal = Some(Kept::new(raw, s)?);
        opts.cancel = Some(token);
    }
    // Last, once nothing else can fail: the callback stays registered until the call settles.
    let mut collected = None;
    if let Some(f) = on_event {
        match mode {
            Mode::Promise => {
                let registered = channel::sender(env)
                    .and_then(|sender| Ok((sender, channel::register(env, f)?)));
                let (sender, id) = match registered {
                    Ok(r) => r,
                    Err(e) => {
                        if let Some(kept) = extras.signal.take() {
                            kept.release(raw);
                        }
                        return Err(e.into());
                    }
                };
                opts.on_event = Some(channel::event_handler(sender, id));
                extras.callback = Some(id);
            }
            Mode::Sync => {
                let (c, handler) = Collected::new(f);
                opts.on_event = Some(handler);
                collected = Some(c);
            }
        }
    }
    Ok(Call {
        opts,
        extras,
        collected,
    })
}

/// A task id argument: a string.
pub(crate) fn task_id(env: &Env, v: Unknown) -> Result<String, Walked> {
    let raw = env.raw();
    if type_of(raw, v.raw())? != sys::ValueType::napi_string {
        return Err(Error::usage("expected the task id as a string")
            .with_option("task_id")
            .into());
    }
    Ok(raw::string_of(raw, v.raw())?)
}
