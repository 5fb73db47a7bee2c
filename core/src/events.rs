//! Events: each solve's steps, for progress displays and logs.
//!
//! Every event goes to `tracing` (target `capbridge`) and to the callbacks registered on the
//! client ([`crate::ClientBuilder::on_event`]) and on the solve ([`crate::SolveOptions`]).
//! Events never hold the API key or a proxy password: each passes the core's one redaction
//! step before it is logged or handed out. A callback runs on an engine thread and must
//! return quickly; to get a stream, send the events into a channel from the callback.

use crate::error::{Error, ErrorKind};
use crate::secret::{MAX_CODE, MAX_MESSAGE, Redactor};
use crate::task::TaskKind;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which part of a solve an event or retry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Sending the task.
    Submit,
    /// Asking for the answer.
    Poll,
}

impl Stage {
    /// `"submit"` or `"poll"`: the one spelling of the stage, in event text and in every
    /// binding.
    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Submit => "submit",
            Stage::Poll => "poll",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Where a solve's first wait came from (in every `polled` event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WaitSource {
    /// The provider's documented wait for the kind (learning is off, or has not seen enough
    /// solves yet).
    #[default]
    Documented,
    /// Learned from the solves seen (`adaptive_waits`).
    Learned,
    /// Given by the user (`initial_delay`, per client, per kind or per solve).
    User,
}

impl WaitSource {
    /// `"documented"`, `"learned"` or `"user"`: the one spelling in every binding.
    pub const fn as_str(self) -> &'static str {
        match self {
            WaitSource::Documented => "documented",
            WaitSource::Learned => "learned",
            WaitSource::User => "user",
        }
    }
}

impl std::fmt::Display for WaitSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// A step's details by name: the one flat view of an event that every binding hands out
/// (Python's `SolveEvent` attributes, Node's `SolveEvent` object, C's `capbridge_event_*`
/// accessors), so that no binding takes [`Step`] apart itself. Each field is set for the
/// steps that have it and `None` for the others.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub struct StepFields<'a> {
    /// The attempt number (`submitting`, `retrying`).
    pub attempt: Option<u32>,
    /// Whether the answer was ready (`polled`).
    pub ready: Option<bool>,
    /// Whether the poll was part of a batch poll (`polled`).
    pub batch: Option<bool>,
    /// Where the solve's first wait came from (`polled`).
    pub first_wait: Option<WaitSource>,
    /// Whether the service pushed the answer to the client's callback receiver rather than
    /// a poll fetching it (`polled`).
    pub pushed: Option<bool>,
    /// Which request failed (`retrying`).
    pub stage: Option<Stage>,
    /// The wait before the next attempt (`retrying`).
    pub delay: Option<Duration>,
    /// The provider the solve moves to (`switched_provider`).
    pub to: Option<&'a str>,
    /// The kind of the failure (`retrying`, `switched_provider`, `failed`).
    pub error_kind: Option<ErrorKind>,
    /// The service's raw code, if any (`retrying`, `switched_provider`, `failed`).
    pub code: Option<&'a str>,
    /// What went wrong (`retrying`, `switched_provider`, `failed`), or what happened to the
    /// shared limits (`shared_limits`).
    pub message: Option<&'a str>,
    /// Whether the fleet shares the key's limits again (`shared_limits`).
    pub shared: Option<bool>,
}

/// One step of a solve.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Step {
    /// The task is being sent (attempt 1, 2, ...).
    Submitting {
        /// Attempt number.
        attempt: u32,
    },
    /// The service accepted the task; [`Event::task_id`] is set from here on.
    Submitted,
    /// The answer was asked for, or pushed by the service (`pushed`: an answer pushed is
    /// read as a poll's and told as one).
    Polled {
        /// Whether it was ready.
        ready: bool,
        /// Whether the poll was part of a batch poll.
        batch: bool,
        /// Where the solve's first wait came from: the provider's documented wait, one
        /// learned from the solves seen (`adaptive_waits`), or the user's `initial_delay`.
        first_wait: WaitSource,
        /// Whether the service pushed the answer (`callback_listen`) instead of a poll.
        pushed: bool,
    },
    /// A request failed or was refused for now and will be repeated after `delay`.
    Retrying {
        /// Submit or poll.
        stage: Stage,
        /// The attempt that failed.
        attempt: u32,
        /// Wait before the next attempt.
        delay: Duration,
        /// Kind of the failure.
        error_kind: ErrorKind,
        /// Raw code, if any.
        code: Option<String>,
        /// What went wrong.
        message: String,
    },
    /// The solve moves to the next provider of a failover list ([`Event::provider`] names
    /// the one it leaves).
    SwitchedProvider {
        /// The provider it moves to.
        to: String,
        /// Kind of the failure that made it move.
        error_kind: ErrorKind,
        /// Raw code, if any.
        code: Option<String>,
        /// What went wrong.
        message: String,
    },
    /// The key's limits moved between Redis and this process (`shared_limits`): `shared` is
    /// false while Redis does not answer and the process keeps the limits alone, true once it
    /// answers again. Not part of a solve: its `solve_id` is 0 and it has no task.
    SharedLimits {
        /// Whether the fleet shares the limits again.
        shared: bool,
        /// What happened (the Redis address without credentials, the reason).
        message: String,
    },
    /// The answer arrived.
    Solved,
    /// The solve ended with an error.
    Failed {
        /// Kind of the error.
        error_kind: ErrorKind,
        /// Raw code, if any.
        code: Option<String>,
        /// What went wrong.
        message: String,
    },
}

