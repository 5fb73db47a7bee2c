//! Completions for asyncio, without the engine ever taking the GIL.
//!
//! An [`AsyncChannel`] belongs to one event loop. Starting an operation creates the asyncio
//! future and queues the operation for the channel's pump task on capbridge's shared runtime
//! (one wakeup covers many starts). When an operation ends or emits an event, its outcome,
//! already converted to plain Rust values, is queued and, if the queue was empty, the loop is
//! woken: one byte is written to a loopback TCP socket pair (`std::net`, so the same code runs
//! on Linux, macOS and Windows) whose reading end the loop watches
//! (`loop.add_reader(channel.fileno(), channel.drain)`), and a condition variable is signalled
//! for loops without `add_reader` (Windows' proactor loop), where a helper thread blocks in
//! [`AsyncChannel::wait`] and hands `drain` to `loop.call_soon_threadsafe`. `drain` then
//! completes every finished future at once. Engine threads never wait for the GIL, and
//! thousands of completions cost a handful of wakeups.
//!
//! Cancelling an operation aborts its task, which drops the solve's future and stops its
//! polling. Closing the channel (the client was closed) cancels every operation through the
//! core's cancel token instead, so that each fails with the core's `cancelled` error carrying
//! its task id; operations without a token (balance, result, report) are aborted and fail with
//! the same kind of error.
//!
//! Fork: the pump runs on the shared runtime of the process that made the channel; the Python
//! layer drops every channel in a forked child (`os.register_at_fork`), and [`AsyncChannel`]
//! refuses to start work in a process other than its own.

use crate::errors::to_py_err;
use crate::types::{Event, Solution, decimal};
use capbridge::CancelToken;
use pyo3::intern;
use pyo3::prelude::*;
use std::collections::HashMap;
use std::future::Future;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::AbortHandle;

/// What an operation produced, converted as far as possible without the GIL.
pub(crate) enum Outcome {
    Solution(Solution),
    MaybeSolution(Option<Solution>),
    Text(String),
    Money(String),
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

pub(crate) type Op = Pin<Box<dyn Future<Output = Outcome> + Send>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The error of an operation stopped because its client was closed.
fn closed_error(task_id: Option<&str>) -> capbridge::Error {
    capbridge::Error::new(
        capbridge::ErrorKind::Cancelled,
        "the client was closed while this operation was running",
    )
    .with_task_id_opt(task_id)
}

/// A connected pair of loopback TCP sockets: the portable self-pipe.
fn socket_pair() -> std::io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    let addr = listener.local_addr()?;
    for _ in 0..8 {
        let writer = TcpStream::connect(addr)?;
        let (reader, peer) = listener.accept()?;
        // Another local process could connect first: keep only our own connection.
        if peer == writer.local_addr()? {
            writer.set_nodelay(true)?;
            reader.set_nonblocking(true)?;
            writer.set_nonblocking(true)?;
            return Ok((reader, writer));
        }
    }
    Err(std::io::Error::other(
        "could not connect the wakeup socket pair on 127.0.0.1",
    ))
}

pub(crate) struct Inner {
    done: Mutex<Vec<(u64, Outcome)>>,
    starts: Mutex<Vec<(u64, Op)>>,
    start_notify: Notify,
    aborts: Mutex<HashMap<u64, AbortHandle>>,
    reader: TcpStream,
    writer: TcpStream,
    signalled: Mutex<bool>,
    signal: Condvar,
    /// Closing: no new operations; every running one is being cancelled.
    closing: AtomicBool,
    /// Closed: the pump ends.
    closed: AtomicBool,
    pid: u32,
}

impl Inner {
    pub(crate) fn push(&self, id: u64, outcome: Outcome) {
        let was_empty = {
            let mut q = lock(&self.done);
            let was_empty = q.is_empty();
            q.push((id, outcome));
            was_empty
        };
        if was_empty {
            // Non-blocking: a full buffer already holds a wakeup.
            let _ = (&self.writer).write(&[1]);
            *lock(&self.signalled) = true;
            self.signal.notify_one();
        }
    }

