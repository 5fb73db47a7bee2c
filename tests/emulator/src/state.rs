//! The emulated service's state: accounts, tasks, limits, scripting, counters. One mutex
//! guards it; every request holds it only while it computes its reply (no awaits inside).

use crate::answers::{Answer, Hints, Rng};
use crate::config::Config;
use crate::counters::{Counters, KeyCounters};
use crate::json::profile::Profile;
use crate::kind::Kind;
use crate::limits::{IpLimits, KeyLimits};
use crate::reply::{Reply, Style};
use crate::reqlog::RequestLog;
use crate::scripting::{EndpointSel, Fault, Rule, Submitted};
use crate::solve_time::SolveTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Which endpoint a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// form `in.php`
    In,
    /// form `res.php`
    Res,
    /// json `createTask`
    Create,
    /// json `getTaskResult`
    Result,
    /// json `getBalance`
    Balance,
    /// a json report method
    Report,
    /// any other json method under a profile's path
    JsonOther,
}

impl Endpoint {
    pub(crate) fn is_json(self) -> bool {
        !matches!(self, Endpoint::In | Endpoint::Res)
    }

    /// Whether a fault's selector covers this endpoint.
    /// Whether a fault for `sel` hits a request of this endpoint (`batch`: a `res.php` poll of
    /// several ids).
    pub(crate) fn selected_by(self, sel: EndpointSel, batch: bool) -> bool {
        match sel {
            EndpointSel::Batch => self == Endpoint::Res && batch,
            EndpointSel::Any => true,
            EndpointSel::In => self == Endpoint::In,
            EndpointSel::Res => self == Endpoint::Res,
            EndpointSel::Form => !self.is_json(),
            EndpointSel::Create => self == Endpoint::Create,
            EndpointSel::Result => self == Endpoint::Result,
            EndpointSel::Balance => self == Endpoint::Balance,
            EndpointSel::Report => self == Endpoint::Report,
            EndpointSel::Json => self.is_json(),
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Endpoint::In => "in",
            Endpoint::Res => "res",
            Endpoint::Create => "create",
            Endpoint::Result => "result",
            Endpoint::Balance => "balance",
            Endpoint::Report => "report",
            Endpoint::JsonOther => "json_other",
        }
    }
}

/// A task id as the wire shows it: a number (form protocol, most json profiles) or a UUID
/// string (CapSolver).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TaskId {
    /// A numeric id.
    Number(u64),
    /// A string id (a UUID).
    Text(String),
}

impl std::fmt::Display for TaskId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TaskId::Number(n) => write!(f, "{n}"),
            TaskId::Text(s) => f.write_str(s),
        }
    }
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
    /// form: the multipart file parts, as received.
    pub(crate) files: Vec<FileInfo>,
    pub(crate) created: Instant,
    pub(crate) ready_at: Instant,
    pub(crate) outcome: Outcome,
    /// The solve time drawn for the task, emulated milliseconds (before the time scale).
    pub(crate) solve_ms: u64,
    /// What the task said that its answer and its rendering depend on.
    pub(crate) hints: Hints,
    /// form: the path prefix the task was submitted under (its dialect renders the answer).
    pub(crate) prefix: String,
    pub(crate) price: f64,
    pub(crate) polls: u64,
    pub(crate) delivered: bool,
    pub(crate) report: Option<bool>,
    /// Wall-clock creation time, UNIX seconds (json `createTime`).
    pub(crate) created_unix: u64,
    /// What became of the callback (`pingback` / `callbackUrl`).
    pub(crate) callback: Option<String>,
    /// What a json task adds.
    pub(crate) json: Option<Box<JsonTask>>,
}

