//! The polling scheduler: one task per provider and key, serving every solve in flight.
//!
//! Solves hand their task id to the scheduler ([`SchedulerHandle::track`]) and wait on a
//! channel. The scheduler keeps one timer heap for all of them, so ten thousand solves cost
//! ten thousand small entries and one sleeping task, not ten thousand loops.
//!
//! * **When.** A task is first polled after its kind's initial wait, then every poll interval
//!   (stretched when the poll budget runs low; never closer than the provider's least
//!   interval). Failed polls are retried with backoff.
//! * **Batches are the client's rhythm.** Where the codec offers batch polls, a task past its
//!   first wait joins a pool, and one batch request per poll interval carries every pooled
//!   task (up to the provider's cap on ids per request), so the number of poll requests per
//!   second does not grow with the tasks in flight, and an answer reaches its caller within
//!   one interval of becoming ready, even while submits trickle in 100 ms apart. Kinds the
//!   codec polls alone keep their own schedule. A part of a batch reply that is unclear, a
//!   reply whose shape does not match its ids, and a whole-batch error send those tasks to
//!   single polls: a batch reply never ends a solve that a single poll would have answered.
//!   Three mismatched replies in a row turn batching off for the client.
//! * **Limits.** Every request takes one unit of the key's poll budget first; if none is left
//!   the poll waits for the next interval instead of breaking the rule. A provider's cap on
//!   polls per task ends the solve before the cap is broken. If the key is blocked (bad key,
//!   `ERROR: 1005`, ...), due tasks fail at once with that error and their task ids.
//! * **Faults.** Replies that are not protocol replies are retried with backoff until the
//!   solve's deadline; replies the protocol does not define (an empty answer, bytes that are
//!   not UTF-8) are retried [`MAX_MALFORMED`] times, then the solve fails with a `service`
//!   error and its task id.
//! * **Cancellation.** A solve that is dropped, cancelled or past its deadline tells the
//!   scheduler, which forgets it; a reply that arrives for a forgotten task is ignored.
//! * **Robustness.** Time arithmetic saturates, and a panic while handling one solve is
//!   caught and ends only that step: one solve can never stop the scheduler of the others.

use super::learn::Seen;
use super::pool::Pool;
use super::{BackendParts, later};
use crate::codec::{BatchItem, BatchOutcome, FaultClass, Outcome, Pause, Reply};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Observer, Stage, Step, WaitSource};
use crate::solution::Solution;
use crate::task::TaskKind;
use crate::transport::SendError;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Replies the protocol does not define, in a row, before a solve fails.
pub(crate) const MAX_MALFORMED: u32 = 3;

/// The timer id of the batch tick.
const TICK: u64 = u64::MAX;

/// A submitted task to poll until it is solved.
pub(crate) struct Track {
    pub(crate) solve_id: u64,
    pub(crate) task_id: String,
    pub(crate) kind: Option<TaskKind>,
    pub(crate) first_poll: Instant,
    pub(crate) interval: Duration,
    /// The answer, boxed: the channel holds room for its value from the start.
    pub(crate) reply: oneshot::Sender<Result<Box<Solution>>>,
    pub(crate) observer: Observer,
    pub(crate) last_error: super::LastError,
    /// Where its first wait came from (told in its `polled` events).
    pub(crate) first_wait: WaitSource,
    /// For learning first waits from it (a solve's own submit; not `wait`).
    pub(crate) learn: Option<Learn>,
    /// The timeout of a poll of this task alone: the solve's own, else the client's. A batch
    /// poll keeps the client's.
    pub(crate) request_timeout: Duration,
}

/// What the scheduler needs to learn from a solve, and to put its polls off to the learned
/// first wait.
pub(crate) struct Learn {
    pub(crate) kind: TaskKind,
    /// When the submit's reply arrived.
    pub(crate) submitted: Instant,
    /// The documented first wait (where learning starts).
    pub(crate) documented: Duration,
    /// The solve's deadline (the learned wait is at most half of it).
    pub(crate) timeout: Duration,
    /// Whether polls due before the learned wait are put off to it (not when the user gave
    /// the first wait).
    pub(crate) put_off: bool,
}

