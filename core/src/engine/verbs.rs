//! The verbs every client offers: solve, submit, result, wait, balance, report.
//!
//! A client may hold several providers in failover order. A solve moves to the next one when
//! a provider refuses before accepting the task (a bad key, a zero balance, a kind it does
//! not solve, no free slot for longer than [`FailoverPolicy::busy_for`], an outage that
//! outlives [`FailoverPolicy::outage_attempts`]), or, after accepting it, answers that the
//! captcha is unsolvable (unless [`FailoverPolicy::on_unsolvable`] is off). A task a provider
//! has accepted is never submitted elsewhere while it may still be solved there. One deadline
//! covers the whole solve; each (provider, key) keeps its own limits.
//!
//! Every error and event leaves through the one redaction step.

use super::callback::{SAFETY_NET, Waiter};
use super::scheduler::{CancelOnDrop, Learn, Track};
use super::submit::{GiveUp, SubmitCtx};
use super::{
    Backend, Ending, Engine, LastError, SolveOptions, bounded, cancelled_error, later,
    stopped_error, timeout_error,
};
use crate::codec::{Accepted, Outcome, Reply, Request};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Observer, Step, WaitSource};
use crate::money::Money;
use crate::provider::Waits;
use crate::secret::Redactor;
use crate::solution::Solution;
use crate::task::{Task, TaskKind};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

static SOLVE_IDS: AtomicU64 = AtomicU64::new(1);

/// How a solve or submit ended at one provider.
enum Finished {
    Solved(Box<Solution>),
    Submitted(String),
}

impl Engine {
    /// Refuses work the engine cannot do, before anything is sent. (That it belongs to this
    /// process was checked when the client handed it to the operation, at the same first
    /// poll: one `getpid` per operation is enough.)
    fn check(&self) -> Result<()> {
        if !self.alive() {
            return Err(stopped_error());
        }
        Ok(())
    }

    /// The secrets no string may show: every key, and the task's own (its proxy's password, or
    /// the passwords a `Raw` request holds). The keys' spellings are made once per engine; a
    /// solve whose task carries no secret shares them.
    pub(crate) fn redactor(&self, task: Option<&Task>) -> Arc<Redactor> {
        // Gathered in a list rather than a chain of iterators: the release build of such a
        // chain once branched on a stack slot valgrind saw as never written, which failed the
        // C suite's memcheck run although the code is safe Rust.
        let secrets: Vec<&str> = task.map(Task::secrets).unwrap_or_default();
        if secrets.is_empty() {
            self.keys.clone()
        } else {
            Arc::new(self.keys.with(secrets))
        }
    }

    fn observer(
        &self,
        backend: &Backend,
        kind: Option<TaskKind>,
        opts: &SolveOptions,
        redactor: Arc<Redactor>,
    ) -> Observer {
        Observer::new(
            SOLVE_IDS.fetch_add(1, Ordering::Relaxed),
            kind,
            backend.name(),
            backend.parts.on_event.clone(),
            opts.on_event.clone(),
            redactor,
        )
    }

    /// Whether a failure at one provider sends the solve to the next.
    fn moves_on(&self, e: &Error) -> bool {
        match e.kind() {
            ErrorKind::Unsolvable => self.failover.on_unsolvable,
            // After the provider accepted the task, nothing else moves the solve: the task
            // may still be solved there.
            _ if e.task_id().is_some() => false,
            ErrorKind::Auth
            | ErrorKind::Balance
            | ErrorKind::RateLimited
            | ErrorKind::Network
            | ErrorKind::Service
            | ErrorKind::Usage => true,
            _ => false,
        }
    }

