//! The engine: everything between "solve this task" and the answer.
//!
//! | file | holds |
//! |---|---|
//! | `scheduler.rs` | the one polling scheduler per client |
//! | `governor.rs` | the `in.php` rate limit |
//! | `budget.rs` | the `res.php` request budget |
//! | `account.rs` | per-key state shared by clients, and the guard that fails fast |
//! | `waits.rs` | initial waits, poll intervals and deadlines per task kind |
//! | `retry.rs` | backoff and the policy for submits with an unknown outcome |

pub(crate) mod account;
pub(crate) mod budget;
pub(crate) mod governor;
pub(crate) mod retry;
pub(crate) mod scheduler;
pub(crate) mod waits;

use crate::cancel::CancelToken;
use crate::codec::form::{self, FormOptions, FormRequest, Reply};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{EventHandler, Observer, Stage, Step};
use crate::provider::Provider;
use crate::secret::ApiKey;
use crate::solution::Solution;
use crate::task::Task;
use crate::transport::{SendError, Transport};
use account::Account;
use retry::RetryPolicy;
use scheduler::{CancelOnDrop, LastError, SchedulerHandle, Track};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;
use tokio::time::Instant;
use waits::{WaitTable, Waits};

/// Per-solve settings that override the client's.
#[derive(Clone, Default)]
pub struct SolveOptions {
    /// Overall deadline of this solve.
    pub timeout: Option<Duration>,
    /// Wait before the first poll.
    pub initial_delay: Option<Duration>,
    /// Wait between polls.
    pub poll_interval: Option<Duration>,
    /// Cancels the solve from elsewhere (the blocking client's way to stop a solve).
    pub cancel: Option<CancelToken>,
    /// Receives this solve's events.
    pub on_event: Option<EventHandler>,
}

impl SolveOptions {
    /// No overrides.
    pub fn new() -> SolveOptions {
        SolveOptions::default()
    }
    /// Sets the deadline.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }
    /// Sets the initial wait.
    pub fn initial_delay(mut self, d: Duration) -> Self {
        self.initial_delay = Some(d);
        self
    }
    /// Sets the poll interval.
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.poll_interval = Some(d);
        self
    }
    /// Sets a cancel token.
    pub fn cancel(mut self, token: CancelToken) -> Self {
        self.cancel = Some(token);
        self
    }
    /// Sets an event callback for this solve.
    pub fn on_event(mut self, f: impl Fn(&crate::events::Event) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(f));
        self
    }
}

impl std::fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SolveOptions")
            .field("timeout", &self.timeout)
            .field("initial_delay", &self.initial_delay)
            .field("poll_interval", &self.poll_interval)
            .field("cancel", &self.cancel)
            .field("on_event", &self.on_event.as_ref().map(|_| "<callback>"))
            .finish()
    }
}

/// What the scheduler and the solves of one client share.
pub(crate) struct Shared {
    pub(crate) provider: Provider,
    pub(crate) key: ApiKey,
    pub(crate) form: FormOptions,
    pub(crate) waits: WaitTable,
    pub(crate) request_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) transport: Transport,
    pub(crate) account: Arc<Account>,
    pub(crate) on_event: Option<EventHandler>,
}

impl Shared {
    /// Removes the key from an error's message (replies can echo requests).
    pub(crate) fn redact(&self, e: Error) -> Error {
        e.redact(&[self.key.expose()])
    }
}

/// A client's engine.
pub(crate) struct Core {
    pub(crate) shared: Arc<Shared>,
    pub(crate) scheduler: SchedulerHandle,
    pub(crate) runtime: tokio::runtime::Handle,
    pub(crate) pid: u32,
}

static SOLVE_IDS: AtomicU64 = AtomicU64::new(1);

enum Ending<T> {
    Done(T),
    Deadline,
    Cancelled,
}

