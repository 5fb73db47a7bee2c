//! The engine: everything between "solve this task" and the answer. It speaks to services
//! only through a [`Codec`] and acts on protocol-neutral outcomes.
//!
//! | file | holds |
//! |---|---|
//! | `mod.rs` | [`Engine`] (what a client holds), [`Backend`] (one provider and key), options |
//! | `verbs.rs` | solve, submit, result, wait, balance, report, and failover between providers |
//! | `submit.rs` | the submit phase: governor, retries, pauses, the unknown-outcome policy |
//! | `scheduler.rs` | the one polling scheduler per provider and key, with batch polls |
//! | `governor.rs` | the submit rate limit |
//! | `budget.rs` | the poll request budget |
//! | `account.rs` | per-key state shared by clients |
//! | `guard.rs` | the guard that fails fast on requests the service said it will refuse |
//! | `shared/` | the key's limits kept in Redis for a whole fleet (`shared_limits`) |
//! | `retry.rs` | backoff and the policy for submits with an unknown outcome |
//! | `memory.rs` | which provider and kind a task id belongs to |
//! | `learn.rs` | first waits learned from the solves seen (`adaptive_waits`) |
//! | `callback/` | answers pushed by the service: per-task secret URLs, the receiver |

pub(crate) mod account;
pub(crate) mod budget;
pub(crate) mod callback;
pub(crate) mod governor;
pub(crate) mod guard;
pub(crate) mod learn;
mod memory;
mod pool;
pub(crate) mod retry;
pub(crate) mod scheduler;
pub(crate) mod shared;
mod submit;
mod verbs;

use crate::cancel::CancelToken;
use crate::codec::Codec;
use crate::error::{Error, ErrorKind, Result};
use crate::events::{EventHandler, WaitSource};
use crate::provider::waits::WaitTable;
use crate::provider::{MAX_POLL_WAIT, MAX_REQUEST_TIMEOUT, MAX_TIMEOUT, Provider, Waits};
use crate::secret::Secret;
use crate::task::TaskKind;
use crate::transport::Transport;
use account::Account;
use memory::Memory;
use retry::RetryPolicy;
use scheduler::SchedulerHandle;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Per-solve settings that override the client's.
#[derive(Clone, Default)]
pub struct SolveOptions {
    /// Overall deadline of this solve (at most [`MAX_TIMEOUT`]).
    pub timeout: Option<Duration>,
    /// Wait before the first poll (at most [`MAX_POLL_WAIT`]).
    pub initial_delay: Option<Duration>,
    /// Wait between polls (1 ms to [`MAX_POLL_WAIT`]).
    pub poll_interval: Option<Duration>,
    /// Timeout of each HTTP request of this solve alone: its submits and the polls that ask
    /// about its task only (1 ms to [`MAX_REQUEST_TIMEOUT`]). A batch poll asks about
    /// many solves' tasks and keeps the client's. For a large image on a slow link, say.
    pub request_timeout: Option<Duration>,
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
    /// Sets the timeout of each HTTP request of this solve (not of batch polls).
    pub fn request_timeout(mut self, d: Duration) -> Self {
        self.request_timeout = Some(d);
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

    /// Refuses durations out of range, naming the option, before anything is sent.
    pub(crate) fn check(&self) -> Result<()> {
        check_duration(
            "timeout",
            self.timeout,
            Duration::from_millis(1),
            MAX_TIMEOUT,
        )?;
        check_duration(
            "initial_delay",
            self.initial_delay,
            Duration::ZERO,
            MAX_POLL_WAIT,
        )?;
        check_duration(
            "poll_interval",
            self.poll_interval,
            Duration::from_millis(1),
            MAX_POLL_WAIT,
        )?;
        check_duration(
            "request_timeout",
            self.request_timeout,
            Duration::from_millis(1),
            MAX_REQUEST_TIMEOUT,
        )
    }
}

impl std::fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SolveOptions")
            .field("timeout", &self.timeout)
            .field("initial_delay", &self.initial_delay)
            .field("poll_interval", &self.poll_interval)
            .field("request_timeout", &self.request_timeout)
            .field("cancel", &self.cancel)
            .field("on_event", &self.on_event.as_ref().map(|_| "<callback>"))
            .finish()
    }
}

/// A `usage` error naming `option` when `value` is outside `min..=max`.
pub(crate) fn check_duration(
    option: &str,
    value: Option<Duration>,
    min: Duration,
    max: Duration,
) -> Result<()> {
    let Some(d) = value else { return Ok(()) };
    if d < min || d > max {
        return Err(
            Error::usage(format!("must be between {} and {}", human(min), human(max)))
                .with_option(option),
        );
    }
    Ok(())
}

