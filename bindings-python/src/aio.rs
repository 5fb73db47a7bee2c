//! Completions for asyncio, without the engine ever taking the GIL.
//!
//! An [`AsyncChannel`] belongs to one event loop. Starting an operation creates the asyncio
//! future and queues the operation for the channel's pump task on the core's runtime (one
//! wakeup covers many starts). When an operation ends or emits an event, its outcome, already
//! converted to plain Rust values, is queued and, if the queue was empty, one byte is written
//! to a socket pair whose other end the loop watches (`loop.add_reader(fd, channel.drain)`).
//! `drain` then completes every finished future at once. Engine threads never wait for the
//! GIL, and thousands of completions cost a handful of wakeups. Cancelling an operation aborts
//! its task, which drops the solve's future and stops its polling.

use crate::errors::to_py_err;
use crate::types::{Event, Solution};
use pyo3::intern;
use pyo3::prelude::*;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;
use tokio::task::AbortHandle;

/// What an operation produced, converted as far as possible without the GIL.
pub(crate) enum Outcome {
    Solution(Solution),
    MaybeSolution(Option<Solution>),
    Text(String),
    Float(f64),
    Unit,
    Error(capbridge::Error),
    Event(Event),
}

impl Outcome {
    pub(crate) fn from_result<T>(
        r: capbridge::Result<T>,
        ok: impl FnOnce(T) -> Outcome,
    ) -> Outcome {
        match r {
            Ok(v) => ok(v),
            Err(e) => Outcome::Error(e),
        }
    }
}

type Op = Pin<Box<dyn Future<Output = Outcome> + Send>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) struct Inner {
    done: Mutex<Vec<(u64, Outcome)>>,
    starts: Mutex<Vec<(u64, Op)>>,
    start_notify: Notify,
    aborts: Mutex<HashMap<u64, AbortHandle>>,
    cancelled: Mutex<HashSet<u64>>,
    reader: UnixStream,
    writer: UnixStream,
    closed: AtomicBool,
}

impl Inner {
    pub(crate) fn push(&self, id: u64, outcome: Outcome) {
        let was_empty = {
            let mut q = lock(&self.done);
            let was_empty = q.is_empty();
            q.push((id, outcome));
            was_empty
        };
        if was_empty && !self.closed.load(Ordering::Acquire) {
            // Non-blocking: a full buffer already holds a wakeup.
            let _ = (&self.writer).write(&[1]);
        }
    }

    /// Starts queued operations on the runtime, until the channel closes.
    async fn pump(self: Arc<Self>) {
        loop {
            let notified = self.start_notify.notified();
            let batch = std::mem::take(&mut *lock(&self.starts));
            for (id, op) in batch {
                if lock(&self.cancelled).remove(&id) {
                    continue; // cancelled before it started: nothing was sent
                }
                let inner = self.clone();
                let h = tokio::spawn(async move {
                    let out = op.await;
                    inner.push(id, out);
                });
                lock(&self.aborts).insert(id, h.abort_handle());
            }
            if self.closed.load(Ordering::Acquire) {
                return;
            }
            notified.await;
        }
    }
}

/// A pending asyncio future and the callback for its events.
struct Pending {
    future: Py<PyAny>,
    events: Option<Py<PyAny>>,
}

/// The completion channel of one event loop.
#[pyclass(frozen, module = "capbridge._native")]
pub struct AsyncChannel {
    inner: Arc<Inner>,
    pending: Mutex<HashMap<u64, Pending>>,
    create_future: Py<PyAny>,
    next_id: AtomicU64,
}

impl AsyncChannel {
    /// Creates the future of a new operation and queues the operation; returns `(id, future)`.
    pub(crate) fn start<'py>(
        &self,
        py: Python<'py>,
        events: Option<Py<PyAny>>,
        make: impl FnOnce(u64, Option<capbridge::EventHandler>) -> Op,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let future = self.create_future.bind(py).call0()?;
        let handler = events.is_some().then(|| {
            let inner = self.inner.clone();
            Arc::new(move |e: &capbridge::Event| inner.push(id, Outcome::Event(Event::from(e))))
                as capbridge::EventHandler
        });
        lock(&self.pending).insert(
            id,
            Pending {
                future: future.clone().unbind(),
                events,
            },
        );
        lock(&self.inner.starts).push((id, make(id, handler)));
        self.inner.start_notify.notify_one();
        Ok((id, future))
    }
}

