//! The poll budget: R <= per_task x C + allowance (the form protocol: 20 x C + 1200), where R
//! counts every `res.php` request (polls, batch polls, balance, reports) and C the tasks sent.
//!
//! The documentation names no window for this rule, so the budget counts from the first
//! request of the process for this key: the safe reading. Normal solves use 1 to 5 polls of their 20, so
//! the allowance only shrinks when many solves take far longer than the service's own limits.
//! When it runs low, the scheduler stretches poll intervals; when it is spent, polls wait for
//! new tasks to earn budget (or for their deadline) rather than break the rule.
//!
//! With shared limits ([`super::shared`]) the rule counts every request and task of the
//! fleet: requests come from a lease this process takes from Redis in small chunks, so a
//! poll never waits on Redis. If Redis goes away, the process keeps the rule alone for the
//! requests it sends from then on (those are added to the fleet's count when Redis is back).

use super::shared::Link;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

pub(crate) struct PollBudget {
    per_task: AtomicU64,
    allowance: AtomicU64,
    used: AtomicU64,
    tasks: AtomicU64,
    link: OnceLock<Arc<Link>>,
}

impl PollBudget {
    pub(crate) fn new(per_task: u64, allowance: u64) -> PollBudget {
        PollBudget {
            per_task: AtomicU64::new(per_task),
            allowance: AtomicU64::new(allowance),
            used: AtomicU64::new(0),
            tasks: AtomicU64::new(0),
            link: OnceLock::new(),
        }
    }

    /// Keeps the rule with the rest of the fleet, in Redis, from now on.
    pub(crate) fn share(&self, link: Arc<Link>) {
        let _ = self.link.set(link);
    }

    /// Keeps the lower of the current and these figures (clients sharing a key keep the
    /// strictest limits any of them asks for).
    pub(crate) fn tighten(&self, per_task: u64, allowance: u64) {
        self.per_task.fetch_min(per_task, Ordering::AcqRel);
        self.allowance.fetch_min(allowance, Ordering::AcqRel);
    }

    /// The rule in words, for errors: `20 requests per task + 1200`.
    pub(crate) fn rule(&self) -> String {
        format!(
            "{} requests per task + {}",
            self.per_task.load(Ordering::Acquire),
            self.allowance.load(Ordering::Acquire)
        )
    }

    fn limit(&self) -> u64 {
        self.per_task
            .load(Ordering::Acquire)
            .saturating_mul(self.tasks.load(Ordering::Acquire))
            .saturating_add(self.allowance.load(Ordering::Acquire))
    }

    /// Takes `n` requests from the budget, or none if that would break the rule.
    pub(crate) fn try_spend(&self, n: u64) -> bool {
        if let Some(link) = self.link.get() {
            match link.spend(n) {
                // Counted in Redis only: if Redis goes away, this process keeps the rule
                // alone for the requests it sends from then on (as a process without shared
                // limits would), so that no poll of its solves starves.
                Some(ok) => return ok,
                None => {
                    let ok = self.spend_here(n);
                    if ok {
                        link.spent_locally(n);
                    }
                    return ok;
                }
            }
        }
        self.spend_here(n)
    }

    /// [`PollBudget::try_spend`] under the rule of this process alone.
    fn spend_here(&self, n: u64) -> bool {
        let limit = self.limit();
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                (used.saturating_add(n) <= limit).then_some(used.saturating_add(n))
            })
            .is_ok()
    }

    /// Records a task accepted by the service.
    pub(crate) fn on_task(&self) {
        self.tasks.fetch_add(1, Ordering::AcqRel);
        if let Some(link) = self.link.get() {
            link.on_task();
        }
    }

    /// Requests left (to this process, of the fleet's budget, with shared limits).
    pub(crate) fn remaining(&self) -> u64 {
        if let Some(left) = self.link.get().and_then(|l| l.remaining()) {
            return left;
        }
        self.limit()
            .saturating_sub(self.used.load(Ordering::Acquire))
    }

    /// How much to stretch poll intervals with `polling` tasks in flight: 1 while the budget
    /// holds several rounds of polls, more as it runs low.
    pub(crate) fn stretch(&self, polling: u64) -> u32 {
        let remaining = self.remaining();
        let need = polling.max(1);
        if remaining >= need.saturating_mul(4) {
            1
        } else if remaining >= need.saturating_mul(2) {
            2
        } else if remaining >= need {
            4
        } else {
            8
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_exceeds_the_rule() {
        let b = PollBudget::new(20, 10);
        assert!(b.try_spend(10));
        assert!(!b.try_spend(1));
        b.on_task();
        assert_eq!(b.remaining(), 20);
        assert!(b.try_spend(20));
        assert!(!b.try_spend(1));
        assert_eq!(b.stretch(5), 8);
    }
}
