//! The emulated service's state: accounts, tasks, limits, scripting, counters. One mutex
//! guards it; every request holds it only while it computes its reply (no awaits inside).

use crate::answers::{Answer, Rng};
use crate::config::{Config, Delay};
use crate::counters::{Counters, KeyCounters};
use crate::kind::Kind;
use crate::limits::{IpLimits, KeyLimits};
use crate::reply::{Reply, Style};
use crate::scripting::{EndpointSel, Fault, Rule};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Which script a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    In,
    Res,
}

#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub(crate) balance: f64,
    pub(crate) solved: u64,
    pub(crate) bad_reports: u64,
}

#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Answer(Answer),
    Error(String),
}

#[derive(Debug, Clone)]
pub(crate) struct TaskRec {
    pub(crate) key: String,
    pub(crate) kind: Kind,
    pub(crate) method: String,
    pub(crate) params: Vec<(String, String)>,
    pub(crate) image: Option<(&'static str, usize)>,
    pub(crate) created: Instant,
    pub(crate) ready_at: Instant,
    pub(crate) outcome: Outcome,
    pub(crate) price: f64,
    pub(crate) polls: u64,
    pub(crate) delivered: bool,
    pub(crate) report: Option<bool>,
}

/// What the emulator knows about one task (library: [`crate::Emulator::task`]; HTTP:
/// `GET /emulator/tasks/ID`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskInfo {
    /// The id.
    pub id: u64,
    /// `ImageToText`, `RecaptchaV2`, ...
    pub kind: String,
    /// The `method` parameter.
    pub method: String,
    /// Every parameter received except `key` and `body` (the image).
    pub params: BTreeMap<String, String>,
    /// The image format and size in bytes, for image tasks.
    pub image: Option<(String, usize)>,
    /// `pending` (not solved yet), `solved`, or `failed`.
    pub status: String,
    /// The answer, once solved.
    pub answer: Option<String>,
    /// The result error code, for failed tasks.
    pub error: Option<String>,
    /// Polls received.
    pub polls: u64,
    /// `good` or `bad` once reported.
    pub report: Option<String>,
}

pub(crate) struct State {
    pub(crate) config: Config,
    pub(crate) rng: Rng,
    pub(crate) next_id: u64,
    pub(crate) accounts: HashMap<String, Account>,
    pub(crate) removed: HashSet<String>,
    pub(crate) delays: HashMap<Kind, Delay>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) faults: Vec<Fault>,
    pub(crate) tasks: HashMap<u64, TaskRec>,
    pub(crate) key_limits: HashMap<String, KeyLimits>,
    pub(crate) ip_limits: HashMap<IpAddr, IpLimits>,
    pub(crate) counters: Counters,
    pub(crate) submit_log: HashMap<String, Vec<Instant>>,
    pub(crate) started: Instant,
}

/// Most submit arrival times kept per key.
const SUBMIT_LOG_MAX: usize = 200_000;
/// First task id: ids look like the seed's (`2122988149`).
const FIRST_ID: u64 = 72_000_000_001;
/// Reports are accepted for this long after the submit (the seed's 15 minutes).
const REPORT_WINDOW: Duration = Duration::from_secs(15 * 60);

impl State {
    pub(crate) fn new(config: Config) -> State {
        State {
            rng: Rng::new(config.seed),
            config,
            next_id: FIRST_ID,
            accounts: HashMap::new(),
            removed: HashSet::new(),
            delays: HashMap::new(),
            rules: Vec::new(),
            faults: Vec::new(),
            tasks: HashMap::new(),
            key_limits: HashMap::new(),
            ip_limits: HashMap::new(),
            counters: Counters::default(),
            submit_log: HashMap::new(),
            started: Instant::now(),
        }
    }

    /// Forgets everything but the configuration.
    pub(crate) fn reset(&mut self) {
        let config = self.config.clone();
        *self = State::new(config);
    }

    pub(crate) fn scale(&self) -> f64 {
        self.config.time_scale.max(0.0)
    }

    pub(crate) fn scaled(&self, d: Duration) -> Duration {
        d.mul_f64(self.scale())
    }

    pub(crate) fn delay_for(&self, kind: Kind) -> Delay {
        self.delays
            .get(&kind)
            .copied()
            .unwrap_or(self.config.default_delay)
    }

    /// Picks the fault for a request, if one applies (and uses it up).
    pub(crate) fn take_fault(&mut self, endpoint: Endpoint) -> Option<Fault> {
        let mut chosen = None;
        for i in 0..self.faults.len() {
            let f = &self.faults[i];
            let hits = match f.endpoint {
                EndpointSel::Any => true,
                EndpointSel::In => endpoint == Endpoint::In,
                EndpointSel::Res => endpoint == Endpoint::Res,
            };
            if !hits || f.count == Some(0) {
                continue;
            }
            if let Some(share) = f.share
                && self.rng.unit() >= share
            {
                continue;
            }
            let f = &mut self.faults[i];
            if let Some(n) = f.count.as_mut() {
                *n -= 1;
            }
            chosen = Some(f.clone());
            break;
        }
        if chosen.is_some() {
            self.counters.faults_injected += 1;
        }
        chosen
    }

    fn violation(&mut self, code: &str) {
        Counters::bump(&mut self.counters.violations, code);
    }

    pub(crate) fn key_counters(&mut self, key: &str) -> &mut KeyCounters {
        self.counters.keys.entry(key.to_owned()).or_default()
    }