    /// Solves a task: validates it, submits it, polls until the answer, a failure, or the
    /// deadline, moving between providers as the failover policy says.
    ///
    /// An async block rather than an `async fn`, here and in `submit`: an `async fn`'s future
    /// keeps its arguments twice (as received and as moved into its body), and a solve in
    /// flight holds this future for its whole wait.
    #[allow(clippy::manual_async_fn)] // on purpose: see `solve`
    pub(crate) fn solve(
        self: Arc<Self>,
        task: Box<Task>,
        opts: SolveOptions,
    ) -> impl Future<Output = Result<Solution>> + Send + 'static {
        async move {
            match self.run(task, &opts, true).await? {
                Finished::Solved(s) => Ok(*s),
                Finished::Submitted(id) => Err(Error::new(
                    ErrorKind::Service,
                    "the solve ended without an answer (this is a bug)",
                )
                .with_task_id(id)),
            }
        }
    }

    /// Submits a task and returns its id, without polling.
    #[allow(clippy::manual_async_fn)] // on purpose: see `solve`
    pub(crate) fn submit(
        self: Arc<Self>,
        task: Box<Task>,
        opts: SolveOptions,
    ) -> impl Future<Output = Result<String>> + Send + 'static {
        async move {
            match self.run(task, &opts, false).await? {
                Finished::Solved(s) => {
                    // Answered in the submit reply: `result` hands the answer out later.
                    self.memory.keep_answer(&s);
                    Ok(s.task_id)
                }
                Finished::Submitted(id) => Ok(id),
            }
        }
    }

    /// A solve or submit, across providers. What it holds while it waits for an answer is
    /// what each solve in flight costs (10,000 in flight make every byte count): the task is
    /// boxed and let go once the last provider has it, and the submit's state lives in its own
    /// box only while the submit runs.
    async fn run(&self, task: Box<Task>, opts: &SolveOptions, poll: bool) -> Result<Finished> {
        self.check()?;
        opts.check()?;
        // An invalid task never becomes a request.
        task.validate()?;
        let kind = task.kind();
        // A pingback the user gave is theirs: passed on, and polls go on as without one.
        let user_pingback = task.pingback().is_some();
        let redactor = self.redactor(Some(&task));
        let primary = self.primary()?;
        let mut obs = self.observer(primary, Some(kind), opts, redactor.clone());
        let timeout = primary.waits_for(Some(kind), opts).timeout;
        let deadline = later(Instant::now(), timeout);
        let last: LastError = Arc::new(Mutex::new(None));
        let mut task = Some(task);
        let mut result = None;
        // The failures a solve moved on from, for the error of the provider it ended at.
        let mut earlier: Vec<String> = Vec::new();
        let mut ended_at = "";
        for (i, backend) in self.backends.iter().enumerate() {
            ended_at = backend.name();
            let last_backend = i + 1 == self.backends.len();
            if i > 0 {
                obs = obs.at(
                    backend.name(),
                    backend.parts.on_event.clone(),
                    redactor.clone(),
                );
            }
            let attempt = Attempt {
                index: i,
                last_backend,
                opts,
                obs: &obs,
                last: &last,
                deadline,
                timeout,
                poll,
                user_pingback,
            };
            let maybe_created = AtomicBool::new(false);
            let r = self
                .attempt(backend, &mut task, kind, &attempt, &maybe_created)
                .await;
            match &r {
                // A submit whose outcome is unknown may have created the task here: it is
                // never submitted elsewhere while it may still be solved here.
                Err(e)
                    if !last_backend
                        && !maybe_created.load(Ordering::Relaxed)
                        && self.moves_on(e) =>
                {
                    let next = self.backends.get(i + 1).map_or("", |c| c.name());
                    obs.emit(e.task_id(), Step::switched(next, e));
                    earlier.push(match e.code() {
                        Some(code) => format!("{}: {} [{code}]", backend.name(), e.kind()),
                        None => format!("{}: {}", backend.name(), e.kind()),
                    });
                    result = Some(r);
                }
                _ => {
                    result = Some(r);
                    break;
                }
            }
        }
        let result = result
            .unwrap_or_else(|| Err(Error::usage("the client has no provider")))
            .map_err(|e| after_failover(redactor.error(e), ended_at, &earlier, &redactor));
        match &result {
            Ok(Finished::Solved(s)) => obs.emit(Some(&s.task_id), Step::Solved),
            Ok(Finished::Submitted(_)) => {}
            Err(e) => obs.emit(e.task_id(), Step::failed(e)),
        }
        result
    }

    async fn attempt(
        &self,
        backend: &Backend,
        task: &mut Option<Box<Task>>,
        kind: TaskKind,
        a: &Attempt<'_>,
        maybe_created: &AtomicBool,
    ) -> Result<Finished> {
        if !backend.parts.codec.capabilities().solves(kind) {
            return Err(Error::usage(format!(
                "{} does not solve {kind} tasks; nothing was sent",
                backend.name()
            )));
        }
        let give_up = (!a.last_backend).then_some(GiveUp {
            busy_for: self.failover.busy_for,
            outage_attempts: self.failover.outage_attempts,
        });
        // With a callback route, the task asks the service to push its answer to a URL of its
        // own; the solve waits for that push from before the submit (a fast service may push
        // before the submit's reply arrives).
        let mut pushed = None;
        if !a.user_pingback
            && let Some(t) = task.as_mut()
        {
            let url = backend.parts.callback.as_ref().map(|route| {
                let book = &backend.parts.account.pushes;
                let (nonce, token) = book.mint();
                let waiter = Waiter::new(backend.scheduler.clone(), a.obs.solve_id());
                pushed = Some(book.wait(nonce, waiter));
                format!("{}{token}", route.url)
            });
            t.set_pingback(url);
        }
        let submitted = {
            let cx = SubmitCtx {
                obs: a.obs,
                last: a.last,
                deadline: a.deadline,
                timeout: a.timeout,
                cancel: a.opts.cancel.as_ref(),
                give_up,
                max_attempts: (!a.poll).then_some(backend.parts.retry.max_attempts),
                maybe_created,
                request_timeout: a
                    .opts
                    .request_timeout
                    .unwrap_or(backend.parts.request_timeout),
            };
            match task.as_deref() {
                // Boxed: the submit's state is held only while it runs, not for the rest of
                // the solve.
                Some(t) => Box::pin(backend.submit_until(t, &cx)).await,
                None => Err(Error::usage("the task was already handed to a provider")),
            }
        };
        if a.last_backend {
            // The service has the task now (or never will): its data is not needed any more.
            *task = None;
        }
        let (task_id, answer) = match submitted? {
            Accepted::Id(id) => (id, None),
            Accepted::Solved { task_id, answer } => (task_id, Some(answer)),
        };
        if let (Some(reg), Some(link)) = (&pushed, backend.parts.account.link()) {
            // Any member's `wait(task_id)` can then find an answer pushed after this solve;
            // noted before the caller hears of the id, so that no id a caller saw is lost
            // with this process.
            link.note_callback(&task_id, reg.nonce(), a.timeout).await;
        }
        a.obs.emit(Some(&task_id), Step::Submitted);
        self.memory.remember(&task_id, a.index, kind);
        if let Some(answer) = answer {
            let solution = Solution::new(&task_id, backend.name(), *answer);
            return Ok(Finished::Solved(Box::new(solution)));
        }
        if !a.poll {
            return Ok(Finished::Submitted(task_id));
        }
        if Instant::now() >= a.deadline {
            // The reply came after the deadline: the id is still the caller's.
            return Err(timeout_error(Some(&task_id), a.timeout, a.last));
        }
        let mut waits = backend.waits_for(Some(kind), a.opts);
        let (first, source) = backend.first_wait(kind, a.opts, &waits);
        waits.initial_delay = first;
        if pushed.is_some() {
            // The answer will be pushed: polls are only a safety net.
            waits.initial_delay = first.max(waits.timeout / SAFETY_NET);
        }
        let learn = Learn {
            kind,
            submitted: Instant::now(),
            documented: backend.parts.provider.waits(kind).initial_delay,
            timeout: waits.timeout,
            put_off: source != WaitSource::User,
        };
        let solved = backend
            .poll_until(task_id, Some(kind), waits, a, (source, Some(learn)))
            .await
            .map(|s| Finished::Solved(Box::new(s)));
        drop(pushed);
        solved
    }

    /// Which provider holds `task_id`, and its kind, as far as this client knows.
    fn holder(&self, task_id: &str) -> Result<(&Backend, Option<TaskKind>)> {
        match self.memory.lookup(task_id) {
            Some((i, kind)) => match self.backends.get(i) {
                Some(backend) => Ok((backend, Some(kind))),
                None => Ok((self.primary()?, Some(kind))),
            },
            None => Ok((self.primary()?, None)),
        }
    }

    /// Polls a task someone submitted earlier (a timed-out solve, another process, a
    /// pingback) until its answer, a failure or the deadline, through the scheduler, its
    /// limits and batches. It is polled at once unless `initial_delay` is set.
    pub(crate) async fn wait(
        self: Arc<Self>,
        task_id: String,
        opts: SolveOptions,
    ) -> Result<Solution> {
        self.check()?;
        opts.check()?;
        check_task_id(&task_id)?;
        if let Some(s) = self.memory.answer(&task_id) {
            return Ok(s);
        }
        let (backend, kind) = self.holder(&task_id)?;
        let redactor = self.redactor(None);
        let obs = self.observer(backend, kind, &opts, redactor.clone());
        let mut waits = backend.waits_for(kind, &opts);
        let source = if opts.initial_delay.is_none() {
            waits.initial_delay = Duration::ZERO;
            WaitSource::Documented
        } else {
            WaitSource::User
        };
        // In a fleet whose answers are pushed: the answer kept for the task (a member that
        // submitted it may be gone), else a place among the solves waiting for its push.
        let mut pushed = None;
        if backend.parts.callback.is_some()
            && let Some(link) = backend.parts.account.link()
            && let Some((nonce, body)) = link.pushed_for(&task_id).await
        {
            let waiter = Waiter::new(backend.scheduler.clone(), obs.solve_id());
            pushed = Some(backend.parts.account.pushes.wait(nonce, waiter));
            match body {
                // Read by the scheduler as soon as it tracks the solve.
                Some(b) => backend.scheduler.push(obs.solve_id(), b, None),
                None if opts.initial_delay.is_none() => {
                    waits.initial_delay = waits.timeout / SAFETY_NET;
                }
                None => {}
            }
        }
        let deadline = later(Instant::now(), waits.timeout);
        let last: LastError = Arc::new(Mutex::new(None));
        let a = Attempt {
            index: 0,
            last_backend: true,
            opts: &opts,
            obs: &obs,
            last: &last,
            deadline,
            timeout: waits.timeout,
            poll: true,
            user_pingback: false,
        };
        let result = backend
            .poll_until(task_id.clone(), kind, waits, &a, (source, None))
            .await
            .map_err(|e| redactor.error(e.with_task_id(&task_id)));
        drop(pushed);
        match &result {
            Ok(s) => obs.emit(Some(&s.task_id), Step::Solved),
            Err(e) => obs.emit(e.task_id(), Step::failed(e)),
        }
        result
    }

    /// Asks once for a task's answer: `None` while it is not ready.
    pub(crate) async fn result(self: Arc<Self>, task_id: String) -> Result<Option<Solution>> {
        self.check()?;
        check_task_id(&task_id)?;
        if let Some(s) = self.memory.answer(&task_id) {
            return Ok(Some(s));
        }
        let (backend, kind) = self.holder(&task_id)?;
        let parts = &backend.parts;
        let got = backend
            .call(
                || {
                    // The provider's cap on polls per task holds across solves and calls.
                    parts
                        .account
                        .poll_allowed(&task_id)
                        .map_err(super::scheduler::poll_cap_error)?;
                    parts.account.count_poll(&task_id);
                    Ok(parts.codec.poll(&task_id, kind, &parts.key))
                },
                |r| parts.codec.read_poll(r, kind),
            )
            .await;
        got.map(|a| a.map(|answer| Solution::new(&task_id, backend.name(), answer)))
            .map_err(|e| self.redactor(None).error(e.with_task_id(&task_id)))
    }

    /// The primary provider's balance (served from the last reply where the provider limits
    /// how often it may be asked).
    pub(crate) async fn balance(self: Arc<Self>) -> Result<Money> {
        self.check()?;
        let backend = self.primary()?;
        let parts = &backend.parts;
        let interval = parts.account.limits().balance_interval;
        if let Some(m) = parts.account.cached_balance(interval) {
            return Ok(m);
        }
        let got = backend
            .call(
                || Ok(parts.codec.balance(&parts.key)),
                |r| parts.codec.read_balance(r),
            )
            .await
            .and_then(|m| {
                m.ok_or_else(|| {
                    Error::new(
                        ErrorKind::Service,
                        "the service answered a balance request as if it were a poll",
                    )
                })
            });
        if let Ok(m) = &got {
            parts.account.remember_balance(m);
        }
        got.map_err(|e| self.redactor(None).error(e))
    }

    /// Reports an answer as accepted by the site (`good = true`) or refused (`false`), to the
    /// provider that solved it.
    pub(crate) async fn report(self: Arc<Self>, task_id: String, good: bool) -> Result<()> {
        self.check()?;
        check_task_id(&task_id)?;
        let (backend, kind) = self.holder(&task_id)?;
        let parts = &backend.parts;
        // A report the provider does not take fails here, before anything is sent.
        let req = parts.codec.report(&task_id, kind, good, &parts.key)?;
        backend
            .call_once_done(|| Ok(req.clone()), |r| parts.codec.read_report(r), Some(()))
            .await
            .map(|_| ())
            .map_err(|e| self.redactor(None).error(e.with_task_id(&task_id)))
    }
}