    /// Starts queued operations on the runtime, until the channel closes.
    async fn pump(self: Arc<Self>) {
        loop {
            let notified = self.start_notify.notified();
            let batch = std::mem::take(&mut *lock(&self.starts));
            for (id, op) in batch {
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

    fn shut(&self) {
        self.closed.store(true, Ordering::Release);
        self.start_notify.notify_one();
        for (_, h) in lock(&self.aborts).drain() {
            h.abort();
        }
        lock(&self.starts).clear();
    }
}

/// A pending asyncio future, the callback for its events, and how to cancel it.
struct Pending {
    future: Py<PyAny>,
    events: Option<Py<PyAny>>,
    cancel: Option<CancelToken>,
    task_id: Option<String>,
}

/// The completion channel of one event loop.
#[pyclass(frozen, module = "capbridge._native")]
pub struct AsyncChannel {
    inner: Arc<Inner>,
    pending: Mutex<HashMap<u64, Pending>>,
    /// A weak reference to the loop (`weakref.ref`): the client keeps its channels in a
    /// `WeakKeyDictionary` keyed by their loops, and a channel that held its loop strongly
    /// would keep that entry (and its socket pair) alive after the loop is gone: one per
    /// `asyncio.run`.
    event_loop: Py<PyAny>,
    next_id: AtomicU64,
}

/// What [`AsyncChannel::start`] needs besides the operation.
pub(crate) struct Start {
    /// The event callback, if anyone listens.
    pub(crate) events: Option<Py<PyAny>>,
    /// The core's cancel token, for operations that take one.
    pub(crate) cancel: Option<CancelToken>,
    /// The task id the operation is about, when the caller gave one.
    pub(crate) task_id: Option<String>,
}

impl AsyncChannel {
    /// Creates the future of a new operation and queues the operation; returns `(id, future)`.
    pub(crate) fn start<'py>(
        &self,
        py: Python<'py>,
        start: Start,
        make: impl FnOnce(Option<capbridge::EventHandler>) -> Op,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        if self.inner.closing.load(Ordering::Acquire) {
            return Err(to_py_err(py, closed_error(start.task_id.as_deref())));
        }
        if std::process::id() != self.inner.pid {
            return Err(to_py_err(
                py,
                capbridge::Error::usage(
                    "this event loop's channel was made in the parent process before a fork; \
                     run a new event loop in the child",
                ),
            ));
        }
        let event_loop = self.event_loop.bind(py).call0()?;
        if event_loop.is_none() {
            return Err(to_py_err(
                py,
                capbridge::Error::usage("this channel's event loop is gone"),
            ));
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let future = event_loop.call_method0(intern!(py, "create_future"))?;
        let handler = start.events.is_some().then(|| {
            let inner = self.inner.clone();
            Arc::new(move |e: &capbridge::Event| inner.push(id, Outcome::Event(Event::from(e))))
                as capbridge::EventHandler
        });
        lock(&self.pending).insert(
            id,
            Pending {
                future: future.clone().unbind(),
                events: start.events,
                cancel: start.cancel,
                task_id: start.task_id,
            },
        );
        lock(&self.inner.starts).push((id, make(handler)));
        self.inner.start_notify.notify_one();
        Ok((id, future))
    }

    fn value<'py>(py: Python<'py>, outcome: Outcome) -> PyResult<(bool, Bound<'py, PyAny>)> {
        Ok(match outcome {
            Outcome::Solution(s) | Outcome::MaybeSolution(Some(s)) => {
                (true, Bound::new(py, s)?.into_any())
            }
            Outcome::MaybeSolution(None) | Outcome::Unit | Outcome::Event(_) => {
                (true, py.None().into_bound(py))
            }
            Outcome::Text(t) => (true, t.into_pyobject(py)?.into_any()),
            Outcome::Money(m) => (true, decimal(py, &m)?),
            Outcome::Error(e) => (
                false,
                to_py_err(py, e).into_value(py).into_bound(py).into_any(),
            ),
        })
    }
}

#[pymethods]
impl AsyncChannel {
    /// A channel for `event_loop` (the loop's `create_future` makes its futures).
    #[new]
    fn new(event_loop: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = event_loop.py();
        let (reader, writer) = socket_pair()?;
        let inner = Arc::new(Inner {
            done: Mutex::new(Vec::new()),
            starts: Mutex::new(Vec::new()),
            start_notify: Notify::new(),
            aborts: Mutex::new(HashMap::new()),
            reader,
            writer,
            signalled: Mutex::new(false),
            signal: Condvar::new(),
            closing: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            pid: std::process::id(),
        });
        let runtime = capbridge::runtime::shared().map_err(|e| to_py_err(py, e))?;
        runtime.spawn(inner.clone().pump());
        Ok(AsyncChannel {
            inner,
            pending: Mutex::new(HashMap::new()),
            event_loop: py
                .import(intern!(py, "weakref"))?
                .getattr(intern!(py, "ref"))?
                .call1((event_loop,))?
                .unbind(),
            next_id: AtomicU64::new(1),
        })
    }

    /// The socket the event loop watches for readability (`loop.add_reader`).
    fn fileno(&self) -> i64 {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            i64::from(self.inner.reader.as_raw_fd())
        }
        #[cfg(windows)]
        {
            use std::os::windows::io::AsRawSocket;
            self.inner.reader.as_raw_socket() as i64
        }
    }

    /// For loops without `add_reader`: blocks (without the GIL) until outcomes are queued or
    /// `timeout` seconds pass; true if there is something to drain.
    fn wait(&self, py: Python<'_>, timeout: f64) -> bool {
        let inner = self.inner.clone();
        let timeout = Duration::from_secs_f64(timeout.clamp(0.0, 60.0));
        py.detach(move || {
            let mut s = lock(&inner.signalled);
            if !*s {
                s = inner
                    .signal
                    .wait_timeout(s, timeout)
                    .map_or_else(|p| p.into_inner().0, |(g, _)| g);
            }
            std::mem::replace(&mut *s, false)
        })
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
            let (ok, value) = Self::value(py, outcome)?;
            let method = if ok {
                intern!(py, "set_result")
            } else {
                intern!(py, "set_exception")
            };
            fut.call_method1(method, (value,))?;
        }
        {
            let mut aborts = lock(&self.inner.aborts);
            for id in finished {
                aborts.remove(&id);
            }
        }
        if self.inner.closing.load(Ordering::Acquire) && lock(&self.pending).is_empty() {
            self.finish(py);
        }
        Ok(())
    }

