//! Every raw N-API call of the binding, each behind a small checked function: the one module
//! that calls `napi_*` functions directly (a test, below, keeps it that way).
//!
//! Raw calls are used where napi-rs' typed API does not give the control the binding needs
//! (the walk over any JavaScript value, which must take exactly the right keys and object kinds
//! and never panic; promises settled from another thread; the error class; `AbortSignal`s).
//! Gathered here, the `unsafe` they need is written and reviewed once: every status is checked
//! and turned into a `napi::Error`, nothing is unwrapped, and the other modules deal in plain
//! `Result`s.
//!
//! Every function takes the environment of the current call and values of that environment,
//! and must be called on its JavaScript thread (napi's own rule).

use napi::{Status, check_status, sys};
use std::ffi::c_void;
use std::ptr;

/// `typeof v`, as napi reports it.
pub(crate) fn type_of(env: sys::napi_env, v: sys::napi_value) -> napi::Result<sys::napi_valuetype> {
    let mut t = 0;
    check_status!(unsafe { sys::napi_typeof(env, v, &mut t) }, "typeof failed")?;
    Ok(t)
}

/// Which kind of object an `is_*` check asks about.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Array,
    TypedArray,
    DataView,
    ArrayBuffer,
}

/// Whether `v` is an object of `kind`.
pub(crate) fn is(env: sys::napi_env, v: sys::napi_value, kind: Kind) -> napi::Result<bool> {
    let mut yes = false;
    let status = unsafe {
        match kind {
            Kind::Array => sys::napi_is_array(env, v, &mut yes),
            Kind::TypedArray => sys::napi_is_typedarray(env, v, &mut yes),
            Kind::DataView => sys::napi_is_dataview(env, v, &mut yes),
            Kind::ArrayBuffer => sys::napi_is_arraybuffer(env, v, &mut yes),
        }
    };
    check_status!(status, "type check failed")?;
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

/// A JavaScript number's value.
pub(crate) fn number_of(env: sys::napi_env, v: sys::napi_value) -> napi::Result<f64> {
    let mut n = 0f64;
    check_status!(
        unsafe { sys::napi_get_value_double(env, v, &mut n) },
        "reading a number failed"
    )?;
    Ok(n)
}

/// A JavaScript boolean's value.
pub(crate) fn bool_of(env: sys::napi_env, v: sys::napi_value) -> napi::Result<bool> {
    let mut b = false;
    check_status!(
        unsafe { sys::napi_get_value_bool(env, v, &mut b) },
        "reading a boolean failed"
    )?;
    Ok(b)
}

/// A `BigInt` as `u64`, and whether that was lossless.
pub(crate) fn bigint_u64(env: sys::napi_env, v: sys::napi_value) -> napi::Result<(u64, bool)> {
    let (mut u, mut lossless) = (0u64, false);
    check_status!(
        unsafe { sys::napi_get_value_bigint_uint64(env, v, &mut u, &mut lossless) },
        "reading a BigInt failed"
    )?;
    Ok((u, lossless))
}

/// A `BigInt` as `i64`, and whether that was lossless.
pub(crate) fn bigint_i64(env: sys::napi_env, v: sys::napi_value) -> napi::Result<(i64, bool)> {
    let (mut i, mut lossless) = (0i64, false);
    check_status!(
        unsafe { sys::napi_get_value_bigint_int64(env, v, &mut i, &mut lossless) },
        "reading a BigInt failed"
    )?;
    Ok((i, lossless))
}

/// An array's length.
pub(crate) fn array_len(env: sys::napi_env, v: sys::napi_value) -> napi::Result<u32> {
    let mut n = 0u32;
    check_status!(
        unsafe { sys::napi_get_array_length(env, v, &mut n) },
        "reading an array's length failed"
    )?;
    Ok(n)
}

/// An array's item `i`.
pub(crate) fn element(
    env: sys::napi_env,
    v: sys::napi_value,
    i: u32,
) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(
        unsafe { sys::napi_get_element(env, v, i, &mut out) },
        "reading an array item failed"
    )?;
    Ok(out)
}