/// A task id given by the caller: non-empty, bounded, printable.
fn check_task_id(id: &str) -> Result<()> {
    let ok = !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(Error::usage(
            "a task id is 1 to 128 printable ASCII characters (as the service gave it)",
        )
        .with_option("task_id"))
    }
}

/// One provider's share of a solve.
#[derive(Clone, Copy)]
struct Attempt<'a> {
    index: usize,
    last_backend: bool,
    opts: &'a SolveOptions,
    obs: &'a Observer,
    last: &'a LastError,
    deadline: Instant,
    timeout: Duration,
    poll: bool,
    /// Whether the task came with the user's own pingback URL.
    user_pingback: bool,
}

impl Backend {
    /// Polls one task through the scheduler until its answer, a failure, the deadline or
    /// cancellation. `how`: where its first wait came from, and what learning needs of it.
    /// The task is handed to the scheduler at once; the future holds only what the wait needs
    /// (an `async fn` would also keep every argument twice).
    fn poll_until<'a>(
        &self,
        task_id: String,
        kind: Option<TaskKind>,
        waits: Waits,
        a: &'a Attempt<'a>,
        how: (WaitSource, Option<Learn>),
    ) -> impl Future<Output = Result<Solution>> + 'a {
        let solve_id = a.obs.solve_id();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let track = Track {
            solve_id,
            task_id: task_id.clone(),
            kind,
            first_poll: later(Instant::now(), waits.initial_delay),
            interval: waits.poll_interval,
            reply: tx,
            observer: a.obs.clone(),
            last_error: a.last.clone(),
            first_wait: how.0,
            learn: how.1,
            request_timeout: a.opts.request_timeout.unwrap_or(self.parts.request_timeout),
        };
        let tracked = match self.scheduler.track(track) {
            Ok(()) => Ok((
                rx,
                CancelOnDrop {
                    handle: self.scheduler.clone(),
                    solve_id,
                },
            )),
            Err(()) => Err(stopped_error().with_task_id(&task_id)),
        };
        async move {
            let (rx, _forget) = tracked?;
            match bounded(rx, Some(a.deadline), a.opts.cancel.as_ref()).await {
                Ending::Done(Ok(r)) => r.map(|s| *s).map_err(|e| e.with_task_id(&task_id)),
                Ending::Done(Err(_)) => Err(Error::new(
                    ErrorKind::Service,
                    "the client's engine stopped before the answer arrived",
                )
                .with_task_id(&task_id)),
                Ending::Deadline => Err(timeout_error(Some(&task_id), a.timeout, a.last)),
                Ending::Cancelled => Err(cancelled_error(Some(&task_id))),
            }
        }
    }

    /// One call outside a solve (poll, balance, report) with a few retries on transient
    /// failures, inside the key's budget and blocks: `Ok(None)` for "not ready".
    async fn call<T>(
        &self,
        build: impl Fn() -> Result<Request>,
        read: impl Fn(&Reply) -> Outcome<T>,
    ) -> Result<Option<T>> {
        self.call_once_done(build, read, None).await
    }

    /// [`Backend::call`] for a request that must not be carried out twice (a report): when a
    /// repeat after a lost reply is refused as already done, the lost attempt succeeded, and
    /// `done` is the result.
    async fn call_once_done<T>(
        &self,
        build: impl Fn() -> Result<Request>,
        read: impl Fn(&Reply) -> Outcome<T>,
        done: Option<T>,
    ) -> Result<Option<T>> {
        let parts = &self.parts;
        let mut attempt = 0u32;
        let mut lost = false;
        let mut done = done;
        loop {
            attempt = attempt.saturating_add(1);
            parts.account.guard.check_any()?;
            if !parts.account.budget.try_spend(1) {
                return Err(Error::new(
                    ErrorKind::RateLimited,
                    format!(
                        "not sent: the poll budget of this key is spent ({}); this request \
                         would get the account blocked by the provider",
                        parts.account.budget.rule()
                    ),
                ));
            }
            let req = build()?;
            let outcome = match parts.transport.send(&req, parts.request_timeout).await {
                Ok(reply) => read(&reply),
                Err(e) => e.outcome(),
            };
            let error = match outcome {
                Outcome::Done(v) => return Ok(Some(v)),
                Outcome::Pending => return Ok(None),
                Outcome::Busy { error, pause } => {
                    let wait = self.pause_length(pause);
                    return Err(error.with_retryable(true).with_retry_after(wait));
                }
                Outcome::Failed { error, block } => {
                    if lost && parts.codec.already_done(&error) && done.is_some() {
                        return Ok(done.take());
                    }
                    parts.account.on_block(block, &error);
                    return Err(error);
                }
                Outcome::Fault { error, class } => {
                    lost |= class != crate::codec::FaultClass::NotProcessed;
                    error
                }
            };
            if attempt >= parts.retry.max_attempts.max(1) {
                return Err(error);
            }
            tokio::time::sleep(parts.retry.backoff(attempt, u64::from(attempt))).await;
        }
    }
}