/// A duration in words a user of any language reads (`0 s`, `1 ms`, `30 s`, `7 days`).
pub(crate) fn human(d: Duration) -> String {
    let s = d.as_secs();
    if d.is_zero() {
        "0 s".into()
    } else if d.as_millis() == 0 {
        format!("{} µs", d.as_micros())
    } else if s == 0 {
        format!("{} ms", d.as_millis())
    } else if s.is_multiple_of(86_400) {
        plural(s / 86_400, "day")
    } else if s.is_multiple_of(3600) {
        plural(s / 3600, "hour")
    } else if d.subsec_nanos() == 0 {
        format!("{s} s")
    } else {
        format!("{:.3} s", d.as_secs_f64())
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// `at + d`, saturating far in the future instead of overflowing.
pub(crate) fn later(at: Instant, d: Duration) -> Instant {
    at.checked_add(d)
        .or_else(|| at.checked_add(Duration::from_secs(30 * 365 * 86_400)))
        .unwrap_or(at)
}

/// [`later`] for `std` instants.
pub(crate) fn later_std(at: std::time::Instant, d: Duration) -> std::time::Instant {
    at.checked_add(d)
        .or_else(|| at.checked_add(Duration::from_secs(30 * 365 * 86_400)))
        .unwrap_or(at)
}

/// What the scheduler and the verbs of one [`Backend`] share: its provider, codec, key,
/// waits, transport and account.
pub(crate) struct BackendParts {
    pub(crate) provider: Provider,
    pub(crate) codec: Arc<dyn Codec>,
    pub(crate) key: Secret,
    pub(crate) waits: WaitTable,
    pub(crate) request_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) transport: Transport,
    pub(crate) account: Arc<Account>,
    pub(crate) on_event: Option<EventHandler>,
    /// Whether first waits are learned (`adaptive_waits`).
    pub(crate) adaptive: bool,
    /// The kinds whose first wait the user set for the client (bit [`TaskKind::index`]):
    /// theirs wins over a learned one.
    pub(crate) user_first: u64,
    /// Where the service pushes this backend's answers (`callback_url`, `callback_listen`).
    pub(crate) callback: Option<Arc<callback::Route>>,
}

impl BackendParts {
    /// The learned first wait of `kind`, within its bounds (the provider's documented
    /// minimum, half the deadline), if learning is on and has seen enough solves.
    pub(crate) fn learned_wait(&self, kind: TaskKind, timeout: Duration) -> Option<Duration> {
        if !self.adaptive {
            return None;
        }
        let est = self.account.waits.learned(kind)?;
        let floor = learn::floor(
            self.provider.family(),
            kind,
            self.account.limits().min_poll_interval,
        );
        Some(est.min(timeout / 2).max(floor))
    }
}

/// One provider and key, as failover moves between them: its parts (codec, limits,
/// transport) and its polling scheduler.
pub(crate) struct Backend {
    pub(crate) parts: Arc<BackendParts>,
    pub(crate) scheduler: SchedulerHandle,
}

impl Backend {
    pub(crate) fn start(parts: BackendParts, runtime: &tokio::runtime::Handle) -> Backend {
        let parts = Arc::new(parts);
        let scheduler = SchedulerHandle::start(parts.clone(), runtime);
        Backend { parts, scheduler }
    }

    /// The waits of a solve of `kind` here, with the solve's overrides.
    pub(crate) fn waits_for(&self, kind: Option<TaskKind>, opts: &SolveOptions) -> Waits {
        let mut w = match kind {
            Some(k) => self.parts.waits.get(k),
            None => Waits {
                initial_delay: Duration::ZERO,
                poll_interval: self.parts.waits.shortest_interval(),
                timeout: self.parts.waits.get(TaskKind::RecaptchaV2).timeout,
            },
        };
        if let Some(d) = opts.timeout {
            w.timeout = d;
        }
        if let Some(d) = opts.initial_delay {
            w.initial_delay = d;
        }
        if let Some(d) = opts.poll_interval {
            w.poll_interval = d;
        }
        w.poll_interval = w
            .poll_interval
            .max(self.parts.account.limits().min_poll_interval);
        w
    }

    /// The first wait of a solve of `kind` here, and where it comes from: the user's
    /// (`initial_delay` per solve or for the client), a learned one (`adaptive_waits`, once
    /// enough solves were seen; between the provider's documented minimum and half the
    /// deadline), else the documented one in `waits`.
    pub(crate) fn first_wait(
        &self,
        kind: TaskKind,
        opts: &SolveOptions,
        waits: &Waits,
    ) -> (Duration, WaitSource) {
        if opts.initial_delay.is_some() || self.parts.user_first & (1 << kind.index()) != 0 {
            return (waits.initial_delay, WaitSource::User);
        }
        match self.parts.learned_wait(kind, waits.timeout) {
            Some(d) => (d, WaitSource::Learned),
            None => (waits.initial_delay, WaitSource::Documented),
        }
    }

    fn name(&self) -> &str {
        self.parts.provider.name()
    }
}

/// When a solve moves from one provider to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailoverPolicy {
    /// Move on when the provider has no free slot (or asks to slow down) for this long.
    pub busy_for: Duration,
    /// Move on after this many submits in a row that got no usable reply (an outage).
    pub outage_attempts: u32,
    /// Move on when the provider says the captcha is unsolvable.
    pub on_unsolvable: bool,
}

