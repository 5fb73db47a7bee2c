//! Values between JavaScript and the core's JSON, and the one spelling of names.
//!
//! The core takes tasks and options as JSON with snake_case names ([`capbridge::options`],
//! [`capbridge::Task::from_value`]); Node code writes camelCase. This module converts
//! generically, never field by field: a key is renamed by [`snake_case`], and a name the
//! core reports back (`Error::field()`, `Error::option()`, such as `providers[0].api_key`)
//! is spelled for JavaScript by [`js_name`]. Nothing here knows an option or a field.
//!
//! The walk from JavaScript follows `JSON.stringify` where that is well defined (own
//! enumerable string keys, `undefined` members left out, `undefined` array items as `null`)
//! and departs from it where the core needs more: in a task, binary data (`Buffer`, any typed
//! array, `ArrayBuffer`, `DataView`) becomes base64 text, the form images travel in (in
//! options it is refused: no option takes bytes, and an API key read from a file as a
//! `Buffer` would otherwise be sent as its base64, see [`Input`]); integral
//! numbers up to 2^53 become JSON integers (the core reads counts as whole numbers); values
//! JSON cannot hold (functions, symbols, `NaN`, lossy `BigInt`s, objects nested past
//! [`MAX_DEPTH`], such as one that contains itself) are refused with the path of the value,
//! instead of silently becoming `null`.
//!
//! The walk needs exact control (which keys, which object kinds, no panics on any input), so
//! it reads values through the checked raw calls of [`crate::raw`].

use crate::raw::{self, Kind};
use base64::Engine as _;
use napi::{Status, sys};
use serde_json::{Map, Number, Value};

/// How deep a value may nest. Tasks and options are a few levels deep; a deeper value is a
/// mistake, most likely an object that refers to itself (which would never end).
pub(crate) const MAX_DEPTH: usize = 32;

/// What a walk reads, which decides how it treats names and bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Input {
    /// A task's members: nested keys kept (`data`, `extra`, `cookies`, `proxy` hold names that
    /// are data), binary data as base64 (images, audio, files).
    Task,
    /// Options: nested keys to snake_case like the top level's; binary data refused
    /// ([`Refused::binary`]), since no option takes bytes.
    Options,
}

/// A JavaScript value refused by the walk: where (the path, in the core's spelling, as
/// segments from the outside in) and why.
#[derive(Debug)]
pub(crate) struct Refused {
    /// Path segments from the outermost in: `"limits"`, `"polls_per_task"`, `"[2]"`.
    pub(crate) path: Vec<String>,
    /// A reason in plain words, without the name.
    pub(crate) reason: String,
    /// Refused for being binary data where options are read: the caller words it, knowing
    /// which option the path names (this module knows none).
    pub(crate) binary: bool,
}

impl Refused {
    fn new(reason: impl Into<String>) -> Refused {
        Refused {
            path: Vec::new(),
            reason: reason.into(),
            binary: false,
        }
    }

    /// Puts the segment of the enclosing level in front (errors climb out of the walk).
    fn under(mut self, segment: String) -> Refused {
        self.path.insert(0, segment);
        self
    }

    /// The path as the core spells names: `providers[0].api_key`.
    pub(crate) fn path_text(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            if !s.is_empty() && !seg.starts_with('[') {
                s.push('.');
            }
            s.push_str(seg);
        }
        s
    }
}

/// What can go wrong in a walk: a refused value, or the JavaScript engine failing a call.
#[derive(Debug)]
pub(crate) enum WalkError {
    Refused(Refused),
    Napi(napi::Error),
}

impl From<napi::Error> for WalkError {
    fn from(e: napi::Error) -> Self {
        WalkError::Napi(e)
    }
}

impl WalkError {
    fn under(self, segment: String) -> WalkError {
        match self {
            WalkError::Refused(r) => WalkError::Refused(r.under(segment)),
            other => other,
        }
    }
}

type Walk<T> = Result<T, WalkError>;

