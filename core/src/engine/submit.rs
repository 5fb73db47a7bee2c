//! The submit phase: sends a task until the service accepts it, refuses it, or the deadline
//! passes, inside the key's limits.
//!
//! * Every attempt waits for the key's governor (the submit rate) and a request slot.
//! * "Busy" replies (no free slot, too many requests) pause every submit of the key for the
//!   wait the provider documents (or the service names), then the submit repeats.
//! * Replies that say nothing was created (HTTP 429 or 503, a connection never made) are
//!   repeated freely, with backoff, inside the deadline.
//! * Replies whose outcome is unknown (a gateway's 502 or 504, an HTML page, a cut or empty
//!   body, a timeout after sending, a reply the protocol does not define) may come after the
//!   service created a task it will charge for: at most `unknown_submit_retries` resubmits,
//!   then the solve fails with a `network` error that says so.
//! * A request, once sent, is never cut short by the deadline (only by its own timeout or by
//!   cancellation): its reply may hold a task id, which is then kept in the error.

use super::retry::RetryPolicy;
use super::{Backend, Ending, LastError, bounded, cancelled_error, note, timeout_error};
use crate::cancel::CancelToken;
use crate::codec::{Accepted, FaultClass, Outcome, Pause};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Observer, Stage, Step};
use crate::task::Task;
use crate::transport::SendError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// When a submit stops early so that a failover client can try the next provider.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GiveUp {
    /// Busy (no slot, too many requests) for this long.
    pub(crate) busy_for: Duration,
    /// This many attempts in a row without a usable reply.
    pub(crate) outage_attempts: u32,
}

/// Where a submit phase stands.
pub(crate) struct SubmitCtx<'a> {
    pub(crate) obs: &'a Observer,
    pub(crate) last: &'a LastError,
    pub(crate) deadline: Instant,
    pub(crate) timeout: Duration,
    pub(crate) cancel: Option<&'a CancelToken>,
    pub(crate) give_up: Option<GiveUp>,
    /// A call outside a solve (`submit`): attempts that end in a fault (no usable reply) are
    /// bounded by the retry policy's `max_attempts`, as `balance` and `report` are, rather
    /// than repeated until the kind's deadline.
    pub(crate) max_attempts: Option<u32>,
    /// Set once a submit's outcome is unknown (the service may have created the task): the
    /// solve may then not move to another provider, nor give up on this one early.
    pub(crate) maybe_created: &'a AtomicBool,
    /// The timeout of each submit request: the solve's own, else the client's.
    pub(crate) request_timeout: Duration,
}

impl SubmitCtx<'_> {
    /// Waits for `fut`, before anything of this attempt is sent, until the deadline or a
    /// cancellation; `unknown`: the submits so far whose outcome nobody knows.
    async fn wait<T>(&self, fut: impl Future<Output = T>, unknown: u32) -> Result<T> {
        match bounded(fut, Some(self.deadline), self.cancel).await {
            Ending::Done(v) => Ok(v),
            Ending::Deadline => Err(unsure(
                timeout_error(None, self.timeout, self.last),
                unknown,
            )),
            Ending::Cancelled => Err(unsure(cancelled_error(None), unknown)),
        }
    }
}

impl Backend {
    /// How long a busy reply pauses the key.
    pub(crate) fn pause_length(&self, pause: Pause) -> Duration {
        let limits = self.parts.account.limits();
        match pause {
            Pause::NoSlot => limits.no_slot_wait,
            Pause::TooManyRequests => limits.rate_limit_wait,
            Pause::For(d) => d.max(limits.rate_limit_wait.min(Duration::from_secs(1))),
        }
    }

    /// One submit request, given its request slot: encodes the task only then (queued
    /// solves hold only their task, not also its encoded form), sends it.
    async fn send_submit(
        &self,
        task: &Task,
        slot: Option<tokio::sync::SemaphorePermit<'_>>,
        timeout: Duration,
    ) -> Result<std::result::Result<crate::codec::Reply, SendError>> {
        let parts = &self.parts;
        // Boxed: the room a request and its HTTP exchange take is held by the submits that
        // have a slot (at most `max_concurrent_requests`), not by the thousands queued for one.
        let sent = Box::pin(async {
            let req = parts.codec.submit(task, &parts.key)?;
            Ok(parts.transport.send_in(&req, timeout).await)
        })
        .await;
        drop(slot);
        sent
    }