/// The json side of a task.
#[derive(Debug, Clone)]
pub(crate) struct JsonTask {
    pub(crate) profile: &'static Profile,
    pub(crate) wire_id: TaskId,
    /// The `task` object exactly as received.
    pub(crate) raw: Value,
    /// The other top-level fields of the request (`softId`, `callbackUrl`, ...), without
    /// `clientKey` and `task`.
    pub(crate) envelope: Value,
    pub(crate) unread: Vec<String>,
    /// Answers of the images of an `images[]` task.
    pub(crate) answers: Vec<String>,
    pub(crate) cookies: Option<String>,
    /// Polls that sent `taskId` as a JSON number, and as a string.
    pub(crate) id_numbers: u64,
    pub(crate) id_strings: u64,
    pub(crate) last_poll: Option<Instant>,
    pub(crate) over_cap: bool,
    /// The solution's shape, for the kinds whose shape differs by provider.
    pub(crate) shape: Option<crate::json::kinds::Shape>,
}

impl JsonTask {
    /// The path prefix of the task's profile (`""` for the generic profile at the root).
    pub(crate) fn profile_prefix(&self) -> &'static str {
        if self.profile.name == "generic" {
            ""
        } else {
            self.profile.name
        }
    }
}

/// A callback to deliver once a task is solved.
#[derive(Debug, Clone)]
pub(crate) struct CallbackJob {
    pub(crate) id: u64,
    pub(crate) url: String,
    pub(crate) at: Instant,
}

/// A multipart file part of a form submit, as the emulator received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    /// The part's name (`file`, `file_1`, `imginstructions`, ...).
    pub name: String,
    /// The file name the part carried, if any.
    pub filename: Option<String>,
    /// The image format read from the bytes: `jpeg`, `png`, `gif` or `unknown`.
    pub format: String,
    /// Size in bytes.
    pub size: usize,
    /// The bytes as standard base64, so that a test can compare them with what it sent; empty
    /// once newer uploads hold the 64 MiB the emulator keeps.
    pub base64: String,
}

/// What the emulator knows about one task (library: [`crate::Shared::task`]; HTTP:
/// `GET /emulator/tasks/ID`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskInfo {
    /// The emulator's number for the task (for CapSolver tasks, not the wire id).
    pub id: u64,
    /// `ImageToText`, `RecaptchaV2`, ...
    pub kind: String,
    /// The `method` parameter; json: the task type name received.
    pub method: String,
    /// form: every parameter received except `key` and `body` (the image). json: the values
    /// the profile read, under the project's field names (`website_url`, `website_key`,
    /// `action`, `cdata`, `page_data`, `rqdata`, `proxy`, `min_score`, ...).
    pub params: BTreeMap<String, String>,
    /// The image format and size in bytes, for image tasks (of several, the first).
    pub image: Option<(String, usize)>,
    /// form: every multipart file part of the submit, in the order received (`file`;
    /// `file_1`, `file_2`, ... of a method that takes several images; `imginstructions`).
    #[serde(default)]
    pub files: Vec<FileInfo>,
    /// `pending` (not solved yet), `solved`, or `failed`.
    pub status: String,
    /// The answer, once solved: the token or text; for structured answers the form
    /// protocol's text of it (`coordinates:x=..,y=..`, `click:3/6/9`, GeeTest's JSON, ...).
    pub answer: Option<String>,
    /// The structured answer once solved, under the project's neutral names, whatever the
    /// dialect's spelling: GeeTest `challenge`/`validate`/`seccode`; GeeTest v4
    /// `captcha_id`/`lot_number`/`pass_token`/`gen_time`/`captcha_output`; Amazon
    /// `captcha_voucher`/`existing_token`; DataDome `cookie`; Cloudflare `cf_clearance`/
    /// `user_agent`; Coordinates `points` (`[{x, y}]`); Grid `cells` (numbered from 1);
    /// Rotate `angle`. `null` for token and text kinds.
    #[serde(default)]
    pub data: Option<Value>,
    /// The solve time drawn for the task, in emulated milliseconds (before the time scale).
    #[serde(default)]
    pub solve_ms: u64,
    /// The path prefix of the dialect the task came in under (`""` for the root and for
    /// paths that are not a provider's, `captchaai`, `capsolver`, ...).
    #[serde(default)]
    pub prefix: String,
    /// The result error code, for failed tasks.
    pub error: Option<String>,
    /// Polls received.
    pub polls: u64,
    /// `good` or `bad` once reported.
    pub report: Option<String>,
    /// The id as the wire shows it: the same number as `id`, or CapSolver's UUID.
    #[serde(default)]
    pub task_id: Option<TaskId>,
    /// `form`, or the json profile that created the task (`generic`, `capsolver`, ...).
    #[serde(default)]
    pub profile: String,
    /// json: the `task` object exactly as it arrived (every field, every spelling).
    #[serde(default)]
    pub raw: Option<Value>,
    /// json: the request's other top-level fields (`softId`, `callbackUrl`, ...), without
    /// `clientKey` and `task`.
    #[serde(default)]
    pub envelope: Option<Value>,
    /// json: fields of the task object that the profile does not read (a spelling of
    /// another provider, a typo).
    #[serde(default)]
    pub unread_fields: Vec<String>,
    /// json: polls that sent `taskId` as a JSON number, and as a string.
    #[serde(default)]
    pub polls_with_number_id: u64,
    /// See `polls_with_number_id`.
    #[serde(default)]
    pub polls_with_string_id: u64,
    /// What became of the callback: `sent (HTTP 200)`, `failed: ...`, `skipped: ...`;
    /// `null` without a callback or before the task is solved.
    #[serde(default)]
    pub callback: Option<String>,
}