/// `websiteKey` -> `website_key`, `timeoutMs` -> `timeout_ms`, `baseURL` -> `base_url`.
/// Names without capitals (already snake_case, or one word) are kept as they are.
pub(crate) fn snake_case(name: &str) -> String {
    if !name.bytes().any(|b| b.is_ascii_uppercase()) {
        return name.to_owned();
    }
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            // A capital starts a word after a lower-case letter or digit (`websiteKey`), or
            // ends a run of capitals when a lower-case letter follows (`URLPath` -> url_path).
            let starts_word = match prev {
                None | Some('_') => false,
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                Some(_) => false,
            };
            if starts_word {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The one place a name the core reports (`website_key`, `limits.submit_interval`,
/// `providers[0].api_key`, `cookies[0]`) is spelled for JavaScript: each dotted segment's
/// snake_case identifier becomes camelCase (`websiteKey`, `limits.submitInterval`,
/// `providers[0].apiKey`), index suffixes are kept.
pub(crate) fn js_name(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, segment) in path.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        let (ident, rest) = segment.split_at(segment.find('[').unwrap_or(segment.len()));
        let mut upper = false;
        for (j, c) in ident.chars().enumerate() {
            // A leading underscore is part of the name, not a word break.
            if c == '_' && j > 0 {
                upper = true;
            } else if upper {
                out.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        if upper {
            out.push('_');
        }
        out.push_str(rest);
    }
    out
}

/// A JavaScript number as JSON: integral values up to 2^53 as integers, the rest as floats.
fn json_number(n: f64) -> Option<Number> {
    const SAFE: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() <= SAFE {
        // Exact: |n| <= 2^53 fits i64 and converts without rounding.
        if n >= 0.0 {
            Some(Number::from(n as u64))
        } else {
            Some(Number::from(n as i64))
        }
    } else {
        Number::from_f64(n)
    }
}

fn bigint(env: sys::napi_env, v: sys::napi_value) -> Walk<Value> {
    if let (u, true) = raw::bigint_u64(env, v)? {
        return Ok(Value::from(u));
    }
    if let (i, true) = raw::bigint_i64(env, v)? {
        return Ok(Value::from(i));
    }
    Err(WalkError::Refused(Refused::new(
        "is a BigInt too large for 64 bits",
    )))
}

/// Walks a JavaScript value into JSON. `None` is `undefined` (left out of objects). `input`
/// says whether nested keys are renamed and bytes taken ([`Input`]).
pub(crate) fn to_json(
    env: sys::napi_env,
    v: sys::napi_value,
    input: Input,
    depth: usize,
) -> Walk<Option<Value>> {
    use sys::ValueType as T;
    let rename = input == Input::Options;
    let value = match raw::type_of(env, v)? {
        T::napi_undefined => return Ok(None),
        T::napi_null => Value::Null,
        T::napi_boolean => Value::Bool(raw::bool_of(env, v)?),
        T::napi_number => {
            let n = raw::number_of(env, v)?;
            match json_number(n) {
                Some(n) => Value::Number(n),
                None => {
                    return Err(WalkError::Refused(Refused::new(format!(
                        "expected a finite number, got {n}"
                    ))));
                }
            }
        }
        T::napi_string => Value::String(raw::string_of(env, v)?),
        T::napi_bigint => bigint(env, v)?,
        T::napi_object => {
            if depth >= MAX_DEPTH {
                return Err(WalkError::Refused(Refused::new(
                    "is nested too deeply (an object that contains itself?)",
                )));
            }
            if raw::is(env, v, Kind::Array)? {
                let n = raw::array_len(env, v)?;
                let mut items = Vec::with_capacity(n as usize);
                for i in 0..n {
                    let item = raw::element(env, v, i)?;
                    let item = to_json(env, item, input, depth + 1)
                        .map_err(|e| e.under(format!("[{i}]")))?;
                    items.push(item.unwrap_or(Value::Null));
                }
                Value::Array(items)
            } else if let Some(bytes) = raw::bytes_of(env, v)? {
                if input == Input::Options {
                    return Err(WalkError::Refused(Refused {
                        binary: true,
                        ..Refused::new("got binary data (a Buffer, typed array or ArrayBuffer)")
                    }));
                }
                Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
            } else {
                let mut map = Map::new();
                for (key, item) in raw::entries(env, v)? {
                    let key = if rename { snake_case(&key) } else { key };
                    match to_json(env, item, input, depth + 1) {
                        // Two spellings of one name (`busyForMs`, `busy_for_ms`): refused,
                        // rather than the last silently winning.
                        Ok(Some(_)) if rename && map.contains_key(&key) => {
                            return Err(WalkError::Refused(Refused::new(
                                "is given twice, in two spellings",
                            ))
                            .under(key));
                        }
                        Ok(Some(item)) => {
                            map.insert(key, item);
                        }
                        Ok(None) => {}
                        Err(e) => return Err(e.under(key)),
                    }
                }
                Value::Object(map)
            }
        }
        T::napi_function => {
            return Err(WalkError::Refused(Refused::new(
                "expected data, got a function",
            )));
        }
        T::napi_symbol => {
            return Err(WalkError::Refused(Refused::new(
                "expected data, got a symbol",
            )));
        }
        _ => {
            return Err(WalkError::Refused(Refused::new(
                "expected data, got a value JSON cannot hold",
            )));
        }
    };
    Ok(Some(value))
}

/// Walks one top-level member: its key in the core's spelling, its value walked as
/// [`to_json`] does, and a refusal naming the member.
pub(crate) fn member(
    env: sys::napi_env,
    key: &str,
    v: sys::napi_value,
    input: Input,
) -> Walk<(String, Option<Value>)> {
    let key = snake_case(key);
    match to_json(env, v, input, 1) {
        Ok(value) => Ok((key, value)),
        Err(e) => Err(e.under(key)),
    }
}

// ---- JSON to JavaScript -------------------------------------------------------------------------

/// JSON as a JavaScript value, the way `JSON.parse` would build it (numbers as doubles).
pub(crate) fn from_json(env: sys::napi_env, v: &Value) -> napi::Result<sys::napi_value> {
    match v {
        Value::Null => raw::null(env),
        Value::Bool(b) => raw::boolean(env, *b),
        Value::Number(n) => raw::double(env, n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => raw::string(env, s),
        Value::Array(items) => {
            let out = raw::array(env, items.len())?;
            for (i, item) in items.iter().enumerate() {
                let item = from_json(env, item)?;
                let i = u32::try_from(i)
                    .map_err(|_| napi::Error::new(Status::InvalidArg, "array too long"))?;
                raw::set_element(env, out, i, item)?;
            }
            Ok(out)
        }
        Value::Object(map) => {
            let out = raw::object(env)?;
            for (k, item) in map {
                let item = from_json(env, item)?;
                raw::set_property(env, out, raw::string(env, k)?, item)?;
            }
            Ok(out)
        }
    }
}

/// A JSON value handed to JavaScript as a plain value (a solution's `raw` reply).
pub struct Json(pub Value);

impl napi::bindgen_prelude::ToNapiValue for Json {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        from_json(env, &val.0)
    }
}

impl napi::bindgen_prelude::TypeName for Json {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> napi::ValueType {
        napi::ValueType::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (js, core) in [
            ("websiteKey", "website_key"),
            ("timeoutMs", "timeout_ms"),
            ("dataS", "data_s"),
            ("minScore", "min_score"),
            ("apiKey", "api_key"),
            ("type", "type"),
            ("website_key", "website_key"),
            ("maxPollsPerTask", "max_polls_per_task"),
        ] {
            assert_eq!(snake_case(js), core);
            if !js.contains('_') {
                assert_eq!(js_name(core), js);
            }
        }
        assert_eq!(snake_case("baseURL"), "base_url");
        assert_eq!(snake_case("URLPath"), "url_path");
        assert_eq!(snake_case("page2Data"), "page2_data");
        assert_eq!(js_name("providers[0].api_key"), "providers[0].apiKey");
        assert_eq!(js_name("limits.submit_interval"), "limits.submitInterval");
        assert_eq!(js_name("cookies[0]"), "cookies[0]");
        assert_eq!(js_name("_private"), "_private");
        assert_eq!(js_name("odd_"), "odd_");
        assert_eq!(js_name(""), "");
    }

    #[test]
    fn numbers() {
        assert_eq!(json_number(3.0), Some(Number::from(3u64)));
        assert_eq!(json_number(-3.0), Some(Number::from(-3i64)));
        assert_eq!(
            json_number(1e15).and_then(|n| n.as_u64()),
            Some(1_000_000_000_000_000)
        );
        assert!(json_number(0.5).is_some_and(|n| n.is_f64()));
        assert!(json_number(1e300).is_some_and(|n| n.is_f64()));
        assert!(json_number(f64::NAN).is_none());
        assert!(json_number(f64::INFINITY).is_none());
    }

    #[test]
    fn refusal_paths() {
        let r = Refused::new("x")
            .under("polls_per_task".into())
            .under("limits".into());
        assert_eq!(r.path_text(), "limits.polls_per_task");
        let r = Refused::new("x")
            .under("api_key".into())
            .under("[0]".into())
            .under("providers".into());
        assert_eq!(r.path_text(), "providers[0].api_key");
    }
}
