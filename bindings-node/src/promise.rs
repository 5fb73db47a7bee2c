//! Promises settled from the core's runtime.
//!
//! A call's future runs on capbridge's shared runtime (where the client's engine already
//! runs: one runtime for the whole process, no second thread pool). When it completes, its
//! outcome goes back to the JavaScript thread through the environment's
//! [`channel`](crate::channel), which converts it there (a value, or the `CaptchaError` built
//! by [`crate::errors::to_js_error`]) and settles the promise, after the call's events. The
//! JavaScript thread only converts values; it never waits.

use crate::channel::{self, Deferred, Message, Outcome, Sender};
use crate::errors::{Walked, to_js_error};
use crate::raw;
use crate::signal::{AbortWatch, Kept};
use napi::bindgen_prelude::{Object, ToNapiValue};
use napi::{Env, Error};
use std::future::Future;

/// What a Promise call carries besides its future: its `AbortSignal` registration and the
/// signal itself (whose `reason` a cancelled call's error carries), its per-call event
/// callback (released once the promise is settled) and its client's event callback (held
/// until then).
#[derive(Default)]
pub(crate) struct Extras {
    pub(crate) watch: Option<AbortWatch>,
    pub(crate) signal: Option<Kept>,
    pub(crate) callback: Option<u64>,
    pub(crate) held: Option<u64>,
}

/// Starts `fut` and returns a promise of `convert(value)`.
pub(crate) fn spawn<'env, T, J, F>(
    env: &'env Env,
    fut: F,
    extras: Extras,
    convert: fn(T) -> J,
) -> napi::Result<Object<'env>>
where
    T: Send + 'static,
    J: ToNapiValue + 'static,
    F: Future<Output = capbridge::Result<T>> + Send + 'static,
{
    let Extras {
        watch,
        signal,
        callback,
        held,
    } = extras;
    let runtime = match capbridge::runtime::shared() {
        Ok(rt) => rt,
        Err(e) => {
            if let Some(id) = callback {
                channel::unregister(env, id);
            }
            if let Some(kept) = signal {
                kept.release(env.raw());
            }
            return rejected(env, to_js_error(env, &e));
        }
    };
    let (deferred, promise, sender) = channel::pending_promise(env)?;
    if let Some(id) = held {
        channel::hold(env, id);
    }
    let guard = Guard(Some(Pending {
        deferred,
        sender,
        signal,
        release: callback,
        let_go: held,
    }));
    runtime.spawn(async move {
        let outcome = fut.await;
        // The call is over: an abort from now on concerns other calls only.
        drop(watch);
        guard.settle(Box::new(move |env: &Env| match outcome {
            Ok(v) => unsafe { J::to_napi_value(env.raw(), convert(v)) },
            Err(e) => Err(to_js_error(env, &e)),
        }));
    });
    Ok(Object::from_raw(env.raw(), promise))
}

/// Settles its promise exactly once: with the outcome, or, should the task end without one
/// (a panic in the core, caught by the runtime), with an error, so that no promise stays
/// pending forever and keeps the process alive.
struct Guard(Option<Pending>);

/// A pending call's promise, its signal, and the callbacks to release and let go once it is
/// settled.
struct Pending {
    deferred: Deferred,
    sender: Sender,
    signal: Option<Kept>,
    release: Option<u64>,
    let_go: Option<u64>,
}

impl Guard {
    fn settle(mut self, outcome: Outcome) {
        if let Some(p) = self.0.take() {
            p.sender.post(Message::Settle {
                deferred: p.deferred,
                outcome,
                signal: p.signal,
                release: p.release,
                let_go: p.let_go,
            });
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.0.is_some() {
            let lost = Guard(self.0.take());
            lost.settle(Box::new(|_: &Env| {
                Err(Error::from_reason(
                    "capbridge: the call ended without an outcome (a bug; please report it)",
                ))
            }));
        }
    }
}

/// A promise already rejected with `error`: Promise methods report bad arguments by
/// rejecting, never by throwing.
pub(crate) fn rejected(env: &Env, error: Error) -> napi::Result<Object<'_>> {
    let env_raw = env.raw();
    let (deferred, promise) = raw::promise(env_raw)?;
    let value = unsafe { Error::to_napi_value(env_raw, error)? };
    raw::reject(env_raw, deferred, value)?;
    Ok(Object::from_raw(env_raw, promise))
}

/// A promise of a call prepared by `prepare`: rejected if preparing failed. `held` is the
/// client-wide event callback the call delivers to: kept until the call settles, though the
/// client may be collected before (`return new Client({ onEvent }).solve(task)`).
pub(crate) fn run<'env, P, T, J, F>(
    env: &'env Env,
    held: Option<u64>,
    prepare: impl FnOnce() -> Result<P, Walked>,
    start: impl FnOnce(P) -> (F, Extras),
    convert: fn(T) -> J,
) -> napi::Result<Object<'env>>
where
    T: Send + 'static,
    J: ToNapiValue + 'static,
    F: Future<Output = capbridge::Result<T>> + Send + 'static,
{
    match prepare() {
        Ok(p) => {
            let (fut, mut extras) = start(p);
            extras.held = held;
            spawn(env, fut, extras, convert)
        }
        Err(e) => rejected(env, e.into_js(env)),
    }
}
