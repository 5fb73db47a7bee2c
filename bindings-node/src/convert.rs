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
//! and departs from it where the core needs more: binary data (`Buffer`, any typed array,
//! `ArrayBuffer`, `DataView`) becomes base64 text, the form images travel in; integral
//! numbers up to 2^53 become JSON integers (the core reads counts as whole numbers); values
//! JSON cannot hold (functions, symbols, `NaN`, lossy `BigInt`s, objects nested past
//! [`MAX_DEPTH`], such as one that contains itself) are refused with the path of the value,
//! instead of silently becoming `null`.
//!
//! Raw `napi_*` calls are used here (and only here and in `errors.rs`) because the walk
//! needs exact control: which keys, which object kinds, and no panics on any input. Every
//! status is checked; nothing is unwrapped.

use base64::Engine as _;
use napi::{Status, check_status, sys};
use serde_json::{Map, Number, Value};
use std::ffi::c_void;
use std::ptr;

/// How deep a value may nest. Tasks and options are a few levels deep; a deeper value is a
/// mistake, most likely an object that refers to itself (which would never end).
pub(crate) const MAX_DEPTH: usize = 32;

/// A JavaScript value refused by the walk: where (the path, in the core's spelling, as
/// segments from the outside in) and why.
#[derive(Debug)]
pub(crate) struct Refused {
    /// Path segments from the outermost in: `"limits"`, `"polls_per_task"`, `"[2]"`.
    pub(crate) path: Vec<String>,
    /// A reason in plain words, without the name.
    pub(crate) reason: String,
}

