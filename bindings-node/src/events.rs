//! `onEvent` callbacks: each step of a solve, delivered on the JavaScript thread.
//!
//! The engine reports steps on its own threads; JavaScript may only run on its thread. For
//! Promise calls and client-wide handlers, events travel through the environment's
//! [`channel`](crate::channel) (never waiting, never keeping the process alive, always
//! before the call's promise settles). For `*Sync` calls the JavaScript thread is blocked in
//! the call, so events are collected and handed to the callback, in order, right before the
//! call returns.

use crate::raw;
use crate::types::SolveEvent;
use napi::bindgen_prelude::ToNapiValue;
use napi::{Env, sys};
use std::sync::{Arc, Mutex};

/// Events of one `*Sync` call, kept until the call returns.
pub(crate) struct Collected {
    events: Arc<Mutex<Vec<capbridge::Event>>>,
    callback: sys::napi_value,
}

impl Collected {
    /// A collector for the JavaScript function `callback` (valid for the current call), and
    /// the core handler feeding it.
    pub(crate) fn new(callback: sys::napi_value) -> (Collected, capbridge::EventHandler) {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        let handler: capbridge::EventHandler = Arc::new(move |e: &capbridge::Event| {
            sink.lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(e.clone());
        });
        (Collected { events, callback }, handler)
    }

    /// Calls the callback with each event, in order; an exception it throws is reported
    /// ([`handler_threw`]) and the next event delivered, so the call still returns its result.
    pub(crate) fn deliver(self, env: &Env) -> napi::Result<()> {
        let raw = env.raw();
        let events = std::mem::take(&mut *self.events.lock().unwrap_or_else(|p| p.into_inner()));
        let this = raw::undefined(raw)?;
        for e in &events {
            let arg = unsafe { SolveEvent::to_napi_value(raw, SolveEvent::from(e))? };
            if raw::call(raw, this, self.callback, &[arg]).is_err() {
                handler_threw(raw);
            }
        }
        Ok(())
    }
}

/// An `onEvent` handler threw: the exception becomes a process warning and the solve goes on,
/// as in Python (where it is logged). An observer's bug must not end the process (a Promise
/// call's events arrive on no JavaScript stack, so its exception would be uncaught) nor cost
/// a solved, paid-for answer (a `*Sync` call would throw it instead of returning).
pub(crate) fn handler_threw(env: sys::napi_env) {
    raw::warn_exception(
        env,
        "capbridge: an onEvent handler threw; the solve goes on",
        "CAPBRIDGE_ON_EVENT_THREW",
    );
}
