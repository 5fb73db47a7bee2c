//! The way back to the JavaScript thread: one threadsafe function per JavaScript environment
//! (the main thread and each worker have their own), carrying every message the core's
//! threads send to JavaScript, in order: the steps of solves (`onEvent`) and the outcomes of
//! Promise calls.
//!
//! One queue for both is what guarantees the order users rely on: a call's events are
//! delivered before its promise settles. It is also cheap: posting is a queue push, and Node
//! drains many messages per wake-up, while a threadsafe function per promise (napi-rs's
//! deferred) costs an async resource and a libuv handle per call.
//!
//! The threadsafe function is weak, and referenced exactly while Promise calls are pending:
//! a pending promise keeps the process alive, an idle client or an event handler never does.
//! napi-rs's wrapper is used because it refuses posts once the environment is gone (a
//! terminated worker) instead of touching a freed handle.
//!
//! Event callbacks are kept as persistent references in a table of this environment, under
//! ids: messages carry ids, never references, so a message that outlives its callback finds
//! nothing and is dropped, instead of using a released reference. A client's callback is held
//! by each Promise call of the client until the call settles ([`hold`]): a client collected
//! while its solves run (`return new Client({ onEvent }).solve(task)`) still reports their
//! steps. Tables and references are touched on the JavaScript thread only.

use crate::raw;
use crate::types::SolveEvent;
use napi::bindgen_prelude::ToNapiValue;
use napi::threadsafe_function::{
    ThreadsafeCallContext, ThreadsafeFunction, ThreadsafeFunctionCallMode,
};
use napi::{Env, Error, Status, sys};
use std::collections::HashMap;
use std::sync::Arc;

/// A `napi_deferred`, carried to a runtime thread and back untouched.
pub(crate) struct Deferred(sys::napi_deferred);

// SAFETY: an opaque handle, never dereferenced, and used only on the JavaScript thread (when
// its `Settle` message is delivered); it merely rides along with the outcome.
unsafe impl Send for Deferred {}

/// Converts an outcome to a JavaScript value on the JavaScript thread.
pub(crate) type Outcome = Box<dyn FnOnce(&Env) -> napi::Result<sys::napi_value> + Send>;

/// What the core's threads send to JavaScript.
pub(crate) enum Message {
    /// A step of a solve, for the callback registered under `callback`.
    Event {
        callback: u64,
        event: capbridge::Event,
    },
    /// A Promise call is over: settle its promise (a rejection its signal caused carries the
    /// signal's reason as `cause`), release its signal, then drop its per-call callback and
    /// let go of its client's (see [`hold`]).
    Settle {
        deferred: Deferred,
        outcome: Outcome,
        signal: Option<crate::signal::Kept>,
        release: Option<u64>,
        let_go: Option<u64>,
    },
}

type Tsfn = ThreadsafeFunction<Message, (), (), Status, false, true>;

/// A handle for posting messages from any thread.
#[derive(Clone)]
pub(crate) struct Sender(Arc<Tsfn>);

impl Sender {
    /// Posts a message; never waits. Fails only once the environment is gone, when nobody
    /// is left to receive it.
    pub(crate) fn post(&self, message: Message) {
        let _ = self
            .0
            .call(message, ThreadsafeFunctionCallMode::NonBlocking);
    }
}

/// The channel of one environment (in its [`crate::env::EnvState`]).
pub(crate) struct Channel {
    sender: Sender,
    /// Promise calls not yet settled; the channel keeps the event loop alive while > 0.
    pending: usize,
    callbacks: HashMap<u64, Kept>,
    next_id: u64,
}

/// An event callback kept under an id.
struct Kept {
    reference: sys::napi_ref,
    /// Promise calls running that deliver to it ([`hold`]).
    holds: usize,
    /// [`unregister`] was called while calls held it: released when the last one settles.
    released: bool,
}

fn channel(env: &Env) -> napi::Result<&'static mut Channel> {
    let state = crate::env::state(env)?;
    if state.channel.is_none() {
        let noop = env.create_function_from_closure::<(), (), _>("capbridgeChannel", |_| Ok(()))?;
        let tsfn = noop
            .build_threadsafe_function::<Message>()
            .weak::<true>()
            .callee_handled::<false>()
            .build_callback(|ctx: ThreadsafeCallContext<Message>| {
                deliver(&ctx.env, ctx.value);
                Ok(())
            })?;
        state.channel = Some(Channel {
            sender: Sender(Arc::new(tsfn)),
            pending: 0,
            callbacks: HashMap::new(),
            next_id: 0,
        });
    }
    state
        .channel
        .as_mut()
        .ok_or_else(|| Error::from_reason("capbridge: no channel"))
}

/// A sender for this environment's channel.
pub(crate) fn sender(env: &Env) -> napi::Result<Sender> {
    Ok(channel(env)?.sender.clone())
}