#[pymethods]
impl AsyncChannel {
    /// A channel for `event_loop` (the loop's `create_future` makes its futures).
    #[new]
    fn new(event_loop: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (reader, writer) = UnixStream::pair()?;
        reader.set_nonblocking(true)?;
        writer.set_nonblocking(true)?;
        let inner = Arc::new(Inner {
            done: Mutex::new(Vec::new()),
            starts: Mutex::new(Vec::new()),
            start_notify: Notify::new(),
            aborts: Mutex::new(HashMap::new()),
            cancelled: Mutex::new(HashSet::new()),
            reader,
            writer,
            closed: AtomicBool::new(false),
        });
        let runtime = capbridge::runtime::shared().map_err(|e| to_py_err(event_loop.py(), e))?;
        runtime.spawn(inner.clone().pump());
        Ok(AsyncChannel {
            inner,
            pending: Mutex::new(HashMap::new()),
            create_future: event_loop.getattr("create_future")?.unbind(),
            next_id: AtomicU64::new(1),
        })
    }

    /// The file descriptor the event loop watches for readability.
    fn fileno(&self) -> i32 {
        use std::os::fd::AsRawFd;
        self.inner.reader.as_raw_fd()
    }

    /// Completes the futures of every finished operation and hands events to their
    /// callbacks. Registered as the loop's reader callback.
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
        let mut buf = [0u8; 256];
        // Read the wakeups first, then take the queue: a push after the take writes again.
        while let Ok(n) = (&self.inner.reader).read(&mut buf) {
            if n == 0 {
                break;
            }
        }
        let items = std::mem::take(&mut *lock(&self.inner.done));
        if items.is_empty() {
            return Ok(());
        }
        let mut finished = Vec::with_capacity(items.len());
        for (id, outcome) in items {
            if let Outcome::Event(e) = outcome {
                let cb = lock(&self.pending)
                    .get(&id)
                    .and_then(|p| p.events.as_ref().map(|c| c.clone_ref(py)));
                if let Some(cb) = cb
                    && let Err(err) = Bound::new(py, e).and_then(|ev| cb.bind(py).call1((ev,)))
                {
                    err.write_unraisable(py, Some(cb.bind(py)));
                }
                continue;
            }
            finished.push(id);
            let Some(p) = lock(&self.pending).remove(&id) else {
                continue;
            };
            let fut = p.future.bind(py);
            if fut.call_method0(intern!(py, "done"))?.is_truthy()? {
                continue; // cancelled meanwhile
            }
            let (method, value): (_, Bound<'_, PyAny>) = match outcome {
                Outcome::Solution(s) | Outcome::MaybeSolution(Some(s)) => {
                    (intern!(py, "set_result"), Bound::new(py, s)?.into_any())
                }
                Outcome::MaybeSolution(None) | Outcome::Unit => {
                    (intern!(py, "set_result"), py.None().into_bound(py))
                }
                Outcome::Text(t) => (intern!(py, "set_result"), t.into_pyobject(py)?.into_any()),
                Outcome::Float(f) => (intern!(py, "set_result"), f.into_pyobject(py)?.into_any()),
                Outcome::Error(e) => (
                    intern!(py, "set_exception"),
                    to_py_err(py, e).into_value(py).into_bound(py).into_any(),
                ),
                Outcome::Event(_) => continue,
            };
            fut.call_method1(method, (value,))?;
        }
        let mut aborts = lock(&self.inner.aborts);
        for id in finished {
            aborts.remove(&id);
        }
        Ok(())
    }

    /// Stops an operation at once (its solve stops polling); its future is left to the caller.
    fn cancel(&self, id: u64) {
        lock(&self.pending).remove(&id);
        match lock(&self.inner.aborts).remove(&id) {
            Some(h) => h.abort(),
            None => {
                lock(&self.inner.cancelled).insert(id);
            }
        }
    }

    /// Stops every operation of the channel and cancels their futures.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.inner.closed.store(true, Ordering::Release);
        self.inner.start_notify.notify_one();
        for (_, h) in lock(&self.inner.aborts).drain() {
            h.abort();
        }
        lock(&self.inner.starts).clear();
        let pending: Vec<Pending> = lock(&self.pending).drain().map(|(_, p)| p).collect();
        for p in pending {
            let fut = p.future.bind(py);
            if !fut.call_method0(intern!(py, "done"))?.is_truthy()? {
                fut.call_method0(intern!(py, "cancel"))?;
            }
        }
        Ok(())
    }

    /// Operations not finished yet.
    fn pending(&self) -> usize {
        lock(&self.pending).len()
    }
}

impl Drop for AsyncChannel {
    fn drop(&mut self) {
        // Ends the pump task and stops what is still running.
        self.inner.closed.store(true, Ordering::Release);
        self.inner.start_notify.notify_one();
        for (_, h) in lock(&self.inner.aborts).drain() {
            h.abort();
        }
    }
}