impl Refused {
    fn new(reason: impl Into<String>) -> Refused {
        Refused {
            path: Vec::new(),
            reason: reason.into(),
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

// ---- small checked wrappers around napi calls ------------------------------------------------

pub(crate) fn type_of_value(
    env: sys::napi_env,
    v: sys::napi_value,
) -> napi::Result<sys::napi_valuetype> {
    let mut t = 0;
    check_status!(unsafe { sys::napi_typeof(env, v, &mut t) }, "typeof failed")?;
    Ok(t)
}

fn is(
    env: sys::napi_env,
    v: sys::napi_value,
    f: unsafe extern "C" fn(sys::napi_env, sys::napi_value, *mut bool) -> sys::napi_status,
) -> napi::Result<bool> {
    let mut yes = false;
    check_status!(unsafe { f(env, v, &mut yes) }, "type check failed")?;
    Ok(yes)
}

/// A JavaScript string's text.
pub(crate) fn string_of(env: sys::napi_env, v: sys::napi_value) -> napi::Result<String> {
    let mut len = 0usize;
    check_status!(
        unsafe { sys::napi_get_value_string_utf8(env, v, ptr::null_mut(), 0, &mut len) },
        "reading a string failed"
    )?;
    let mut buf = vec![0u8; len + 1];
    let mut written = 0usize;
    check_status!(
        unsafe {
            sys::napi_get_value_string_utf8(
                env,
                v,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut written,
            )
        },
        "reading a string failed"
    )?;
    buf.truncate(written);
    // napi writes UTF-8 (lone surrogates become U+FFFD), so this only fails on a napi bug.
    String::from_utf8(buf).map_err(|_| napi::Error::new(Status::StringExpected, "invalid UTF-8"))
}

fn number_of(env: sys::napi_env, v: sys::napi_value) -> napi::Result<f64> {
    let mut n = 0f64;
    check_status!(
        unsafe { sys::napi_get_value_double(env, v, &mut n) },
        "reading a number failed"
    )?;
    Ok(n)
}

fn bool_of(env: sys::napi_env, v: sys::napi_value) -> napi::Result<bool> {
    let mut b = false;
    check_status!(
        unsafe { sys::napi_get_value_bool(env, v, &mut b) },
        "reading a boolean failed"
    )?;
    Ok(b)
}

fn array_len(env: sys::napi_env, v: sys::napi_value) -> napi::Result<u32> {
    let mut n = 0u32;
    check_status!(
        unsafe { sys::napi_get_array_length(env, v, &mut n) },
        "reading an array's length failed"
    )?;
    Ok(n)
}

fn element(env: sys::napi_env, v: sys::napi_value, i: u32) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(
        unsafe { sys::napi_get_element(env, v, i, &mut out) },
        "reading an array item failed"
    )?;
    Ok(out)
}

/// An object's own enumerable string-keyed properties, in order: `(key, value)`.
pub(crate) fn entries(
    env: sys::napi_env,
    obj: sys::napi_value,
) -> napi::Result<Vec<(String, sys::napi_value)>> {
    let mut names = ptr::null_mut();
    check_status!(
        unsafe {
            sys::napi_get_all_property_names(
                env,
                obj,
                sys::KeyCollectionMode::own_only,
                sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
                sys::KeyConversion::numbers_to_strings,
                &mut names,
            )
        },
        "listing an object's properties failed"
    )?;
    let n = array_len(env, names)?;
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let key = element(env, names, i)?;
        let mut value = ptr::null_mut();
        check_status!(
            unsafe { sys::napi_get_property(env, obj, key, &mut value) },
            "reading a property failed"
        )?;
        out.push((string_of(env, key)?, value));
    }
    Ok(out)
}

/// The bytes of a `Buffer`, typed array, `DataView` or `ArrayBuffer`; `None` for anything else.
fn bytes_of(env: sys::napi_env, v: sys::napi_value) -> napi::Result<Option<Vec<u8>>> {
    let mut data: *mut c_void = ptr::null_mut();
    let mut len = 0usize;
    if is(env, v, sys::napi_is_typedarray)? {
        let mut kind = 0;
        let mut count = 0usize;
        let mut buffer = ptr::null_mut();
        let mut offset = 0usize;
        check_status!(
            unsafe {
                sys::napi_get_typedarray_info(
                    env,
                    v,
                    &mut kind,
                    &mut count,
                    &mut data,
                    &mut buffer,
                    &mut offset,
                )
            },
            "reading a typed array failed"
        )?;
        use sys::TypedarrayType as T;
        let width = match kind {
            T::int8_array | T::uint8_array | T::uint8_clamped_array => 1,
            T::int16_array | T::uint16_array => 2,
            T::int32_array | T::uint32_array | T::float32_array => 4,
            _ => 8, // float64, bigint64, biguint64
        };
        len = count.saturating_mul(width);
    } else if is(env, v, sys::napi_is_dataview)? {
        let mut buffer = ptr::null_mut();
        let mut offset = 0usize;
        check_status!(
            unsafe {
                sys::napi_get_dataview_info(env, v, &mut len, &mut data, &mut buffer, &mut offset)
            },
            "reading a DataView failed"
        )?;
    } else if is(env, v, sys::napi_is_arraybuffer)? {
        check_status!(
            unsafe { sys::napi_get_arraybuffer_info(env, v, &mut data, &mut len) },
            "reading an ArrayBuffer failed"
        )?;
    } else {
        return Ok(None);
    }
    if data.is_null() || len == 0 {
        return Ok(Some(Vec::new()));
    }
    // SAFETY: napi reports `data` and `len` for the view (already adjusted by its offset);
    // the bytes stay alive and unmoved while this synchronous call runs on the JS thread.
    let slice = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) };
    Ok(Some(slice.to_vec()))
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
    let (mut u, mut lossless) = (0u64, false);
    check_status!(
        unsafe { sys::napi_get_value_bigint_uint64(env, v, &mut u, &mut lossless) },
        "reading a BigInt failed"
    )?;
    if lossless {
        return Ok(Value::from(u));
    }
    let mut i = 0i64;
    check_status!(
        unsafe { sys::napi_get_value_bigint_int64(env, v, &mut i, &mut lossless) },
        "reading a BigInt failed"
    )?;
    if lossless {
        return Ok(Value::from(i));
    }
    Err(WalkError::Refused(Refused::new(
        "is a BigInt too large for 64 bits",
    )))
}