/// `obj[key]`.
pub(crate) fn property(
    env: sys::napi_env,
    obj: sys::napi_value,
    key: sys::napi_value,
) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(
        unsafe { sys::napi_get_property(env, obj, key, &mut out) },
        "reading a property failed"
    )?;
    Ok(out)
}

/// `obj.name`.
pub(crate) fn named(
    env: sys::napi_env,
    obj: sys::napi_value,
    name: &str,
) -> napi::Result<sys::napi_value> {
    property(env, obj, string(env, name)?)
}

/// `obj[key] = value`.
pub(crate) fn set_property(
    env: sys::napi_env,
    obj: sys::napi_value,
    key: sys::napi_value,
    value: sys::napi_value,
) -> napi::Result<()> {
    check_status!(
        unsafe { sys::napi_set_property(env, obj, key, value) },
        "setting a property failed"
    )
}

/// `obj.name = value`.
pub(crate) fn set_named(
    env: sys::napi_env,
    obj: sys::napi_value,
    name: &str,
    value: sys::napi_value,
) -> napi::Result<()> {
    set_property(env, obj, string(env, name)?, value)
}

/// `array[i] = value`.
pub(crate) fn set_element(
    env: sys::napi_env,
    array: sys::napi_value,
    i: u32,
    value: sys::napi_value,
) -> napi::Result<()> {
    check_status!(
        unsafe { sys::napi_set_element(env, array, i, value) },
        "setting an array item failed"
    )
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
        out.push((string_of(env, key)?, property(env, obj, key)?));
    }
    Ok(out)
}

/// The bytes of a `Buffer`, typed array, `DataView` or `ArrayBuffer`; `None` for anything else.
pub(crate) fn bytes_of(env: sys::napi_env, v: sys::napi_value) -> napi::Result<Option<Vec<u8>>> {
    let mut data: *mut c_void = ptr::null_mut();
    let mut len = 0usize;
    if is(env, v, Kind::TypedArray)? {
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
    } else if is(env, v, Kind::DataView)? {
        let mut buffer = ptr::null_mut();
        let mut offset = 0usize;
        check_status!(
            unsafe {
                sys::napi_get_dataview_info(env, v, &mut len, &mut data, &mut buffer, &mut offset)
            },
            "reading a DataView failed"
        )?;
    } else if is(env, v, Kind::ArrayBuffer)? {
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

// ---- making values ------------------------------------------------------------------------------

/// A JavaScript string.
pub(crate) fn string(env: sys::napi_env, s: &str) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    // A Rust string is at most isize::MAX bytes, so the length cast is exact.
    check_status!(
        unsafe { sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut out) },
        "creating a string failed"
    )?;
    Ok(out)
}

/// `null`.
pub(crate) fn null(env: sys::napi_env) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_get_null(env, &mut out) })?;
    Ok(out)
}

/// `undefined`.
pub(crate) fn undefined(env: sys::napi_env) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_get_undefined(env, &mut out) })?;
    Ok(out)
}

/// `true` or `false`.
pub(crate) fn boolean(env: sys::napi_env, b: bool) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_get_boolean(env, b, &mut out) })?;
    Ok(out)
}

/// A number.
pub(crate) fn double(env: sys::napi_env, n: f64) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_create_double(env, n, &mut out) })?;
    Ok(out)
}

/// An array of `len` empty slots.
pub(crate) fn array(env: sys::napi_env, len: usize) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_create_array_with_length(env, len, &mut out) })?;
    Ok(out)
}

/// An empty object.
pub(crate) fn object(env: sys::napi_env) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_create_object(env, &mut out) })?;
    Ok(out)
}

/// `new Error(message)`.
pub(crate) fn error(env: sys::napi_env, message: sys::napi_value) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_create_error(env, ptr::null_mut(), message, &mut out) })?;
    Ok(out)
}

/// `new ctor(...args)`.
pub(crate) fn new_instance(
    env: sys::napi_env,
    ctor: sys::napi_value,
    args: &[sys::napi_value],
) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(
        unsafe { sys::napi_new_instance(env, ctor, args.len(), args.as_ptr(), &mut out) },
        "new failed"
    )?;
    Ok(out)
}

/// `globalThis`.
pub(crate) fn global(env: sys::napi_env) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_get_global(env, &mut out) })?;
    Ok(out)
}

