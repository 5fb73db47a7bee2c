//! Learned first waits (`adaptive_waits`, on by default): how long a service takes to solve
//! each kind, learned from the solves seen, so that a task's first poll comes when it is
//! likely ready instead of after a fixed wait that is either too short (polls that find
//! nothing, each a request the service counts) or too long (answers that wait).
//!
//! * **What is learned.** Per account (service and key) and kind, one number: the time from
//!   the submit's reply to "ready" below which [`QUANTILE`] of the tasks are ready. A
//!   task's first poll comes then; later polls keep the documented interval.
//! * **How.** A streaming quantile estimate (stochastic approximation, in logarithms so that
//!   a step is a percentage): each task moves the estimate once, up by `step x QUANTILE` when
//!   it was not ready at the estimate, down by `step x (1 - QUANTILE)` when it was. Polls
//!   only tell that a task became ready between two polls, so a task counts as soon as it
//!   says which side of the estimate it is on: a poll at or after the estimate that finds it
//!   not ready, or a ready poll at or before it; a task that became ready between two polls
//!   on either side counts for its share (the interval taken as uniform in logarithms).
//!   Steps start large (the first few tasks move the estimate fast, from the documented wait
//!   to the service's pace) and shrink to [`STEP_MIN`], which keeps following a service
//!   whose pace changes. Memory: a few numbers per kind.
//! * **When.** Until [`MIN_SAMPLES`] tasks have counted, the documented first wait is used.
//!   From then on every solve's first poll is at the estimate, bounded below by the
//!   provider's documented minimum and above by half the deadline; a poll that comes due
//!   before the estimate (a task submitted while the estimate was lower) is put off to it.
//!   A first wait the user gave (`initial_delay`, per client, per kind or per solve) wins.
//! * **A fleet** (`shared_limits`) learns together: each process adds its steps to the
//!   figures in Redis once a second and takes the fleet's back (see `shared/link.rs`).
//!
//! With the documented waits a stream of reCAPTCHA solves that take 12 s (median) polls at
//! 3, 5, 7, ... 13 s; with the learned wait it polls at about 12.5 s, then every 2 s: about
//! half the requests for answers that arrive as soon (`core/benches/engine.rs`, part 4).

use crate::provider::{Family, JsonDialect};
use crate::task::TaskKind;
use std::sync::Mutex;
use std::time::Duration;

/// The share of tasks that should be ready at their first poll. A little over half: the
/// median answer then comes at the first poll, and most tasks need no second one.
pub(crate) const QUANTILE: f64 = 0.55;
/// Tasks that must have counted before the learned wait is used.
pub(crate) const MIN_SAMPLES: u64 = 10;
/// The smallest step (in natural logarithm units: about 1% of the estimate).
pub(crate) const STEP_MIN: f64 = 0.01;
/// Step `n` is `max(STEP_MIN, STEP_START / (n + 10))`: 20% for the first task.
const STEP_START: f64 = 2.0;
/// The estimate stays within 50 ms .. 1 day.
pub(crate) const LN_LOW: f64 = -3.0;
pub(crate) const LN_HIGH: f64 = 11.37;

/// What one task said about its readiness, as times since its submit's reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Seen {
    /// Not ready at this age.
    NotReadyAt(Duration),
    /// Became ready after the first and at or before the second (an answer pushed: both
    /// the same).
    ReadyBetween(Duration, Duration),
}

#[derive(Debug, Clone, Copy, Default)]
struct Estimate {
    /// The natural logarithm of the estimate in seconds; `None` before the first task.
    ln: Option<f64>,
    /// Tasks counted (with a fleet: the fleet's).
    n: u64,
    /// Steps not yet added to the fleet's figures.
    dx: f64,
    dn: u64,
    /// Whether this process has used or fed this kind (a fleet's figures are then read).
    touched: bool,
}

impl Estimate {
    fn step(&self) -> f64 {
        (STEP_START / (self.n as f64 + 10.0)).max(STEP_MIN)
    }

    fn nudge(&mut self, by: f64) {
        if let Some(x) = self.ln {
            let moved = (x + by).clamp(LN_LOW, LN_HIGH);
            self.dx += moved - x;
            self.ln = Some(moved);
            self.n += 1;
            self.dn += 1;
        }
    }
}

/// The learned first waits of one account, one estimate per kind.
#[derive(Default)]
pub(crate) struct FirstWaits {
    kinds: Mutex<[Estimate; TaskKind::ALL.len()]>,
}

/// One kind's steps for the fleet: (kind, steps to add, tasks to add, the starting point if
/// the fleet has none).
#[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
pub(crate) type Pending = (TaskKind, f64, u64, f64);