/// Keeps the JavaScript function `f` under a new id, until [`unregister`].
pub(crate) fn register(env: &Env, f: sys::napi_value) -> napi::Result<u64> {
    let reference = raw::reference(env.raw(), f)?;
    let ch = channel(env)?;
    ch.next_id += 1;
    ch.callbacks.insert(
        ch.next_id,
        Kept {
            reference,
            holds: 0,
            released: false,
        },
    );
    Ok(ch.next_id)
}

/// Releases the callback kept under `id` (on the JavaScript thread): at once, or when the
/// last call holding it settles.
pub(crate) fn unregister(env: &Env, id: u64) {
    if let Ok(ch) = channel(env)
        && let Some(kept) = ch.callbacks.get_mut(&id)
    {
        kept.released = true;
        if kept.holds == 0 {
            forget(env, ch, id);
        }
    }
}

/// Keeps the callback under `id` while a call that delivers to it runs: a client's
/// `onEvent` outlives the client object while its calls run.
pub(crate) fn hold(env: &Env, id: u64) {
    if let Ok(ch) = channel(env)
        && let Some(kept) = ch.callbacks.get_mut(&id)
    {
        kept.holds += 1;
    }
}

/// A call that held the callback under `id` is over.
fn let_go(env: &Env, id: u64) {
    if let Ok(ch) = channel(env)
        && let Some(kept) = ch.callbacks.get_mut(&id)
    {
        kept.holds = kept.holds.saturating_sub(1);
        if kept.released && kept.holds == 0 {
            forget(env, ch, id);
        }
    }
}

fn forget(env: &Env, ch: &mut Channel, id: u64) {
    if let Some(kept) = ch.callbacks.remove(&id) {
        raw::delete_reference(env.raw(), kept.reference);
    }
}

/// A new pending promise, and the sender that will settle it.
pub(crate) fn pending_promise(env: &Env) -> napi::Result<(Deferred, sys::napi_value, Sender)> {
    let raw = env.raw();
    let ch = channel(env)?;
    let (deferred, promise) = raw::promise(raw)?;
    if ch.pending == 0 {
        raw::ref_threadsafe(raw, ch.sender.0.raw())?;
    }
    ch.pending += 1;
    Ok((Deferred(deferred), promise, ch.sender.clone()))
}

/// Handles one message on the JavaScript thread.
fn deliver(env: &Env, message: Message) {
    let raw = env.raw();
    match message {
        Message::Event { callback, event } => {
            let Some(reference) = channel(env)
                .ok()
                .and_then(|ch| ch.callbacks.get(&callback).map(|k| k.reference))
            else {
                return; // the callback's call or client is gone
            };
            if call_event(raw, reference, &event).is_err() {
                crate::events::handler_threw(raw);
            }
        }
        Message::Settle {
            deferred,
            outcome,
            signal,
            release,
            let_go,
        } => {
            match outcome(env) {
                Ok(v) => raw::resolve(raw, deferred.0, v),
                Err(e) => {
                    // A CaptchaError made in JavaScript is rejected as that very object.
                    let reason = unsafe { Error::to_napi_value(raw, e) }.or_else(|_| {
                        raw::string(raw, "capbridge: the outcome could not be converted")
                    });
                    if let Ok(reason) = reason {
                        if let Some(kept) = &signal {
                            kept.give_cause(raw, reason);
                        }
                        let _ = raw::reject(raw, deferred.0, reason);
                    }
                }
            }
            if let Some(kept) = signal {
                kept.release(raw);
            }
            if let Some(id) = release {
                unregister(env, id);
            }
            if let Some(id) = let_go {
                self::let_go(env, id);
            }
            if let Ok(ch) = channel(env) {
                ch.pending = ch.pending.saturating_sub(1);
                if ch.pending == 0 {
                    raw::unref_threadsafe(raw, ch.sender.0.raw());
                }
            }
        }
    }
}

/// Calls an event callback; an exception it throws stays pending (see
/// [`crate::events::handler_threw`]).
fn call_event(
    env: sys::napi_env,
    reference: sys::napi_ref,
    event: &capbridge::Event,
) -> napi::Result<()> {
    let f = raw::reference_value(env, reference)?;
    let this = raw::undefined(env)?;
    let arg = unsafe { SolveEvent::to_napi_value(env, SolveEvent::from(event))? };
    raw::call(env, this, f, &[arg]).map(|_| ())
}

/// A core event handler that posts each event for the callback kept under `id`.
pub(crate) fn event_handler(sender: Sender, id: u64) -> capbridge::EventHandler {
    Arc::new(move |e: &capbridge::Event| {
        sender.post(Message::Event {
            callback: id,
            event: e.clone(),
        })
    })
}