/// Defines `obj[key] = value`, not writable, not enumerable, not configurable: invisible to
/// the object's users. Fails (leaving no exception pending) on an object that refuses new
/// properties (a frozen one).
pub(crate) fn define_hidden(
    env: sys::napi_env,
    obj: sys::napi_value,
    key: sys::napi_value,
    value: sys::napi_value,
) -> napi::Result<()> {
    define(env, obj, key, value, sys::PropertyAttributes::default)
}

/// Defines `obj.name = value` as `new Error(message, { cause })` defines its `cause`: writable
/// and configurable, not enumerable. Fails (leaving no exception pending) on an object that
/// refuses new properties.
pub(crate) fn define_own(
    env: sys::napi_env,
    obj: sys::napi_value,
    name: &str,
    value: sys::napi_value,
) -> napi::Result<()> {
    use sys::PropertyAttributes as A;
    let key = string(env, name)?;
    define(env, obj, key, value, A::writable | A::configurable)
}

fn define(
    env: sys::napi_env,
    obj: sys::napi_value,
    key: sys::napi_value,
    value: sys::napi_value,
    attributes: sys::napi_property_attributes,
) -> napi::Result<()> {
    let descriptor = sys::napi_property_descriptor {
        utf8name: ptr::null(),
        name: key,
        method: None,
        getter: None,
        setter: None,
        value,
        attributes,
        data: ptr::null_mut(),
    };
    let status = unsafe { sys::napi_define_properties(env, obj, 1, &descriptor) };
    if status != sys::Status::napi_ok {
        clear_exception(env);
        return Err(napi::Error::from_reason("the property cannot be defined"));
    }
    Ok(())
}

// ---- calling JavaScript -------------------------------------------------------------------------

/// `f.call(this, ...args)`. An exception the function throws stays pending (to reach the
/// caller of the binding, or the process as an uncaught exception) and the call fails.
pub(crate) fn call(
    env: sys::napi_env,
    this: sys::napi_value,
    f: sys::napi_value,
    args: &[sys::napi_value],
) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(
        unsafe { sys::napi_call_function(env, this, f, args.len(), args.as_ptr(), &mut out) },
        "calling a function failed"
    )?;
    Ok(out)
}

/// Takes the exception a call left pending and reports it with `process.emitWarning` (type
/// `CapbridgeWarning`, code `code`, the exception's stack as the detail): printed on stderr
/// and seen by `process.on('warning')`, without ending the process or the call around it.
/// For callbacks that only observe (`onEvent`), whose bug must not cost a solved answer.
pub(crate) fn warn_exception(env: sys::napi_env, message: &str, code: &str) {
    // A call can fail without a throw (a napi failure): nothing to report then.
    let mut pending = false;
    if unsafe { sys::napi_is_exception_pending(env, &mut pending) } != sys::Status::napi_ok
        || !pending
    {
        return;
    }
    let mut exception = ptr::null_mut();
    let status = unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) };
    if status != sys::Status::napi_ok || exception.is_null() {
        return;
    }
    let warned = (|| -> napi::Result<()> {
        let detail = match type_of(env, exception)? {
            sys::ValueType::napi_object => {
                match named(env, exception, "stack").and_then(|v| string_of(env, v)) {
                    Ok(stack) => stack,
                    Err(_) => {
                        // A `stack` getter that throws, or no stack: its exception is not ours.
                        clear_exception(env);
                        "an object that is not an Error".to_owned()
                    }
                }
            }
            sys::ValueType::napi_string => string_of(env, exception)?,
            _ => "a value that is not an Error".to_owned(),
        };
        let options = object(env)?;
        set_named(env, options, "type", string(env, "CapbridgeWarning")?)?;
        set_named(env, options, "code", string(env, code)?)?;
        set_named(env, options, "detail", string(env, &detail)?)?;
        let process = named(env, global(env)?, "process")?;
        let emit = named(env, process, "emitWarning")?;
        call(env, process, emit, &[string(env, message)?, options]).map(|_| ())
    })();
    if warned.is_err() {
        clear_exception(env);
    }
}

/// Clears an exception a napi call left pending, so that it does not escape as a stray throw.
pub(crate) fn clear_exception(env: sys::napi_env) {
    let mut exception = ptr::null_mut();
    unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) };
}