impl Step {
    /// A short name: `submitting`, `submitted`, `polled`, `retrying`, `solved`, `failed`.
    pub fn name(&self) -> &'static str {
        match self {
            Step::Submitting { .. } => "submitting",
            Step::Submitted => "submitted",
            Step::Polled { .. } => "polled",
            Step::Retrying { .. } => "retrying",
            Step::SwitchedProvider { .. } => "switched_provider",
            Step::SharedLimits { .. } => "shared_limits",
            Step::Solved => "solved",
            Step::Failed { .. } => "failed",
        }
    }

    /// The step's details by name (see [`StepFields`]).
    pub fn fields(&self) -> StepFields<'_> {
        let none = StepFields::default();
        match self {
            Step::Submitting { attempt } => StepFields {
                attempt: Some(*attempt),
                ..none
            },
            Step::Polled {
                ready,
                batch,
                first_wait,
                pushed,
            } => StepFields {
                ready: Some(*ready),
                batch: Some(*batch),
                first_wait: Some(*first_wait),
                pushed: Some(*pushed),
                ..none
            },
            Step::Retrying {
                stage,
                attempt,
                delay,
                error_kind,
                code,
                message,
            } => StepFields {
                stage: Some(*stage),
                attempt: Some(*attempt),
                delay: Some(*delay),
                error_kind: Some(*error_kind),
                code: code.as_deref(),
                message: Some(message),
                ..none
            },
            Step::SwitchedProvider {
                to,
                error_kind,
                code,
                message,
            } => StepFields {
                to: Some(to),
                error_kind: Some(*error_kind),
                code: code.as_deref(),
                message: Some(message),
                ..none
            },
            Step::Failed {
                error_kind,
                code,
                message,
            } => StepFields {
                error_kind: Some(*error_kind),
                code: code.as_deref(),
                message: Some(message),
                ..none
            },
            Step::SharedLimits { shared, message } => StepFields {
                shared: Some(*shared),
                message: Some(message),
                ..none
            },
            Step::Submitted | Step::Solved => none,
        }
    }

    pub(crate) fn retrying(stage: Stage, attempt: u32, delay: Duration, e: &Error) -> Step {
        Step::Retrying {
            stage,
            attempt,
            delay,
            error_kind: e.kind(),
            code: e.code().map(str::to_owned),
            message: e.message().to_owned(),
        }
    }

    pub(crate) fn failed(e: &Error) -> Step {
        Step::Failed {
            error_kind: e.kind(),
            code: e.code().map(str::to_owned),
            message: e.message().to_owned(),
        }
    }

    pub(crate) fn switched(to: &str, e: &Error) -> Step {
        Step::SwitchedProvider {
            to: to.to_owned(),
            error_kind: e.kind(),
            code: e.code().map(str::to_owned),
            message: e.message().to_owned(),
        }
    }

    /// The step with its message and code masked and cut.
    fn redacted(mut self, r: &Redactor) -> Step {
        match &mut self {
            Step::SharedLimits { message, .. } => *message = r.cut(message, MAX_MESSAGE),
            Step::Retrying { code, message, .. }
            | Step::Failed { code, message, .. }
            | Step::SwitchedProvider { code, message, .. } => {
                *message = r.cut(message, MAX_MESSAGE);
                if let Some(c) = code {
                    *c = r.cut(c, MAX_CODE);
                }
            }
            _ => {}
        }
        self
    }
}

/// Something that happened to a solve. Bindings read it through [`Event::fields`] (its
/// step's details by name) and its `Display` text (one log line).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// A number identifying the solve within the process (before a task id exists).
    pub solve_id: u64,
    /// The provider the step happened at.
    pub provider: String,
    /// The task's kind (unknown when a task is collected by id alone).
    pub task_kind: Option<TaskKind>,
    /// The service's task id, once given.
    pub task_id: Option<String>,
    /// Time since the solve started.
    pub elapsed: Duration,
    /// What happened.
    pub step: Step,
}

