//! The json protocol family: `createTask`, `getTaskResult`, `getBalance` and the report
//! methods, POSTed with a JSON body, in the dialect of one provider profile
//! ([`profile`]): `/createTask` speaks the tolerant `generic` profile, `/<profile>/createTask`
//! one provider strictly.
//!
//! Accounts, balances, prices, solve delays, rules and the time scale are the form
//! protocol's; the form protocol's request limits (`MAX_USER_TURN`, `ERROR: 100x`) are not
//! documented for this family and do not apply. Each profile's own polling rules are counted
//! as violations: `json_poll_cap`, `json_poll_interval`, `json_balance_interval`.

pub(crate) mod kind_tables;
pub(crate) mod kinds;
pub(crate) mod profile;
pub(crate) mod task;

use crate::answers::{self, Answer, WORKER_UA};
use crate::kind::Kind;
use crate::protocol::validate::is_url;
use crate::scripting::Submitted;
use crate::state::{CallbackJob, JsonTask, Outcome, State, TaskId, TaskRec};
use kinds::Shape;
use profile::{IdFormat, Money, NotReady, Profile, ReportMethod, Retention, SuccessCodes, Verdict};
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A json reply before it goes on the wire.
#[derive(Debug, Clone)]
pub(crate) struct JsonReply {
    pub(crate) status: u16,
    pub(crate) body: Value,
    /// The error code replied, for the counters.
    pub(crate) code: Option<String>,
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Short descriptions for `errorDescription` (clients must key on `errorCode`).
fn describe(code: &str) -> &'static str {
    match code {
        "ERROR_KEY_DOES_NOT_EXIST" | "ERROR_KEY_DENIED_ACCESS" => {
            "Account authorization key not found in the system or has incorrect format."
        }
        "ERROR_ZERO_BALANCE" => "Account has zero or negative balance.",
        "ERROR_NO_SLOT_AVAILABLE" => "No idle workers are available at the moment.",
        "ERROR_CAPTCHA_UNSOLVABLE" => "The captcha could not be solved.",
        "ERROR_NO_SUCH_CAPCHA_ID" | "ERROR_TASKID_INVALID" => {
            "The task you are requesting does not exist or has expired."
        }
        "ERROR_TASK_NOT_SUPPORTED" => "The task type is not supported.",
        "ERROR_TASK_ABSENT" => "The task property is empty or not set.",
        "ERROR_TOO_MUCH_REQUESTS" | "ERROR_RATE_LIMIT" => "Too many requests for this task.",
        "CAPTCHA_NOT_READY" => "The captcha is not solved yet; retry in 2 seconds.",
        "ERROR_INVALID_TASK_DATA" | "ERROR_BAD_PARAMETERS" | "ERROR_INCORRECT_SESSION_DATA" => {
            "Required task fields are missing or invalid."
        }
        _ => "See the API documentation.",
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn money(m: Money, x: f64) -> Value {
    match m {
        Money::Number => json!(round6(x)),
        Money::Text(decimals) => Value::String(format!("{x:.decimals$}")),
    }
}

/// `{"a": "b"}` from a `"a=b; c=d"` cookie string (an empty object otherwise).
fn cookie_object(cookies: Option<&str>) -> Value {
    let mut m = Map::new();
    for part in cookies.unwrap_or("").split(';') {
        if let Some((k, v)) = part.split_once('=')
            && !k.trim().is_empty()
        {
            m.insert(k.trim().to_owned(), Value::from(v.trim()));
        }
    }
    Value::Object(m)
}

/// A UUID (version 4 layout) from the seeded generator.
fn uuid(rng: &mut answers::Rng) -> String {
    let hi = rng.next();
    let lo = rng.next();
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

impl Profile {
    /// `{"errorId": 0}` plus the profile's empty error fields.
    fn ok_base(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("errorId".into(), Value::from(0));
        match self.success_codes {
            SuccessCodes::Absent => {}
            SuccessCodes::Null => {
                m.insert("errorCode".into(), Value::Null);
                m.insert("errorDescription".into(), Value::Null);
            }
            SuccessCodes::Empty => {
                m.insert("errorCode".into(), Value::from(""));
                m.insert("errorDescription".into(), Value::from(""));
            }
        }
        m
    }

    fn ok(&self, m: Map<String, Value>) -> JsonReply {
        JsonReply {
            status: 200,
            body: Value::Object(m),
            code: None,
        }
    }

    fn error_map(&self, code: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("errorId".into(), Value::from(self.error_id(code)));
        m.insert("errorCode".into(), Value::from(code));
        m.insert("errorDescription".into(), Value::from(describe(code)));
        m
    }

    /// An error reply with the profile's `errorId` and HTTP status for the code.
    pub(crate) fn error(&self, code: &str) -> JsonReply {
        self.error_with(code, Map::new())
    }

    fn error_with(&self, code: &str, extra: Map<String, Value>) -> JsonReply {
        let mut m = self.error_map(code);
        m.extend(extra);
        JsonReply {
            status: self.error_status(code),
            body: Value::Object(m),
            code: Some(code.to_owned()),
        }
    }

    /// An error reply to createTask (CapMonster adds `taskId: 0`).
    fn create_error(&self, code: &str) -> JsonReply {
        let mut extra = Map::new();
        if self.error_task_id_zero {
            extra.insert("taskId".into(), Value::from(0));
        }
        self.error_with(code, extra)
    }
}

/// Where a polled task is, and how its id arrived.
struct Found {
    id: u64,
    as_string: bool,
}

impl State {
    /// Handles one json request for a profile.
    pub(crate) fn json(
        &mut self,
        now: Instant,
        p: &'static Profile,
        method: &str,
        body: &[u8],
    ) -> JsonReply {
        // createTask errors have their own shape (CapMonster adds `taskId: 0`).
        let error = |code: &str| {
            if method == "createTask" {
                p.create_error(code)
            } else {
                p.error(code)
            }
        };
        let req = match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => m,
            _ => return error(p.codes.malformed),
        };
        if !p.serves(method) {
            return p.error(p.codes.no_method);
        }
        let key = match self.json_key(p, &req) {
            Some(k) => k,
            None => return error(p.codes.bad_key),
        };
        self.key_counters(&key).json_requests += 1;
        match method {
            "createTask" => self.json_create(now, p, &key, &req),
            "getTaskResult" => self.json_result(now, p, &key, &req),
            "getBalance" => self.json_balance(now, p, &key),
            m => match p.report_method(m) {
                Some(rm) => self.json_report(now, p, &key, &req, rm),
                None => p.error(p.codes.no_method),
            },
        }
    }

    /// The account of `clientKey`, created on first use like the form protocol's.
    fn json_key(&mut self, p: &Profile, req: &Map<String, Value>) -> Option<String> {
        let raw = req.get("clientKey").and_then(Value::as_str).unwrap_or("");
        let key = if p.nocache_suffix {
            raw.strip_suffix("__nocache").unwrap_or(raw)
        } else {
            raw
        };
        if key.chars().count() != 32
            || self.removed.contains(key)
            || (!self.config.auto_accounts && !self.accounts.contains_key(key))
        {
            return None;
        }
        let balance = self.config.default_balance;
        self.accounts
            .entry(key.to_owned())
            .or_insert(crate::state::Account {
                balance,
                solved: 0,
                bad_reports: 0,
            });
        Some(key.to_owned())
    }

    fn json_create(
        &mut self,
        now: Instant,
        p: &'static Profile,
        key: &str,
        req: &Map<String, Value>,
    ) -> JsonReply {
        let sub = match task::parse(p, req.get("task")) {
            Ok(s) => s,
            Err(problem) => return p.create_error(problem.code(p)),
        };
        let callback = match req.get("callbackUrl") {
            None | Some(Value::Null) => None,
            Some(Value::String(u)) if u.is_empty() => None,
            Some(Value::String(u)) if is_url(u) => Some(u.clone()),
            Some(_) => return p.create_error(p.codes.invalid),
        };
        let kind = sub.kind();
        let type_name = sub.ty.name;
        let rule = self.first_rule(&Submitted {
            key,
            method: type_name,
            kind: kind.name(),
            sitekey: sub.sitekey.as_deref(),
            pageurl: sub.pageurl.as_deref(),
            profile: p.name,
        });
        if let Some(code) = rule.as_ref().and_then(|r| r.submit_error.clone()) {
            return p.create_error(&code);
        }
        let price = self
            .config
            .prices
            .get(kind.name())
            .copied()
            .unwrap_or_else(|| kind.price());
        let Some(account) = self.accounts.get_mut(key) else {
            return p.create_error(p.codes.bad_key);
        };
        if account.balance < price {
            return p.create_error(p.codes.zero_balance);
        }
        account.balance -= price;

        let sync = sub.sync;
        let id = self.next_json_id;
        self.next_json_id += 1;
        let solve_ms = self.draw_solve_ms(kind, id, rule.as_ref().and_then(|r| r.delay_ms));
        let ready_at = if sync {
            now
        } else {
            now + self.scaled(Duration::from_millis(solve_ms))
        };
        let wire_id = match p.ids {
            IdFormat::Int => TaskId::Number(id),
            IdFormat::Uuid => {
                let u = uuid(&mut self.rng);
                self.uuids.insert(u.clone(), id);
                TaskId::Text(u)
            }
        };
        let mut rng = answers::Rng::new(self.config.seed ^ id.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let generated = answers::generate(kind, &mut rng, &sub.hints);
        let extra_answers: Vec<String> = (1..sub.images)
            .map(|_| answers::generate(kind, &mut rng, &answers::Hints::default()).text)
            .collect();
        let outcome = match rule {
            Some(r) if r.result_error.is_some() => {
                Outcome::Error(r.result_error.unwrap_or_default())
            }
            Some(r) => Outcome::Answer(answers::scripted(
                generated,
                r.answer,
                r.answer_data.as_ref(),
            )),
            None => Outcome::Answer(generated),
        };
        let envelope: Map<String, Value> = req
            .iter()
            .filter(|(k, _)| k.as_str() != "clientKey" && k.as_str() != "task")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let created_unix = unix_now();
        self.tasks.insert(
            id,
            TaskRec {
                key: key.to_owned(),
                kind,
                method: type_name.to_owned(),
                params: sub.params.clone(),
                image: sub
                    .image
                    .as_deref()
                    .map(|b| (crate::image::format_name(b), b.len())),
                files: Vec::new(),
                created: now,
                ready_at,
                outcome,
                solve_ms,
                hints: sub.hints.clone(),
                prefix: String::new(),
                price,
                polls: 0,
                delivered: false,
                report: None,
                created_unix,
                callback: None,
                json: Some(Box::new(JsonTask {
                    profile: p,
                    wire_id: wire_id.clone(),
                    raw: req.get("task").cloned().unwrap_or(Value::Null),
                    envelope: Value::Object(envelope),
                    unread: sub.unread.clone(),
                    answers: extra_answers,
                    cookies: sub.cookies.clone(),
                    id_numbers: 0,
                    id_strings: 0,
                    last_poll: None,
                    over_cap: false,
                    shape: sub.shape,
                })),
            },
        );
        self.issue_token(id, sub.sitekey.as_deref(), sub.pageurl.as_deref());
        self.log_task(key, wire_id.clone());
        self.key_counters(key).tasks += 1;
        self.counters.tasks_accepted += 1;
        if let Some(url) = callback {
            self.pending_callbacks.push(CallbackJob {
                id,
                url,
                at: ready_at,
            });
        }
        if sync {
            // The solution comes in this reply, with the task's id (for reports) whatever
            // the profile's poll replies carry.
            self.deliver(id);
            let mut reply = self
                .json_final(id)
                .unwrap_or_else(|| p.error(p.codes.not_found));
            if let Value::Object(m) = &mut reply.body {
                m.entry("taskId").or_insert_with(|| json!(wire_id));
            }
            return reply;
        }
        let mut m = p.ok_base();
        m.insert("taskId".into(), json!(wire_id));
        if let Some(status) = p.create_status {
            m.insert("status".into(), Value::from(status));
        }
        p.ok(m)
    }

    /// Finds a task of this key and profile by the `taskId` sent (a number or a string).
    fn find_json(&self, p: &Profile, key: &str, task_id: Option<&Value>) -> Option<Found> {
        let (text, as_string) = match task_id? {
            Value::Number(n) => (n.to_string(), false),
            Value::String(s) => (s.clone(), true),
            _ => return None,
        };
        // Integer ids are found from a number or from digits in a string (tolerant); UUIDs
        // only from a string.
        let id = match p.ids {
            IdFormat::Int if text.bytes().all(|b| b.is_ascii_digit()) => {
                text.parse::<u64>().ok()?
            }
            IdFormat::Int => return None,
            IdFormat::Uuid if as_string => *self.uuids.get(&text)?,
            IdFormat::Uuid => return None,
        };
        let t = self.tasks.get(&id)?;
        let j = t.json.as_deref()?;
        (t.key == key && std::ptr::eq(j.profile, p)).then_some(Found { id, as_string })
    }

    fn expired(&self, p: &Profile, t: &TaskRec, now: Instant) -> bool {
        let (from, d) = match p.polls.retention {
            Retention::AfterCreation(d) => (t.created, d),
            Retention::AfterCompletion(d) => (t.ready_at, d),
        };
        self.window(d).is_some_and(|w| now >= from + w)
    }

    fn json_result(
        &mut self,
        now: Instant,
        p: &'static Profile,
        key: &str,
        req: &Map<String, Value>,
    ) -> JsonReply {
        let Some(found) = self.find_json(p, key, req.get("taskId")) else {
            return p.error(p.codes.not_found);
        };
        let id = found.id;
        let expired = self.tasks.get(&id).is_some_and(|t| self.expired(p, t, now));
        if expired {
            return p.error(p.codes.not_found);
        }
        let limits = self.config.limits;
        let min_interval = p
            .polls
            .min_interval
            .filter(|_| limits)
            .map(|d| self.scaled(d));
        let Some(t) = self.tasks.get_mut(&id) else {
            return p.error(p.codes.not_found);
        };
        let Some(j) = t.json.as_deref_mut() else {
            return p.error(p.codes.not_found);
        };
        t.polls += 1;
        let polls = t.polls;
        if found.as_string {
            j.id_strings += 1;
        } else {
            j.id_numbers += 1;
        }
        let too_soon = match (min_interval, j.last_poll) {
            (Some(min), Some(last)) => now.saturating_duration_since(last) < min,
            _ => false,
        };
        j.last_poll = Some(now);
        let over_cap = limits && p.polls.max_polls.is_some_and(|max| polls > max);
        let first_over_cap = over_cap && !j.over_cap;
        if over_cap {
            j.over_cap = true;
        }
        let ready = now >= t.ready_at;
        self.counters.polls += 1;
        self.counters.max_polls_per_task = self.counters.max_polls_per_task.max(polls);
        if over_cap {
            if first_over_cap {
                self.violation("json_poll_cap");
            }
            return p.error(p.codes.too_many);
        }
        if too_soon {
            self.violation("json_poll_interval");
            return p.error(p.codes.too_many);
        }
        if !ready {
            let wire_id = t.json.as_deref().map(|j| j.wire_id.clone());
            return match p.not_ready {
                NotReady::AlternateNotReadyCode if polls % 2 == 0 => p.error("CAPTCHA_NOT_READY"),
                NotReady::IdleThenProcessing if polls == 1 => not_ready(p, "idle", wire_id),
                _ => not_ready(p, "processing", wire_id),
            };
        }
        self.deliver(id);
        self.json_final(id)
            .unwrap_or_else(|| p.error(p.codes.not_found))
    }

    /// Marks a solved task delivered; the first delivery settles the account (unsolvable
    /// tasks are not charged).
    fn deliver(&mut self, id: u64) {
        let Some(t) = self.tasks.get_mut(&id) else {
            return;
        };
        if t.delivered {
            return;
        }
        t.delivered = true;
        let (refund, solved) = match &t.outcome {
            Outcome::Answer(_) => (0.0, true),
            Outcome::Error(c) if c == "ERROR_CAPTCHA_UNSOLVABLE" => (t.price, false),
            Outcome::Error(_) => (0.0, false),
        };
        let key = t.key.clone();
        if let Some(acc) = self.accounts.get_mut(&key) {
            acc.balance += refund;
            if solved {
                acc.solved += 1;
            }
        }
    }

    /// The reply of a solved task: its solution or its error (what getTaskResult answers and
    /// what a callback carries).
    pub(crate) fn json_final(&self, id: u64) -> Option<JsonReply> {
        let t = self.tasks.get(&id)?;
        let j = t.json.as_deref()?;
        let p = j.profile;
        let a = match &t.outcome {
            Outcome::Error(code) => {
                let mut extra = Map::new();
                if p.ready.task_id {
                    extra.insert("taskId".into(), json!(j.wire_id));
                }
                if p.failed_status {
                    extra.insert("status".into(), Value::from("failed"));
                }
                return Some(p.error_with(code, extra));
            }
            Outcome::Answer(a) => a,
        };
        let mut m = p.ok_base();
        if p.ready.task_id {
            m.insert("taskId".into(), json!(j.wire_id));
        }
        m.insert("status".into(), Value::from("ready"));
        m.insert("solution".into(), Value::Object(solution(p, t, j, a)));
        if let Some(cost) = p.ready.cost {
            let solve_secs = t.ready_at.saturating_duration_since(t.created).as_secs();
            m.insert("cost".into(), money(cost, t.price));
            m.insert("ip".into(), Value::from("127.0.0.1"));
            m.insert("createTime".into(), Value::from(t.created_unix));
            m.insert("endTime".into(), Value::from(t.created_unix + solve_secs));
            m.insert(
                "solveCount".into(),
                if p.ready.solve_count_text {
                    Value::from("1")
                } else {
                    Value::from(1)
                },
            );
        }
        Some(p.ok(m))
    }

    fn json_balance(&mut self, now: Instant, p: &'static Profile, key: &str) -> JsonReply {
        if let Some(interval) = p.polls.balance_interval.filter(|_| self.config.limits) {
            let min = self.scaled(interval);
            let last = self.balance_calls.insert((p.name, key.to_owned()), now);
            if last.is_some_and(|l| now.saturating_duration_since(l) < min) {
                self.violation("json_balance_interval");
            }
        }
        let balance = self.accounts.get(key).map_or(0.0, |a| a.balance);
        let mut m = p.ok_base();
        m.insert("balance".into(), money(p.balance, balance));
        if p.balance_credits {
            m.insert("captchaCredits".into(), Value::from(0));
        }
        if p.balance_packages {
            m.insert("packages".into(), Value::Array(Vec::new()));
        }
        p.ok(m)
    }

    fn json_report(
        &mut self,
        now: Instant,
        p: &'static Profile,
        key: &str,
        req: &Map<String, Value>,
        rm: ReportMethod,
    ) -> JsonReply {
        let good = match rm.verdict {
            Verdict::Good => true,
            Verdict::Bad => false,
            Verdict::FromInvalidFlag => match req.get("result").and_then(|r| r.get("invalid")) {
                Some(Value::Bool(invalid)) => !invalid,
                _ => return p.error(p.codes.invalid),
            },
        };
        let Some(found) = self.find_json(p, key, req.get("taskId")) else {
            return p.error(p.codes.not_found);
        };
        let window = p.report_rules.window.and_then(|d| self.window(d));
        let solved = self.accounts.get(key).map_or(0, |a| a.solved);
        let bad = self.accounts.get(key).map_or(0, |a| a.bad_reports);
        let expired = self
            .tasks
            .get(&found.id)
            .is_some_and(|t| self.expired(p, t, now));
        let Some(t) = self.tasks.get_mut(&found.id) else {
            return p.error(p.codes.not_found);
        };
        if expired {
            return p.error(p.codes.not_found);
        }
        let answered = now >= t.ready_at && matches!(t.outcome, Outcome::Answer(_));
        let kind_ok = rm.kinds.is_empty() || rm.kinds.contains(&t.kind);
        let late = window.is_some_and(|w| now > t.ready_at + w);
        if !answered || !kind_ok || late {
            return p.error(p.codes.report_refused);
        }
        if t.report.is_some() {
            if p.report_rules.one_per_task {
                return p.error(p.codes.report_duplicate.unwrap_or(p.codes.report_refused));
            }
        } else {
            let too_many_complaints = p.report_rules.complaint_cap
                && !good
                && solved >= 10
                && (bad + 1) as f64 > 0.4 * solved as f64;
            if too_many_complaints {
                return p.error(p.codes.report_refused);
            }
            t.report = Some(good);
            if !good && let Some(acc) = self.accounts.get_mut(key) {
                acc.bad_reports += 1;
            }
        }
        let mut m = p.ok_base();
        if rm.verdict != Verdict::FromInvalidFlag {
            m.insert("status".into(), Value::from("success"));
        }
        p.ok(m)
    }
}

fn not_ready(p: &Profile, status: &str, wire_id: Option<TaskId>) -> JsonReply {
    let mut m = p.ok_base();
    if p.ready.task_id
        && let Some(id) = wire_id
    {
        m.insert("taskId".into(), json!(id));
    }
    m.insert("status".into(), Value::from(status));
    p.ok(m)
}

/// The solution object: field names by kind, extras by profile.
fn solution(p: &Profile, t: &TaskRec, j: &JsonTask, a: &Answer) -> Map<String, Value> {
    if let Some(shape) = j.shape {
        return kinds::solution(shape, a, &t.hints);
    }
    let mut s = Map::new();
    let ua = || Value::from(a.user_agent.clone().unwrap_or_else(|| WORKER_UA.to_owned()));
    match t.kind {
        Kind::ImageToText => {
            s.insert("text".into(), Value::from(a.text.clone()));
            if !j.answers.is_empty() {
                let mut all = vec![Value::from(a.text.clone())];
                all.extend(j.answers.iter().cloned().map(Value::from));
                s.insert("answers".into(), Value::Array(all));
            }
            if p.solution.image_url {
                let url = format!("http://127.0.0.1/captcha/{}.png", j.wire_id);
                s.insert("url".into(), Value::from(url));
            }
        }
        Kind::RecaptchaV2 | Kind::RecaptchaV3 => {
            s.insert("gRecaptchaResponse".into(), Value::from(a.text.clone()));
            if p.solution.recaptcha_user_agent {
                s.insert("userAgent".into(), ua());
            }
            if p.solution.recaptcha_cookies {
                s.insert("cookies".into(), cookie_object(j.cookies.as_deref()));
            }
        }
        Kind::HCaptcha => {
            s.insert("gRecaptchaResponse".into(), Value::from(a.text.clone()));
            s.insert(
                "respKey".into(),
                Value::from(a.resp_key.clone().unwrap_or_default()),
            );
            s.insert("userAgent".into(), ua());
        }
        Kind::FunCaptcha => {
            s.insert("token".into(), Value::from(a.text.clone()));
            if p.solution.funcaptcha_user_agent {
                s.insert("userAgent".into(), ua());
            }
        }
        Kind::Turnstile => {
            s.insert("token".into(), Value::from(a.text.clone()));
            s.insert("userAgent".into(), ua());
        }
        // Read by the tables, which give the shape (above).
        other => return kinds::solution(Shape::default_for(other), a, &t.hints),
    }
    s
}

impl State {
    /// What a callback POSTs for a task once solved: the getTaskResult reply (json), or the
    /// pingback's `id` and `code` form fields (form). `None` while it is not solved.
    pub(crate) fn callback_payload(
        &self,
        id: u64,
        now: Instant,
    ) -> Option<(&'static str, Vec<u8>)> {
        let t = self.tasks.get(&id)?;
        if now < t.ready_at {
            return None;
        }
        if t.json.is_some() {
            let reply = self.json_final(id)?;
            return Some(("application/json", reply.body.to_string().into_bytes()));
        }
        let code = match &t.outcome {
            Outcome::Answer(a) => a.text.clone(),
            Outcome::Error(c) => c.clone(),
        };
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("id", &id.to_string())
            .append_pair("code", &code)
            .finish();
        Some(("application/x-www-form-urlencoded", body.into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_look_like_uuids() {
        let mut rng = answers::Rng::new(7);
        let u = uuid(&mut rng);
        assert_eq!(u.len(), 36);
        let parts: Vec<&str> = u.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert_ne!(u, uuid(&mut rng));
    }

    #[test]
    fn money_forms() {
        assert_eq!(money(Money::Text(6), 0.0007), json!("0.000700"));
        assert_eq!(money(Money::Text(5), 0.00299), json!("0.00299"));
        assert_eq!(money(Money::Number, 9.999_300_000_1), json!(9.9993));
    }
}
