//! The core's own tokio runtime, created on first use and shared by the blocking client and
//! bindings that have no runtime of their own (Python, C).
//!
//! Fork safety: a child process created by `fork()` inherits the runtime's memory but not its
//! threads, so a runtime made before the fork would never run anything in the child. The
//! runtime therefore remembers the process id it was made in; in a child (gunicorn workers,
//! `multiprocessing`) a fresh runtime is made, and the parent's is leaked rather than dropped
//! (dropping it would try to join threads that do not exist). A client remembers how it was
//! built and, used in a child, starts a fresh engine there on the fresh runtime; engines
//! remember their process id, and a client hands each operation the engine of the process
//! the operation runs in (`Client::engine`).

use crate::error::{Error, Result};
use std::sync::Mutex;
use tokio::runtime::{Handle, Runtime};

static RUNTIME: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);

/// The name of the shared runtime's threads: a blocking call made on one is made inside a
/// callback capbridge runs.
pub(crate) const THREAD_NAME: &str = "capbridge";

/// The shared runtime of this process, made on first use.
pub fn shared() -> Result<&'static Runtime> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((owner, rt)) = *slot
        && owner == pid
    {
        return Ok(rt);
    }
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name(THREAD_NAME)
        .enable_all()
        .build()
        .map_err(|e| Error::usage(format!("cannot start the capbridge runtime: {e}")))?;
    let rt: &'static Runtime = Box::leak(Box::new(rt));
    *slot = Some((pid, rt));
    Ok(rt)
}

/// The handle to run on: the current tokio runtime if there is one, else the shared one.
pub(crate) fn current_or_shared() -> Result<Handle> {
    match Handle::try_current() {
        Ok(h) => Ok(h),
        Err(_) => shared().map(|rt| rt.handle().clone()),
    }
}
