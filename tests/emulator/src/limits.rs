//! the API documentation's request limits, per API key (and per IP for wrong keys).
//!
//! | code | rule | block |
//! |---|---|---|
//! | `MAX_USER_TURN` | more than 60 `in.php` requests in 3 s | 10 s, `in.php` only |
//! | `ERROR: 1001` | 120 `ERROR_NO_SLOT_AVAILABLE` replies in one minute | 10 min |
//! | `ERROR: 1002` | 120 `ERROR_ZERO_BALANCE` replies in one minute | 5 min |
//! | `ERROR: 1003` | `ERROR_NO_SLOT_AVAILABLE` replies >= 3 x tasks sent and >= 120 | 30 s |
//! | `ERROR: 1004` | 5 requests with a wrong key from one IP | 10 min, that IP |
//! | `ERROR: 1005` | `res.php` requests R > 20 x C + 1200 (C tasks sent) | 5 min |
//!
//! The API documentation gives no window for the `res.php` rule; the emulator counts R and C from the
//! account's first request and starts both again when a 1005 block ends. Blocks by numbered
//! codes apply to every request of the key. Every duration is multiplied by the time scale.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

pub(crate) const SUBMIT_WINDOW: Duration = Duration::from_secs(3);
pub(crate) const SUBMITS_PER_WINDOW: usize = 60;
pub(crate) const TURN_BAN: Duration = Duration::from_secs(10);
const MINUTE: Duration = Duration::from_secs(60);
const ERRORS_PER_MINUTE: usize = 120;

fn block_time(code: &str) -> Duration {
    match code {
        "ERROR: 1001" | "ERROR: 1004" => Duration::from_secs(600),
        "ERROR: 1002" | "ERROR: 1005" => Duration::from_secs(300),
        "ERROR: 1003" => Duration::from_secs(30),
        _ => Duration::from_secs(60),
    }
}

/// Limit state of one key.
#[derive(Debug, Default)]
pub(crate) struct KeyLimits {
    submits: VecDeque<Instant>,
    turn_ban_until: Option<Instant>,
    block: Option<(&'static str, Instant)>,
    /// `res.php` requests since the last reset.
    pub(crate) res_requests: u64,
    /// Tasks accepted since the last reset.
    pub(crate) tasks: u64,
    no_slot: VecDeque<Instant>,
    no_slot_total: u64,
    zero_balance: VecDeque<Instant>,
}

fn prune(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while q
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= window)
    {
        q.pop_front();
    }
}

impl KeyLimits {
    /// The numbered block in force, if any.
    pub(crate) fn blocked(&mut self, now: Instant) -> Option<&'static str> {
        match self.block {
            Some((code, until)) if now < until => Some(code),
            Some((code, _)) => {
                self.block = None;
                if code == "ERROR: 1005" {
                    self.res_requests = 0;
                    self.tasks = 0;
                }
                None
            }
            None => None,
        }
    }

    fn start_block(&mut self, code: &'static str, now: Instant, scale: f64) -> &'static str {
        self.block = Some((code, now + block_time(code).mul_f64(scale)));
        code
    }

    /// Records an `in.php` request. `Err(true)` starts a MAX_USER_TURN ban (a violation),
    /// `Err(false)` is a request during one.
    pub(crate) fn on_submit(&mut self, now: Instant, scale: f64) -> Result<(), bool> {
        if let Some(until) = self.turn_ban_until {
            if now < until {
                return Err(false);
            }
            self.turn_ban_until = None;
        }
        let window = SUBMIT_WINDOW.mul_f64(scale);
        prune(&mut self.submits, now, window);
        self.submits.push_back(now);
        if self.submits.len() > SUBMITS_PER_WINDOW {
            self.turn_ban_until = Some(now + TURN_BAN.mul_f64(scale));
            self.submits.clear();
            return Err(true);
        }
        Ok(())
    }

    /// Records a `res.php` request; `Some(code)` when it breaks the budget (a violation).
    pub(crate) fn on_res(
        &mut self,
        now: Instant,
        scale: f64,
        per_task: u64,
        allowance: u64,
    ) -> Option<&'static str> {
        self.res_requests += 1;
        let budget = per_task
            .saturating_mul(self.tasks)
            .saturating_add(allowance);
        (self.res_requests > budget).then(|| self.start_block("ERROR: 1005", now, scale))
    }

    /// Records an `ERROR_NO_SLOT_AVAILABLE` reply; `Some(code)` when it starts a block.
    pub(crate) fn on_no_slot(&mut self, now: Instant, scale: f64) -> Option<&'static str> {
        self.no_slot_total += 1;
        prune(&mut self.no_slot, now, MINUTE.mul_f64(scale));
        self.no_slot.push_back(now);
        if self.no_slot.len() >= ERRORS_PER_MINUTE {
            self.no_slot.clear();
            return Some(self.start_block("ERROR: 1001", now, scale));
        }
        if self.no_slot_total >= (3 * self.tasks).max(ERRORS_PER_MINUTE as u64) {
            self.no_slot_total = 0;
            return Some(self.start_block("ERROR: 1003", now, scale));
        }
        None
    }

    /// Records an `ERROR_ZERO_BALANCE` reply; `Some(code)` when it starts a block.
    pub(crate) fn on_zero_balance(&mut self, now: Instant, scale: f64) -> Option<&'static str> {
        prune(&mut self.zero_balance, now, MINUTE.mul_f64(scale));
        self.zero_balance.push_back(now);
        if self.zero_balance.len() >= ERRORS_PER_MINUTE {
            self.zero_balance.clear();
            return Some(self.start_block("ERROR: 1002", now, scale));
        }
        None
    }
}

/// Wrong-key state of one IP address.
#[derive(Debug, Default)]
pub(crate) struct IpLimits {
    wrong_keys: u32,
    blocked_until: Option<Instant>,
}

pub(crate) const WRONG_KEYS_PER_IP: u32 = 5;

impl IpLimits {
    pub(crate) fn blocked(&mut self, now: Instant) -> bool {
        match self.blocked_until {
            Some(until) if now < until => true,
            Some(_) => {
                self.blocked_until = None;
                self.wrong_keys = 0;
                false
            }
            None => false,
        }
    }

    /// Records a request with a wrong key; `true` when it starts the 1004 block.
    pub(crate) fn on_wrong_key(&mut self, now: Instant, scale: f64) -> bool {
        self.wrong_keys += 1;
        if self.wrong_keys >= WRONG_KEYS_PER_IP {
            self.blocked_until = Some(now + block_time("ERROR: 1004").mul_f64(scale));
            return true;
        }
        false
    }
}
