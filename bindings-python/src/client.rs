//! `NativeClient`: the Python-facing client. It converts arguments and results and nothing
//! else; every decision is the core's.

use crate::aio::{AsyncChannel, Outcome};
use crate::errors::{to_py_err, usage};
use crate::types::{Event, Solution};
use capbridge::{Client, Limits, Provider, RetryPolicy, SolveOptions, Task};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::future::Future;
use std::sync::mpsc;
use std::time::Duration;

/// Seconds (a Python float) as a duration; negative, NaN or infinite values are refused.
fn secs(py: Python<'_>, name: &str, v: Option<f64>) -> PyResult<Option<Duration>> {
    match v {
        None => Ok(None),
        Some(s) if s.is_finite() && s >= 0.0 => Ok(Some(Duration::from_secs_f64(s))),
        Some(_) => Err(usage(
            py,
            format!("{name} must be a non-negative number of seconds"),
        )),
    }
}

fn get<'py, T: for<'a> FromPyObject<'a, 'py>>(
    d: &Bound<'py, PyDict>,
    key: &str,
) -> PyResult<Option<T>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => v.extract::<T>().map(Some).map_err(Into::into),
        _ => Ok(None),
    }
}

fn limits_from(py: Python<'_>, d: &Bound<'_, PyDict>) -> PyResult<Limits> {
    let mut l = Limits::seed();
    let dur = |k: &str| -> PyResult<Option<Duration>> { secs(py, k, get::<f64>(d, k)?) };
    if let Some(v) = dur("submit_interval")? {
        l.submit_interval = v;
    }
    if let Some(v) = dur("submit_window")? {
        l.submit_window = v;
    }
    if let Some(v) = get::<u32>(d, "submits_per_window")? {
        l.submits_per_window = v;
    }
    if let Some(v) = get::<u64>(d, "polls_per_task")? {
        l.polls_per_task = v;
    }
    if let Some(v) = get::<u64>(d, "poll_allowance")? {
        l.poll_allowance = v;
    }
    if let Some(v) = dur("no_slot_wait")? {
        l.no_slot_wait = v;
    }
    if let Some(v) = dur("max_user_turn_wait")? {
        l.max_user_turn_wait = v;
    }
    if let Some(v) = dur("zero_balance_wait")? {
        l.zero_balance_wait = v;
    }
    Ok(l)
}

fn retry_from(py: Python<'_>, d: &Bound<'_, PyDict>) -> PyResult<RetryPolicy> {
    let mut r = RetryPolicy::default();
    if let Some(v) = secs(py, "base_delay", get::<f64>(d, "base_delay")?)? {
        r.base_delay = v;
    }
    if let Some(v) = secs(py, "max_delay", get::<f64>(d, "max_delay")?)? {
        r.max_delay = v;
    }
    if let Some(v) = get::<u32>(d, "unknown_submit_retries")? {
        r.unknown_submit_retries = v;
    }
    if let Some(v) = get::<u32>(d, "max_attempts")? {
        r.max_attempts = v;
    }
    Ok(r)
}

fn parse_task(py: Python<'_>, json: &str) -> PyResult<Task> {
    Task::from_json(json).map_err(|e| to_py_err(py, e))
}

enum Msg<T> {
    Done(capbridge::Result<T>),
    Event(capbridge::Event),
}

/// The client used by `capbridge.Client` and `capbridge.AsyncClient`.
#[pyclass(frozen, module = "capbridge._native")]
pub struct NativeClient {
    client: Client,
    runtime: tokio::runtime::Handle,
}

impl NativeClient {
    fn solve_options(
        py: Python<'_>,
        timeout: Option<f64>,
        initial_delay: Option<f64>,
        poll_interval: Option<f64>,
    ) -> PyResult<SolveOptions> {
        Ok(SolveOptions {
            timeout: secs(py, "timeout", timeout)?,
            initial_delay: secs(py, "initial_delay", initial_delay)?,
            poll_interval: secs(py, "poll_interval", poll_interval)?,
            ..SolveOptions::default()
        })
    }