    /// The checks every request passes first: IP block, key format and existence, the key's
    /// numbered blocks. `Ok(key)` or the reply to send.
    pub(crate) fn authorize(
        &mut self,
        now: Instant,
        ip: IpAddr,
        key: Option<&str>,
        style: &Style,
    ) -> Result<String, Reply> {
        let limits = self.config.limits;
        let scale = self.scale();
        if limits && self.ip_limits.entry(ip).or_default().blocked(now) {
            return Err(style.code("ERROR: 1004"));
        }
        let key = key.unwrap_or("");
        let wrong = if key.chars().count() != 32 {
            Some("ERROR_WRONG_USER_KEY")
        } else if self.removed.contains(key)
            || (!self.config.auto_accounts && !self.accounts.contains_key(key))
        {
            Some("ERROR_KEY_DOES_NOT_EXIST")
        } else {
            None
        };
        if let Some(code) = wrong {
            if limits
                && self
                    .ip_limits
                    .entry(ip)
                    .or_default()
                    .on_wrong_key(now, scale)
            {
                self.violation("ERROR: 1004");
            }
            return Err(style.code(code));
        }
        let default_balance = self.config.default_balance;
        self.accounts.entry(key.to_owned()).or_insert(Account {
            balance: default_balance,
            solved: 0,
            bad_reports: 0,
        });
        if limits
            && let Some(code) = self
                .key_limits
                .entry(key.to_owned())
                .or_default()
                .blocked(now)
        {
            return Err(style.code(code));
        }
        Ok(key.to_owned())
    }

    /// Records an `ERROR_NO_SLOT_AVAILABLE` or `ERROR_ZERO_BALANCE` reply against the limits.
    pub(crate) fn count_refusal(&mut self, key: &str, code: &str, now: Instant) {
        if !self.config.limits {
            return;
        }
        let scale = self.scale();
        let kl = self.key_limits.entry(key.to_owned()).or_default();
        let started = match code {
            "ERROR_NO_SLOT_AVAILABLE" => kl.on_no_slot(now, scale),
            "ERROR_ZERO_BALANCE" => kl.on_zero_balance(now, scale),
            _ => None,
        };
        if let Some(code) = started {
            self.violation(code);
        }
    }

    /// Records an `in.php` request against MAX_USER_TURN; `Err` is the reply.
    pub(crate) fn count_submit(
        &mut self,
        key: &str,
        now: Instant,
        style: &Style,
    ) -> Result<(), Reply> {
        let log = self.submit_log.entry(key.to_owned()).or_default();
        if log.len() < SUBMIT_LOG_MAX {
            log.push(now);
        }
        if !self.config.limits {
            return Ok(());
        }
        let scale = self.scale();
        match self
            .key_limits
            .entry(key.to_owned())
            .or_default()
            .on_submit(now, scale)
        {
            Ok(()) => Ok(()),
            Err(started) => {
                if started {
                    self.violation("MAX_USER_TURN");
                }
                Err(style.code("MAX_USER_TURN"))
            }
        }
    }

    /// Records a `res.php` request against the R <= 20 x C + 1200 budget; `Err` is the reply.
    pub(crate) fn count_res(
        &mut self,
        key: &str,
        now: Instant,
        style: &Style,
    ) -> Result<(), Reply> {
        if !self.config.limits {
            return Ok(());
        }
        let (scale, per, allowance) = (
            self.scale(),
            self.config.res_per_task,
            self.config.res_allowance,
        );
        match self
            .key_limits
            .entry(key.to_owned())
            .or_default()
            .on_res(now, scale, per, allowance)
        {
            None => Ok(()),
            Some(code) => {
                self.violation(code);
                Err(style.code(code))
            }
        }
    }

    pub(crate) fn first_rule(
        &mut self,
        key: &str,
        method: &str,
        kind: Kind,
        sitekey: Option<&str>,
        pageurl: Option<&str>,
    ) -> Option<Rule> {
        let rule = self
            .rules
            .iter_mut()
            .find(|r| r.matches(key, method, kind.name(), sitekey, pageurl))?;
        if let Some(n) = rule.times.as_mut() {
            *n -= 1;
        }
        Some(rule.clone())
    }

    pub(crate) fn task_info(&self, id: u64, now: Instant) -> Option<TaskInfo> {
        let t = self.tasks.get(&id)?;
        let ready = now >= t.ready_at;
        let (status, answer, error) = match (&t.outcome, ready) {
            (_, false) => ("pending", None, None),
            (Outcome::Answer(a), true) => ("solved", Some(a.text.clone()), None),
            (Outcome::Error(c), true) => ("failed", None, Some(c.clone())),
        };
        Some(TaskInfo {
            id,
            kind: t.kind.name().to_owned(),
            method: t.method.clone(),
            params: t.params.iter().cloned().collect(),
            image: t.image.map(|(f, n)| (f.to_owned(), n)),
            status: status.to_owned(),
            answer,
            error,
            polls: t.polls,
            report: t.report.map(|g| if g { "good" } else { "bad" }.to_owned()),
        })
    }

    pub(crate) fn report_window(&self) -> Duration {
        self.scaled(REPORT_WINDOW)
    }

    /// Submit arrival times of a key, as offsets from the emulator's start.
    pub(crate) fn submit_times(&self, key: &str) -> Vec<Duration> {
        self.submit_log
            .get(key)
            .map(|v| {
                v.iter()
                    .map(|t| t.saturating_duration_since(self.started))
                    .collect()
            })
            .unwrap_or_default()
    }
}