    /// Submits until the service gives a task id (or the answer), refuses, or time runs out.
    pub(crate) async fn submit_until(&self, task: &Task, cx: &SubmitCtx<'_>) -> Result<Accepted> {
        let parts = &self.parts;
        let retry: RetryPolicy = parts.retry;
        let (mut attempt, mut unknown, mut transient) = (0u32, 0u32, 0u32);
        let mut busy_since: Option<Instant> = None;
        loop {
            attempt = attempt.saturating_add(1);
            // A key the service blocked: refused unsent, before and after the governor's wait.
            let blocked = || {
                parts
                    .account
                    .guard
                    .check_submit()
                    .map_err(|e| unsure(e, unknown))
            };
            blocked()?;
            cx.wait(parts.account.governor.acquire(), unknown).await?;
            blocked()?;
            cx.obs.emit(None, Step::Submitting { attempt });
            // Waiting for a request slot, nothing is sent yet: the deadline and a cancellation
            // end the wait as they end any other.
            let slot = cx.wait(parts.transport.slot(), unknown).await?;
            let sent = match bounded(
                self.send_submit(task, slot, cx.request_timeout),
                None,
                cx.cancel,
            )
            .await
            {
                Ending::Done(r) => r?,
                // Cut short while the service may already have it: one more submit whose
                // outcome nobody will know.
                Ending::Deadline | Ending::Cancelled => {
                    cx.maybe_created.store(true, Ordering::Relaxed);
                    return Err(unsure(cancelled_error(None), unknown.saturating_add(1)));
                }
            };
            let outcome = match sent {
                Ok(reply) => parts.codec.read_submit(&reply, task.kind()),
                Err(e) => e.outcome(),
            };
            let (error, class) = match outcome {
                Outcome::Done(accepted) => {
                    parts.account.budget.on_task();
                    return Ok(accepted);
                }
                Outcome::Busy { error, pause } => {
                    // The account's queue or rate is full: every submit of the key waits.
                    let wait = self.pause_length(pause);
                    parts.account.governor.pause(wait);
                    let since = *busy_since.get_or_insert_with(Instant::now);
                    // Not while a task may exist here already (as for an outage below).
                    if let Some(g) = cx.give_up
                        && unknown == 0
                        && since.elapsed() >= g.busy_for
                    {
                        return Err(error);
                    }
                    cx.obs
                        .emit(None, Step::retrying(Stage::Submit, attempt, wait, &error));
                    note(cx.last, &error);
                    continue;
                }
                Outcome::Failed { error, block } => {
                    parts.account.on_block(block, &error);
                    return Err(unsure(error, unknown));
                }
                Outcome::Pending => (
                    Error::new(
                        ErrorKind::Service,
                        "the service answered a submit as if it were a poll (not ready)",
                    ),
                    FaultClass::Malformed,
                ),
                Outcome::Fault { error, class } => (error, class),
            };
            busy_since = None;
            transient = transient.saturating_add(1);
            if class != FaultClass::NotProcessed {
                unknown = unknown.saturating_add(1);
                cx.maybe_created.store(true, Ordering::Relaxed);
            }
            let delay = retry.backoff(transient, seed(cx.obs, attempt));
            if class != FaultClass::NotProcessed && unknown > retry.unknown_submit_retries {
                return Err(unknown_outcome(unknown, &error));
            }
            if cx.max_attempts.is_some_and(|m| transient >= m.max(1)) {
                return Err(unsure(error, unknown));
            }
            // An outage hands the solve to the next provider, unless a task may exist here
            // already: then this provider's own policy (`unknown_submit_retries`) decides.
            if let Some(g) = cx.give_up
                && unknown == 0
                && transient >= g.outage_attempts.max(1)
            {
                return Err(error);
            }
            cx.obs
                .emit(None, Step::retrying(Stage::Submit, attempt, delay, &error));
            note(cx.last, &error);
            cx.wait(tokio::time::sleep(delay), unknown).await?;
        }
    }
}

fn seed(obs: &Observer, attempt: u32) -> u64 {
    obs.solve_id()
        .wrapping_mul(31)
        .wrapping_add(u64::from(attempt))
}

/// A submit phase that ends (the deadline, a cancellation, a refusal) after `n` submits whose
/// outcome nobody knows: each may have created a task the service charges for, so the error
/// says so first (messages are cut to a length; this must survive) and is not retryable,
/// whatever its kind (a retry loop that follows `retryable()` would make the blind resubmit
/// that `unknown_submit_retries` bounds).
fn unsure(error: Error, n: u32) -> Error {
    if n == 0 {
        return error;
    }
    let what = if n == 1 {
        "a submit got no usable reply and may have created a task".to_owned()
    } else {
        format!("{n} submits got no usable reply and each may have created a task")
    };
    error
        .with_lead(&format!(
            "{what} the service will charge for, whose id capbridge never learned (check the \
             account before repeating the call)"
        ))
        .with_retryable(false)
}

fn unknown_outcome(n: u32, last: &Error) -> Error {
    Error::new(
        ErrorKind::Network,
        // The warning first, the last reply's words last: messages are cut to a length.
        format!(
            "{n} submits got no usable reply; each may have created a task the service will \
             charge for, so capbridge stopped resubmitting (option retry.unknown_submit_retries); \
             the last: {}",
            last.message()
        ),
    )
    // Not retryable: repeating the call unchanged is the blind resubmit this error stops (a
    // generic retry loop that follows `retryable()` would pay for a second task).
    .with_retryable(false)
}
