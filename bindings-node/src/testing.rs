//! The packaged emulator (`capbridge/testing`): the `capbridge-emulator` library started
//! in-process on a thread of its own, so that an npm user tests a scraper offline without
//! cloning the repository or installing Rust. Settings are the emulator binary's flags by name
//! ([`capbridge_emulator::Settings`] reads and checks them); `testing.js` turns an options
//! object into the (name, value) pairs taken here, and drives the admin API over HTTP.
//!
//! Emulators are kept in a process-wide table by number rather than as a class: the
//! functions here are private (`__`-named, no TypeScript), so the generated loader and types
//! do not change, and `testing.d.ts` types the public surface.

use capbridge_emulator::{Emulator, Settings, respelled};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// One worker thread: a test's traffic is small, and the emulator's timing comes from its
/// clock, not from how many threads serve it.
const WORKER_THREADS: usize = 1;

fn running() -> MutexGuard<'static, HashMap<u32, Emulator>> {
    static RUNNING: OnceLock<Mutex<HashMap<u32, Emulator>>> = OnceLock::new();
    RUNNING
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts an emulator. `settings` holds `[name, value]` pairs in order (`account` may
/// repeat); a switch's value is `"true"` or `"false"`. Returns `{ id, url }` (the number for
/// `__stopEmulator`, the base URL); a bad name or value throws an error that names it.
#[napi(js_name = "__startEmulator", skip_typescript, catch_unwind)]
pub fn start_emulator(env: &Env, settings: Vec<Vec<String>>) -> Result<Object<'_>> {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let mut parsed = Settings::new();
    for pair in &settings {
        let [name, value] = pair.as_slice() else {
            return Err(Error::new(
                Status::InvalidArg,
                "each setting is a [name, value] pair",
            ));
        };
        parsed.set(name, Some(value)).map_err(|e| {
            Error::new(
                Status::InvalidArg,
                respelled(&e, name, |n| crate::convert::js_name(&n.replace('-', "_"))),
            )
        })?;
    }
    let emu = parsed
        .start_background(WORKER_THREADS)
        .map_err(|e| Error::from_reason(format!("the emulator could not start: {e}")))?;
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut started = Object::new(env)?;
    started.set("id", id)?;
    started.set("url", emu.url())?;
    running().insert(id, emu);
    Ok(started)
}

/// Stops an emulator and waits for its thread; an unknown or stopped number does nothing.
#[napi(js_name = "__stopEmulator", skip_typescript, catch_unwind)]
pub fn stop_emulator(id: u32) {
    let taken = running().remove(&id);
    if let Some(emu) = taken {
        emu.stop();
    }
}

/// The path prefixes of the emulator's provider dialects (`capsolver`, `anti-captcha`,
/// `2captcha`, ...), json profiles first: what `emu.urlFor(name)` takes, so that a name the
/// emulator does not serve is refused there, naming these, rather than becoming a URL that
/// answers every request with 404.
#[napi(js_name = "__emulatorDialects", skip_typescript)]
pub fn emulator_dialects() -> Vec<&'static str> {
    // The json family's tolerant dialect is served under its name too.
    capbridge_emulator::JSON_PROFILES
        .iter()
        .chain(capbridge_emulator::FORM_PREFIXES.iter())
        .copied()
        .chain(["generic"])
        .collect()
}

/// Every task kind the core solves, in its order (`TASK_KINDS` of `capbridge/testing`).
#[napi(js_name = "__taskKinds", skip_typescript)]
pub fn task_kinds() -> Vec<&'static str> {
    capbridge::TaskKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect()
}
