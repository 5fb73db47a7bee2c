//! `capbridge._native`: the native half of the Python package `capbridge`.
//!
//! Thin by design: it converts arguments and results and maps errors in one function
//! ([`errors::to_py_err`]); the pure-Python layer in `python/capbridge` gives the public API
//! its shape. Module map: `convert.rs` (Python values to the core's JSON options and
//! fields), `tasks.rs` (tasks parsed and validated by the core), `client.rs` (the client),
//! `aio.rs` (asyncio completions), `types.rs` (`Solution`, `Event`), `notices.rs` (client events:
//! shared limits going local and back), `errors.rs` (the exception mapping).

use pyo3::prelude::*;

mod aio;
mod client;
mod convert;
mod errors;
mod notices;
mod tasks;
mod testing;
mod types;

/// The name of `known` a misspelled keyword argument most likely meant (the core's "did you
/// mean"), for the argument checks Python runs before the core sees the call.
#[pyfunction]
fn nearest(name: &str, known: Vec<String>) -> Option<String> {
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    capbridge::error::nearest(name, &known).map(str::to_owned)
}

/// The stem of a name spelled "in milliseconds" (`timeout_ms`, `timeoutMs`), if it is one.
#[pyfunction]
fn millis_stem(name: &str) -> Option<&str> {
    capbridge::error::millis_stem(name)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::NativeClient>()?;
    m.add_class::<aio::AsyncChannel>()?;
    m.add_class::<tasks::NativeTask>()?;
    m.add_class::<types::Solution>()?;
    m.add_class::<types::Event>()?;
    m.add_function(wrap_pyfunction!(tasks::parse_task, m)?)?;
    m.add_function(wrap_pyfunction!(tasks::task_from_dict, m)?)?;
    m.add_function(wrap_pyfunction!(nearest, m)?)?;
    m.add_function(wrap_pyfunction!(millis_stem, m)?)?;
    testing::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