    /// Stops an operation at once (its solve stops polling); its future is left to the caller.
    fn cancel(&self, id: u64) {
        lock(&self.pending).remove(&id);
        if let Some(h) = lock(&self.inner.aborts).remove(&id) {
            h.abort();
        } else {
            // Not started yet: take it off the queue.
            lock(&self.inner.starts).retain(|(i, _)| *i != id);
        }
    }

    /// Cancels every operation: each fails with the `cancelled` error (with its task id once
    /// the service gave one) when the loop next drains; then the channel stops watching.
    fn close(&self, py: Python<'_>) {
        self.inner.closing.store(true, Ordering::Release);
        let queued: Vec<u64> = std::mem::take(&mut *lock(&self.inner.starts))
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut errors = Vec::new();
        for (id, p) in lock(&self.pending).iter() {
            match &p.cancel {
                Some(token) if !queued.contains(id) => token.cancel(),
                _ => {
                    if let Some(h) = lock(&self.inner.aborts).remove(id) {
                        h.abort();
                    }
                    errors.push((*id, closed_error(p.task_id.as_deref())));
                }
            }
        }
        for (id, e) in errors {
            self.inner.push(id, Outcome::Error(e));
        }
        if lock(&self.pending).is_empty() {
            self.finish(py);
        }
    }

    /// Fails every future still pending with the `cancelled` error now and stops the channel
    /// (after [`AsyncChannel::close`], when the loop will not run long enough to drain).
    fn abandon(&self, py: Python<'_>) -> PyResult<()> {
        self.inner.closing.store(true, Ordering::Release);
        let pending: Vec<Pending> = lock(&self.pending).drain().map(|(_, p)| p).collect();
        for p in pending {
            let fut = p.future.bind(py);
            if !fut.call_method0(intern!(py, "done"))?.is_truthy()? {
                let e = to_py_err(py, closed_error(p.task_id.as_deref()));
                fut.call_method1(intern!(py, "set_exception"), (e.into_value(py),))?;
            }
        }
        self.finish(py);
        Ok(())
    }

    /// Operations not finished yet.
    fn pending(&self) -> usize {
        lock(&self.pending).len()
    }

    /// Whether the channel has stopped (closed, and every operation settled).
    fn finished(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }
}

impl AsyncChannel {
    /// Stops watching the socket and ends the pump.
    fn finish(&self, py: Python<'_>) {
        if self.inner.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        // Loops without add_reader (or already closed, or gone) refuse: nothing was
        // registered there.
        if let Ok(event_loop) = self.event_loop.bind(py).call0()
            && !event_loop.is_none()
        {
            let _ = event_loop.call_method1(intern!(py, "remove_reader"), (self.fileno(),));
        }
        self.inner.shut();
        *lock(&self.inner.signalled) = true;
        self.inner.signal.notify_one();
    }
}

impl Drop for AsyncChannel {
    fn drop(&mut self) {
        // Ends the pump task and stops what is still running.
        self.inner.shut();
    }
}