// ---- references, promises, the threadsafe function ----------------------------------------------

/// A persistent reference to `v` (released with [`delete_reference`]).
pub(crate) fn reference(env: sys::napi_env, v: sys::napi_value) -> napi::Result<sys::napi_ref> {
    let mut out = ptr::null_mut();
    check_status!(
        unsafe { sys::napi_create_reference(env, v, 1, &mut out) },
        "keeping a reference failed"
    )?;
    Ok(out)
}

/// The value a reference holds.
pub(crate) fn reference_value(
    env: sys::napi_env,
    r: sys::napi_ref,
) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_get_reference_value(env, r, &mut out) })?;
    Ok(out)
}

/// Releases a reference made by [`reference`].
pub(crate) fn delete_reference(env: sys::napi_env, r: sys::napi_ref) {
    unsafe { sys::napi_delete_reference(env, r) };
}

/// A new pending promise: its deferred (to settle it) and the promise.
pub(crate) fn promise(env: sys::napi_env) -> napi::Result<(sys::napi_deferred, sys::napi_value)> {
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    check_status!(unsafe { sys::napi_create_promise(env, &mut deferred, &mut promise) })?;
    Ok((deferred, promise))
}

/// Resolves a promise with `value` (the deferred is used up).
pub(crate) fn resolve(env: sys::napi_env, deferred: sys::napi_deferred, value: sys::napi_value) {
    unsafe { sys::napi_resolve_deferred(env, deferred, value) };
}

/// Rejects a promise with `reason` (the deferred is used up).
pub(crate) fn reject(
    env: sys::napi_env,
    deferred: sys::napi_deferred,
    reason: sys::napi_value,
) -> napi::Result<()> {
    check_status!(unsafe { sys::napi_reject_deferred(env, deferred, reason) })
}

/// Lets a threadsafe function keep the event loop alive.
pub(crate) fn ref_threadsafe(
    env: sys::napi_env,
    tsfn: sys::napi_threadsafe_function,
) -> napi::Result<()> {
    check_status!(unsafe { sys::napi_ref_threadsafe_function(env, tsfn) })
}

/// Stops a threadsafe function from keeping the event loop alive.
pub(crate) fn unref_threadsafe(env: sys::napi_env, tsfn: sys::napi_threadsafe_function) {
    unsafe { sys::napi_unref_threadsafe_function(env, tsfn) };
}

#[cfg(test)]
mod tests {
    /// Type names of napi's C API that other modules may name (they carry values around);
    /// functions (`napi_create_object`, ...) are called here only.
    const TYPES: [&str; 9] = [
        "napi_env",
        "napi_value",
        "napi_ref",
        "napi_deferred",
        "napi_valuetype",
        "napi_status",
        "napi_threadsafe_function",
        "napi_callback_info",
        "napi_property_descriptor",
    ];

    /// Every raw N-API call is made in this module: no other source file names a `napi_*`
    /// function, whether through `sys::`, an import, or a call.
    #[test]
    fn raw_napi_calls_live_in_this_module_only() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = 0;
        let mut here = 0;
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let Ok(source) = std::fs::read_to_string(&path) else {
                continue;
            };
            files += 1;
            let own = path.file_name().is_some_and(|n| n == "raw.rs");
            for (i, _) in source.match_indices("napi_") {
                let before = source[..i].chars().next_back();
                // Part of a longer name (`sys::ValueType::napi_object` is a constant, not
                // a function, and is allowed: only `sys::napi_*` and bare names count).
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                    continue;
                }
                let name: String = source[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let qualified = source[..i].ends_with("sys::");
                let bare_call =
                    !source[..i].ends_with("::") && source[i + name.len()..].starts_with('(');
                if !(qualified || bare_call) || TYPES.contains(&name.as_str()) {
                    continue;
                }
                if own {
                    here += 1;
                } else {
                    panic!(
                        "{} calls {name}: raw N-API calls belong in src/raw.rs",
                        path.display()
                    );
                }
            }
        }
        assert!(files > 8, "read only {files} files");
        assert!(here > 30, "found only {here} raw calls in raw.rs");
    }
}
