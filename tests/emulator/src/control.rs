//! Scripting and reading the emulator from Rust. The admin API calls the same functions.

use crate::config::{Config, Delay};
use crate::counters::Counters;
use crate::kind::Kind;
use crate::reqlog::RequestRecord;
use crate::scripting::{Fault, Rule};
use crate::solve_time::SolveTime;
use crate::state::{Account, State, TaskId, TaskInfo};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

/// The emulator's shared state behind its lock.
pub struct Shared {
    state: Mutex<State>,
    /// Set when the server stops: background work (callbacks) ends with it.
    stop: watch::Sender<bool>,
    /// Bumped when a test moves tasks' times ([`Shared::finish_pending`], [`Shared::advance`]):
    /// a callback waiting for its task looks at the task's time again.
    clock: watch::Sender<u64>,
}

impl Shared {
    pub(crate) fn new(config: Config) -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(State::new(config)),
            stop: watch::Sender::new(false),
            clock: watch::Sender::new(0),
        })
    }

    /// Changes when a test moved tasks' times (see [`Shared::finish_pending`]).
    pub(crate) fn clock_moved(&self) -> watch::Receiver<u64> {
        self.clock.subscribe()
    }

    fn moved_clock(&self) {
        self.clock.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Tells background work that the server stopped.
    pub(crate) fn set_stopped(&self) {
        self.stop.send_replace(true);
    }

    pub(crate) fn stopped(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    /// The lock. A panic while it was held (a bug) does not take the emulator down with it.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Creates or funds an account (and makes a removed key exist again).
    pub fn set_account(&self, key: &str, balance: f64) {
        let mut st = self.lock();
        st.removed.remove(key);
        st.accounts.insert(
            key.to_owned(),
            Account {
                balance,
                solved: 0,
                bad_reports: 0,
            },
        );
    }

    /// Makes a key unknown: its requests get `ERROR_KEY_DOES_NOT_EXIST`.
    pub fn remove_account(&self, key: &str) {
        let mut st = self.lock();
        st.accounts.remove(key);
        st.removed.insert(key.to_owned());
    }

    /// The balance of an account.
    pub fn balance(&self, key: &str) -> Option<f64> {
        self.lock().accounts.get(key).map(|a| a.balance)
    }

    /// Adds an outcome rule (rules are tried in the order added).
    pub fn add_rule(&self, rule: Rule) {
        self.lock().rules.push(rule);
    }

    /// Removes every rule.
    pub fn clear_rules(&self) {
        self.lock().rules.clear();
    }

    /// Adds a fault (faults are tried in the order added).
    pub fn add_fault(&self, fault: Fault) {
        self.lock().faults.push(fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// Sets the solve delay (uniform in a range) of a kind, or with `None` the default delay
    /// of every kind (which then replaces a configured `solve_time`).
    pub fn set_delay(&self, kind: Option<Kind>, delay: Delay) {
        let mut st = self.lock();
        match kind {
            Some(k) => {
                st.delays.insert(k, delay.into());
            }
            None => {
                st.config.default_delay = delay;
                st.config.solve_time = None;
            }
        }
    }

    /// Sets the solve-time distribution of a kind, or with `None` of every kind without its
    /// own. A kind's scripted time is forgotten on [`Shared::reset`]; the default is config.
    pub fn set_solve_time(&self, kind: Option<Kind>, time: SolveTime) {
        let mut st = self.lock();
        match kind {
            Some(k) => {
                st.delays.insert(k, time);
            }
            None => st.config.solve_time = Some(time),
        }
    }

    /// The current configuration.
    pub fn config(&self) -> Config {
        self.lock().config.clone()
    }

    /// Changes the configuration in place.
    pub fn update_config(&self, f: impl FnOnce(&mut Config)) {
        f(&mut self.lock().config);
    }

    /// Applies a JSON patch of config fields (`{"time_scale": 0.01}`); the port cannot change.
    pub fn configure(&self, patch: serde_json::Value) -> Result<Config, String> {
        let mut st = self.lock();
        let mut current = serde_json::to_value(&st.config).map_err(|e| e.to_string())?;
        let (Some(cur), Some(p)) = (current.as_object_mut(), patch.as_object()) else {
            return Err("expected a JSON object".into());
        };
        for (k, v) in p {
            if !cur.contains_key(k) {
                return Err(format!("unknown config field {k:?}"));
            }
            cur.insert(k.clone(), v.clone());
        }
        let mut next: Config = serde_json::from_value(current).map_err(|e| e.to_string())?;
        if let Some(k) = next
            .solve_times
            .keys()
            .find(|k| Kind::from_name(k).is_none())
        {
            return Err(format!("solve_times: {k:?} is not a kind"));
        }
        next.port = st.config.port;
        st.config = next.clone();
        Ok(next)
    }

    /// A snapshot of the counters.
    pub fn counters(&self) -> Counters {
        self.lock().counters.clone()
    }

    /// What the emulator knows of a task, by the emulator's number (the form protocol's id
    /// and most json ids; see [`Shared::task_by_id`] for CapSolver's UUIDs).
    pub fn task(&self, id: u64) -> Option<TaskInfo> {
        let st = self.lock();
        st.task_info(id, st.now())
    }

    /// What the emulator knows of a task, by the id as the wire shows it: digits or a UUID.
    pub fn task_by_id(&self, id: &str) -> Option<TaskInfo> {
        let st = self.lock();
        let n = st.lookup_id(id)?;
        st.task_info(n, st.now())
    }

    /// Every task id created for a key, in order, as the wire showed them (both protocols,
    /// including tasks whose results have expired).
    pub fn task_ids(&self, key: &str) -> Vec<TaskId> {
        self.lock().task_log.get(key).cloned().unwrap_or_default()
    }

    /// The latest `limit` protocol requests, oldest first (at most
    /// [`crate::REQUEST_LOG_MAX`] are kept).
    pub fn requests(&self, limit: usize) -> Vec<RequestRecord> {
        self.lock().requests.latest(limit)
    }

    /// Solves every task still pending, now: its solve delay ends at this moment (the
    /// outcome it was given at submit stays). A test submits with a delay longer than it
    /// will run and lets the tasks go once what it checks has happened, instead of racing a
    /// delay against the machine's speed. A task's callback (pingback, `callbackUrl`) goes
    /// with its answer, now. Returns how many tasks it finished.
    pub fn finish_pending(&self) -> usize {
        let n = {
            let mut st = self.lock();
            let now = st.now();
            let mut n = 0;
            for t in st.tasks.values_mut() {
                if t.ready_at > now {
                    t.ready_at = now;
                    n += 1;
                }
            }
            n
        };
        self.moved_clock();
        n
    }

    /// Moves the emulator's clock ahead by `d`: solve delays, limit windows, bans, intervals
    /// between polls, retention and report windows all see `d` more time passed. A test
    /// checks what happens after a documented wait this way, without sleeping it, and can
    /// run at the documented lengths (time scale 1), so that the steps it means to take
    /// within a window stay within it however slow the machine. Submit times
    /// ([`Shared::submit_times`]) and callbacks follow this clock; the request log's `at_ms`
    /// stays on real time.
    pub fn advance(&self, d: Duration) {
        {
            let mut st = self.lock();
            st.advanced = st.advanced.saturating_add(d);
        }
        self.moved_clock();
    }

    /// `in.php` arrival times of a key, as offsets from the emulator's start.
    pub fn submit_times(&self, key: &str) -> Vec<Duration> {
        self.lock().submit_times(key)
    }

    /// Forgets accounts, tasks, rules, faults, limits and counters; keeps the configuration.
    pub fn reset(&self) {
        self.lock().reset();
    }
}