/// Runs `fut` until it ends, the deadline passes or the token is cancelled.
async fn bounded<T>(
    fut: impl Future<Output = T>,
    deadline: Instant,
    cancel: Option<&CancelToken>,
) -> Ending<T> {
    let cancelled = async {
        match cancel {
            Some(c) => c.cancelled().await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        r = fut => Ending::Done(r),
        _ = tokio::time::sleep_until(deadline) => Ending::Deadline,
        _ = cancelled => Ending::Cancelled,
    }
}

fn timeout_error(task_id: Option<&str>, timeout: Duration, last: &LastError) -> Error {
    let mut msg = format!(
        "the solve's deadline of {:.1} s passed",
        timeout.as_secs_f64()
    );
    match task_id {
        Some(_) => {
            msg.push_str(" before the answer arrived; ask for it later with result(task_id)")
        }
        None => msg.push_str(" before the service accepted the task"),
    }
    if let Some(last) = last.lock().unwrap_or_else(|p| p.into_inner()).as_deref() {
        msg.push_str(&format!(" (last failure: {last})"));
    }
    Error::new(ErrorKind::Timeout, msg).with_task_id_opt(task_id)
}

fn cancelled_error(task_id: Option<&str>) -> Error {
    Error::new(ErrorKind::Cancelled, "the solve was cancelled").with_task_id_opt(task_id)
}

impl Core {
    pub(crate) fn waits_for(&self, task: &Task, opts: &SolveOptions) -> Waits {
        let mut w = self.shared.waits.get(task.kind());
        if let Some(d) = opts.timeout {
            w.timeout = d;
        }
        if let Some(d) = opts.initial_delay {
            w.initial_delay = d;
        }
        if let Some(d) = opts.poll_interval {
            w.poll_interval = d;
        }
        w
    }

    /// The strings no message may show: the key and the task's proxy password.
    fn secrets(&self, task: &Task) -> Vec<String> {
        let mut s = vec![self.shared.key.expose().to_owned()];
        if let Some(pw) = task.proxy().and_then(|p| p.password()) {
            s.push(pw.expose().to_owned());
        }
        s
    }

    /// Sends a submit until the service gives a task id, within the caller's deadline.
    ///
    /// The request is encoded for each attempt once the governor and a request slot let it
    /// go, so that queued solves hold only their task (an image is not also held as base64).
    async fn submit_until(
        &self,
        task: &Task,
        obs: &Observer,
        secrets: &[&str],
        last: &LastError,
    ) -> Result<String> {
        let sh = &self.shared;
        let limits = sh.provider.limits();
        let (mut attempt, mut unknown, mut transient) = (0u32, 0u32, 0u32);
        loop {
            attempt += 1;
            sh.account.guard.check_submit()?;
            sh.account.governor.acquire().await;
            sh.account.guard.check_submit()?;
            obs.emit(None, Step::Submitting { attempt });
            let slot = sh.transport.slot().await;
            let req = form::submit_request(task, &sh.key, &sh.form)?;
            let sent = sh.transport.send_in(&req, sh.request_timeout).await;
            drop((req, slot));
            let err = match sent {
                Err(SendError::NotSent(m)) => SendError::NotSent(m).to_error(),
                Err(SendError::Unknown(m)) => {
                    unknown += 1;
                    let e = SendError::Unknown(m).to_error();
                    if unknown > sh.retry.unknown_submit_retries {
                        return Err(unknown_outcome(unknown, &e));
                    }
                    e
                }
                Ok(reply) => {
                    let parsed = form::parse_reply(reply.status, &reply.body);
                    match &parsed {
                        Reply::Ok(_) => {
                            let id = form::submit_outcome(&parsed)?;
                            sh.account.budget.on_task();
                            return Ok(id);
                        }
                        Reply::Code(c)
                            if c == "ERROR_NO_SLOT_AVAILABLE" || c == "MAX_USER_TURN" =>
                        {
                            // The account's queue or rate is full: every submit of the key waits.
                            let wait = if c == "MAX_USER_TURN" {
                                limits.max_user_turn_wait
                            } else {
                                limits.no_slot_wait
                            };
                            sh.account.governor.pause(wait);
                            let e = Error::from_code(c);
                            obs.emit(None, Step::retrying(Stage::Submit, attempt, wait, &e));
                            *last.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                            continue;
                        }
                        Reply::Code(c) => {
                            sh.account.guard.on_code(c, limits.zero_balance_wait);
                            return Err(Error::from_code(c));
                        }
                        Reply::Fault(f) => {
                            let e = f.to_error();
                            if f.outcome_unknown() {
                                unknown += 1;
                                if unknown > sh.retry.unknown_submit_retries {
                                    return Err(unknown_outcome(unknown, &e));
                                }
                            } else if !f.retryable() {
                                return Err(e.redact(secrets));
                            }
                            e
                        }
                        other => return form::submit_outcome(other),
                    }
                }
            };
            let err = err.redact(secrets);
            transient += 1;
            let delay = sh.retry.backoff(transient, obs_seed(obs, attempt));
            obs.emit(None, Step::retrying(Stage::Submit, attempt, delay, &err));
            *last.lock().unwrap_or_else(|p| p.into_inner()) = Some(err.to_string());
            tokio::time::sleep(delay).await;
        }
    }

    /// Submits and polls until solved, failed, past the deadline or cancelled.
    pub(crate) async fn solve(self: Arc<Self>, task: Task, opts: SolveOptions) -> Result<Solution> {
        crate::runtime::check_pid(self.pid)?;
        let solve_id = SOLVE_IDS.fetch_add(1, Ordering::Relaxed);
        let obs = Observer::new(
            solve_id,
            task.kind(),
            self.shared.on_event.clone(),
            opts.on_event.clone(),
        );
        let secrets = self.secrets(&task);
        // Boxed: the steps' state is stored once on the heap rather than beside this
        // function's own arguments (10,000 solves in flight make every byte count).
        let result = Box::pin(self.solve_steps(task, &opts, &obs, solve_id, &secrets)).await;
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let result = result.map_err(|e| e.redact(&refs));
        match &result {
            Ok(s) => obs.emit(Some(&s.task_id), Step::Solved),
            Err(e) => obs.emit(e.task_id(), Step::failed(e)),
        }
        result
    }

    async fn solve_steps(
        &self,
        task: Task,
        opts: &SolveOptions,
        obs: &Observer,
        solve_id: u64,
        secrets: &[String],
    ) -> Result<Solution> {
        let waits = self.waits_for(&task, opts);
        let kind = task.kind();
        let deadline = Instant::now() + waits.timeout;
        // An invalid task never becomes a request.
        task.validate()?;
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let last: LastError = Arc::new(StdMutex::new(None));
        let cancel = opts.cancel.as_ref();
        let submitted = self
            .submit_phase(&task, obs, &refs, &last, deadline, waits.timeout, cancel)
            .await;
        // The service has the task now (or never will): its data is not needed any more.
        drop(task);
        let task_id = submitted?;

        let (tx, rx) = tokio::sync::oneshot::channel();
        let track = Track {
            solve_id,
            task_id: task_id.clone(),
            kind,
            first_poll: Instant::now() + waits.initial_delay,
            interval: waits.poll_interval,
            reply: tx,
            observer: obs.clone(),
            last_error: last.clone(),
        };
        if self.scheduler.track(track).is_err() {
            return Err(Error::new(
                ErrorKind::Service,
                "the client's engine has stopped (its runtime shut down)",
            )
            .with_task_id(&task_id));
        }
        let _forget = CancelOnDrop {
            handle: self.scheduler.clone(),
            solve_id,
        };
        match bounded(rx, deadline, cancel).await {
            Ending::Done(Ok(r)) => r.map_err(|e| e.with_task_id(&task_id)),
            Ending::Done(Err(_)) => Err(Error::new(
                ErrorKind::Service,
                "the client's engine stopped before the answer arrived",
            )
            .with_task_id(&task_id)),
            Ending::Deadline => Err(timeout_error(Some(&task_id), waits.timeout, &last)),
            Ending::Cancelled => Err(cancelled_error(Some(&task_id))),
        }
    }

    /// Submits a task and returns its id (no polling).
    pub(crate) async fn submit(self: Arc<Self>, task: Task, opts: SolveOptions) -> Result<String> {
        crate::runtime::check_pid(self.pid)?;
        let waits = self.waits_for(&task, &opts);
        task.validate()?;
        let obs = Observer::new(
            SOLVE_IDS.fetch_add(1, Ordering::Relaxed),
            task.kind(),
            self.shared.on_event.clone(),
            opts.on_event.clone(),
        );
        let secrets = self.secrets(&task);
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let last: LastError = Arc::new(StdMutex::new(None));
        let deadline = Instant::now() + waits.timeout;
        self.submit_phase(
            &task,
            &obs,
            &refs,
            &last,
            deadline,
            waits.timeout,
            opts.cancel.as_ref(),
        )
        .await
        .map_err(|e| e.redact(&refs))
    }

    /// The submit of a solve (or of `submit`): submits until the service gives a task id,
    /// the deadline passes or the token is cancelled, and reports `Submitted`.
    #[allow(clippy::too_many_arguments)]
    async fn submit_phase(
        &self,
        task: &Task,
        obs: &Observer,
        secrets: &[&str],
        last: &LastError,
        deadline: Instant,
        timeout: Duration,
        cancel: Option<&CancelToken>,
    ) -> Result<String> {
        // Boxed so that `bounded` holds a pointer (its select would otherwise store the submit
        // state twice) and the submit state is freed once it ends: 10,000 solves in flight
        // make every byte count.
        let submit = Box::pin(self.submit_until(task, obs, secrets, last));
        let task_id = match bounded(submit, deadline, cancel).await {
            Ending::Done(r) => r?,
            Ending::Deadline => return Err(timeout_error(None, timeout, last)),
            Ending::Cancelled => return Err(cancelled_error(None)),
        };
        obs.emit(Some(&task_id), Step::Submitted);
        Ok(task_id)
    }

    /// One `res.php` call with a few retries on transient failures, inside the budget.
    async fn res_call(&self, req: &FormRequest) -> Result<Reply> {
        crate::runtime::check_pid(self.pid)?;
        let sh = &self.shared;
        let mut attempt = 0;
        loop {
            attempt += 1;
            sh.account.guard.check_any()?;
            if !sh.account.budget.try_spend(1) {
                return Err(Error::new(
                    ErrorKind::RateLimited,
                    "not sent: the res.php budget of this key is spent (20 requests per task + 1200); \
                     this request would get the account blocked (ERROR: 1005)",
                ));
            }
            let err = match sh.transport.send(req, sh.request_timeout).await {
                Ok(reply) => {
                    let parsed = form::parse_reply(reply.status, &reply.body);
                    match &parsed {
                        Reply::Fault(f) if f.retryable() => f.to_error(),
                        Reply::Code(c) => {
                            sh.account
                                .guard
                                .on_code(c, sh.provider.limits().zero_balance_wait);
                            return Ok(parsed);
                        }
                        _ => return Ok(parsed),
                    }
                }
                Err(e) => e.to_error(),
            };
            if attempt >= sh.retry.max_attempts.max(1) {
                return Err(sh.redact(err));
            }
            tokio::time::sleep(sh.retry.backoff(attempt, attempt as u64)).await;
        }
    }

    /// Asks once for a task's answer: `Ok(None)` while it is not ready.
    pub(crate) async fn result(
        self: Arc<Self>,
        task_id: String,
        json: bool,
    ) -> Result<Option<Solution>> {
        let req = form::poll_request(&task_id, &self.shared.key, &self.shared.form, json);
        let reply = self
            .res_call(&req)
            .await
            .map_err(|e| e.with_task_id(&task_id))?;
        let answer =
            form::poll_outcome(&reply).map_err(|e| self.shared.redact(e).with_task_id(&task_id))?;
        Ok(answer.map(|a| Solution {
            task_id,
            answer: a.text,
            user_agent: a.user_agent,
            resp_key: a.resp_key,
            cost: a.cost,
            raw: a.raw,
        }))
    }

    /// The account balance.
    pub(crate) async fn balance(self: Arc<Self>) -> Result<f64> {
        let req = form::balance_request(&self.shared.key, &self.shared.form);
        let reply = self.res_call(&req).await?;
        form::balance_outcome(&reply).map_err(|e| self.shared.redact(e))
    }

    /// Reports an answer as accepted (`good`) or refused by the site.
    pub(crate) async fn report(self: Arc<Self>, task_id: String, good: bool) -> Result<()> {
        let req = form::report_request(&task_id, good, &self.shared.key, &self.shared.form);
        let reply = self
            .res_call(&req)
            .await
            .map_err(|e| e.with_task_id(&task_id))?;
        form::report_outcome(&reply).map_err(|e| self.shared.redact(e).with_task_id(&task_id))
    }
}

fn obs_seed(obs: &Observer, attempt: u32) -> u64 {
    obs.solve_id()
        .wrapping_mul(31)
        .wrapping_add(u64::from(attempt))
}

fn unknown_outcome(n: u32, last: &Error) -> Error {
    Error::new(
        ErrorKind::Network,
        format!(
            "{n} submits got no usable reply ({}); each may have created a task the service will charge for, \
             so capbridge stopped resubmitting (RetryPolicy::unknown_submit_retries)",
            last.message()
        ),
    )
    .with_retryable(true)
}
