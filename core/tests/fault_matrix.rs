//! The fault matrix: every fault the emulator can script, against every verb of the form
//! protocol (submit, single poll, batch poll, balance, report), each cell on its own emulator.
//!
//! A cell runs two doses of its fault: a **burst** (the first 2 requests of the verb's
//! endpoint; a busy code 2 times) and an **outage** (every request of the endpoint for the
//! whole cell). The zero-balance row has one dose: the balance drops to 0 in the middle of
//! the run (after the first task was created for `submit`, after every task was created for
//! the poll verbs, before the call for `balance` and `report`). `echo` (the request echoed
//! in a 500 body) is a row of its own: the error excerpt must not show the key.
//!
//! Every cell checks the same invariants, none of them a speed (the cells run eight at a
//! time on machines that are busy with other work):
//!
//! * each solve ends with an answer or a typed error, each balance / report call with a
//!   result or a typed error: by its deadline or its retry budget, never by a hang (a run
//!   that has not ended a minute past its deadline fails as hung);
//! * every task id the emulator created appears in an answer or an error (`Error::task_id`),
//!   except tasks whose submit reply never reached the client (a fault destroyed it after
//!   the service acted: `drop`, `truncate`, `http504_after`, `non_utf8`; or the request timed
//!   out): at most as many as the solves counted submits without a usable reply, which the
//!   next invariant bounds; and every reply a fault spoiled was noticed as such;
//! * a solve sends at most `1 + RetryPolicy::unknown_submit_retries` (3) submits that did not
//!   get a busy reply, and the emulator saw no submit the solves' events do not show;
//! * the emulator counts no limit violation, the request log shows no `Referer`, and no
//!   error or event text holds the API key;
//! * batch-poll cells really sent batch polls (several solves in flight, `ids=` requests);
//! * after a burst (not a redirect, which ends the request that meets it), every solve still
//!   ends with its answer: a fault or two on the way is retried, never the end of a solve.
//!
//! Deadlines: a solve that meets an outage runs into its short deadline (1.2 s), which is
//! how it ends; solves that must outlast a burst get a long one (60 s), so that no deadline
//! races the retries on a slow machine. Batch-poll cells hold their tasks pending until a
//! batch poll has gone out (and the burst has been met), then let them go: the batch is then
//! certain, not a matter of how closely the submits came.
//!
//! The emulator runs on a clock scaled by 0.01 and the client keeps the API documentation's limits scaled
//! alike (submits 1 ms apart, the no-slot wait 50 ms, `MAX_USER_TURN` 100 ms), so the submit
//! governor never needs lifting here: several solves are in flight at once anyway.
//!
//! The test prints the matrix and fails if any cell fails. `FAULT_MATRIX_ONLY="stall,batch
//! poll"` runs some cells, `FAULT_MATRIX_PARALLEL` sets how many scenarios run at once (8).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use capbridge_emulator::REQUEST_LOG_MAX;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SCALE: f64 = 0.01;
/// The deadline of a solve that meets an outage: how it ends.
const DEADLINE: Duration = Duration::from_millis(1200);
/// The deadline of a solve that must outlast a burst (or works before the fault, for the
/// balance and report cells): a guard, not a bound the retries race.
const LONG_DEADLINE: Duration = Duration::from_secs(60);
/// Each HTTP request's timeout in the stall row, where it is what ends a stalled request:
/// short beside the long deadline, long beside a request a loaded machine answers.
const STALL_REQUEST_TIMEOUT: Duration = Duration::from_secs(1);
/// Each HTTP request's timeout elsewhere: a guard, so that a slow reply on a loaded machine
/// is never taken for a lost one (and resubmitted).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A solve or call not ended this long past its deadline (or retry budget) has hung.
const HANG: Duration = Duration::from_secs(60);
/// Requests of a burst.
const BURST: u32 = 2;
/// Scenarios run at once.
const PARALLEL: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verb {
    Submit,
    Poll,
    Batch,
    Balance,
    Report,
}