impl Default for FailoverPolicy {
    fn default() -> Self {
        FailoverPolicy::DEFAULT
    }
}

impl FailoverPolicy {
    /// The defaults, as a constant: the options table ([`crate::options::CLIENT_OPTIONS`])
    /// documents them from here.
    pub const DEFAULT: FailoverPolicy = FailoverPolicy {
        busy_for: Duration::from_secs(30),
        outage_attempts: 3,
        on_unsolvable: true,
    };
}

/// What a client holds: its providers in failover order (usually one), the task ids it has
/// seen, and the runtime its work runs on.
pub(crate) struct Engine {
    pub(crate) backends: Vec<Backend>,
    /// Masks every key: made once, shared by every solve ([`Engine::redactor`]).
    pub(crate) keys: Arc<crate::secret::Redactor>,
    pub(crate) failover: FailoverPolicy,
    pub(crate) memory: Memory,
    pub(crate) runtime: tokio::runtime::Handle,
    pub(crate) pid: u32,
}

impl Engine {
    /// Whether every provider's scheduler still runs.
    pub(crate) fn alive(&self) -> bool {
        self.backends.iter().all(|c| c.scheduler.is_alive())
    }

    pub(crate) fn primary(&self) -> Result<&Backend> {
        self.backends
            .first()
            .ok_or_else(|| Error::usage("the client has no provider"))
    }
}

pub(crate) enum Ending<T> {
    Done(T),
    Deadline,
    Cancelled,
}

/// Runs `fut` until it ends, the deadline passes or the token is cancelled.
pub(crate) async fn bounded<T>(
    fut: impl Future<Output = T>,
    deadline: Option<Instant>,
    cancel: Option<&CancelToken>,
) -> Ending<T> {
    let cancelled = async {
        match cancel {
            Some(c) => c.cancelled().await,
            None => std::future::pending().await,
        }
    };
    let expired = async {
        match deadline {
            Some(d) => tokio::time::sleep_until(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        r = fut => Ending::Done(r),
        _ = expired => Ending::Deadline,
        _ = cancelled => Ending::Cancelled,
    }
}

/// The last failure of a solve, for its timeout message.
pub(crate) type LastError = Arc<std::sync::Mutex<Option<String>>>;

pub(crate) fn note(last: &LastError, e: &Error) {
    *last.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
}

pub(crate) fn timeout_error(task_id: Option<&str>, timeout: Duration, last: &LastError) -> Error {
    let mut msg = format!("the solve's deadline of {} passed", human(timeout));
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

pub(crate) fn cancelled_error(task_id: Option<&str>) -> Error {
    let msg = match task_id {
        Some(_) => {
            "cancelled by the caller before the answer arrived; the task goes on at the service: ask for it later with result(task_id)"
        }
        None => "cancelled by the caller before the service's reply gave a task id",
    };
    Error::new(ErrorKind::Cancelled, msg).with_task_id_opt(task_id)
}

pub(crate) fn stopped_error() -> Error {
    Error::new(
        ErrorKind::Service,
        "the client's engine has stopped (its runtime shut down); nothing was sent: create a new client",
    )
    .with_retryable(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_deadline_reads_as_what_was_given() {
        let last = LastError::default();
        for (given, shown) in [
            (Duration::from_millis(1), "deadline of 1 ms passed"),
            (Duration::from_micros(40), "deadline of 40 µs passed"),
            (Duration::from_millis(1500), "deadline of 1.500 s passed"),
            (Duration::from_secs(180), "deadline of 180 s passed"),
        ] {
            let text = timeout_error(None, given, &last).to_string();
            assert!(text.contains(shown), "{text}");
        }
    }
}