impl Event {
    /// The step's details by name (see [`StepFields`]).
    pub fn fields(&self) -> StepFields<'_> {
        self.step.fields()
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Solve 0 is no solve: a client-level notice (shared limits going local and back).
        match self.solve_id {
            0 => write!(f, "[client {}", self.provider)?,
            id => write!(f, "[solve {id} {}", self.provider)?,
        }
        if let Some(kind) = self.task_kind {
            write!(f, " {kind}")?;
        }
        if let Some(id) = &self.task_id {
            write!(f, " task {id}")?;
        }
        write!(f, " +{:.3}s] ", self.elapsed.as_secs_f64())?;
        match &self.step {
            Step::Submitting { attempt } => write!(f, "submitting (attempt {attempt})"),
            Step::Submitted => write!(f, "submitted"),
            Step::Polled {
                ready,
                batch,
                first_wait,
                pushed,
            } => write!(
                f,
                "{}{}: {} (first wait {first_wait})",
                if *pushed { "pushed" } else { "polled" },
                if *batch { " (batch)" } else { "" },
                if *ready { "ready" } else { "not ready" }
            ),
            Step::Retrying {
                stage,
                attempt,
                delay,
                code,
                message,
                ..
            } => {
                write!(
                    f,
                    "retrying {stage} after attempt {attempt} in {:.3}s: ",
                    delay.as_secs_f64()
                )?;
                if let Some(c) = code {
                    write!(f, "[{c}] ")?;
                }
                write!(f, "{message}")
            }
            Step::SwitchedProvider {
                to,
                error_kind,
                code,
                message,
            } => {
                write!(f, "moving to provider {to} after {error_kind}")?;
                if let Some(c) = code {
                    write!(f, " [{c}]")?;
                }
                write!(f, ": {message}")
            }
            Step::SharedLimits { message, .. } => write!(f, "{message}"),
            Step::Solved => write!(f, "solved"),
            Step::Failed {
                error_kind,
                code,
                message,
            } => {
                write!(f, "failed: {error_kind}")?;
                if let Some(c) = code {
                    write!(f, " [{c}]")?;
                }
                write!(f, ": {message}")
            }
        }
    }
}

/// A callback receiving events.
pub type EventHandler = Arc<dyn Fn(&Event) + Send + Sync>;

/// Tells clients' callbacks about something that happened to a key rather than to a solve
/// (shared limits going local and back). Holds the callbacks weakly: a dropped client is
/// forgotten.
#[derive(Default)]
#[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
pub(crate) struct Listeners {
    list: std::sync::Mutex<Vec<(String, WeakHandler)>>,
    /// The last state announced: a callback added after it (a client built while Redis was
    /// already found away) hears it too, rather than never.
    last: std::sync::Mutex<Option<Step>>,
}

/// A callback held without keeping its client alive.
type WeakHandler = std::sync::Weak<dyn Fn(&Event) + Send + Sync>;

#[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
impl Listeners {
    pub(crate) fn add(&self, provider: &str, handler: &EventHandler) {
        {
            let mut l = self.list.lock().unwrap_or_else(|p| p.into_inner());
            l.retain(|(_, w)| w.strong_count() > 0);
            l.push((provider.to_owned(), Arc::downgrade(handler)));
        }
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(step) = last {
            Self::deliver(provider.to_owned(), handler, step);
        }
    }

    /// Sends `step` (already free of secrets) to every live callback, and logs it.
    pub(crate) fn emit(&self, step: Step) {
        // Recorded first: a callback added from now on hears it from `add`, and one added
        // before is in the list below (at worst it hears it twice, never not at all).
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(step.clone());
        let handlers: Vec<(String, EventHandler)> = {
            let l = self.list.lock().unwrap_or_else(|p| p.into_inner());
            l.iter()
                .filter_map(|(p, w)| w.upgrade().map(|h| (p.clone(), h)))
                .collect()
        };
        for (provider, h) in handlers {
            Self::deliver(provider, &h, step.clone());
        }
    }

    fn deliver(provider: String, h: &EventHandler, step: Step) {
        let event = Event {
            solve_id: 0,
            provider,
            task_kind: None,
            task_id: None,
            elapsed: std::time::Duration::ZERO,
            step,
        };
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h(&event)));
    }
}

/// Sends one solve's events, redacted, to tracing and its callbacks.
#[derive(Clone)]
pub(crate) struct Observer {
    solve_id: u64,
    kind: Option<TaskKind>,
    provider: Arc<str>,
    started: Instant,
    client: Option<EventHandler>,
    solve: Option<EventHandler>,
    redactor: Arc<Redactor>,
}

impl Observer {
    pub(crate) fn new(
        solve_id: u64,
        kind: Option<TaskKind>,
        provider: &str,
        client: Option<EventHandler>,
        solve: Option<EventHandler>,
        redactor: Arc<Redactor>,
    ) -> Observer {
        Observer {
            solve_id,
            kind,
            provider: provider.into(),
            started: Instant::now(),
            client,
            solve,
            redactor,
        }
    }