const VERBS: [Verb; 5] = [
    Verb::Submit,
    Verb::Poll,
    Verb::Batch,
    Verb::Balance,
    Verb::Report,
];

impl Verb {
    fn name(self) -> &'static str {
        match self {
            Verb::Submit => "submit",
            Verb::Poll => "single poll",
            Verb::Batch => "batch poll",
            Verb::Balance => "balance",
            Verb::Report => "report",
        }
    }
    fn endpoint(self) -> EndpointSel {
        match self {
            Verb::Submit => EndpointSel::In,
            _ => EndpointSel::Res,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Row {
    Html502,
    Http504After,
    Drop,
    Stall,
    Truncate,
    Oversized,
    Redirect,
    NoSlot,
    MaxUserTurn,
    ZeroBalance,
    NonUtf8,
    Echo,
}

const ROWS: [Row; 12] = [
    Row::Html502,
    Row::Http504After,
    Row::Drop,
    Row::Stall,
    Row::Truncate,
    Row::Oversized,
    Row::Redirect,
    Row::NoSlot,
    Row::MaxUserTurn,
    Row::ZeroBalance,
    Row::NonUtf8,
    Row::Echo,
];

impl Row {
    fn name(self) -> &'static str {
        match self {
            Row::Html502 => "html502",
            Row::Http504After => "http504_after",
            Row::Drop => "drop",
            Row::Stall => "stall",
            Row::Truncate => "truncate",
            Row::Oversized => "oversized",
            Row::Redirect => "redirect",
            Row::NoSlot => "NO_SLOT burst",
            Row::MaxUserTurn => "MAX_USER_TURN",
            Row::ZeroBalance => "zero balance",
            Row::NonUtf8 => "non_utf8",
            Row::Echo => "echo",
        }
    }

    fn doses(self) -> &'static [Dose] {
        match self {
            Row::ZeroBalance => &[Dose::Midway],
            _ => &[Dose::Burst, Dose::Outage],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dose {
    Burst,
    Outage,
    Midway,
}

/// Faults after which the emulator has acted on the request (a submit created its task).
const PROCESSED: [&str; 4] = ["drop", "truncate", "http504_after", "non_utf8"];

/// What one scenario did, and what was wrong with it.
struct CellReport {
    outcome: String,
    failures: Vec<String>,
    longest: Duration,
}

/// One solve or call.
struct Run {
    /// A call of the cell's verb (balance, report), as opposed to a solve.
    call: bool,
    result: std::result::Result<Option<Solution>, Error>,
    /// How long it took (shown, not checked).
    elapsed: Duration,
    /// It had not ended [`HANG`] past its deadline or retry budget.
    hung: bool,
    events: Vec<Event>,
}

fn recorder() -> (Arc<Mutex<Vec<Event>>>, SolveOptions) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let opts = SolveOptions::new().on_event(move |e| sink.lock().unwrap().push(e.clone()));
    (events, opts)
}

/// A client with millisecond waits and the given deadline. Built on a blocking thread:
/// `build()` sets up TLS and blocked its thread for about 100 ms in a debug build (measured
/// with the aws-lc provider), which stalled the emulators and solves of the other cells on
/// the runtime's two workers.
async fn client(emu: &Emulator, batch: bool, deadline: Duration, rt: Duration) -> Client {
    let url = emu.url().to_owned();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || build_client(&url, batch, deadline, rt, handle))
        .await
        .unwrap()
}

fn build_client(
    url: &str,
    batch: bool,
    deadline: Duration,
    request_timeout: Duration,
    runtime: tokio::runtime::Handle,
) -> Client {
    let provider = Provider::custom(url)
        .unwrap()
        .with_limits(Limits::form_protocol().scaled(SCALE))
        .unwrap()
        .with_batch_polling(batch);
    Client::builder(provider, KEY)
        .initial_delay(Duration::from_millis(50))
        .poll_interval(Duration::from_millis(50))
        .timeout(deadline)
        .request_timeout(request_timeout)
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(100),
            ..RetryPolicy::default()
        })
        .runtime(runtime)
        .build()
        .unwrap()
}

