//! What the binding keeps per JavaScript environment (the main thread and each worker thread
//! are separate environments): the registered `CaptchaError` class and the
//! [`Channel`](crate::channel::Channel) back from the core's threads. Kept in the
//! environment's instance data, so it is released with the environment.

use napi::{Env, sys};

/// Per-environment state. Only ever touched on its environment's JavaScript thread, and
/// never borrowed across a call into JavaScript.
#[derive(Default)]
pub(crate) struct EnvState {
    /// The `CaptchaError` constructor (a persistent reference), once registered.
    pub(crate) error_class: Option<sys::napi_ref>,
    /// Events and promise outcomes from the core's threads, made on first use.
    pub(crate) channel: Option<crate::channel::Channel>,
}

/// This environment's state, made on first use.
pub(crate) fn state(env: &Env) -> napi::Result<&'static mut EnvState> {
    if env.get_instance_data::<EnvState>()?.is_none() {
        // Released at environment teardown with everything in it; the error class reference
        // dies with the environment's heap, so nothing needs finalizing by hand.
        env.set_instance_data(EnvState::default(), (), |_| {})?;
    }
    env.get_instance_data::<EnvState>()?
        .ok_or_else(|| napi::Error::from_reason("capbridge: no per-environment state"))
}
