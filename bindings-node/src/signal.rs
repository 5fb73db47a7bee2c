//! `AbortSignal`s tied to the calls' [`capbridge::CancelToken`]s.
//!
//! Each signal gets one `abort` listener, the first time a call uses it, no matter how many
//! calls share it (a scraper's one shutdown signal, `AbortSignal.timeout` shared by a batch):
//! Node warns past ten listeners on one signal, and listeners left behind would pile up on a
//! long-lived signal. The listener cancels every call registered with the signal at that
//! moment; the core then stops those solves' polling at once and their promises reject with
//! a `CaptchaError` of kind `cancelled`.
//!
//! The registry of a signal ([`Fanout`]) hangs off the signal itself (a non-enumerable
//! symbol-keyed `External`), so it lives exactly as long as the signal. A call registers its
//! token on start and unregisters when its future completes ([`AbortWatch`]'s `Drop`): plain
//! Rust on whatever thread, no JavaScript involved after the start.

use crate::convert::{js_string, type_of_value};
use napi::bindgen_prelude::{External, FromNapiRef, ToNapiValue};
use napi::{Env, JsValue, check_status, sys};
use std::collections::HashMap;
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What a value given as `signal` turned out to be.
pub(crate) enum SignalState {
    /// Not aborted: watch it.
    Live,
    /// Already aborted: the call must not start.
    Aborted,
}

fn property(
    env: sys::napi_env,
    obj: sys::napi_value,
    key: sys::napi_value,
) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    check_status!(unsafe { sys::napi_get_property(env, obj, key, &mut out) })?;
    Ok(out)
}

fn named(env: sys::napi_env, obj: sys::napi_value, name: &str) -> napi::Result<sys::napi_value> {
    property(env, obj, js_string(env, name)?)
}

/// Checks that `signal` looks like an `AbortSignal` (an object with a boolean `aborted` and
/// an `addEventListener` method); `None` when it does not.
pub(crate) fn inspect(
    env: sys::napi_env,
    signal: sys::napi_value,
) -> napi::Result<Option<SignalState>> {
    if type_of_value(env, signal)? != sys::ValueType::napi_object {
        return Ok(None);
    }
    let aborted = named(env, signal, "aborted")?;
    if type_of_value(env, aborted)? != sys::ValueType::napi_boolean {
        return Ok(None);
    }
    let add = named(env, signal, "addEventListener")?;
    if type_of_value(env, add)? != sys::ValueType::napi_function {
        return Ok(None);
    }
    let mut yes = false;
    check_status!(unsafe { sys::napi_get_value_bool(env, aborted, &mut yes) })?;
    Ok(Some(if yes {
        SignalState::Aborted
    } else {
        SignalState::Live
    }))
}

/// The calls watching one signal.
#[derive(Default)]
struct Fanout {
    next: AtomicU64,
    calls: Mutex<HashMap<u64, capbridge::CancelToken>>,
}

impl Fanout {
    fn calls(&self) -> std::sync::MutexGuard<'_, HashMap<u64, capbridge::CancelToken>> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn abort(&self) {
        for token in self.calls().values() {
            token.cancel();
        }
    }
}

/// `Symbol.for('capbridge.abort')`: the key of a signal's registry.
fn key(env: sys::napi_env) -> napi::Result<sys::napi_value> {
    let mut global = ptr::null_mut();
    check_status!(unsafe { sys::napi_get_global(env, &mut global) })?;
    let symbol = named(env, global, "Symbol")?;
    let symbol_for = named(env, symbol, "for")?;
    let name = js_string(env, "capbridge.abort")?;
    let mut out = ptr::null_mut();
    check_status!(
        unsafe { sys::napi_call_function(env, symbol, symbol_for, 1, &name, &mut out) },
        "Symbol.for failed"
    )?;
    Ok(out)
}

/// Clears an exception a napi call left pending, so that it does not escape as a stray throw.
fn clear_exception(env: sys::napi_env) {
    let mut exception = ptr::null_mut();
    unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) };
}

/// The registry of `signal`, made (with its one listener) on first use.
fn fanout(env: &Env, signal: sys::napi_value) -> napi::Result<Arc<Fanout>> {
    let raw = env.raw();
    let key = key(raw)?;
    let existing = property(raw, signal, key)?;
    if type_of_value(raw, existing)? == sys::ValueType::napi_external
        && let Ok(ext) =
            unsafe { <External<Arc<Fanout>> as FromNapiRef>::from_napi_ref(raw, existing) }
    {
        return Ok(Arc::clone(ext));
    }

    let fanout = Arc::new(Fanout::default());
    let value = unsafe { External::to_napi_value(raw, External::new(Arc::clone(&fanout)))? };
    let descriptor = sys::napi_property_descriptor {
        utf8name: ptr::null(),
        name: key,
        method: None,
        getter: None,
        setter: None,
        value,
        // Not writable, not enumerable, not configurable: invisible to the signal's users.
        attributes: sys::PropertyAttributes::default,
        data: ptr::null_mut(),
    };
    let status = unsafe { sys::napi_define_properties(raw, signal, 1, &descriptor) };
    if status != sys::Status::napi_ok {
        clear_exception(raw);
        return Err(napi::Error::from_reason(
            "the signal cannot be watched (a frozen object?)",
        ));
    }

    let on_abort = Arc::clone(&fanout);
    let listener = env.create_function_from_closure::<(), (), _>("capbridgeAbort", move |_| {
        on_abort.abort();
        Ok(())
    })?;
    let add = named(raw, signal, "addEventListener")?;
    let args = [js_string(raw, "abort")?, listener.raw()];
    let mut out = ptr::null_mut();
    let status =
        unsafe { sys::napi_call_function(raw, signal, add, args.len(), args.as_ptr(), &mut out) };
    if status != sys::Status::napi_ok {
        clear_exception(raw);
        return Err(napi::Error::from_reason("signal.addEventListener failed"));
    }
    Ok(fanout)
}

/// One call registered with a signal; unregisters itself when dropped (the call is over).
pub(crate) struct AbortWatch {
    fanout: Arc<Fanout>,
    id: u64,
}

impl AbortWatch {
    /// Registers `token` with `signal` (whose `aborted` was checked false just before, on
    /// this same JavaScript turn, so no abort can slip in between).
    pub(crate) fn start(
        env: &Env,
        signal: sys::napi_value,
        token: capbridge::CancelToken,
    ) -> napi::Result<AbortWatch> {
        let fanout = fanout(env, signal)?;
        let id = fanout.next.fetch_add(1, Ordering::Relaxed);
        fanout.calls().insert(id, token);
        Ok(AbortWatch { fanout, id })
    }
}

impl Drop for AbortWatch {
    fn drop(&mut self) {
        self.fanout.calls().remove(&self.id);
    }
}
