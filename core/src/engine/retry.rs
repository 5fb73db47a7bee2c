//! When to try again: exponential backoff with jitter for transient failures, and the policy
//! for submits whose outcome is unknown.

use std::time::Duration;

/// Retry settings of a client.
///
/// Transient failures (transport errors, 5xx replies, HTML error pages, empty or cut-off
/// bodies) are retried inside the solve's deadline with exponential backoff from `base_delay`
/// up to `max_delay`, with ±25% jitter so that many solves do not retry in step.
///
/// **Submits whose outcome is unknown.** When a submit left but no usable reply came back (a
/// timeout after sending, a dropped connection, an empty or truncated body), the service may
/// have created and will charge a task whose id we never learn. capbridge resubmits at most
/// `unknown_submit_retries` times in that case (default 2) and then fails the solve with a
/// `network` error that says so. Submits that certainly did not arrive (connection refused)
/// or that the service certainly did not act on (HTTP 429 or 503) are retried freely inside
/// the deadline.
///
/// Calls outside a solve (`submit`, `result`, `balance`, `report`) try at most `max_attempts`
/// times when no usable reply comes (a `submit` still waits, within its deadline, while the
/// service says it is busy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// First backoff delay.
    pub base_delay: Duration,
    /// Longest backoff delay.
    pub max_delay: Duration,
    /// Resubmits allowed after submits with an unknown outcome.
    pub unknown_submit_retries: u32,
    /// Attempts of a call outside a solve.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::DEFAULT
    }
}

impl RetryPolicy {
    /// The defaults, as a constant: the options table ([`crate::options::CLIENT_OPTIONS`])
    /// documents them from here.
    pub const DEFAULT: RetryPolicy = RetryPolicy {
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(20),
        unknown_submit_retries: 2,
        max_attempts: 3,
    };

    /// The wait after the `attempt`-th consecutive failure (1-based), with jitter from `seed`.
    pub(crate) fn backoff(&self, attempt: u32, seed: u64) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        // xorshift of the seed -> a factor in [0.75, 1.25)
        let mut x = seed ^ 0x9E37_79B9_7F4A_7C15 ^ u64::from(attempt);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
        // Checked: a factor of at most 1.25 on a bounded delay, yet never a panic.
        Duration::try_from_secs_f64(exp.as_secs_f64() * (0.75 + unit / 2.0)).unwrap_or(exp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        let d1 = p.backoff(1, 7);
        assert!(d1 >= Duration::from_millis(750) && d1 < Duration::from_millis(1250));
        let d3 = p.backoff(3, 7);
        assert!(d3 >= Duration::from_secs(3) && d3 < Duration::from_secs(5));
        assert!(p.backoff(30, 7) < Duration::from_secs(25));
        let huge = RetryPolicy {
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(
            huge.backoff(3, 7),
            Duration::MAX,
            "no panic on the largest delays"
        );
    }
}
