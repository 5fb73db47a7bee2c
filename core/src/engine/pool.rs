//! The batch pool: the batchable tasks past their first wait, which ride the client's batch
//! ticks together.
//!
//! A tick must cost in proportion to the tasks it polls, not to every task in flight: with
//! 10,000 solves and short intervals, walking all of them on every tick (to find the ones
//! waiting, and the shortest interval) was most of the scheduler's CPU. So the pool keeps
//! the waiting members apart from those whose batch request is in flight, and a count of
//! members per interval, whose smallest key is the tick's interval.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

#[derive(Default)]
pub(super) struct Pool {
    /// Every member, with its poll interval: waiting, or in a batch request in flight (a
    /// member in flight keeps the ticks coming, so its next poll keeps the rhythm).
    members: HashMap<u64, Duration>,
    /// The members waiting for the next tick.
    waiting: BTreeSet<u64>,
    /// How many members have each interval.
    intervals: BTreeMap<Duration, u32>,
}

impl Pool {
    /// Adds `id` (or keeps it) as a member waiting for the next tick.
    pub(super) fn insert(&mut self, id: u64, interval: Duration) {
        if self.members.insert(id, interval).is_none() {
            *self.intervals.entry(interval).or_insert(0) += 1;
        }
        self.waiting.insert(id);
    }

    /// Takes `id` out of the pool (its own timer, or the end of its solve).
    pub(super) fn remove(&mut self, id: u64) {
        self.waiting.remove(&id);
        let Some(interval) = self.members.remove(&id) else {
            return;
        };
        if let Some(n) = self.intervals.get_mut(&interval) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.intervals.remove(&interval);
            }
        }
    }

    /// `id`'s poll was sent: it stays a member, no longer waiting.
    pub(super) fn sent(&mut self, id: u64) {
        self.waiting.remove(&id);
    }

    /// The members waiting for the next tick, in id order.
    pub(super) fn waiting(&self) -> Vec<u64> {
        self.waiting.iter().copied().collect()
    }

    /// The shortest interval of any member (waiting or in flight).
    pub(super) fn min_interval(&self) -> Option<Duration> {
        self.intervals.keys().next().copied()
    }

    pub(super) fn len(&self) -> usize {
        self.members.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Pool;
    use std::time::Duration;

    #[test]
    fn members_waiting_and_the_shortest_interval() {
        let s = Duration::from_secs;
        let mut p = Pool::default();
        p.insert(3, s(5));
        p.insert(1, s(2));
        p.insert(2, s(2));
        p.insert(2, s(2)); // again: still one member
        assert_eq!((p.len(), p.min_interval()), (3, Some(s(2))));
        assert_eq!(p.waiting(), vec![1, 2, 3]);
        p.sent(1);
        assert_eq!(p.waiting(), vec![2, 3]);
        assert_eq!(
            p.min_interval(),
            Some(s(2)),
            "a member in flight keeps its interval"
        );
        p.remove(1);
        p.remove(2);
        assert_eq!(p.min_interval(), Some(s(5)));
        p.remove(2); // not a member: nothing happens
        p.remove(3);
        assert!(p.is_empty());
        assert_eq!(p.min_interval(), None);
    }
}