    /// Runs an operation on the core's runtime and waits for it with the GIL released, in
    /// short slices: between them, signals are checked (Ctrl-C stops the operation) and
    /// events are handed to `on_event` on this thread.
    fn wait<T: Send + 'static>(
        &self,
        py: Python<'_>,
        make: impl FnOnce(
            Option<capbridge::EventHandler>,
        )
            -> std::pin::Pin<Box<dyn Future<Output = capbridge::Result<T>> + Send>>,
        on_event: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<T> {
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
        let task = self.runtime.spawn(async move {
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
    #[new]
    #[pyo3(signature = (provider, api_key, *, base_url=None, timeout=None, request_timeout=None, initial_delay=None, poll_interval=None, batch_polling=None, json_replies=true, header_acao=false, debug_dump=false, soft_id=None, max_concurrent_requests=None, limits=None, retry=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        provider: &str,
        api_key: &str,
        base_url: Option<&str>,
        timeout: Option<f64>,
        request_timeout: Option<f64>,
        initial_delay: Option<f64>,
        poll_interval: Option<f64>,
        batch_polling: Option<bool>,
        json_replies: bool,
        header_acao: bool,
        debug_dump: bool,
        soft_id: Option<u32>,
        max_concurrent_requests: Option<usize>,
        limits: Option<Bound<'_, PyDict>>,
        retry: Option<Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let err = |e| to_py_err(py, e);
        let mut p = Provider::from_name_or_url(provider).map_err(err)?;
        if let Some(l) = &limits {
            p = p.with_limits(limits_from(py, l)?).map_err(err)?;
        }
        let runtime = capbridge::runtime::shared().map_err(err)?.handle().clone();
        let mut b = Client::builder(p, api_key)
            .runtime(runtime.clone())
            .json_replies(json_replies)
            .header_acao(header_acao)
            .debug_dump(debug_dump);
        if let Some(u) = base_url {
            b = b.base_url(u);
        }
        if let Some(d) = secs(py, "timeout", timeout)? {
            b = b.timeout(d);
        }
        if let Some(d) = secs(py, "request_timeout", request_timeout)? {
            b = b.request_timeout(d);
        }
        if let Some(d) = secs(py, "initial_delay", initial_delay)? {
            b = b.initial_delay(d);
        }
        if let Some(d) = secs(py, "poll_interval", poll_interval)? {
            b = b.poll_interval(d);
        }
        if let Some(on) = batch_polling {
            b = b.batch_polling(on);
        }
        if let Some(id) = soft_id {
            b = b.soft_id(id);
        }
        if let Some(n) = max_concurrent_requests {
            b = b.max_concurrent_requests(n);
        }
        if let Some(r) = &retry {
            b = b.retry(retry_from(py, r)?);
        }
        let client = b.build().map_err(err)?;
        Ok(NativeClient { client, runtime })
    }

    /// The provider's name (`"custom"` for a base URL).
    #[getter]
    fn provider(&self) -> String {
        self.client.provider().name().to_owned()
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> String {
        self.client.provider().base_url().to_owned()
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeClient(provider={:?}, base_url={:?})",
            self.client.provider().name(),
            self.client.provider().base_url()
        )
    }

    /// Solves a task (its JSON form), blocking with the GIL released.
    #[pyo3(signature = (task_json, *, timeout=None, initial_delay=None, poll_interval=None, on_event=None))]
    fn solve(
        &self,
        py: Python<'_>,
        task_json: &str,
        timeout: Option<f64>,
        initial_delay: Option<f64>,
        poll_interval: Option<f64>,
        on_event: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Solution> {
        let task = parse_task(py, task_json)?;
        let mut opts = Self::solve_options(py, timeout, initial_delay, poll_interval)?;
        let client = self.client.clone();
        let s = self.wait(
            py,
            move |handler| {
                opts.on_event = handler;
                Box::pin(client.solve_with(task, opts))
            },
            on_event.as_ref(),
        )?;
        Ok(Solution::from(s))
    }

    /// Submits a task; returns its id.
    fn submit(&self, py: Python<'_>, task_json: &str) -> PyResult<String> {
        let task = parse_task(py, task_json)?;
        let client = self.client.clone();
        self.wait(py, move |_| Box::pin(client.submit(task)), None)
    }

    /// Asks once for a task's answer; `None` while it is not ready.
    fn result(&self, py: Python<'_>, task_id: &str) -> PyResult<Option<Solution>> {
        let fut = self.client.result(task_id);
        Ok(self
            .wait(py, move |_| Box::pin(fut), None)?
            .map(Solution::from))
    }

    /// The account balance.
    fn balance(&self, py: Python<'_>) -> PyResult<f64> {
        let fut = self.client.balance();
        self.wait(py, move |_| Box::pin(fut), None)
    }

    /// Reports an answer good or bad.
    fn report(&self, py: Python<'_>, task_id: &str, good: bool) -> PyResult<()> {
        let fut = self.client.report(task_id, good);
        self.wait(py, move |_| Box::pin(fut), None)
    }

    /// Starts a solve whose outcome completes the returned asyncio future; returns
    /// `(operation id, future)`. The task's JSON is parsed off the event loop's thread; an
    /// invalid task fails the future.
    #[pyo3(signature = (channel, task_json, *, timeout=None, initial_delay=None, poll_interval=None, on_event=None))]
    #[allow(clippy::too_many_arguments)]
    fn solve_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
        task_json: String,
        timeout: Option<f64>,
        initial_delay: Option<f64>,
        poll_interval: Option<f64>,
        on_event: Option<Py<PyAny>>,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let mut opts = Self::solve_options(py, timeout, initial_delay, poll_interval)?;
        let client = self.client.clone();
        channel.start(py, on_event, move |_, handler| {
            opts.on_event = handler;
            Box::pin(async move {
                let task = match Task::from_json(&task_json) {
                    Ok(t) => t,
                    Err(e) => return Outcome::Error(e),
                };
                Outcome::from_result(client.solve_with(task, opts).await, |s| {
                    Outcome::Solution(s.into())
                })
            })
        })
    }

    /// Starts a submit; the future's result is the task id.
    fn submit_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
        task_json: String,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let client = self.client.clone();
        channel.start(py, None, move |_, _| {
            Box::pin(async move {
                match Task::from_json(&task_json) {
                    Ok(task) => Outcome::from_result(client.submit(task).await, Outcome::Text),
                    Err(e) => Outcome::Error(e),
                }
            })
        })
    }

    /// Starts a single poll; the future's result is a `Solution` or `None`.
    fn result_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
        task_id: &str,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let fut = self.client.result(task_id);
        channel.start(py, None, move |_, _| {
            Box::pin(async move {
                Outcome::from_result(fut.await, |s| Outcome::MaybeSolution(s.map(Into::into)))
            })
        })
    }

