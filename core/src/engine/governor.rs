//! The submit governor: at most N submits in any window and at least a spacing between two
//! (the form protocol: 60 in 3 s and 100 ms apart), shared by every solve of a key.
//!
//! Waiters queue on a fair (FIFO) async mutex and the holder sleeps until its slot, so the
//! governor sends at the highest allowed rate and never above it. A waiter that is cancelled
//! while it waits gives its place to the next one without using a slot. Pauses (after
//! `MAX_USER_TURN` or `ERROR_NO_SLOT_AVAILABLE`) push every later submit back and wake the
//! sleeping holder so that it honours them.
//!
//! With shared limits ([`super::shared`]) the holder asks Redis instead, for the whole fleet:
//! "go now" or "wait N ms, then ask again" (one solve per process asks at a time, so the
//! fleet's queue in Redis holds one place per process). Grants from Redis are recorded here
//! too, so that if Redis goes away the process goes on from where it stands, keeping the
//! limits alone, and asks Redis again as soon as it is back.

use super::shared::{Decision, Link, SubmitRule};
use crate::provider::Limits;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex as StdMutex, OnceLock};
use std::time::Duration;
use tokio::sync::{Mutex, Notify};
use tokio::time::Instant;

pub(crate) struct Governor {
    rule: StdMutex<Rule>,
    slots: Mutex<Slots>,
    paused_until: StdMutex<Option<Instant>>,
    pause_changed: Notify,
    link: OnceLock<Arc<Link>>,
}

/// The spacing and window cap in force (the strictest asked for by the key's clients).
#[derive(Clone, Copy)]
struct Rule {
    spacing: Duration,
    window: Duration,
    per_window: usize,
}

impl Rule {
    /// The rule as a shared decision keeps it (a cap too large to track is no cap).
    fn shared(&self) -> SubmitRule {
        SubmitRule {
            spacing: self.spacing,
            window: self.window,
            per_window: u64::try_from(self.per_window)
                .ok()
                .filter(|n| *n <= 100_000)
                .unwrap_or(0),
        }
    }

    fn of(limits: &Limits) -> Rule {
        Rule {
            spacing: limits.submit_interval,
            window: limits.submit_window,
            per_window: usize::try_from(limits.submits_per_window)
                .unwrap_or(usize::MAX)
                .max(1),
        }
    }
}

struct Slots {
    last: Option<Instant>,
    recent: VecDeque<Instant>,
}

impl Governor {
    pub(crate) fn new(limits: &Limits) -> Governor {
        Governor {
            rule: StdMutex::new(Rule::of(limits)),
            slots: Mutex::new(Slots {
                last: None,
                recent: VecDeque::new(),
            }),
            paused_until: StdMutex::new(None),
            pause_changed: Notify::new(),
            link: OnceLock::new(),
        }
    }

    /// Keeps the submit limits in Redis, with the rest of the fleet, from now on.
    pub(crate) fn share(&self, link: Arc<Link>) {
        let _ = self.link.set(link);
    }

    /// Keeps these limits from now on (the caller passes the strictest of the key's clients).
    pub(crate) fn set_limits(&self, limits: &Limits) {
        *self.rule.lock().unwrap_or_else(|p| p.into_inner()) = Rule::of(limits);
    }

    fn rule(&self) -> Rule {
        *self.rule.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn paused_until(&self) -> Option<Instant> {
        *self.paused_until.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Pushes every submit back until at least `d` from now.
    pub(crate) fn pause(&self, d: Duration) {
        let until = super::later(Instant::now(), d);
        {
            let mut p = self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
            if p.is_none_or(|cur| cur < until) {
                *p = Some(until);
            }
        }
        if let Some(link) = self.link.get() {
            link.pause(d);
        }
        self.pause_changed.notify_waiters();
    }

    /// Waits for the next slot and takes it: the caller sends its submit right away. With
    /// shared limits, a block another process met may end the wait instead: it is in the
    /// account's guard then, which the caller checks next.
    pub(crate) async fn acquire(&self) {
        let mut slots = self.slots.lock().await;
        let rule = loop {
            let rule = self.rule();
            if let Some(link) = self.link.get() {
                // This process's own pause first (it was published to the fleet too).
                if let Some(p) = self.paused_until()
                    && p > Instant::now()
                {
                    let changed = self.pause_changed.notified();
                    tokio::select! {
                        _ = tokio::time::sleep_until(p) => {}
                        _ = changed => {}
                    }
                    continue;
                }
                let changed = self.pause_changed.notified();
                match link.decide_submit(rule.shared()).await {
                    Decision::Go => break rule,
                    Decision::Blocked => return,
                    Decision::Wait(d) => {
                        let d = d.min(super::shared::MAX_WAIT);
                        tokio::select! {
                            _ = tokio::time::sleep(d) => {}
                            _ = changed => {}
                        }
                        continue;
                    }
                    Decision::Local => {}
                }
            }
            let now = Instant::now();
            let mut at = now;
            if let Some(last) = slots.last {
                at = at.max(super::later(last, rule.spacing));
            }
            while slots
                .recent
                .front()
                .is_some_and(|t| now.saturating_duration_since(*t) >= rule.window)
            {
                slots.recent.pop_front();
            }
            if slots.recent.len() >= rule.per_window
                && let Some(oldest) = slots.recent.get(slots.recent.len() - rule.per_window)
            {
                at = at.max(super::later(*oldest, rule.window));
            }
            if let Some(p) = self.paused_until() {
                at = at.max(p);
            }
            if at <= now {
                break rule;
            }
            let changed = self.pause_changed.notified();
            tokio::select! {
                _ = tokio::time::sleep_until(at) => {}
                _ = changed => {}
            }
        };
        let now = Instant::now();
        slots.last = Some(now);
        if rule.per_window != usize::MAX {
            slots.recent.push_back(now);
            if slots.recent.len() > rule.per_window {
                slots.recent.pop_front();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_submits_and_caps_the_window() {
        let limits = Limits {
            submit_interval: Duration::from_millis(100),
            submit_window: Duration::from_secs(3),
            submits_per_window: 60,
            ..Limits::form_protocol()
        };
        let g = Governor::new(&limits);
        let t0 = Instant::now();
        let mut times = Vec::new();
        for _ in 0..35 {
            g.acquire().await;
            times.push(Instant::now() - t0);
        }
        for w in times.windows(2) {
            assert!(w[1] - w[0] >= Duration::from_millis(100));
        }
        // 10 per second, exactly: the 35th at 3.4 s.
        assert_eq!(times[34], Duration::from_millis(3400));

        let tight = Limits {
            submit_interval: Duration::ZERO,
            submit_window: Duration::from_secs(3),
            submits_per_window: 60,
            ..Limits::form_protocol()
        };
        let g = Governor::new(&tight);
        let t0 = Instant::now();
        for _ in 0..60 {
            g.acquire().await;
        }
        assert_eq!(Instant::now() - t0, Duration::ZERO);
        g.acquire().await;
        assert_eq!(Instant::now() - t0, Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn pauses_wake_the_waiting_holder() {
        let g = std::sync::Arc::new(Governor::new(&Limits::form_protocol()));
        g.acquire().await;
        let t0 = Instant::now();
        let g2 = g.clone();
        let waiter = tokio::spawn(async move {
            g2.acquire().await;
            Instant::now()
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        g.pause(Duration::from_secs(10));
        let at = waiter.await.unwrap();
        assert!(at - t0 >= Duration::from_millis(10_050));
    }
}