pub(crate) struct State {
    pub(crate) config: Config,
    pub(crate) rng: Rng,
    pub(crate) next_id: u64,
    pub(crate) accounts: HashMap<String, Account>,
    pub(crate) removed: HashSet<String>,
    /// Scripted solve times per kind (forgotten on reset, unlike the config's).
    pub(crate) delays: HashMap<Kind, SolveTime>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) faults: Vec<Fault>,
    pub(crate) tasks: HashMap<u64, TaskRec>,
    pub(crate) key_limits: HashMap<String, KeyLimits>,
    pub(crate) ip_limits: HashMap<IpAddr, IpLimits>,
    pub(crate) counters: Counters,
    pub(crate) submit_log: HashMap<String, Vec<Instant>>,
    pub(crate) started: Instant,
    pub(crate) next_json_id: u64,
    /// CapSolver ids to the emulator's numbers.
    pub(crate) uuids: HashMap<String, u64>,
    /// Every task id created, per key, in order.
    pub(crate) task_log: HashMap<String, Vec<TaskId>>,
    pub(crate) requests: RequestLog,
    /// Last getBalance per (profile, key), for profiles that limit it.
    pub(crate) balance_calls: HashMap<(&'static str, String), Instant>,
    /// Callbacks to start once the current request is answered.
    pub(crate) pending_callbacks: Vec<CallbackJob>,
    /// Token answers issued, for siteverify.
    pub(crate) issued: crate::siteverify::Registry,
    /// How far a test moved the emulator's clock ahead ([`crate::Shared::advance`]).
    pub(crate) advanced: Duration,
    /// Form tasks whose file parts still hold their bytes, oldest first, and how many
    /// base64 characters they hold together (at most [`FILE_BYTES_KEPT`]).
    pub(crate) files_kept: VecDeque<u64>,
    pub(crate) files_kept_len: usize,
}

/// How much of the uploaded files' base64 the task records keep, together: a load test of
/// image uploads must not grow the emulator's memory without end, and a test compares the
/// files of the tasks it just sent. Older tasks keep each part's name, format and size, with
/// an empty `base64`.
const FILE_BYTES_KEPT: usize = 64 * 1024 * 1024;