#[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
impl FirstWaits {
    fn lock(&self) -> std::sync::MutexGuard<'_, [Estimate; TaskKind::ALL.len()]> {
        self.kinds.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The learned first wait of `kind`, once enough tasks have counted.
    pub(crate) fn learned(&self, kind: TaskKind) -> Option<Duration> {
        let mut k = self.lock();
        let e = &mut k[kind.index()];
        e.touched = true;
        match e.ln {
            Some(x) if e.n >= MIN_SAMPLES => Duration::try_from_secs_f64(x.exp()).ok(),
            _ => None,
        }
    }

    /// Counts what a task said, unless it already counted (`counted`); returns whether it
    /// counts now. `documented` is where the estimate starts.
    pub(crate) fn observe(&self, kind: TaskKind, documented: Duration, seen: Seen) -> bool {
        let mut k = self.lock();
        let e = &mut k[kind.index()];
        e.touched = true;
        let x = *e.ln.get_or_insert_with(|| ln_secs(documented));
        let below = match seen {
            // Not ready at the estimate or later: it becomes ready after the estimate.
            Seen::NotReadyAt(age) if ln_secs(age) >= x => 0.0,
            Seen::NotReadyAt(_) => return false,
            Seen::ReadyBetween(lo, hi) => share_below(lo, hi, x),
        };
        let step = e.step();
        e.nudge(step * (QUANTILE - below));
        true
    }

    /// The steps to add to the fleet's figures (taken: [`FirstWaits::absorb`] or
    /// [`FirstWaits::give_back`] follows), for every kind this process has touched.
    pub(crate) fn take_pending(&self) -> Vec<Pending> {
        let mut k = self.lock();
        let mut out = Vec::new();
        for (kind, e) in TaskKind::ALL.iter().zip(k.iter_mut()) {
            if !e.touched {
                continue;
            }
            // Where this process's steps started: the fleet's start if it has none yet.
            let start = e.ln.map_or(f64::NAN, |x| x - e.dx);
            out.push((*kind, e.dx, e.dn, start));
            e.dx = 0.0;
            e.dn = 0;
        }
        out
    }

    /// The fleet's figures for `kind` after its steps were added: this process's steps
    /// taken since are kept on top.
    pub(crate) fn absorb(&self, kind: TaskKind, ln: f64, n: u64) {
        if !ln.is_finite() {
            return;
        }
        let mut k = self.lock();
        let e = &mut k[kind.index()];
        e.ln = Some((ln + e.dx).clamp(LN_LOW, LN_HIGH));
        e.n = n.saturating_add(e.dn);
    }

    /// Steps taken for the fleet that did not reach it (Redis away): kept for the next try.
    pub(crate) fn give_back(&self, pending: &[Pending]) {
        let mut k = self.lock();
        for (kind, dx, dn, _) in pending {
            let e = &mut k[kind.index()];
            e.dx += dx;
            e.dn += dn;
        }
    }
}

fn ln_secs(d: Duration) -> f64 {
    d.as_secs_f64().max(1e-3).ln().clamp(LN_LOW, LN_HIGH)
}

/// The share of the interval `(lo, hi]` below `e^x`, the interval taken as uniform in
/// logarithms (from the submit when `lo` is 0: uniform in time).
fn share_below(lo: Duration, hi: Duration, x: f64) -> f64 {
    let (l, h) = (lo.as_secs_f64(), hi.as_secs_f64());
    let est = x.exp();
    if h <= est {
        1.0
    } else if l >= est {
        0.0
    } else if l <= 0.0 {
        (est / h).clamp(0.0, 1.0)
    } else {
        ((x - l.ln()) / (h.ln() - l.ln())).clamp(0.0, 1.0)
    }
}