/// The longest a call outside a solve may take: every attempt times out, with the backoffs
/// between them (at most 1.25 x `max_delay` each). Only the hang guard is counted from it.
fn call_bound(rt: Duration) -> Duration {
    let p = RetryPolicy::default();
    rt * p.max_attempts + Duration::from_millis(125) * (p.max_attempts - 1)
}

/// Runs `f`, timed; `None` when it has not ended `HANG` after `bound`.
async fn guarded<T>(
    bound: Duration,
    f: impl std::future::Future<Output = T>,
) -> (Option<T>, Duration) {
    let t = Instant::now();
    let r = tokio::time::timeout(bound + HANG, f).await.ok();
    (r, t.elapsed())
}

fn hang_error() -> Error {
    Error::new(ErrorKind::Service, "hung: did not end")
}

fn install(emu: &Emulator, row: Row, verb: Verb, dose: Dose) {
    let ep = verb.endpoint();
    let fault = match row {
        Row::Html502 => Fault::new(FaultKind::Html502, ep),
        Row::Http504After => Fault::new(FaultKind::Http504After, ep),
        Row::Drop => Fault::new(FaultKind::Drop, ep),
        Row::Stall => Fault::new(FaultKind::Stall, ep),
        Row::Truncate => Fault::new(FaultKind::Truncate, ep),
        Row::Oversized => Fault::new(FaultKind::Oversized, ep),
        Row::Redirect => Fault::new(FaultKind::Redirect, ep),
        Row::NonUtf8 => Fault::new(FaultKind::NonUtf8, ep),
        Row::Echo => Fault::new(FaultKind::Echo, ep),
        Row::MaxUserTurn => Fault::reply(ep, 200, "MAX_USER_TURN"),
        Row::NoSlot if verb == Verb::Submit => {
            emu.add_rule(Rule {
                submit_error: Some("ERROR_NO_SLOT_AVAILABLE".into()),
                times: (dose == Dose::Burst).then_some(BURST),
                ..Rule::default()
            });
            return;
        }
        // res.php has no rule for it: a canned reply.
        Row::NoSlot => Fault::reply(ep, 200, "ERROR_NO_SLOT_AVAILABLE"),
        Row::ZeroBalance => return,
    };
    emu.add_fault(match dose {
        Dose::Burst => fault.times(BURST),
        _ => fault,
    });
}

/// Sets the balance to 0 once the emulator has created `after` tasks (the wait is bounded
/// by the hang guard only).
fn zero_when(emu: &Emulator, after: usize) -> tokio::task::JoinHandle<()> {
    let control = emu.control();
    tokio::spawn(async move {
        let until = Instant::now() + HANG;
        while control.task_ids(KEY).len() < after && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        control.set_account(KEY, 0.0);
    })
}

