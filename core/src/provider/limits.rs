//! The request limits a client keeps for one API key.

use std::time::Duration;

/// The request limits a client keeps for one API key.
///
/// [`Limits::form_protocol`] holds the limits of the form protocol's API documentation
/// ("Request limits"): at most 60 `in.php` requests in 3 s and 100 ms between them; `res.php`
/// requests R <= 20 x C + 1200 for C captchas sent; the waits after `ERROR_NO_SLOT_AVAILABLE`
/// (5 s: the document says 2-3 s in one table and 5 s in another, and we take the safer),
/// `MAX_USER_TURN` (10 s) and `ERROR_ZERO_BALANCE` (60 s). [`Limits::json_protocol`] holds
/// what the json family's providers document, which is much less (see each preset).
///
/// Clients of one key in one process share one set of limits, the strictest any of them asks
/// for ([`Limits::strictest`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Least time between two submits.
    pub submit_interval: Duration,
    /// The sliding window of the submit cap.
    pub submit_window: Duration,
    /// Most submits in one window.
    pub submits_per_window: u32,
    /// Poll-type requests allowed per task sent, account-wide (the 20 of R <= 20 x C + 1200).
    pub polls_per_task: u64,
    /// Poll-type requests allowed on top (the 1200).
    pub poll_allowance: u64,
    /// Most polls of one task (CapMonster and CapSolver: 120); `None` for no cap.
    pub max_polls_per_task: Option<u32>,
    /// Least time between two polls of one task (CapMonster: 2 s).
    pub min_poll_interval: Duration,
    /// Least time between two balance requests; a balance asked for sooner is served from the
    /// last reply (anti-captcha: 30 s).
    pub balance_interval: Duration,
    /// Wait before resubmitting after "no slot available" (applies to every submit of the
    /// key: the queue is the account's, not the task's).
    pub no_slot_wait: Duration,
    /// Pause of all submits after "too many requests" (`MAX_USER_TURN`, HTTP 429,
    /// `ERROR_RATE_LIMIT`) when the service names no wait of its own.
    pub rate_limit_wait: Duration,
    /// Time during which submits fail at once, unsent, after a zero balance.
    pub zero_balance_wait: Duration,
}

impl Limits {
    /// The form protocol's documented limits.
    pub fn form_protocol() -> Limits {
        Limits {
            submit_interval: Duration::from_millis(100),
            submit_window: Duration::from_secs(3),
            submits_per_window: 60,
            polls_per_task: 20,
            poll_allowance: 1200,
            max_polls_per_task: None,
            min_poll_interval: Duration::ZERO,
            balance_interval: Duration::ZERO,
            no_slot_wait: Duration::from_secs(5),
            rate_limit_wait: Duration::from_secs(10),
            zero_balance_wait: Duration::from_secs(60),
        }
    }

    /// The json family's baseline: no submit rate is documented, so submits go as fast as the
    /// connection pool allows and slow down only on the service's own signals (HTTP 429,
    /// rate-limit and no-slot codes), with the pauses those ask for. Presets add what their
    /// provider documents (poll caps, least intervals, balance intervals).
    pub fn json_protocol() -> Limits {
        Limits {
            submit_interval: Duration::ZERO,
            submit_window: Duration::from_secs(3),
            submits_per_window: u32::MAX,
            polls_per_task: u64::MAX / 4,
            poll_allowance: u64::MAX / 4,
            max_polls_per_task: None,
            min_poll_interval: Duration::ZERO,
            balance_interval: Duration::ZERO,
            no_slot_wait: Duration::from_secs(5),
            rate_limit_wait: Duration::from_secs(5),
            zero_balance_wait: Duration::from_secs(60),
        }
    }

    /// No limits at all: for benchmarks against a local emulator with its limits lifted too.
    pub fn unlimited() -> Limits {
        Limits {
            submit_interval: Duration::ZERO,
            submit_window: Duration::from_secs(3),
            submits_per_window: u32::MAX,
            polls_per_task: u64::MAX / 4,
            poll_allowance: u64::MAX / 4,
            max_polls_per_task: None,
            min_poll_interval: Duration::ZERO,
            balance_interval: Duration::ZERO,
            no_slot_wait: Duration::ZERO,
            rate_limit_wait: Duration::ZERO,
            zero_balance_wait: Duration::ZERO,
        }
    }

    /// These limits with every duration multiplied by `factor` (for tests against an
    /// emulator running on a scaled clock). Counts stay as they are.
    pub fn scaled(&self, factor: f64) -> Limits {
        let factor = if factor.is_finite() {
            factor.max(0.0)
        } else {
            1.0
        };
        let s = |d: Duration| Duration::try_from_secs_f64(d.as_secs_f64() * factor).unwrap_or(d);
        Limits {
            submit_interval: s(self.submit_interval),
            submit_window: s(self.submit_window),
            min_poll_interval: s(self.min_poll_interval),
            balance_interval: s(self.balance_interval),
            no_slot_wait: s(self.no_slot_wait),
            rate_limit_wait: s(self.rate_limit_wait),
            zero_balance_wait: s(self.zero_balance_wait),
            ..self.clone()
        }
    }

    /// The strictest of two sets of limits, field by field: what clients sharing one key
    /// keep, so that no client can lift the limits another one keeps.
    pub fn strictest(&self, other: &Limits) -> Limits {
        Limits {
            submit_interval: self.submit_interval.max(other.submit_interval),
            // A window is strict together with its count: keep the pair with the lower rate.
            submit_window: self.stricter_window(other).0,
            submits_per_window: self.stricter_window(other).1,
            polls_per_task: self.polls_per_task.min(other.polls_per_task),
            poll_allowance: self.poll_allowance.min(other.poll_allowance),
            max_polls_per_task: match (self.max_polls_per_task, other.max_polls_per_task) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            min_poll_interval: self.min_poll_interval.max(other.min_poll_interval),
            balance_interval: self.balance_interval.max(other.balance_interval),
            no_slot_wait: self.no_slot_wait.max(other.no_slot_wait),
            rate_limit_wait: self.rate_limit_wait.max(other.rate_limit_wait),
            zero_balance_wait: self.zero_balance_wait.max(other.zero_balance_wait),
        }
    }

    fn stricter_window(&self, other: &Limits) -> (Duration, u32) {
        // Compare submits per second: n1 / w1 < n2 / w2  <=>  n1 * w2 < n2 * w1.
        let a = u128::from(self.submits_per_window) * other.submit_window.as_nanos();
        let b = u128::from(other.submits_per_window) * self.submit_window.as_nanos();
        if a <= b {
            (self.submit_window, self.submits_per_window)
        } else {
            (other.submit_window, other.submits_per_window)
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::form_protocol()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictest_never_lifts() {
        let f = Limits::form_protocol();
        assert_eq!(f.strictest(&Limits::unlimited()), f);
        assert_eq!(Limits::unlimited().strictest(&f), f);
        let capped = Limits {
            max_polls_per_task: Some(120),
            min_poll_interval: Duration::from_secs(2),
            ..Limits::json_protocol()
        };
        let s = f.strictest(&capped);
        assert_eq!(s.max_polls_per_task, Some(120));
        assert_eq!(s.submits_per_window, 60);
        assert_eq!(s.min_poll_interval, Duration::from_secs(2));
        assert_eq!(
            Limits::form_protocol().scaled(0.01).submit_interval,
            Duration::from_millis(1)
        );
        assert_eq!(Limits::form_protocol().scaled(f64::NAN), f);
    }
}