pub(crate) enum Cmd {
    Track(Box<Track>),
    Cancel(u64),
    /// What the service pushed for a solve (its callback receiver verified the token), and
    /// the solve's place in the queue, given back once the push is read.
    Pushed(u64, Vec<u8>, Option<tokio::sync::OwnedSemaphorePermit>),
}

/// Sends commands to a scheduler.
#[derive(Clone)]
pub(crate) struct SchedulerHandle {
    tx: mpsc::UnboundedSender<Cmd>,
}

impl SchedulerHandle {
    pub(crate) fn start(
        parts: Arc<BackendParts>,
        runtime: &tokio::runtime::Handle,
    ) -> SchedulerHandle {
        let (tx, rx) = mpsc::unbounded_channel();
        let batching = parts.codec.capabilities().batch_polling;
        let s = Scheduler {
            parts,
            entries: HashMap::new(),
            timers: BinaryHeap::new(),
            seq: 0,
            pool: Pool::default(),
            tick: None,
            batch_failures: 0,
            inflight: JoinSet::new(),
            inflight_ids: HashMap::new(),
            batching,
            mismatches: 0,
            early: HashMap::new(),
        };
        runtime.spawn(s.run(rx));
        SchedulerHandle { tx }
    }

    /// A handle whose commands arrive in the returned receiver, with no scheduler behind it.
    #[cfg(test)]
    pub(crate) fn detached() -> (SchedulerHandle, mpsc::UnboundedReceiver<Cmd>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (SchedulerHandle { tx }, rx)
    }

    /// Whether the scheduler still runs (its runtime has not shut down).
    pub(crate) fn is_alive(&self) -> bool {
        !self.tx.is_closed()
    }

    /// Starts polling a task. Fails if the scheduler has stopped (its runtime shut down).
    pub(crate) fn track(&self, t: Track) -> std::result::Result<(), ()> {
        self.tx.send(Cmd::Track(Box::new(t))).map_err(|_| ())
    }

    /// Forgets a solve.
    pub(crate) fn cancel(&self, solve_id: u64) {
        let _ = self.tx.send(Cmd::Cancel(solve_id));
    }

    /// Hands a solve what the service pushed for it (see [`Cmd::Pushed`]).
    pub(crate) fn push(
        &self,
        solve_id: u64,
        body: Vec<u8>,
        place: Option<tokio::sync::OwnedSemaphorePermit>,
    ) {
        let _ = self.tx.send(Cmd::Pushed(solve_id, body, place));
    }
}

/// Tells the scheduler to forget a solve when its future ends for any reason.
pub(crate) struct CancelOnDrop {
    pub(crate) handle: SchedulerHandle,
    pub(crate) solve_id: u64,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.handle.cancel(self.solve_id);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for its own timer (single polls, and batchable tasks before their first wait).
    Waiting,
    /// In the batch pool: rides every batch tick.
    Pooled,
    /// A request for it is in flight.
    InFlight,
}

struct Entry {
    t: Track,
    /// The sequence number of its live timer.
    timer: u64,
    state: State,
    /// Consecutive transient failures (backoff).
    failures: u32,
    /// Consecutive malformed replies.
    malformed: u32,
    /// When its last poll was sent.
    last_sent: Option<Instant>,
    /// Poll it alone next time (a batch reply was unclear about it).
    single_next: bool,
    /// When its last poll that found it not ready was sent.
    pending_at: Option<Instant>,
    /// Whether it has counted for the learned first waits.
    counted: bool,
}

enum Done {
    Single(u64, std::result::Result<Reply, SendError>),
    Batch(Vec<u64>, std::result::Result<Reply, SendError>),
}

struct Scheduler {
    parts: Arc<BackendParts>,
    entries: HashMap<u64, Entry>,
    timers: BinaryHeap<Reverse<(Instant, u64, u64)>>,
    seq: u64,
    pool: Pool,
    /// When the next batch tick fires, and its timer's sequence number.
    tick: Option<(Instant, u64)>,
    batch_failures: u32,
    inflight: JoinSet<Done>,
    inflight_ids: HashMap<tokio::task::Id, Vec<u64>>,
    batching: bool,
    mismatches: u32,
    /// Pushes that came before their solve was tracked (a fast service), by solve.
    early: HashMap<u64, (Instant, Vec<u8>)>,
}