/// Most submit arrival times kept per key.
const SUBMIT_LOG_MAX: usize = 200_000;
/// First task id: ids look like the API documentation's (`2122988149`).
const FIRST_ID: u64 = 72_000_000_001;
/// First json task id: above 2^32, as anti-captcha's and 2captcha's already are.
pub(crate) const FIRST_JSON_ID: u64 = 5_000_000_001;
/// Most task ids remembered per key for `GET /emulator/tasks?key=`.
const TASK_LOG_MAX: usize = 200_000;
/// Reports are accepted for this long after the submit (the API documentation's 15 minutes).
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
            next_json_id: FIRST_JSON_ID,
            uuids: HashMap::new(),
            task_log: HashMap::new(),
            requests: RequestLog::default(),
            balance_calls: HashMap::new(),
            pending_callbacks: Vec::new(),
            issued: Default::default(),
            advanced: Duration::ZERO,
            files_kept: VecDeque::new(),
            files_kept_len: 0,
        }
    }

    /// The emulator's clock: real time, plus what a test moved it ahead.
    pub(crate) fn now(&self) -> Instant {
        // A clock moved absurdly far stays where it can be told (no overflow panic).
        let now = Instant::now();
        now.checked_add(self.advanced).unwrap_or(now)
    }

    /// Forgets everything but the configuration.
    /// Notes that task `id`'s file parts hold their bytes, and empties the oldest tasks'
    /// beyond [`FILE_BYTES_KEPT`].
    pub(crate) fn keep_file_bytes(&mut self, id: u64) {
        self.keep_file_bytes_within(id, FILE_BYTES_KEPT);
    }

    fn keep_file_bytes_within(&mut self, id: u64, cap: usize) {
        let len = |t: &TaskRec| t.files.iter().map(|f| f.base64.len()).sum::<usize>();
        let Some(added) = self.tasks.get(&id).map(len).filter(|n| *n > 0) else {
            return;
        };
        self.files_kept.push_back(id);
        self.files_kept_len = self.files_kept_len.saturating_add(added);
        while self.files_kept_len > cap {
            let Some(old) = self.files_kept.pop_front() else {
                break;
            };
            if let Some(t) = self.tasks.get_mut(&old) {
                self.files_kept_len = self.files_kept_len.saturating_sub(len(t));
                t.files.iter_mut().for_each(|f| f.base64 = String::new());
            }
        }
    }

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

    /// A documented window (retention, report window) on the emulated clock; `None` at time
    /// scale 0, where every wait is instant and windows would close before they open.
    pub(crate) fn window(&self, d: Duration) -> Option<Duration> {
        (self.scale() > 0.0).then(|| self.scaled(d))
    }

    /// Remembers a created task's id for its key.
    pub(crate) fn log_task(&mut self, key: &str, id: TaskId) {
        let log = self.task_log.entry(key.to_owned()).or_default();
        if log.len() < TASK_LOG_MAX {
            log.push(id);
        }
    }

    /// The solve-time distribution of a kind: scripted for the kind, else configured for the
    /// kind, else the configured distribution of every kind, else `default_delay`.
    pub(crate) fn solve_time_for(&self, kind: Kind) -> SolveTime {
        self.delays
            .get(&kind)
            .or_else(|| self.config.solve_times.get(kind.name()))
            .copied()
            .or(self.config.solve_time)
            .unwrap_or_else(|| self.config.default_delay.into())
    }

    /// Draws the solve time of task `id` (emulated ms): a scripted delay wins; otherwise a
    /// sample from the kind's distribution, from a generator seeded by the config's seed and
    /// the task's number alone, so that a run repeats whatever else draws numbers.
    pub(crate) fn draw_solve_ms(&self, kind: Kind, id: u64, scripted: Option<u64>) -> u64 {
        if let Some(ms) = scripted {
            return ms;
        }
        let mut rng = Rng::new(crate::answers::mix(
            self.config.seed ^ 0x501e_71e5 ^ id.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        ));
        self.solve_time_for(kind).sample(&mut rng)
    }

    /// Picks the fault for a request, if one applies (and uses it up).
    pub(crate) fn take_fault(
        &mut self,
        endpoint: Endpoint,
        prefix: &str,
        batch: bool,
    ) -> Option<Fault> {
        let mut chosen = None;
        for i in 0..self.faults.len() {
            let f = &self.faults[i];
            let hits = endpoint.selected_by(f.endpoint, batch)
                && f.prefix.as_deref().is_none_or(|p| p == prefix);
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

    pub(crate) fn violation(&mut self, code: &str) {
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

    pub(crate) fn first_rule(&mut self, submitted: &Submitted<'_>) -> Option<Rule> {
        let rule = self.rules.iter_mut().find(|r| r.matches(submitted))?;
        if let Some(n) = rule.times.as_mut() {
            *n -= 1;
        }
        Some(rule.clone())
    }

    pub(crate) fn task_info(&self, id: u64, now: Instant) -> Option<TaskInfo> {
        let t = self.tasks.get(&id)?;
        let ready = now >= t.ready_at;
        let (status, answer, error, data) = match (&t.outcome, ready) {
            (_, false) => ("pending", None, None, None),
            (Outcome::Answer(a), true) => ("solved", Some(a.text.clone()), None, a.data.neutral()),
            (Outcome::Error(c), true) => ("failed", None, Some(c.clone()), None),
        };
        let j = t.json.as_deref();
        Some(TaskInfo {
            id,
            kind: t.kind.name().to_owned(),
            method: t.method.clone(),
            params: t.params.iter().cloned().collect(),
            image: t.image.map(|(f, n)| (f.to_owned(), n)),
            files: t.files.clone(),
            status: status.to_owned(),
            answer,
            data,
            solve_ms: t.solve_ms,
            prefix: j.map_or_else(|| t.prefix.clone(), |j| j.profile_prefix().to_owned()),
            error,
            polls: t.polls,
            report: t.report.map(|g| if g { "good" } else { "bad" }.to_owned()),
            task_id: Some(j.map_or(TaskId::Number(id), |j| j.wire_id.clone())),
            profile: j.map_or("form", |j| j.profile.name).to_owned(),
            raw: j.map(|j| j.raw.clone()),
            envelope: j.map(|j| j.envelope.clone()),
            unread_fields: j.map(|j| j.unread.clone()).unwrap_or_default(),
            polls_with_number_id: j.map_or(0, |j| j.id_numbers),
            polls_with_string_id: j.map_or(0, |j| j.id_strings),
            callback: t.callback.clone(),
        })
    }

    /// The emulator's number of a task from its wire id (digits or a CapSolver UUID).
    pub(crate) fn lookup_id(&self, id: &str) -> Option<u64> {
        match id.parse::<u64>() {
            Ok(n) => self.tasks.contains_key(&n).then_some(n),
            Err(_) => self.uuids.get(id).copied(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn task_with_file(base64: &str) -> TaskRec {
        let now = Instant::now();
        TaskRec {
            key: "k".into(),
            kind: Kind::ImageToText,
            method: "post".into(),
            params: Vec::new(),
            image: None,
            files: vec![FileInfo {
                name: "file_1".into(),
                filename: None,
                format: "png".into(),
                size: base64.len(),
                base64: base64.into(),
            }],
            created: now,
            ready_at: now,
            outcome: Outcome::Error("ERROR_CAPTCHA_UNSOLVABLE".into()),
            solve_ms: 0,
            hints: Hints::default(),
            prefix: String::new(),
            price: 0.0,
            polls: 0,
            delivered: false,
            report: None,
            created_unix: 0,
            callback: None,
            json: None,
        }
    }

    #[test]
    fn the_oldest_tasks_files_lose_their_bytes_beyond_the_cap() {
        let mut state = State::new(Config::default());
        for id in 1..=3 {
            state.tasks.insert(id, task_with_file("AAAA"));
            state.keep_file_bytes_within(id, 8);
        }
        let kept = |state: &State, id| state.tasks[&id].files[0].base64.clone();
        assert_eq!(kept(&state, 1), "", "the oldest is emptied");
        assert_eq!(
            (kept(&state, 2), kept(&state, 3)),
            ("AAAA".into(), "AAAA".into())
        );
        assert_eq!(state.tasks[&1].files[0].size, 4, "its size stays");
        assert_eq!(state.files_kept_len, 8);
        assert_eq!(state.files_kept.len(), 2);
    }
}
