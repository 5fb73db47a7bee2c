//! `NativeClient`: the client behind `capbridge.Client` and `capbridge.AsyncClient`. It
//! converts arguments and results and nothing else; every decision is the core's.
//!
//! Options arrive as one dict, converted generically ([`crate::convert`]) and handed to the
//! core's one options constructor (`capbridge::options::client_builder`), which names,
//! types and checks every option; per-call options go through `capbridge::options::solve_options`.
//!
//! Fork safety: the client holds only a `capbridge::Client`, which starts a fresh engine by
//! itself when used in a forked child. Blocking calls run on `capbridge::runtime::shared()`,
//! asked for at call time (a fresh runtime in a child), never a handle kept from before.

use crate::aio::{AsyncChannel, Op, Outcome, Start};
use crate::convert::kwargs;
use crate::errors::{to_py_err, to_py_err_in, unfit_option};
use crate::tasks::NativeTask;
use crate::types::{Event, Solution, decimal};
use capbridge::{CancelToken, Client, SolveOptions};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::mpsc;
use std::time::Duration;

enum Msg<T> {
    Done(capbridge::Result<T>),
    Event(capbridge::Event),
}

/// Per-call options (`timeout`, `initial_delay`, `poll_interval`, `request_timeout`) through the
/// core.
fn call_options(
    py: Python<'_>,
    call: &str,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<SolveOptions> {
    let map = kwargs(options)?.map_err(|u| to_py_err_in(py, unfit_option(u), call))?;
    if map.is_empty() {
        return Ok(SolveOptions::new());
    }
    capbridge::options::solve_options(map).map_err(|e| to_py_err_in(py, e, call))
}

/// The client used by `capbridge.Client` and `capbridge.AsyncClient`.
#[pyclass(frozen, module = "capbridge._native")]
pub struct NativeClient {
    client: Client,
    name: &'static str,
    /// Cancelled by `close()`: every blocking solve, submit and wait holds it, so closing the
    /// client (from another thread, or leaving `with` while workers solve) stops them at once
    /// with `cancelled` and their task ids, as `AsyncClient.close()` does for its operations.
    closed: CancelToken,
}

impl NativeClient {
    fn call(&self, verb: &str) -> String {
        format!("{}.{verb}(...)", self.name)
    }

    /// Runs an operation on the shared runtime and waits for it with the GIL released, in
    /// short slices: between them, signals are checked (Ctrl-C stops the operation) and
    /// events are handed to `on_event` on this thread.
    fn block<T, F>(
        &self,
        py: Python<'_>,
        make: impl FnOnce(Option<capbridge::EventHandler>) -> F,
        on_event: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<T>
    where
        T: Send + 'static,
        F: std::future::Future<Output = capbridge::Result<T>> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel::<Msg<T>>();
        let handler: Option<capbridge::EventHandler> = on_event.map(|_| {
            let tx = std::sync::Mutex::new(tx.clone());
            std::sync::Arc::new(move |e: &capbridge::Event| {
                let _ = tx
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .send(Msg::Event(e.clone()));
            }) as capbridge::EventHandler
        });
        let fut = make(handler);
        let runtime = capbridge::runtime::shared().map_err(|e| to_py_err(py, e))?;
        let task = runtime.spawn(async move {
            let _ = tx.send(Msg::Done(fut.await));
        });
        let mut rx = rx;
        loop {
            let (got, back) = py.detach(move || {
                let r = rx.recv_timeout(Duration::from_millis(50));
                (r, rx)
            });
            rx = back;
            match got {
                Ok(Msg::Done(r)) => return r.map_err(|e| to_py_err(py, e)),
                Ok(Msg::Event(e)) => {
                    if let Some(cb) = on_event
                        && let Err(err) =
                            Bound::new(py, Event::from(&e)).and_then(|ev| cb.call1((ev,)))
                    {
                        // A failing callback is reported, and the solve goes on.
                        err.write_unraisable(py, Some(cb));
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Err(interrupt) = py.check_signals() {
                        task.abort();
                        return Err(interrupt);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(to_py_err(
                        py,
                        capbridge::Error::new(
                            capbridge::ErrorKind::Cancelled,
                            "the operation was stopped",
                        ),
                    ));
                }
            }
        }
    }
}

#[pymethods]
impl NativeClient {
    /// Checks options as `new` does, without making a client: nothing started, bound or
    /// connected (for the 2captcha shim, whose solvers take options when made and make their
    /// client at the first call). Raises what `new` would raise, but for what only starting
    /// finds (a callback address already taken).
    #[staticmethod]
    #[pyo3(signature = (options, name="Client"))]
    fn check(py: Python<'_>, options: &Bound<'_, PyDict>, name: &str) -> PyResult<()> {
        let call = format!("{name}(...)");
        let map = kwargs(Some(options))?.map_err(|u| to_py_err_in(py, unfit_option(u), &call))?;
        capbridge::options::client_builder(map)
            .and_then(|b| b.validate())
            .map_err(|e| to_py_err_in(py, e, &call))
    }

    /// A client from its options (the keyword arguments of `capbridge.Client`); `name` is
    /// the Python class, for messages. `on_notice` receives the events that belong to the
    /// client rather than to a solve (`shared_limits`: the key's limits moving between Redis
    /// and this process), on a thread of its own.
    #[new]
    #[pyo3(signature = (options, name="Client", on_notice=None))]
    fn new(
        py: Python<'_>,
        options: &Bound<'_, PyDict>,
        name: &str,
        on_notice: Option<Py<PyAny>>,
    ) -> PyResult<Self> {
        let name: &'static str = if name == "AsyncClient" {
            "AsyncClient"
        } else {
            "Client"
        };
        let call = format!("{name}(...)");
        let map = kwargs(Some(options))?.map_err(|u| to_py_err_in(py, unfit_option(u), &call))?;
        // Only a client that shares limits through Redis has such events; others keep the
        // engine free of a client-level handler.
        let notices = on_notice.filter(|_| map.contains_key("shared_limits"));
        let client = capbridge::options::client_builder(map)
            .map(|b| match notices {
                Some(deliver) => b.on_event_handler(crate::notices::handler(deliver)),
                None => b,
            })
            .and_then(capbridge::ClientBuilder::build)
            .map_err(|e| to_py_err_in(py, e, &call))?;
        Ok(NativeClient {
            client,
            name,
            closed: CancelToken::new(),
        })
    }

    /// The first provider's name (`"custom"` for a base URL).
    #[getter]
    fn provider(&self) -> String {
        self.client.provider().name().to_owned()
    }

    /// The first provider's base URL.
    #[getter]
    fn base_url(&self) -> String {
        self.client.provider().base_url().to_owned()
    }

    /// Every provider's name, in failover order.
    #[getter]
    fn providers(&self) -> Vec<String> {
        self.client
            .providers()
            .iter()
            .map(|p| p.name().to_owned())
            .collect()
    }

    /// Solves a task, blocking with the GIL released.
    #[pyo3(signature = (task, options=None, on_event=None))]
    fn solve(
        &self,
        py: Python<'_>,
        task: &NativeTask,
        options: Option<&Bound<'_, PyDict>>,
        on_event: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Solution> {
        let mut opts = call_options(py, &self.call("solve"), options)?;
        opts.cancel = Some(self.closed.clone());
        let (client, task) = (self.client.clone(), task.task.clone());
        let make = move |handler| {
            opts.on_event = handler;
            async move { client.solve_with(task, opts).await }
        };
        self.block(py, make, on_event.as_ref()).map(Solution::from)
    }

    /// Submits a task; returns its id. Its events (`submitting`, `retrying`, `submitted`)
    /// reach `on_event`, as a solve's do.
    #[pyo3(signature = (task, options=None, on_event=None))]
    fn submit(
        &self,
        py: Python<'_>,
        task: &NativeTask,
        options: Option<&Bound<'_, PyDict>>,
        on_event: Option<Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let mut opts = call_options(py, &self.call("submit"), options)?;
        opts.cancel = Some(self.closed.clone());
        let (client, task) = (self.client.clone(), task.task.clone());
        let make = move |handler| {
            opts.on_event = handler;
            async move { client.submit_with(task, opts).await }
        };
        self.block(py, make, on_event.as_ref())
    }

    /// Waits for the answer of a task submitted earlier, through the engine.
    #[pyo3(signature = (task_id, options=None, on_event=None))]
    fn wait(
        &self,
        py: Python<'_>,
        task_id: String,
        options: Option<&Bound<'_, PyDict>>,
        on_event: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Solution> {
        let mut opts = call_options(py, &self.call("wait"), options)?;
        opts.cancel = Some(self.closed.clone());
        let client = self.client.clone();
        let make = move |handler| {
            opts.on_event = handler;
            async move { client.wait(task_id, opts).await }
        };
        self.block(py, make, on_event.as_ref()).map(Solution::from)
    }

    /// Stops every blocking solve, submit and wait still running on this client: each fails
    /// with `cancelled` (with its task id once there is one). One-request calls (`result`,
    /// `balance`, `report`) finish within their request timeout.
    fn close(&self) {
        self.closed.cancel();
    }

    /// Asks once for a task's answer; `None` while it is not ready.
    fn result(&self, py: Python<'_>, task_id: String) -> PyResult<Option<Solution>> {
        let fut = self.client.result(task_id);
        Ok(self.block(py, move |_| fut, None)?.map(Solution::from))
    }

    /// The account balance as a `decimal.Decimal`.
    fn balance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let fut = self.client.balance();
        let money = self.block(py, move |_| fut, None)?;
        decimal(py, money.as_str())
    }

    /// Reports an answer good or bad.
    fn report(&self, py: Python<'_>, task_id: String, good: bool) -> PyResult<()> {
        let fut = self.client.report(task_id, good);
        self.block(py, move |_| fut, None)
    }

    /// Starts a solve whose outcome completes the returned asyncio future; returns
    /// `(operation id, future)`.
    #[pyo3(signature = (channel, task, options=None, on_event=None))]
    fn solve_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
        task: &NativeTask,
        options: Option<&Bound<'_, PyDict>>,
        on_event: Option<Py<PyAny>>,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let mut opts = call_options(py, &self.call("solve"), options)?;
        let token = CancelToken::new();
        opts.cancel = Some(token.clone());
        let (client, task) = (self.client.clone(), task.task.clone());
        let start = Start {
            events: on_event,
            cancel: Some(token),
            task_id: None,
        };
        channel.start(py, start, move |handler| -> Op {
            opts.on_event = handler;
            let fut = client.solve_with(task, opts);
            Box::pin(
                async move { Outcome::from_result(fut.await, |s| Outcome::Solution(s.into())) },
            )
        })
    }

    /// Starts a submit; the future's result is the task id.
    #[pyo3(signature = (channel, task, options=None, on_event=None))]
    fn submit_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
        task: &NativeTask,
        options: Option<&Bound<'_, PyDict>>,
        on_event: Option<Py<PyAny>>,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let mut opts = call_options(py, &self.call("submit"), options)?;
        let token = CancelToken::new();
        opts.cancel = Some(token.clone());
        let (client, task) = (self.client.clone(), task.task.clone());
        let start = Start {
            events: on_event,
            cancel: Some(token),
            task_id: None,
        };
        channel.start(py, start, move |handler| -> Op {
            opts.on_event = handler;
            let fut = client.submit_with(task, opts);
            Box::pin(async move { Outcome::from_result(fut.await, Outcome::Text) })
        })
    }

    /// Starts waiting for a task submitted earlier; the future's result is a `Solution`.
    #[pyo3(signature = (channel, task_id, options=None, on_event=None))]
    fn wait_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
        task_id: String,
        options: Option<&Bound<'_, PyDict>>,
        on_event: Option<Py<PyAny>>,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let mut opts = call_options(py, &self.call("wait"), options)?;
        let token = CancelToken::new();
        opts.cancel = Some(token.clone());
        let client = self.client.clone();
        let start = Start {
            events: on_event,
            cancel: Some(token),
            task_id: Some(task_id.clone()),
        };
        channel.start(py, start, move |handler| -> Op {
            opts.on_event = handler;
            let fut = client.wait(task_id, opts);
            Box::pin(
                async move { Outcome::from_result(fut.await, |s| Outcome::Solution(s.into())) },
            )
        })
    }

    /// Starts a single poll; the future's result is a `Solution` or `None`.
    fn result_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
        task_id: String,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let fut = self.client.result(task_id.clone());
        let start = Start {
            events: None,
            cancel: None,
            task_id: Some(task_id),
        };
        channel.start(py, start, move |_| -> Op {
            Box::pin(async move {
                Outcome::from_result(fut.await, |s| Outcome::MaybeSolution(s.map(Into::into)))
            })
        })
    }

    /// Starts a balance request; the future's result is a `decimal.Decimal`.
    fn balance_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let fut = self.client.balance();
        let start = Start {
            events: None,
            cancel: None,
            task_id: None,
        };
        channel.start(py, start, move |_| -> Op {
            Box::pin(async move {
                Outcome::from_result(fut.await, |m| Outcome::Money(m.as_str().to_owned()))
            })
        })
    }

    /// Starts a report; the future's result is `None`.
    fn report_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
        task_id: String,
        good: bool,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let fut = self.client.report(task_id.clone(), good);
        let start = Start {
            events: None,
            cancel: None,
            task_id: Some(task_id),
        };
        channel.start(py, start, move |_| -> Op {
            Box::pin(async move { Outcome::from_result(fut.await, |()| Outcome::Unit) })
        })
    }
}
