//! The polling scheduler: one task per client serving every solve in flight.
//!
//! Solves hand their task id to the scheduler ([`SchedulerHandle::track`]) and wait on a
//! channel. The scheduler keeps one timer heap for all of them, so ten thousand solves cost
//! ten thousand small entries and one sleeping task, not ten thousand loops.
//!
//! * **When.** A task is first polled after its kind's initial wait, then every poll interval
//!   (stretched when the `res.php` budget runs low). Failed polls are retried with backoff.
//! * **Batches.** Where the provider supports `action=get&ids=...`, a due task may wait up to
//!   a quarter of its interval (at most 1 s) so that tasks due about the same time share one
//!   request; every other batchable task already due rides along. Kinds whose answers may
//!   contain `|` (FunCaptcha) or whose solutions need JSON fields (hCaptcha, Turnstile) are
//!   always polled alone. A reply whose parts do not match the ids sends those tasks to single
//!   polls at once; three such replies in a row turn batching off for the client. A part
//!   that reads as an error code is confirmed by a single poll before it is believed (an image
//!   answer could read the same).
//! * **Limits.** Every request takes one unit of the key's budget first; if none is left the
//!   poll waits for the next interval instead of breaking the rule. If the key is blocked
//!   (bad key, `ERROR: 1005`, ...), due tasks fail at once with that error and their task ids.
//! * **Cancellation.** A solve that is dropped, cancelled or past its deadline tells the
//!   scheduler, which forgets it; a reply that arrives for a forgotten task is ignored.

use super::Shared;
use crate::codec::form::{self, BatchFailure, BatchItem, Reply};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Observer, Stage, Step};
use crate::solution::Solution;
use crate::task::TaskKind;
use crate::transport::{HttpReply, SendError};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// The last failure of a solve, for its timeout message.
pub(crate) type LastError = Arc<StdMutex<Option<String>>>;

/// A submitted task to poll until it is solved.
pub(crate) struct Track {
    pub(crate) solve_id: u64,
    pub(crate) task_id: String,
    pub(crate) kind: TaskKind,
    pub(crate) first_poll: Instant,
    pub(crate) interval: Duration,
    pub(crate) reply: oneshot::Sender<Result<Solution>>,
    pub(crate) observer: Observer,
    pub(crate) last_error: LastError,
}

pub(crate) enum Cmd {
    Track(Box<Track>),
    Cancel(u64),
}

/// Sends commands to a client's scheduler.
#[derive(Clone)]
pub(crate) struct SchedulerHandle {
    tx: mpsc::UnboundedSender<Cmd>,
}

impl SchedulerHandle {
    pub(crate) fn start(shared: Arc<Shared>, runtime: &tokio::runtime::Handle) -> SchedulerHandle {
        let (tx, rx) = mpsc::unbounded_channel();
        let batching = shared.provider.supports_batch_poll();
        let s = Scheduler {
            shared,
            entries: HashMap::new(),
            timers: BinaryHeap::new(),
            batch_due: BTreeMap::new(),
            seq: 0,
            inflight: JoinSet::new(),
            inflight_ids: HashMap::new(),
            batching,
            mismatches: 0,
        };
        runtime.spawn(s.run(rx));
        SchedulerHandle { tx }
    }

    /// Starts polling a task. Fails if the scheduler has stopped (its runtime shut down).
    pub(crate) fn track(&self, t: Track) -> std::result::Result<(), ()> {
        self.tx.send(Cmd::Track(Box::new(t))).map_err(|_| ())
    }