/// The least first wait a provider documents for a kind, which a learned wait never goes
/// under: the form protocol's "wait at least 5 seconds (10-20 for reCAPTCHA)" after a
/// submit, which 2captcha's API v2 (the same service: "wait at least 5 seconds") keeps;
/// CapSolver's "retry processing after 3 s"; else the json family's least poll interval
/// (CapMonster: 2 s), and never under 1 s.
pub(crate) fn floor(family: &Family, kind: TaskKind, min_poll_interval: Duration) -> Duration {
    let s = Duration::from_secs;
    let documented = match family {
        Family::Form { .. } | Family::Json(JsonDialect::TwoCaptchaV2) => match kind {
            TaskKind::RecaptchaV2 | TaskKind::RecaptchaV3 => s(10),
            _ => s(5),
        },
        Family::Json(JsonDialect::CapSolver) => s(3),
        Family::Json(_) => s(1),
    };
    documented.max(min_poll_interval)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic stand-in for log-normal solve times (median `m` s, spread 0.35), polled
    /// the way the scheduler polls: at the learned wait (or the documented one before),
    /// then every `every` s.
    fn stream(w: &FirstWaits, documented: f64, every: f64, n: usize) -> Vec<f64> {
        let mut used = Vec::new();
        for i in 0..n {
            // Quantiles of a normal, spread over the stream without order effects.
            let u = ((i * 7919) % 997) as f64 / 997.0 + 0.0005;
            let z = (u - 0.5) * 3.2; // roughly -1.6 .. 1.6
            let ready = 12.0 * (0.35 * z).exp();
            let first = w
                .learned(TaskKind::RecaptchaV2)
                .map_or(documented, |d| d.as_secs_f64());
            used.push(first);
            let mut t = first;
            let mut last_pending = 0.0;
            let mut counted = false;
            while t < ready {
                if !counted {
                    counted = w.observe(
                        TaskKind::RecaptchaV2,
                        Duration::from_secs_f64(documented),
                        Seen::NotReadyAt(Duration::from_secs_f64(t)),
                    );
                }
                last_pending = t;
                t += every;
            }
            if !counted {
                w.observe(
                    TaskKind::RecaptchaV2,
                    Duration::from_secs_f64(documented),
                    Seen::ReadyBetween(
                        Duration::from_secs_f64(last_pending),
                        Duration::from_secs_f64(t),
                    ),
                );
            }
        }
        used
    }

    #[test]
    fn learns_where_most_tasks_are_ready_from_the_documented_wait() {
        let w = FirstWaits::default();
        assert_eq!(w.learned(TaskKind::RecaptchaV2), None);
        let used = stream(&w, 3.0, 2.0, 600);
        // Before enough tasks: the documented wait.
        assert!(used[..MIN_SAMPLES as usize].iter().all(|&f| f == 3.0));
        // Then about the 55% quantile of 12 s x exp(0.35 z): 12 x exp(0.35 x 0.126) = 12.5 s.
        let last = used[500..].iter().sum::<f64>() / 100.0;
        assert!((11.0..14.0).contains(&last), "learned {last}");
        // Another kind is untouched.
        assert_eq!(w.learned(TaskKind::ImageToText), None);
    }

    #[test]
    fn learns_down_as_well_as_up() {
        let w = FirstWaits::default();
        stream(&w, 40.0, 5.0, 400);
        let got = w.learned(TaskKind::RecaptchaV2).unwrap().as_secs_f64();
        assert!(got < 20.0, "learned {got}");
    }

    #[test]
    fn a_task_counts_once_and_only_when_it_says_which_side_it_is_on() {
        let w = FirstWaits::default();
        let d = Duration::from_secs(10);
        // Not ready at 5 s says nothing of a 10 s estimate.
        assert!(!w.observe(
            TaskKind::Turnstile,
            d,
            Seen::NotReadyAt(Duration::from_secs(5))
        ));
        assert!(w.observe(
            TaskKind::Turnstile,
            d,
            Seen::NotReadyAt(Duration::from_secs(10))
        ));
        let pending = w.take_pending();
        let t = pending.iter().find(|p| p.0 == TaskKind::Turnstile).unwrap();
        // Up by step x QUANTILE: 0.2 x 0.55.
        assert!((t.1 - 0.11).abs() < 1e-9, "{t:?}");
        assert_eq!(t.2, 1);
        // The fleet's figures replace the estimate; steps taken meanwhile stay on top.
        w.observe(
            TaskKind::Turnstile,
            d,
            Seen::ReadyBetween(Duration::ZERO, Duration::from_millis(1)),
        );
        w.absorb(TaskKind::Turnstile, 3.0, 40);
        let e = w.lock()[TaskKind::Turnstile.index()];
        assert_eq!(e.n, 41);
        assert!(e.ln.unwrap() < 3.0);
        w.give_back(&pending);
        assert_eq!(w.lock()[TaskKind::Turnstile.index()].dn, 2);
    }

    #[test]
    fn shares_and_floors() {
        let s = Duration::from_secs;
        assert_eq!(share_below(s(0), s(5), 10f64.ln()), 1.0);
        assert_eq!(share_below(s(12), s(14), 10f64.ln()), 0.0);
        assert!((share_below(s(0), s(20), 10f64.ln()) - 0.5).abs() < 1e-9);
        let mid = share_below(s(5), s(20), 10f64.ln());
        assert!((mid - 0.5).abs() < 1e-9, "{mid}");
        let floor_at = |name: &str, kind: TaskKind| {
            let p = crate::provider::Provider::from_name(name).unwrap();
            floor(p.family(), kind, p.limits().min_poll_interval)
        };
        for form_like in ["2captcha", "captchaai", "2captcha-v2"] {
            assert_eq!(
                floor_at(form_like, TaskKind::RecaptchaV2),
                s(10),
                "{form_like}"
            );
            assert_eq!(
                floor_at(form_like, TaskKind::ImageToText),
                s(5),
                "{form_like}"
            );
        }
        assert_eq!(floor_at("capsolver", TaskKind::Turnstile), s(3));
        assert_eq!(floor_at("capmonster", TaskKind::ImageToText), s(2));
        assert_eq!(floor_at("anti-captcha", TaskKind::RecaptchaV2), s(1));
        assert_eq!(crate::events::WaitSource::Learned.to_string(), "learned");
    }
}
