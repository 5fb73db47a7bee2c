//! The packaged emulator (`capbridge.testing`): the `capbridge-emulator` library started
//! in-process on a thread of its own, so that a pip user tests a scraper offline without
//! cloning the repository or installing Rust. Settings are the emulator binary's flags by name
//! ([`capbridge_emulator::Settings`] reads and checks them); scripting and counters go through
//! the emulator's HTTP admin API, which the Python layer calls, as for the binary.

use capbridge_emulator::{Emulator, Settings, respelled};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use std::sync::Mutex;

/// One worker thread: a test's traffic is small, and the emulator's timing comes from its
/// clock, not from how many threads serve it.
const WORKER_THREADS: usize = 1;

/// A running in-process emulator. `close()` stops it (and so does dropping it).
#[pyclass(frozen, module = "capbridge._native")]
pub struct NativeEmulator {
    url: String,
    running: Mutex<Option<Emulator>>,
}

#[pymethods]
impl NativeEmulator {
    /// The base URL, `http://127.0.0.1:PORT/`.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// Stops serving and waits for the server thread (without the GIL); a second call does
    /// nothing.
    fn close(&self, py: Python<'_>) {
        let taken = self
            .running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(emu) = taken {
            py.detach(move || emu.stop());
        }
    }
}

/// The emulator's message about a setting in the spelling a Python caller wrote: its keyword
/// (`time_scale`), not the command line's flag (`--time-scale`), and the name given as given.
fn python_spelling(message: &str, given: &str) -> String {
    respelled(message, given, |n| n.replace('-', "_"))
}

/// Starts an emulator with settings as (name, value) pairs, in order (`account` may repeat);
/// a switch's value is `"true"` or `"false"`.
#[pyfunction]
pub fn start_emulator(
    py: Python<'_>,
    settings: Vec<(String, Option<String>)>,
) -> PyResult<NativeEmulator> {
    let mut parsed = Settings::new();
    for (name, value) in &settings {
        parsed
            .set(name, value.as_deref())
            .map_err(|e| PyValueError::new_err(python_spelling(&e, name)))?;
    }
    let emu = py
        .detach(move || parsed.start_background(WORKER_THREADS))
        .map_err(|e| PyOSError::new_err(format!("the emulator could not start: {e}")))?;
    Ok(NativeEmulator {
        url: emu.url().to_owned(),
        running: Mutex::new(Some(emu)),
    })
}

/// Adds the emulator's class and function to the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeEmulator>()?;
    m.add_function(wrap_pyfunction!(start_emulator, m)?)
}
