//! What the emulator counts. Readable from the library ([`crate::Emulator::counters`]) and
//! over HTTP (`GET /emulator/counters`). Admin requests are not counted.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Requests and tasks of one API key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCounters {
    /// `in.php` requests.
    pub in_requests: u64,
    /// `res.php` requests (polls, batch polls, balance, reports).
    pub res_requests: u64,
    /// Tasks accepted.
    pub tasks: u64,
}

/// A snapshot of the counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Protocol requests of any kind (including ones to unknown paths).
    pub requests: u64,
    /// `in.php` requests.
    pub in_requests: u64,
    /// `res.php` requests.
    pub res_requests: u64,
    /// Per endpoint and action: `in:userrecaptcha`, `in:base64`, `res:get`, `res:get_batch`,
    /// `res:getbalance`, `res:reportgood`, `res:reportbad`, `res:other`.
    pub actions: BTreeMap<String, u64>,
    /// Per API key.
    pub keys: BTreeMap<String, KeyCounters>,
    /// Tasks accepted (`OK|id` replies to `in.php`).
    pub tasks_accepted: u64,
    /// Task polls: each id of a batch poll counts once.
    pub polls: u64,
    /// The most polls any single task received.
    pub max_polls_per_task: u64,
    /// Error codes replied, by code (`ERROR_ZERO_BALANCE`, `MAX_USER_TURN`, ...).
    pub replies: BTreeMap<String, u64>,
    /// Request-limit violations, by code: `MAX_USER_TURN` and `ERROR: 1001`..`ERROR: 1005`,
    /// counted once per block they start.
    pub violations: BTreeMap<String, u64>,
    /// Faults injected.
    pub faults_injected: u64,
}

impl Counters {
    /// All violations.
    pub fn violations_total(&self) -> u64 {
        self.violations.values().sum()
    }

    /// The count of one action (`"res:get"`).
    pub fn action(&self, name: &str) -> u64 {
        self.actions.get(name).copied().unwrap_or(0)
    }

    /// How often a code was replied.
    pub fn replied(&self, code: &str) -> u64 {
        self.replies.get(code).copied().unwrap_or(0)
    }

    pub(crate) fn bump(map: &mut BTreeMap<String, u64>, name: &str) {
        match map.get_mut(name) {
            Some(n) => *n += 1,
            None => {
                map.insert(name.to_owned(), 1);
            }
        }
    }
}