/// The error a solve ended with at `provider` (redacted and cut already), after moving on
/// from the `earlier` failures: it names where it ended and what came before (`2captcha: ...
/// (after capsolver: auth [ERROR_KEY_DENIED_ACCESS])`), which its own text, the last
/// provider's, does not say. The history is redacted too (a code is the service's text), and
/// kept whole however long the message: the message is cut to make room.
fn after_failover(
    e: Error,
    provider: &str,
    earlier: &[String],
    redactor: &crate::secret::Redactor,
) -> Error {
    use crate::secret::MAX_MESSAGE;
    if earlier.is_empty() {
        return e;
    }
    let e = if e.message().contains(provider) {
        e
    } else {
        e.context(provider)
    };
    let after = redactor.cut(&format!(" (after {})", earlier.join("; ")), MAX_MESSAGE / 2);
    let room = MAX_MESSAGE.saturating_sub(after.chars().count());
    e.map_message(|m| format!("{}{after}", crate::secret::excerpt(m, room)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::secret::{MAX_MESSAGE, Redactor};

    #[test]
    fn the_failover_history_survives_a_long_message_and_hides_secrets() {
        let redactor = Redactor::new(["SECRETKEY123456789"]);
        let long = Error::new(ErrorKind::Service, "x".repeat(2000));
        let earlier = ["capsolver: auth [ERROR_SECRETKEY123456789]".to_owned()];
        let e = after_failover(redactor.error(long), "2captcha", &earlier, &redactor);
        let m = e.message();
        assert!(m.starts_with("2captcha: x"), "{m}");
        assert!(m.ends_with(" (after capsolver: auth [ERROR_***])"), "{m}");
        assert!(
            m.chars().count() <= MAX_MESSAGE + 1,
            "{}",
            m.chars().count()
        );
        // One provider tried: the error as it was.
        let e = after_failover(Error::usage("u"), "2captcha", &[], &redactor);
        assert_eq!(e.message(), "u");
    }
}