    /// Starts a balance request; the future's result is the balance.
    fn balance_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let fut = self.client.balance();
        channel.start(py, None, move |_, _| {
            Box::pin(async move { Outcome::from_result(fut.await, Outcome::Float) })
        })
    }

    /// Starts a report; the future's result is `None`.
    fn report_async<'py>(
        &self,
        py: Python<'py>,
        channel: &AsyncChannel,
        task_id: &str,
        good: bool,
    ) -> PyResult<(u64, Bound<'py, PyAny>)> {
        let fut = self.client.report(task_id, good);
        channel.start(py, None, move |_, _| {
            Box::pin(async move { Outcome::from_result(fut.await, |()| Outcome::Unit) })
        })
    }
}

/// Checks a task's JSON form the way a solve would, without sending anything.
#[pyfunction]
pub fn validate_task(py: Python<'_>, task_json: &str) -> PyResult<()> {
    parse_task(py, task_json)?
        .validate()
        .map_err(|e| to_py_err(py, e))
}

/// Benchmark helper: `n` solves of a reCAPTCHA v2 task through the core alone (no Python per
/// solve), at most `concurrency` at once, against `base_url` with the limits lifted. Returns
/// `(seconds, solved)`.
#[pyfunction]
#[pyo3(signature = (base_url, api_key, n, concurrency, initial_delay=0.001, poll_interval=0.001, batch_polling=true))]
#[allow(clippy::too_many_arguments)]
pub fn core_throughput(
    py: Python<'_>,
    base_url: &str,
    api_key: &str,
    n: usize,
    concurrency: usize,
    initial_delay: f64,
    poll_interval: f64,
    batch_polling: bool,
) -> PyResult<(f64, usize)> {
    let err = |e| to_py_err(py, e);
    let provider = Provider::custom(base_url)
        .map_err(err)?
        .with_limits(Limits::unlimited())
        .map_err(err)?;
    let rt = capbridge::runtime::shared().map_err(err)?;
    let client = Client::builder(provider, api_key)
        .runtime(rt.handle().clone())
        .initial_delay(Duration::from_secs_f64(initial_delay.max(0.0)))
        .poll_interval(Duration::from_secs_f64(poll_interval.max(0.001)))
        .batch_polling(batch_polling)
        .build()
        .map_err(err)?;
    let task: Task = capbridge::RecaptchaV2::new(
        "https://example.com/login",
        "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
    )
    .into();
    Ok(py.detach(move || {
        rt.block_on(async move {
            let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
            let start = std::time::Instant::now();
            let mut handles = Vec::with_capacity(n);
            for _ in 0..n {
                let permit = sem.clone().acquire_owned().await;
                let fut = client.solve(task.clone());
                handles.push(tokio::spawn(async move {
                    let r = fut.await;
                    drop(permit);
                    r.is_ok()
                }));
            }
            let mut solved = 0;
            for h in handles {
                if matches!(h.await, Ok(true)) {
                    solved += 1;
                }
            }
            (start.elapsed().as_secs_f64(), solved)
        })
    }))
}