    /// Forgets a solve.
    pub(crate) fn cancel(&self, solve_id: u64) {
        let _ = self.tx.send(Cmd::Cancel(solve_id));
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
    Waiting,
    InFlight,
}

struct Entry {
    t: Track,
    timer: u64,
    batch_key: Option<(Instant, u64)>,
    state: State,
    failures: u32,
    single_next: bool,
}

enum Done {
    Single(u64, std::result::Result<HttpReply, SendError>),
    Batch(Vec<u64>, std::result::Result<HttpReply, SendError>),
}

struct Scheduler {
    shared: Arc<Shared>,
    entries: HashMap<u64, Entry>,
    timers: BinaryHeap<Reverse<(Instant, u64, u64)>>,
    batch_due: BTreeMap<(Instant, u64), u64>,
    seq: u64,
    inflight: JoinSet<Done>,
    inflight_ids: HashMap<tokio::task::Id, Vec<u64>>,
    batching: bool,
    mismatches: u32,
}

fn linger(interval: Duration) -> Duration {
    (interval / 4).min(Duration::from_secs(1))
}

impl Scheduler {
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Cmd>) {
        loop {
            let next = self.timers.peek().map(|Reverse((at, _, _))| *at);
            tokio::select! {
                cmd = rx.recv() => match cmd {
                    None => break,
                    Some(Cmd::Track(t)) => self.add(*t),
                    Some(Cmd::Cancel(id)) => {
                        self.forget(id);
                    }
                },
                Some(done) = self.inflight.join_next_with_id(), if !self.inflight.is_empty() => match done {
                    Ok((tid, done)) => {
                        self.inflight_ids.remove(&tid);
                        self.finish(done);
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
                _ = tokio::time::sleep_until(next.unwrap_or_else(Instant::now)), if next.is_some() => self.dispatch(),
            }
        }
        self.inflight.abort_all();
    }

    fn batchable(&self, e: &Entry) -> bool {
        self.batching
            && !e.single_next
            && !e.t.kind.answer_may_contain_pipe()
            && !e.t.kind.needs_json_reply()
    }

    fn add(&mut self, t: Track) {
        let id = t.solve_id;
        let first = t.first_poll;
        self.entries.insert(
            id,
            Entry {
                t,
                timer: 0,
                batch_key: None,
                state: State::Waiting,
                failures: 0,
                single_next: false,
            },
        );
        self.schedule(id, first);
    }

    fn schedule(&mut self, id: u64, due: Instant) {
        self.seq += 1;
        let seq = self.seq;
        let Some(e) = self.entries.get(&id) else {
            return;
        };
        let batchable = self.batchable(e);
        let dispatch_at = if batchable {
            due + linger(e.t.interval)
        } else {
            due
        };
        let old = e.batch_key;
        if let Some(k) = old {
            self.batch_due.remove(&k);
        }
        if batchable {
            self.batch_due.insert((due, seq), id);
        }
        if let Some(e) = self.entries.get_mut(&id) {
            e.timer = seq;
            e.state = State::Waiting;
            e.batch_key = batchable.then_some((due, seq));
        }
        self.timers.push(Reverse((dispatch_at, seq, id)));
    }

    fn forget(&mut self, id: u64) -> Option<Entry> {
        let e = self.entries.remove(&id)?;
        if let Some(k) = e.batch_key {
            self.batch_due.remove(&k);
        }
        Some(e)
    }

    fn resolve(&mut self, id: u64, result: Result<Solution>) {
        if let Some(e) = self.forget(id) {
            let result = result.map_err(|err| err.with_task_id(&e.t.task_id));
            let _ = e.t.reply.send(result);
        }
    }

    /// The poll interval of an entry, stretched by the budget.
    fn next_poll(&self, id: u64) -> Instant {
        let interval = self
            .entries
            .get(&id)
            .map_or(Duration::from_secs(5), |e| e.t.interval);
        let stretch = self
            .shared
            .account
            .budget
            .stretch(self.entries.len() as u64);
        Instant::now() + interval * stretch
    }

    fn retry(&mut self, id: u64, err: &Error) {
        let retry = self.shared.retry;
        let Some(e) = self.entries.get_mut(&id) else {
            return;
        };
        e.failures += 1;
        let delay = retry.backoff(e.failures, id);
        *e.t.last_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(err.to_string());
        e.t.observer.emit(
            Some(&e.t.task_id),
            Step::retrying(Stage::Poll, e.failures, delay, err),
        );
        self.schedule(id, Instant::now() + delay);
    }

    fn dispatch(&mut self) {
        let now = Instant::now();
        let mut single = Vec::new();
        while let Some(Reverse((at, seq, id))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
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
            if !self.batchable(e) {
                single.push(id);
            }
        }
        let mut batch = Vec::new();
        if self.batching {
            let due: Vec<((Instant, u64), u64)> = self
                .batch_due
                .range(..=(now, u64::MAX))
                .map(|(k, v)| (*k, *v))
                .collect();
            for (k, id) in due {
                self.batch_due.remove(&k);
                match self.entries.get_mut(&id) {
                    Some(e) if e.t.reply.is_closed() => {
                        self.forget(id);
                    }
                    Some(e) => {
                        e.batch_key = None;
                        batch.push(id);
                    }
                    None => {}
                }
            }
        }
        if single.is_empty() && batch.is_empty() {
            return;
        }
        if let Err(blocked) = self.shared.account.guard.check_any() {
            for id in single.into_iter().chain(batch) {
                self.resolve(id, Err(blocked.clone_shallow()));
            }
            return;
        }
        let max = self.shared.provider.batch_size().max(1);
        for chunk in batch.chunks(max) {
            if chunk.len() == 1 {
                single.push(chunk[0]);
            } else {
                self.send_batch(chunk.to_vec());
            }
        }
        for id in single {
            self.send_single(id);
        }
    }

    fn spend_or_defer(&mut self, ids: &[u64]) -> bool {
        if self.shared.account.budget.try_spend(1) {
            return true;
        }
        for &id in ids {
            let at = self.next_poll(id);
            self.schedule(id, at);
        }
        false
    }

    fn send_single(&mut self, id: u64) {
        if !self.spend_or_defer(&[id]) {
            return;
        }
        let Some(e) = self.entries.get_mut(&id) else {
            return;
        };
        e.state = State::InFlight;
        e.single_next = false;
        let req = form::poll_request(
            &e.t.task_id,
            &self.shared.key,
            &self.shared.form,
            e.t.kind.needs_json_reply(),
        );
        let shared = self.shared.clone();
        let h = self.inflight.spawn(async move {
            let r = shared.transport.send(&req, shared.request_timeout).await;
            Done::Single(id, r)
        });
        self.inflight_ids.insert(h.id(), vec![id]);
    }

    fn send_batch(&mut self, ids: Vec<u64>) {
        if !self.spend_or_defer(&ids) {
            return;
        }
        let mut task_ids = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(e) = self.entries.get_mut(id) {
                e.state = State::InFlight;
                task_ids.push(e.t.task_id.clone());
            }
        }
        let refs: Vec<&str> = task_ids.iter().map(String::as_str).collect();
        let req = form::batch_poll_request(&refs, &self.shared.key, &self.shared.form);
        let shared = self.shared.clone();
        let sent = ids.clone();
        let h = self.inflight.spawn(async move {
            let r = shared.transport.send(&req, shared.request_timeout).await;
            Done::Batch(sent, r)
        });
        self.inflight_ids.insert(h.id(), ids);
    }

    fn not_ready(&mut self, id: u64, batch: bool) {
        if let Some(e) = self.entries.get_mut(&id) {
            e.failures = 0;
            e.t.observer.emit(
                Some(&e.t.task_id),
                Step::Polled {
                    ready: false,
                    batch,
                },
            );
        }
        let at = self.next_poll(id);
        self.schedule(id, at);
    }

    fn solved(&mut self, id: u64, answer: form::Answer, batch: bool) {
        let Some(e) = self.entries.get(&id) else {
            return;
        };
        e.t.observer
            .emit(Some(&e.t.task_id), Step::Polled { ready: true, batch });
        let solution = Solution {
            task_id: e.t.task_id.clone(),
            answer: answer.text,
            user_agent: answer.user_agent,
            resp_key: answer.resp_key,
            cost: answer.cost,
            raw: answer.raw,
        };
        self.resolve(id, Ok(solution));
    }

    fn failed(&mut self, id: u64, err: Error) {
        if let Some(code) = err.code() {
            self.shared
                .account
                .guard
                .on_code(code, self.shared.provider.limits().zero_balance_wait);
        }
        self.resolve(id, Err(err));
    }

    fn finish(&mut self, done: Done) {
        match done {
            Done::Single(id, r) => {
                if !self.entries.contains_key(&id) {
                    return; // cancelled while in flight
                }
                let reply = match r {
                    Ok(reply) => form::parse_reply(reply.status, &reply.body),
                    Err(e) => return self.retry(id, &self.shared.redact(e.to_error())),
                };
                match &reply {
                    Reply::Fault(f) if f.retryable() => self.retry(id, &f.to_error()),
                    _ => match form::poll_outcome(&reply) {
                        Ok(Some(answer)) => self.solved(id, answer, false),
                        Ok(None) => self.not_ready(id, false),
                        Err(err) => self.failed(id, self.shared.redact(err)),
                    },
                }
            }
            Done::Batch(ids, r) => {
                let ids: Vec<u64> = ids
                    .into_iter()
                    .filter(|id| self.entries.contains_key(id))
                    .collect();
                let reply = match r {
                    Ok(reply) => reply,
                    Err(e) => {
                        let err = self.shared.redact(e.to_error());
                        for id in ids {
                            self.retry(id, &err);
                        }
                        return;
                    }
                };
                match form::batch_outcome(reply.status, &reply.body, ids.len()) {
                    Ok(items) => {
                        self.mismatches = 0;
                        for (id, item) in ids.into_iter().zip(items) {
                            match item {
                                BatchItem::NotReady => self.not_ready(id, true),
                                BatchItem::Ready(text) => {
                                    let raw = serde_json::json!({"status": 1, "request": text});
                                    let answer = form::Answer {
                                        text,
                                        user_agent: None,
                                        resp_key: None,
                                        cost: None,
                                        raw,
                                    };
                                    self.solved(id, answer, true);
                                }
                                BatchItem::Code(_) => self.poll_alone(id),
                            }
                        }
                    }
                    Err(BatchFailure::Mismatch) => {
                        self.mismatches += 1;
                        if self.mismatches >= 3 && self.batching {
                            self.batching = false;
                            tracing::warn!(target: "capbridge", "batch poll replies do not match their ids; batch polling is off for this client");
                        }
                        for id in ids {
                            self.poll_alone(id);
                        }
                    }
                    Err(BatchFailure::Whole(whole)) => match *whole {
                        Reply::Code(c) => {
                            let err = Error::from_code(&c);
                            if err.kind() == ErrorKind::NotFound {
                                ids.into_iter().for_each(|id| self.poll_alone(id));
                            } else {
                                for id in ids {
                                    self.failed(id, err.clone_shallow());
                                }
                            }
                        }
                        Reply::Fault(f) => {
                            let err = f.to_error();
                            for id in ids {
                                if f.retryable() {
                                    self.retry(id, &err);
                                } else {
                                    self.failed(id, err.clone_shallow());
                                }
                            }
                        }
                        _ => ids.into_iter().for_each(|id| self.poll_alone(id)),
                    },
                }
            }
        }
    }

    /// Polls a task by itself, now.
    fn poll_alone(&mut self, id: u64) {
        if let Some(e) = self.entries.get_mut(&id) {
            e.single_next = true;
        }
        self.schedule(id, Instant::now());
    }
}
