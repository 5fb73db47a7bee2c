//! `capbridge-node`: the native half of the npm package `capbridge`.
//!
//! Thin by design: it converts arguments and results and maps errors in one function
//! ([`errors::to_js_error`]); the core does the rest. Tasks and options cross as JSON built
//! by one generic walk ([`convert`]: camelCase keys to the core's snake_case, names the core
//! reports back to camelCase), never field by field.
//!
//! | module | holds |
//! |---|---|
//! | [`client`] | the `Client` class: each verb as a Promise method and a `*Sync` twin |
//! | [`call`] | a call's inputs: task, client options, per-call options (`signal`, `onEvent`) |
//! | [`convert`] | JavaScript values <-> JSON, and the one spelling of names |
//! | `raw` | every raw N-API call, each checked (no other module calls `napi_*` functions) |
//! | [`errors`] | the one mapping to `CaptchaError` |
//! | `env` | per-environment state (main thread, each worker) |
//! | [`channel`] | the way back to the JavaScript thread: events and outcomes, in order |
//! | [`promise`] | promises settled from the core's runtime |
//! | [`signal`] | `AbortSignal` -> cancel token |
//! | [`events`] | `onEvent` on the JavaScript thread |
//! | [`types`] | `Solution`, `SolveEvent` |
//! | `bench` | the core's throughput in-process, for the benchmark: only in the benchmark's own build (cargo feature `bench`), never in the published module |
//! | [`testing`] | the packaged emulator (`capbridge/testing`) |
//!
//! Panics: napi-rs does not catch them by default (a panic crossing the `extern "C"`
//! boundary aborts the process), so every exported function is `#[napi(catch_unwind)]`,
//! which turns a panic into a thrown `Error`; and nothing here unwraps what JavaScript or a
//! service controls (unwrap and expect are denied outside tests in every crate, by the
//! workspace's lints). Callbacks that run outside an exported function (settling a promise,
//! delivering an event) only convert values, with every status checked.

#[cfg(feature = "bench")]
pub mod bench;
pub mod call;
pub mod channel;
pub mod client;
pub mod convert;
mod env;
pub mod errors;
pub mod events;
pub mod promise;
mod raw;
pub mod signal;
pub mod testing;
pub mod types;