/// For batch-poll cells, whose tasks are held pending: lets them go once a batch poll has
/// been sent and `ready` holds (the burst was met); reports whether that happened.
fn release_after_a_batch(
    emu: &Emulator,
    ready: impl Fn(&Counters) -> bool + Send + 'static,
) -> tokio::task::JoinHandle<bool> {
    let control = emu.control();
    tokio::spawn(async move {
        let until = Instant::now() + HANG;
        loop {
            let batched = control
                .requests(REQUEST_LOG_MAX)
                .iter()
                .any(|r| r.query.as_deref().is_some_and(|q| q.contains("ids=")));
            if batched && ready(&control.counters()) {
                control.finish_pending();
                return true;
            }
            if Instant::now() > until {
                control.finish_pending();
                return false;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
}

async fn solves(
    client: &Client,
    n: usize,
    stagger: Duration,
    deadline: Duration,
    rt: Duration,
) -> Vec<Run> {
    let mut handles = Vec::new();
    for i in 0..n {
        let c = client.clone();
        handles.push(tokio::spawn(async move {
            tokio::time::sleep(stagger * i as u32).await;
            let (events, opts) = recorder();
            let (result, elapsed) = guarded(deadline + rt, c.solve_with(v2(), opts)).await;
            let events = events.lock().unwrap().clone();
            Run {
                call: false,
                hung: result.is_none(),
                result: result.unwrap_or_else(|| Err(hang_error())).map(Some),
                elapsed,
                events,
            }
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

async fn timed<T>(
    rt: Duration,
    f: impl std::future::Future<Output = Result<T>>,
) -> (std::result::Result<T, Error>, Duration, bool) {
    let (r, d) = guarded(call_bound(rt), f).await;
    let hung = r.is_none();
    (r.unwrap_or_else(|| Err(hang_error())), d, hung)
}

fn label(r: &Run) -> String {
    match &r.result {
        Ok(_) if r.call => "ok".into(),
        Ok(_) => "answer".into(),
        Err(e) => e.kind().as_str().into(),
    }
}

/// `answerx2,timeout`: how the cell's solves (or, for balance and report, its calls) ended;
/// the submit column adds the submits the emulator got and the task ids the caller never
/// learnt (their replies were lost).
fn summary(runs: &[Run], verb: Verb, submits: usize, lost: usize) -> String {
    let calls = matches!(verb, Verb::Balance | Verb::Report);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in runs.iter().filter(|r| r.call == calls) {
        *counts.entry(label(r)).or_default() += 1;
    }
    let mut parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| {
            if *n == 1 {
                k.clone()
            } else {
                format!("{k}x{n}")
            }
        })
        .collect();
    parts.sort_by_key(|p| !p.starts_with("answer") && !p.starts_with("ok"));
    let mut s = parts.join(",");
    if verb == Verb::Submit {
        s.push_str(&format!("({submits} sub"));
        if lost > 0 {
            s.push_str(&format!(", {lost} lost"));
        }
        s.push(')');
    } else if lost > 0 {
        s.push_str(&format!("({lost} lost)"));
    }
    s
}

/// Submits of a run that got no usable reply, by the client's own account: each failed
/// attempt it retried for a reason other than a busy reply, and the last one of a solve that
/// gave up with a `network` error before it had a task id.
fn unknown_submits(r: &Run) -> usize {
    let retried = r
        .events
        .iter()
        .filter(|e| {
            matches!(
                &e.step,
                Step::Retrying { stage: Stage::Submit, error_kind, .. }
                    if *error_kind != ErrorKind::RateLimited
            )
        })
        .count();
    let gave_up =
        matches!(&r.result, Err(e) if e.task_id().is_none() && e.kind() == ErrorKind::Network);
    retried + usize::from(gave_up)
}

fn leaks(text: &str) -> bool {
    [KEY, &KEY[..12], &KEY[20..]]
        .iter()
        .any(|needle| text.contains(needle))
}

async fn scenario(row: Row, verb: Verb, dose: Dose) -> CellReport {
    let batch = verb == Verb::Batch;
    let emu = Emulator::start(Config {
        default_delay: if batch {
            Delay::fixed(3_600_000) // pending until released
        } else {
            Delay::range(5_000, 15_000) // 50-150 ms
        },
        time_scale: SCALE,
        ..Config::default()
    })
    .await
    .unwrap();
    // Solves that meet an outage end by their deadline; the others must not race one.
    let deadline =
        if dose == Dose::Outage && matches!(verb, Verb::Submit | Verb::Poll | Verb::Batch) {
            DEADLINE
        } else {
            LONG_DEADLINE
        };
    let rt = if row == Row::Stall {
        STALL_REQUEST_TIMEOUT
    } else {
        REQUEST_TIMEOUT
    };
    let client = client(&emu, batch, deadline, rt).await;
    let mut runs: Vec<Run> = Vec::new();
    let mut failures = Vec::new();
    match verb {
        Verb::Submit | Verb::Poll | Verb::Batch => {
            let (n, stagger) = match verb {
                Verb::Submit => (3, Duration::from_millis(15)),
                Verb::Poll => (3, Duration::from_millis(2)),
                _ => (4, Duration::from_millis(2)),
            };
            let watcher = if row == Row::ZeroBalance {
                Some(zero_when(&emu, if verb == Verb::Submit { 1 } else { n }))
            } else {
                install(&emu, row, verb, dose);
                None
            };
            // A burst is met once its faults (or busy replies) have all gone out.
            let release = batch.then(|| {
                release_after_a_batch(&emu, move |c: &Counters| {
                    dose != Dose::Burst
                        || c.faults_injected >= u64::from(BURST)
                        || c.replied("ERROR_NO_SLOT_AVAILABLE") >= u64::from(BURST)
                })
            });
            runs.extend(solves(&client, n, stagger, deadline, rt).await);
            if let Some(w) = watcher {
                w.abort();
            }
            if let Some(r) = release {
                r.abort();
            }
        }
        Verb::Balance | Verb::Report => {
            let mut ids = Vec::new();
            if verb == Verb::Report {
                // Two solved tasks to report, before any fault.
                for r in solves(&client, 2, Duration::ZERO, deadline, rt).await {
                    if let Ok(Some(s)) = &r.result {
                        ids.push(s.task_id.clone());
                    } else {
                        failures.push(format!(
                            "the clean solve before the reports failed: {:?}",
                            r.result
                        ));
                    }
                    runs.push(r);
                }
            }
            if row == Row::ZeroBalance {
                emu.set_account(KEY, 0.0);
            } else {
                install(&emu, row, verb, dose);
            }
            let calls: Vec<(bool, Option<String>)> = if verb == Verb::Balance {
                vec![(true, None), (true, None)]
            } else {
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| (i == 0, Some(id.clone())))
                    .collect()
            };
            for (good, id) in calls {
                let (result, elapsed, hung) = match id {
                    None => {
                        let (r, d, h) = timed(rt, client.balance()).await;
                        if row == Row::ZeroBalance
                            && let Ok(m) = &r
                            && m.as_f64() != 0.0
                        {
                            failures.push(format!("the balance after it dropped to 0 is {m}"));
                        }
                        (r.map(|_| None), d, h)
                    }
                    Some(id) => {
                        let (r, d, h) = timed(rt, client.report(id, good)).await;
                        (r.map(|_| None), d, h)
                    }
                };
                runs.push(Run {
                    call: true,
                    result,
                    elapsed,
                    hung,
                    events: Vec::new(),
                });
            }
        }
    }

    // What the emulator saw.
    let log = emu.requests(REQUEST_LOG_MAX);
    let counters = emu.counters();
    let created: BTreeSet<String> = emu.task_ids(KEY).iter().map(|t| t.to_string()).collect();
    let in_log = log.iter().filter(|r| r.endpoint == "in").count();
    let spoiled_submits = log
        .iter()
        .filter(|r| {
            r.endpoint == "in" && r.fault.as_deref().is_some_and(|f| PROCESSED.contains(&f))
        })
        .count();
    let unknown_submits: usize = runs.iter().map(unknown_submits).sum();

    // 1. Every solve and call ends, with an answer or a typed error.
    let mut longest = Duration::ZERO;
    for (i, r) in runs.iter().enumerate() {
        longest = longest.max(r.elapsed);
        if r.hung {
            failures.push(format!("run {i} hung: not ended after {:?}", r.elapsed));
            continue;
        }
        if let Err(e) = &r.result {
            if matches!(e.kind(), ErrorKind::Usage | ErrorKind::Cancelled)
                || e.message().contains("this is a bug")
            {
                failures.push(format!("run {i} ended with an untyped or odd error: {e}"));
            }
            let text = format!("{e} {e:?} {:?}", e.code());
            if leaks(&text) {
                failures.push(format!("run {i}'s error shows the API key: {text}"));
            }
        }
        for ev in &r.events {
            let text = format!("{ev} {ev:?}");
            if leaks(&text) {
                failures.push(format!("an event of run {i} shows the API key: {text}"));
            }
        }
    }

    // 2. Every task the emulator created is known to the caller.
    let mut seen = BTreeSet::new();
    for r in &runs {
        match &r.result {
            Ok(Some(s)) => {
                seen.insert(s.task_id.clone());
            }
            Err(e) => {
                if let Some(id) = e.task_id() {
                    seen.insert(id.to_owned());
                }
            }
            Ok(None) => {}
        }
    }
    // A task id can be lost only with a submit reply the client did not get: the fault
    // destroyed it after the service acted, or the request timed out (a stall, or a loaded
    // machine). The client says which of its submits got no usable reply.
    let lost: Vec<&String> = created.difference(&seen).collect();
    let lost_count = lost.len();
    if lost.len() > unknown_submits {
        failures.push(format!(
            "task ids created but never handed to the caller: {lost:?}, while the solves saw only \
             {unknown_submits} submits without a usable reply ({spoiled_submits} replies spoiled \
             by the fault after the service acted)"
        ));
    }
    if let Some(extra) = seen.difference(&created).next() {
        failures.push(format!(
            "the caller got a task id the emulator never created: {extra}"
        ));
    }

    // 3. Resubmits stay within the policy, and no submit went unreported.
    let mut reported_submits = 0;
    for (i, r) in runs.iter().enumerate() {
        let submits = r
            .events
            .iter()
            .filter(|e| matches!(e.step, Step::Submitting { .. }))
            .count();
        let busy = r
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e.step,
                    Step::Retrying {
                        stage: Stage::Submit,
                        error_kind: ErrorKind::RateLimited,
                        ..
                    }
                )
            })
            .count();
        reported_submits += submits;
        let max = 1 + RetryPolicy::default().unknown_submit_retries as usize;
        if submits - busy > max {
            failures.push(format!(
                "run {i} sent {submits} submits ({busy} after busy replies): more than {max} without one"
            ));
        }
    }
    if spoiled_submits > unknown_submits {
        failures.push(format!(
            "the fault spoiled {spoiled_submits} submit replies, the solves noticed only {unknown_submits}"
        ));
    }
    // (Fewer is possible: a submit that timed out before it reached the emulator.)
    if in_log > reported_submits {
        failures.push(format!(
            "the emulator got {in_log} submits, the solves' events show only {reported_submits}"
        ));
    }

    // 4. Limits, headers.
    if counters.violations_total() != 0 {
        failures.push(format!("limit violations: {:?}", counters.violations));
    }
    if let Some(r) = log.iter().find(|r| r.referer.is_some()) {
        failures.push(format!("a request carried a Referer: {r:?}"));
    }

    // 5. Batch cells batch.
    if verb == Verb::Batch {
        let batches = log
            .iter()
            .filter(|r| r.query.as_deref().is_some_and(|q| q.contains("ids=")))
            .count();
        if batches == 0 {
            failures.push("no batch poll was sent".into());
        }
    }

    // 6. A burst of faults is weathered: the solves it met still get their answers. (Not a
    // redirect, which ends the request that met it.)
    if dose == Dose::Burst
        && matches!(verb, Verb::Submit | Verb::Poll | Verb::Batch)
        && row != Row::Redirect
    {
        for (i, r) in runs.iter().enumerate() {
            if let Err(e) = &r.result {
                failures.push(format!(
                    "run {i} did not outlast a burst of {BURST} faults: {e}"
                ));
            }
        }
    }

    drop(client);
    emu.shutdown().await;
    CellReport {
        outcome: summary(&runs, verb, in_log, lost_count),
        failures,
        longest,
    }
}

/// `FAULT_MATRIX_ONLY="stall,batch poll"` runs the cells whose row or verb name contains
/// one of the comma-separated words (for debugging one cell).
fn selected(row: Row, verb: Verb) -> bool {
    match std::env::var("FAULT_MATRIX_ONLY") {
        Ok(s) if !s.trim().is_empty() => {
            let words: Vec<&str> = s.split(',').map(str::trim).collect();
            words.contains(&row.name()) && words.contains(&verb.name())
                || words.iter().all(|w| row.name() == *w || verb.name() == *w)
        }
        _ => true,
    }
}

fn parallelism() -> usize {
    std::env::var("FAULT_MATRIX_PARALLEL")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(PARALLEL)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_against_every_verb() {
    let started = Instant::now();
    let gate = Arc::new(tokio::sync::Semaphore::new(parallelism()));
    let mut handles = Vec::new();
    for row in ROWS {
        for verb in VERBS {
            for &dose in row.doses() {
                if !selected(row, verb) {
                    continue;
                }
                let gate = gate.clone();
                handles.push((
                    (row, verb, dose),
                    tokio::spawn(async move {
                        let _permit = gate.acquire_owned().await.unwrap();
                        scenario(row, verb, dose).await
                    }),
                ));
            }
        }
    }
    let mut cells: BTreeMap<(Row, Verb), Vec<(Dose, CellReport)>> = BTreeMap::new();
    for ((row, verb, dose), h) in handles {
        let report = h.await.unwrap_or_else(|e| CellReport {
            outcome: "panic".into(),
            failures: vec![format!("the scenario panicked: {e}")],
            longest: Duration::ZERO,
        });
        cells.entry((row, verb)).or_default().push((dose, report));
    }

    // The table.
    let mut table: Vec<Vec<String>> = vec![
        std::iter::once("fault \\ verb (burst / outage)".to_owned())
            .chain(VERBS.iter().map(|v| v.name().to_owned()))
            .collect(),
    ];
    let mut failed = Vec::new();
    let mut longest = Duration::ZERO;
    for row in ROWS {
        if !VERBS.iter().any(|v| cells.contains_key(&(row, *v))) {
            continue;
        }
        let mut line = vec![row.name().to_owned()];
        for verb in VERBS {
            let Some(reports) = cells.get(&(row, verb)) else {
                line.push("-".into());
                continue;
            };
            let ok = reports.iter().all(|(_, r)| r.failures.is_empty());
            let text = reports
                .iter()
                .map(|(_, r)| r.outcome.clone())
                .collect::<Vec<_>>()
                .join(" / ");
            line.push(format!("{} {text}", if ok { "pass" } else { "FAIL" }));
            for (dose, r) in reports {
                longest = longest.max(r.longest);
                for f in &r.failures {
                    failed.push(format!("{} x {} ({dose:?}): {f}", row.name(), verb.name()));
                }
            }
        }
        table.push(line);
    }
    let widths: Vec<usize> = (0..table[0].len())
        .map(|c| {
            table
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, line) in table.iter().enumerate() {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&format!("|-{}-|\n", rule.join("-|-")));
        }
    }
    println!(
        "\nfault matrix (deadline {DEADLINE:?} for outages of solves, {LONG_DEADLINE:?} else; \
         request timeout {STALL_REQUEST_TIMEOUT:?} in the stall row, {REQUEST_TIMEOUT:?} else; burst = first {BURST} requests, outage = every \
         request of the verb's endpoint)\n{out}\nlongest solve or call: {longest:?} (shown, \
         not checked: runs fail only if hung, {HANG:?} past their deadline or retry budget); \
         wall time {:?}",
        started.elapsed()
    );
    assert!(failed.is_empty(), "failing cells:\n{}", failed.join("\n"));
}

/// Core bug (found by the matrix's report cells, burst of `drop` / `truncate` /
/// `http504_after` / `non_utf8`): a report whose first attempt the service recorded but
/// whose reply was lost is retried, the retry gets `ERROR_DUPLICATE_REPORT`, and the caller
/// is told the report failed (`report` error) although the service recorded it.
#[tokio::test]
async fn a_report_recorded_before_its_reply_was_lost_is_a_success() {
    let emu = emulator(10, SCALE).await;
    let client = fast(&emu, SCALE).build().unwrap();
    for (fault, good) in [
        (FaultKind::Drop, true),
        (FaultKind::Http504After, false),
        (FaultKind::Truncate, true),
        (FaultKind::NonUtf8, false),
    ] {
        let s = client.solve(v2()).await.unwrap();
        emu.add_fault(Fault::new(fault, EndpointSel::Res).times(1));
        let r = client.report(&s.task_id, good).await;
        assert!(
            r.is_ok(),
            "{}: the service recorded the report on the first attempt, yet: {:?}",
            fault.name(),
            r.unwrap_err()
        );
    }
}