/// Runs one step of the scheduler; a panic in it ends that step only.
fn guarded(what: &str, f: impl FnOnce()) {
    if std::panic::catch_unwind(AssertUnwindSafe(f)).is_err() {
        tracing::error!(target: "capbridge", "the polling scheduler caught a panic while {what}; it goes on (this is a bug)");
    }
}

impl Scheduler {
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Cmd>) {
        loop {
            let next = self.timers.peek().map(|Reverse((at, _, _))| *at);
            tokio::select! {
                cmd = rx.recv() => match cmd {
                    None => break,
                    Some(Cmd::Track(t)) => guarded("adding a solve", || self.add(*t)),
                    Some(Cmd::Cancel(id)) => {
                        self.forget(id);
                        self.early.remove(&id);
                    }
                    Some(Cmd::Pushed(id, body, place)) => {
                        guarded("reading a pushed answer", || self.pushed(id, body));
                        drop(place);
                    }
                },
                Some(done) = self.inflight.join_next_with_id(), if !self.inflight.is_empty() => match done {
                    Ok((tid, done)) => {
                        self.inflight_ids.remove(&tid);
                        guarded("reading a reply", || self.finish(done));
                    }
                    Err(e) => {
                        // A request task panicked or was aborted: retry its solves.
                        let ids = self.inflight_ids.remove(&e.id()).unwrap_or_default();
                        let err = Error::new(ErrorKind::Service, "a poll request ended abnormally");
                        for id in ids {
                            self.retry(id, &err);
                        }
                    }
                },
                _ = tokio::time::sleep_until(next.unwrap_or_else(Instant::now)), if next.is_some() => {
                    guarded("dispatching polls", || self.dispatch());
                }
            }
        }
        self.inflight.abort_all();
    }

    fn batchable(&self, e: &Entry) -> bool {
        self.batching && !e.single_next && !self.parts.codec.polled_alone(e.t.kind)
    }

    fn add(&mut self, t: Track) {
        let id = t.solve_id;
        let first = t.first_poll;
        self.entries.insert(
            id,
            Entry {
                t,
                timer: 0,
                state: State::Waiting,
                failures: 0,
                malformed: 0,
                last_sent: None,
                single_next: false,
                pending_at: None,
                counted: false,
            },
        );
        self.schedule(id, first);
        if let Some((_, body)) = self.early.remove(&id) {
            self.pushed(id, body);
        }
    }

    /// What the service pushed for a solve: read as a poll's reply. An answer or a failure
    /// ends the solve; anything else (a push naming another task, an unclear body) is
    /// ignored, and the solve's polls go on.
    fn pushed(&mut self, id: u64, body: Vec<u8>) {
        let Some(e) = self.entries.get(&id) else {
            // Not tracked yet (the submit's reply is on its way), or already gone.
            let now = Instant::now();
            self.early
                .retain(|_, (at, _)| now.saturating_duration_since(*at) < Duration::from_secs(300));
            if self.early.len() < super::callback::MAX_EARLY {
                self.early.insert(id, (now, body));
            }
            return;
        };
        let (claim, outcome) = self.parts.codec.read_push(&body, e.t.kind);
        if claim.is_some_and(|c| c != e.t.task_id) {
            tracing::debug!(target: "capbridge", "a push named another task than the one its token was sent with; ignored");
            return;
        }
        let ready = match &outcome {
            Outcome::Done(_) => true,
            Outcome::Failed { .. } => false,
            _ => return,
        };
        if let Some(e) = self.entries.get_mut(&id) {
            let first_wait = e.t.first_wait;
            e.t.observer.emit(
                Some(&e.t.task_id),
                Step::Polled {
                    ready,
                    batch: false,
                    first_wait,
                    pushed: true,
                },
            );
            // A push says when the task became ready: now.
            if self.parts.adaptive
                && !e.counted
                && let Some(l) = &e.t.learn
            {
                let age = Instant::now().saturating_duration_since(l.submitted);
                e.counted = self.parts.account.waits.observe(
                    l.kind,
                    l.documented,
                    Seen::ReadyBetween(age, age),
                );
            }
        }
        match outcome {
            Outcome::Done(answer) => {
                let Some(e) = self.entries.get(&id) else {
                    return;
                };
                let solution = Solution::new(&e.t.task_id, self.parts.provider.name(), answer);
                self.resolve(id, Ok(solution));
            }
            Outcome::Failed { error, block } => {
                self.parts.account.on_block(block, &error);
                self.resolve(id, Err(error));
            }
            _ => {}
        }
    }

    fn push_timer(&mut self, at: Instant, id: u64) -> u64 {
        self.seq += 1;
        self.timers.push(Reverse((at, self.seq, id)));
        self.seq
    }

    /// Sets an entry's own timer (leaving the pool if it was in it).
    fn schedule(&mut self, id: u64, due: Instant) {
        let min = self.parts.account.limits().min_poll_interval;
        let Some(e) = self.entries.get(&id) else {
            return;
        };
        let due = match e.last_sent {
            Some(sent) => due.max(later(sent, min)),
            None => due,
        };
        self.pool.remove(id);
        let seq = self.push_timer(due, id);
        if let Some(e) = self.entries.get_mut(&id) {
            e.timer = seq;
            e.state = State::Waiting;
        }
    }

    /// Puts an entry in the batch pool and makes sure a tick is coming.
    fn join_pool(&mut self, id: u64) {
        if let Some(e) = self.entries.get_mut(&id) {
            e.state = State::Pooled;
            e.timer = 0;
            self.pool.insert(id, e.t.interval);
        }
        if self.tick.is_none() {
            let now = Instant::now();
            let seq = self.push_timer(now, TICK);
            self.tick = Some((now, seq));
        }
    }

    fn forget(&mut self, id: u64) -> Option<Entry> {
        self.pool.remove(id);
        self.entries.remove(&id)
    }

    fn resolve(&mut self, id: u64, result: Result<Solution>) {
        if let Some(e) = self.forget(id) {
            let result = result
                .map(Box::new)
                .map_err(|err| err.with_task_id(&e.t.task_id));
            let _ = e.t.reply.send(result);
        }
    }

    /// How much to stretch intervals so that `requests` polls per round fit the budget.
    fn stretch(&self, requests: u64) -> u32 {
        self.parts.account.budget.stretch(requests)
    }

    /// The next poll of an entry: its interval, stretched by the budget.
    fn next_poll(&self, id: u64) -> Instant {
        let interval = self
            .entries
            .get(&id)
            .map_or(Duration::from_secs(5), |e| e.t.interval);
        let singles = self.entries.len().saturating_sub(self.pool.len()) as u64;
        later(
            Instant::now(),
            interval.saturating_mul(self.stretch(singles.max(1))),
        )
    }

    fn retry_after(&mut self, id: u64, err: &Error, delay: Duration) {
        let Some(e) = self.entries.get_mut(&id) else {
            return;
        };
        super::note(&e.t.last_error, err);
        e.t.observer.emit(
            Some(&e.t.task_id),
            Step::retrying(Stage::Poll, e.failures.max(1), delay, err),
        );
        // Its own timer brings a batchable task back to the pool once the delay has passed.
        let at = later(Instant::now(), delay);
        self.schedule(id, at);
    }

    fn batchable_id(&self, id: u64) -> bool {
        self.entries.get(&id).is_some_and(|e| self.batchable(e))
    }

    fn retry(&mut self, id: u64, err: &Error) {
        let retry = self.parts.retry;
        let Some(e) = self.entries.get_mut(&id) else {
            return;
        };
        e.failures = e.failures.saturating_add(1);
        let delay = retry.backoff(e.failures, id);
        self.retry_after(id, err, delay);
    }

    fn dispatch(&mut self) {
        let now = Instant::now();
        let mut single = Vec::new();
        let mut tick_due = false;
        while let Some(Reverse((at, seq, id))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            if id == TICK {
                if self.tick.is_some_and(|(_, s)| s == seq) {
                    self.tick = None;
                    tick_due = true;
                }
                continue;
            }
            let Some(e) = self.entries.get(&id) else {
                continue;
            };
            if e.timer != seq || e.state != State::Waiting {
                continue;
            }
            if e.t.reply.is_closed() {
                self.forget(id);
                continue;
            }
            if let Some(at) = self.put_off(e, now) {
                self.schedule(id, at);
                continue;
            }
            if self.batchable(e) {
                self.join_pool(id);
            } else {
                single.push(id);
            }
        }
        let mut batch = Vec::new();
        if tick_due {
            for id in self.pool.waiting() {
                match self.entries.get(&id) {
                    Some(e) if e.t.reply.is_closed() => {
                        self.forget(id);
                    }
                    Some(e) if e.state == State::Pooled => batch.push(id),
                    Some(_) => {}
                    None => self.pool.remove(id),
                }
            }
        }
        if single.is_empty() && batch.is_empty() {
            if tick_due && !self.pool.is_empty() {
                self.next_tick(0);
            }
            return;
        }
        if let Err(blocked) = self.parts.account.guard.check_any() {
            for id in single.into_iter().chain(batch) {
                self.resolve(id, Err(blocked.clone_shallow()));
            }
            return;
        }
        let max = self.parts.codec.capabilities().batch_size.max(1);
        let mut requests = 0u64;
        for chunk in batch.chunks(max) {
            requests += 1;
            if chunk.len() == 1 {
                single.push(chunk[0]);
            } else {
                self.send_batch(chunk.to_vec());
            }
        }
        for id in single {
            self.send_single(id);
        }
        if tick_due {
            self.next_tick(requests);
        }
    }

    /// Schedules the next batch tick one interval (the shortest of the pooled tasks'),
    /// stretched by the budget and pushed out by backoff after failed batches.
    fn next_tick(&mut self, requests: u64) {
        if self.pool.is_empty() {
            return;
        }
        let interval = self.pool.min_interval().unwrap_or(Duration::from_secs(5));
        let mut wait = interval.saturating_mul(self.stretch(requests.max(1)));
        if self.batch_failures > 0 {
            wait = wait.max(self.parts.retry.backoff(self.batch_failures, 0));
        }
        let at = later(Instant::now(), wait);
        if let Some((current, _)) = self.tick
            && current <= at
        {
            return;
        }
        let seq = self.push_timer(at, TICK);
        self.tick = Some((at, seq));
    }

    fn spend(&mut self) -> bool {
        self.parts.account.budget.try_spend(1)
    }

    /// Whether the provider's cap on polls per task allows one more; fails the solve if not.
    fn under_cap(&mut self, id: u64) -> bool {
        let Some(e) = self.entries.get(&id) else {
            return false;
        };
        let Err(cap) = self.parts.account.poll_allowed(&e.t.task_id) else {
            return true;
        };
        self.resolve(id, Err(poll_cap_error(cap)));
        false
    }

    fn mark_sent(&mut self, id: u64) {
        self.pool.sent(id);
        if let Some(e) = self.entries.get_mut(&id) {
            e.state = State::InFlight;
            e.last_sent = Some(Instant::now());
            self.parts.account.count_poll(&e.t.task_id);
        }
    }

    fn send_single(&mut self, id: u64) {
        if !self.under_cap(id) {
            return;
        }
        if !self.spend() {
            let at = self.next_poll(id);
            self.schedule(id, at);
            return;
        }
        let Some(e) = self.entries.get_mut(&id) else {
            return;
        };
        e.single_next = false;
        let req = self
            .parts
            .codec
            .poll(&e.t.task_id, e.t.kind, &self.parts.key);
        let timeout = e.t.request_timeout;
        self.mark_sent(id);
        let parts = self.parts.clone();
        let h = self.inflight.spawn(async move {
            let r = parts.transport.send(&req, timeout).await;
            Done::Single(id, r)
        });
        self.inflight_ids.insert(h.id(), vec![id]);
    }

    fn send_batch(&mut self, ids: Vec<u64>) {
        if !self.spend() {
            // Nothing sent: the pooled tasks wait for the next tick.
            return;
        }
        let mut task_ids = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(e) = self.entries.get(id) {
                task_ids.push(e.t.task_id.clone());
            }
        }
        for id in &ids {
            self.mark_sent(*id);
        }
        let refs: Vec<&str> = task_ids.iter().map(String::as_str).collect();
        let req = self.parts.codec.poll_batch(&refs, &self.parts.key);
        let parts = self.parts.clone();
        let sent = ids.clone();
        let h = self.inflight.spawn(async move {
            let r = parts.transport.send(&req, parts.request_timeout).await;
            Done::Batch(sent, r)
        });
        self.inflight_ids.insert(h.id(), ids);
    }

    fn polled(&mut self, id: u64, ready: bool, batch: bool) {
        if let Some(e) = self.entries.get_mut(&id) {
            e.failures = 0;
            e.malformed = 0;
            let first_wait = e.t.first_wait;
            e.t.observer.emit(
                Some(&e.t.task_id),
                Step::Polled {
                    ready,
                    batch,
                    first_wait,
                    pushed: false,
                },
            );
        }
    }

    /// When a poll of `e` coming due `now` is put off to the learned first wait (a task
    /// submitted while less was known about the service's pace), if it is.
    fn put_off(&self, e: &Entry, now: Instant) -> Option<Instant> {
        let l = e.t.learn.as_ref().filter(|l| l.put_off)?;
        let wait = self.parts.learned_wait(l.kind, l.timeout)?;
        let at = later(l.submitted, wait);
        (at > later(now, Duration::from_millis(1))).then_some(at)
    }

    /// Tells the learned first waits what a poll of `id` found (once per task: see
    /// `learn.rs`).
    fn learn(&mut self, id: u64, ready: bool) {
        if !self.parts.adaptive {
            return;
        }
        let Some(e) = self.entries.get_mut(&id) else {
            return;
        };
        let (Some(l), Some(sent)) = (e.t.learn.as_ref(), e.last_sent) else {
            return;
        };
        let age = |at: Instant| at.saturating_duration_since(l.submitted);
        if !ready {
            e.pending_at = Some(sent);
        }
        if e.counted {
            return;
        }
        let seen = if ready {
            Seen::ReadyBetween(e.pending_at.map_or(Duration::ZERO, age), age(sent))
        } else {
            Seen::NotReadyAt(age(sent))
        };
        e.counted = self.parts.account.waits.observe(l.kind, l.documented, seen);
    }

    fn not_ready(&mut self, id: u64, batch: bool) {
        self.polled(id, false, batch);
        self.learn(id, false);
        let off = self
            .entries
            .get(&id)
            .and_then(|e| self.put_off(e, Instant::now()));
        if let Some(at) = off {
            self.schedule(id, at.max(self.next_poll(id)));
        } else if self.batchable_id(id) {
            self.join_pool(id);
        } else {
            let at = self.next_poll(id);
            self.schedule(id, at);
        }
    }

    fn solved(&mut self, id: u64, answer: crate::codec::Answer, batch: bool) {
        self.polled(id, true, batch);
        self.learn(id, true);
        let Some(e) = self.entries.get(&id) else {
            return;
        };
        let solution = Solution::new(&e.t.task_id, self.parts.provider.name(), answer);
        self.resolve(id, Ok(solution));
    }

    /// Polls a task by itself, now.
    fn poll_alone(&mut self, id: u64) {
        if let Some(e) = self.entries.get_mut(&id) {
            e.single_next = true;
        }
        self.schedule(id, Instant::now());
    }

    fn fault(&mut self, id: u64, error: Error, class: FaultClass) {
        if class == FaultClass::Malformed {
            let Some(e) = self.entries.get_mut(&id) else {
                return;
            };
            e.malformed = e.malformed.saturating_add(1);
            if e.malformed >= MAX_MALFORMED {
                return self.resolve(id, Err(error));
            }
        }
        self.retry(id, &error);
    }

    fn single_outcome(&mut self, id: u64, outcome: Outcome<crate::codec::Answer>) {
        match outcome {
            Outcome::Done(answer) => self.solved(id, answer, false),
            Outcome::Pending => self.not_ready(id, false),
            Outcome::Busy { error, pause } => {
                let limits = self.parts.account.limits();
                let wait = match pause {
                    Pause::NoSlot => limits.no_slot_wait,
                    Pause::TooManyRequests => limits.rate_limit_wait,
                    Pause::For(d) => d,
                }
                .max(limits.min_poll_interval);
                self.retry_after(id, &error, wait);
            }
            Outcome::Failed { error, block } => {
                self.parts.account.on_block(block, &error);
                self.resolve(id, Err(error));
            }
            Outcome::Fault { error, class } => self.fault(id, error, class),
        }
    }

    fn finish(&mut self, done: Done) {
        match done {
            Done::Single(id, r) => {
                if !self.entries.contains_key(&id) {
                    return; // cancelled while in flight
                }
                let kind = self.entries.get(&id).and_then(|e| e.t.kind);
                let outcome = match r {
                    Ok(reply) => self.parts.codec.read_poll(&reply, kind),
                    Err(e) => e.outcome(),
                };
                self.single_outcome(id, outcome);
            }
            Done::Batch(ids, r) => {
                let ids: Vec<u64> = ids
                    .into_iter()
                    .filter(|id| self.entries.contains_key(id))
                    .collect();
                let kinds: Vec<_> = ids
                    .iter()
                    .map(|id| self.entries.get(id).and_then(|e| e.t.kind))
                    .collect();
                let outcome = match r {
                    Ok(reply) => self.parts.codec.read_batch(&reply, &kinds),
                    Err(e) => match e.outcome::<()>() {
                        Outcome::Fault { error, class } => BatchOutcome::Fault { error, class },
                        // A redirect or the like: let single polls tell each solve.
                        _ => BatchOutcome::Alone {
                            mismatch: false,
                            refusal: None,
                        },
                    },
                };
                self.batch_outcome(ids, outcome);
            }
        }
    }

    /// A batch reply that says nothing usable of each task: single polls tell each solve,
    /// and batches that keep coming back so turn batching off for this client.
    fn unusable_batch(&mut self, ids: Vec<u64>, why: &str) {
        self.mismatches += 1;
        if self.mismatches >= 3 && self.batching {
            self.batching = false;
            tracing::warn!(target: "capbridge", "batch poll replies {why}; batch polling is off for this client");
        }
        ids.into_iter().for_each(|id| self.poll_alone(id));
    }

    fn batch_outcome(&mut self, ids: Vec<u64>, outcome: BatchOutcome) {
        match outcome {
            BatchOutcome::Items(items) if items.len() == ids.len() => {
                self.mismatches = 0;
                self.batch_failures = 0;
                for (id, item) in ids.into_iter().zip(items) {
                    match item {
                        BatchItem::Pending => self.not_ready(id, true),
                        BatchItem::Ready(answer) => self.solved(id, *answer, true),
                        BatchItem::Alone => self.poll_alone(id),
                    }
                }
            }
            BatchOutcome::Items(_) | BatchOutcome::Alone { mismatch: true, .. } => {
                self.unusable_batch(ids, "do not match their ids");
            }
            BatchOutcome::Alone { refusal, .. } => {
                // One code answered the whole batch: note what it blocks (the single polls
                // then fail at once, unsent, if it blocks them), and let each task's own
                // poll say what it means for that task.
                if let Some((error, block)) = refusal {
                    self.parts.account.on_block(Some(block), &error);
                }
                ids.into_iter().for_each(|id| self.poll_alone(id));
            }
            BatchOutcome::Fault {
                class: FaultClass::Malformed,
                ..
            } => {
                // A reply the protocol does not define for a batch says nothing of each
                // task: single polls tell each solve (and end it only if they, too, read as
                // nothing).
                self.unusable_batch(ids, "cannot be read");
            }
            BatchOutcome::Fault { error, .. } => {
                self.batch_failures = self.batch_failures.saturating_add(1);
                let delay = self.parts.retry.backoff(self.batch_failures, 0);
                for id in ids {
                    if let Some(e) = self.entries.get_mut(&id) {
                        e.failures = e.failures.saturating_add(1);
                        super::note(&e.t.last_error, &error);
                        e.t.observer.emit(
                            Some(&e.t.task_id),
                            Step::retrying(Stage::Poll, e.failures, delay, &error),
                        );
                        // Back among the waiting: the next tick (pushed out by the
                        // backoff) polls it again.
                        e.state = State::Pooled;
                        self.pool.insert(id, e.t.interval);
                    }
                }
                self.next_tick(1);
            }
        }
    }
}

/// A task that has had every poll its provider allows (counted for the key, across solves,
/// `wait` and `result`): asking again would break the provider's rule.
pub(crate) fn poll_cap_error(cap: u32) -> Error {
    Error::new(
        ErrorKind::RateLimited,
        format!(
            "stopped polling: the provider allows at most {cap} polls per task, and this task \
             has had them all"
        ),
    )
    .with_retryable(false)
}
