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
//!
//! A call cancelled by its signal rejects with the signal's `reason` as the error's `cause`
//! (`ac.abort(new Error('user gave up'))`: why the caller stopped, beside the task id the
//! `CaptchaError` keeps). A Promise call keeps its signal for that until it settles ([`Kept`]).

use crate::raw::{self, named, property, type_of};
use napi::bindgen_prelude::{External, FromNapiRef, ToNapiValue, Unknown};
use napi::{Env, JsValue, sys};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What a value given as `signal` turned out to be.
pub(crate) enum SignalState {
    /// Not aborted: watch it.
    Live,
    /// Already aborted: the call must not start.
    Aborted,
}

/// Checks that `signal` looks like an `AbortSignal` (an object with a boolean `aborted` and
/// an `addEventListener` method); `None` when it does not.
pub(crate) fn inspect(
    env: sys::napi_env,
    signal: sys::napi_value,
) -> napi::Result<Option<SignalState>> {
    if type_of(env, signal)? != sys::ValueType::napi_object {
        return Ok(None);
    }
    let aborted = named(env, signal, "aborted")?;
    if type_of(env, aborted)? != sys::ValueType::napi_boolean {
        return Ok(None);
    }
    let add = named(env, signal, "addEventListener")?;
    if type_of(env, add)? != sys::ValueType::napi_function {
        return Ok(None);
    }
    Ok(Some(if raw::bool_of(env, aborted)? {
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
    let symbol = named(env, raw::global(env)?, "Symbol")?;
    let symbol_for = named(env, symbol, "for")?;
    let name = raw::string(env, "capbridge.abort")?;
    raw::call(env, symbol, symbol_for, &[name])
}

/// The registry of `signal`, made (with its one listener) on first use.
fn fanout(env: &Env, signal: sys::napi_value) -> napi::Result<Arc<Fanout>> {
    let raw = env.raw();
    let key = key(raw)?;
    let existing = property(raw, signal, key)?;
    if type_of(raw, existing)? == sys::ValueType::napi_external
        && let Ok(ext) =
            unsafe { <External<Arc<Fanout>> as FromNapiRef>::from_napi_ref(raw, existing) }
    {
        return Ok(Arc::clone(ext));
    }

    let fanout = Arc::new(Fanout::default());
    let value = unsafe { External::to_napi_value(raw, External::new(Arc::clone(&fanout)))? };
    // Invisible to the signal's users.
    if raw::define_hidden(raw, signal, key, value).is_err() {
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
    let args = [raw::string(raw, "abort")?, listener.raw()];
    if raw::call(raw, signal, add, &args).is_err() {
        raw::clear_exception(raw);
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

/// A Promise call's signal, kept (a persistent reference) while the call runs, so that the
/// rejection of a call it cancelled can carry its `reason` ([`Kept::give_cause`]). Released
/// on the JavaScript thread when the call settles ([`crate::channel`]), never by `Drop`: the
/// call's end may be seen on another thread.
pub(crate) struct Kept(sys::napi_ref);

// SAFETY: an opaque handle, used (read and released) only on the JavaScript thread; it merely
// rides along with the call, as `channel::Deferred` does.
unsafe impl Send for Kept {}

impl Kept {
    pub(crate) fn new(env: sys::napi_env, signal: sys::napi_value) -> napi::Result<Kept> {
        Ok(Kept(raw::reference(env, signal)?))
    }

    /// Gives `error`, if it is a `CaptchaError` of kind `cancelled`, the signal's `reason` as
    /// its `cause` (see [`give_cause`]).
    pub(crate) fn give_cause(&self, env: sys::napi_env, error: sys::napi_value) {
        if let Ok(signal) = raw::reference_value(env, self.0) {
            give_cause(env, error, signal);
        }
    }

    /// Releases the signal (on the JavaScript thread).
    pub(crate) fn release(self, env: sys::napi_env) {
        raw::delete_reference(env, self.0);
    }
}

/// Sets `error.cause` to `signal.reason` when `error` is a `CaptchaError` of kind `cancelled`
/// and the signal is aborted: a call that failed otherwise (a timeout that came first) keeps no
/// cause. Best effort: a value that is not what it looks like leaves the error as it is, and no
/// exception pending.
fn give_cause(env: sys::napi_env, error: sys::napi_value, signal: sys::napi_value) {
    let given = (|| -> napi::Result<()> {
        if type_of(env, error)? != sys::ValueType::napi_object {
            return Ok(());
        }
        let kind = named(env, error, "kind")?;
        if type_of(env, kind)? != sys::ValueType::napi_string
            || raw::string_of(env, kind)? != capbridge::ErrorKind::Cancelled.as_str()
        {
            return Ok(());
        }
        let aborted = named(env, signal, "aborted")?;
        if type_of(env, aborted)? != sys::ValueType::napi_boolean || !raw::bool_of(env, aborted)? {
            return Ok(());
        }
        let reason = named(env, signal, "reason")?;
        raw::define_own(env, error, "cause", reason)
    })();
    if given.is_err() {
        raw::clear_exception(env);
    }
}

/// `error` (a JavaScript error about to be thrown or rejected with) given the signal's reason
/// as its cause, as [`give_cause`] does.
pub(crate) fn with_cause(env: &Env, error: napi::Error, signal: sys::napi_value) -> napi::Error {
    let raw = env.raw();
    match unsafe { napi::Error::to_napi_value(raw, error) } {
        Ok(value) => {
            give_cause(raw, value, signal);
            napi::Error::from(unsafe { Unknown::from_raw_unchecked(raw, value) })
        }
        Err(e) => e,
    }
}