/// Walks a JavaScript value into JSON. `None` is `undefined` (left out of objects).
/// `rename` converts the keys of nested objects to snake_case (options); without it keys are
/// kept (a task's `data`, `extra`, `cookies` and `proxy` hold names that are data).
pub(crate) fn to_json(
    env: sys::napi_env,
    v: sys::napi_value,
    rename: bool,
    depth: usize,
) -> Walk<Option<Value>> {
    use sys::ValueType as T;
    let value = match type_of_value(env, v)? {
        T::napi_undefined => return Ok(None),
        T::napi_null => Value::Null,
        T::napi_boolean => Value::Bool(bool_of(env, v)?),
        T::napi_number => {
            let n = number_of(env, v)?;
            match json_number(n) {
                Some(n) => Value::Number(n),
                None => {
                    return Err(WalkError::Refused(Refused::new(format!(
                        "expected a finite number, got {n}"
                    ))));
                }
            }
        }
        T::napi_string => Value::String(string_of(env, v)?),
        T::napi_bigint => bigint(env, v)?,
        T::napi_object => {
            if depth >= MAX_DEPTH {
                return Err(WalkError::Refused(Refused::new(
                    "is nested too deeply (an object that contains itself?)",
                )));
            }
            if is(env, v, sys::napi_is_array)? {
                let n = array_len(env, v)?;
                let mut items = Vec::with_capacity(n as usize);
                for i in 0..n {
                    let item = element(env, v, i)?;
                    let item = to_json(env, item, rename, depth + 1)
                        .map_err(|e| e.under(format!("[{i}]")))?;
                    items.push(item.unwrap_or(Value::Null));
                }
                Value::Array(items)
            } else if let Some(bytes) = bytes_of(env, v)? {
                Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
            } else {
                let mut map = Map::new();
                for (key, item) in entries(env, v)? {
                    let key = if rename { snake_case(&key) } else { key };
                    match to_json(env, item, rename, depth + 1) {
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
    rename_nested: bool,
) -> Walk<(String, Option<Value>)> {
    let key = snake_case(key);
    match to_json(env, v, rename_nested, 1) {
        Ok(value) => Ok((key, value)),
        Err(e) => Err(e.under(key)),
    }
}

// ---- JSON to JavaScript -------------------------------------------------------------------------

/// A JavaScript string.
pub(crate) fn js_string(env: sys::napi_env, s: &str) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    // A Rust string is at most isize::MAX bytes, so the length cast is exact.
    check_status!(
        unsafe { sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut out) },
        "creating a string failed"
    )?;
    Ok(out)
}

/// JSON as a JavaScript value, the way `JSON.parse` would build it (numbers as doubles).
pub(crate) fn from_json(env: sys::napi_env, v: &Value) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    match v {
        Value::Null => check_status!(unsafe { sys::napi_get_null(env, &mut out) })?,
        Value::Bool(b) => check_status!(unsafe { sys::napi_get_boolean(env, *b, &mut out) })?,
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            check_status!(unsafe { sys::napi_create_double(env, f, &mut out) })?
        }
        Value::String(s) => out = js_string(env, s)?,
        Value::Array(items) => {
            check_status!(unsafe {
                sys::napi_create_array_with_length(env, items.len(), &mut out)
            })?;
            for (i, item) in items.iter().enumerate() {
                let item = from_json(env, item)?;
                let i = u32::try_from(i)
                    .map_err(|_| napi::Error::new(Status::InvalidArg, "array too long"))?;
                check_status!(unsafe { sys::napi_set_element(env, out, i, item) })?;
            }
        }
        Value::Object(map) => {
            check_status!(unsafe { sys::napi_create_object(env, &mut out) })?;
            for (k, item) in map {
                let key = js_string(env, k)?;
                let item = from_json(env, item)?;
                check_status!(unsafe { sys::napi_set_property(env, out, key, item) })?;
            }
        }
    }
    Ok(out)
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