    /// The same solve at another provider (failover): its own client callback and secrets.
    pub(crate) fn at(
        &self,
        provider: &str,
        client: Option<EventHandler>,
        redactor: Arc<Redactor>,
    ) -> Observer {
        Observer {
            provider: provider.into(),
            client,
            redactor,
            ..self.clone()
        }
    }

    pub(crate) fn solve_id(&self) -> u64 {
        self.solve_id
    }

    pub(crate) fn emit(&self, task_id: Option<&str>, step: Step) {
        let info = matches!(
            step,
            Step::Failed { .. } | Step::SwitchedProvider { .. } | Step::Solved | Step::Submitted
        );
        let logged = if info {
            tracing::enabled!(target: "capbridge", tracing::Level::INFO)
        } else {
            tracing::enabled!(target: "capbridge", tracing::Level::DEBUG)
        };
        // Nobody listening: skip building and redacting the event (most solves, most steps).
        if !logged && self.client.is_none() && self.solve.is_none() {
            return;
        }
        let event = Event {
            solve_id: self.solve_id,
            provider: self.provider.to_string(),
            task_kind: self.kind,
            // Masked like the step's texts: a service can answer with anything as an id.
            task_id: task_id.map(|t| self.redactor.text(t)),
            elapsed: self.started.elapsed(),
            step: step.redacted(&self.redactor),
        };
        if info {
            tracing::info!(target: "capbridge", "{event}")
        } else {
            tracing::debug!(target: "capbridge", "{event}")
        }
        for h in [&self.client, &self.solve].into_iter().flatten() {
            // A panicking callback must not take the engine down with it.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h(&event)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(step: Step) -> Event {
        Event {
            solve_id: 3,
            provider: "custom".into(),
            task_kind: Some(TaskKind::RecaptchaV2),
            task_id: Some("72".into()),
            elapsed: Duration::from_millis(412),
            step,
        }
    }

    /// A client-level notice (solve id 0) does not claim to be a solve.
    #[test]
    fn client_notices_say_client() {
        let e = Event {
            solve_id: 0,
            task_kind: None,
            task_id: None,
            ..event(Step::SharedLimits {
                shared: false,
                message: "shared limits: Redis does not answer".into(),
            })
        };
        assert!(
            e.to_string()
                .starts_with("[client custom +0.412s] shared limits"),
            "{e}"
        );
        assert!(
            event(Step::Submitted)
                .to_string()
                .starts_with("[solve 3 custom")
        );
    }

    #[test]
    fn one_view_by_name_and_one_spelling_of_the_stage() {
        let e = event(Step::retrying(
            Stage::Submit,
            2,
            Duration::from_millis(1500),
            &Error::from_code("ERROR_NO_SLOT_AVAILABLE"),
        ));
        let f = e.fields();
        assert_eq!(f.stage, Some(Stage::Submit));
        assert_eq!(f.stage.map(Stage::as_str), Some("submit"));
        assert_eq!(f.attempt, Some(2));
        assert_eq!(f.delay, Some(Duration::from_millis(1500)));
        assert_eq!(f.code, Some("ERROR_NO_SLOT_AVAILABLE"));
        assert!(f.error_kind.is_some() && f.message.is_some());
        assert_eq!((f.ready, f.batch, f.to, f.shared), (None, None, None, None));
        // The text spells the stage as the fields do.
        assert!(
            e.to_string()
                .contains("] retrying submit after attempt 2 in 1.500s: "),
            "{e}"
        );

        let polled = event(Step::Polled {
            ready: true,
            batch: true,
            first_wait: WaitSource::Learned,
            pushed: false,
        });
        let f = polled.fields();
        assert_eq!(
            (f.ready, f.batch, f.attempt, f.first_wait, f.pushed),
            (
                Some(true),
                Some(true),
                None,
                Some(WaitSource::Learned),
                Some(false)
            )
        );
        assert!(
            polled
                .to_string()
                .ends_with("polled (batch): ready (first wait learned)")
        );
        let switched = event(Step::switched("capsolver", &Error::usage("x")));
        let f = switched.fields();
        assert_eq!(f.to, Some("capsolver"));
        assert_eq!(f.error_kind, Some(ErrorKind::Usage));
        let note = event(Step::SharedLimits {
            shared: false,
            message: "redis://127.0.0.1:6379/0 does not answer".into(),
        });
        let f = note.fields();
        assert_eq!(f.shared, Some(false));
        assert!(f.message.is_some());
        assert_eq!(event(Step::Solved).fields(), StepFields::default());
        assert_eq!(Stage::Poll.to_string(), "poll");
    }
}
