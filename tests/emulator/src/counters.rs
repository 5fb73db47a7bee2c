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
    /// json requests with this `clientKey` that passed the key check.
    #[serde(default)]
    pub json_requests: u64,
    /// Tasks accepted (both protocols).
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
    /// json requests (`createTask`, `getTaskResult`, ... at the root or under a profile).
    #[serde(default)]
    pub json_requests: u64,
    /// Per endpoint and action: `in:userrecaptcha`, `in:base64`, `res:get`, `res:get_batch`,
    /// `res:getbalance`, `res:reportgood`, `res:reportbad`, `res:other`; json methods as
    /// `json:createTask`, `json:getTaskResult`, `json:getBalance`,
    /// `json:reportIncorrectRecaptcha`, `json:feedbackTask`, ..., `json:other`.
    pub actions: BTreeMap<String, u64>,
    /// Protocol requests per path prefix: `form` and `generic` for the root's two
    /// protocols, else the prefix (`capsolver`, `bigcaptcha`, ...).
    #[serde(default)]
    pub prefixes: BTreeMap<String, u64>,
    /// Per API key.
    pub keys: BTreeMap<String, KeyCounters>,
    /// Tasks accepted (`OK|id` replies to `in.php`, and json tasks created).
    pub tasks_accepted: u64,
    /// Task polls (`res.php` and `getTaskResult`): each id of a batch poll counts once.
    pub polls: u64,
    /// The most polls any single task received.
    pub max_polls_per_task: u64,
    /// Error codes replied, by code (`ERROR_ZERO_BALANCE`, `MAX_USER_TURN`, json codes such
    /// as `ERROR_TASK_NOT_SUPPORTED` and CapMonster's `CAPTCHA_NOT_READY`, ...).
    pub replies: BTreeMap<String, u64>,
    /// Request-limit violations, by code. Form: `MAX_USER_TURN` and
    /// `ERROR: 1001`..`ERROR: 1005`, counted once per block they start. json:
    /// `json_poll_cap` (once per task polled more than its profile allows),
    /// `json_poll_interval` (each poll of a task sooner than its profile allows),
    /// `json_balance_interval` (each getBalance sooner than its profile allows).
    pub violations: BTreeMap<String, u64>,
    /// Faults injected.
    pub faults_injected: u64,
    /// Callbacks (`pingback`, `callbackUrl`) delivered.
    #[serde(default)]
    pub callbacks_sent: u64,
    /// Callbacks that could not be delivered (connection refused, timeout).
    #[serde(default)]
    pub callbacks_failed: u64,
    /// Callbacks not attempted: not a local `http://` URL.
    #[serde(default)]
    pub callbacks_skipped: u64,
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

    /// How many violations of one name (`"json_poll_cap"`, `"MAX_USER_TURN"`).
    pub fn violation(&self, name: &str) -> u64 {
        self.violations.get(name).copied().unwrap_or(0)
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
