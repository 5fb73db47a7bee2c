//! `res.php`: poll (single and batch), report, balance.

use super::dialect::FormDialect;
use super::params::Params;
use crate::answers::Answer;
use crate::kind::Kind;
use crate::reply::{Reply, Style};
use crate::state::{Outcome, State};
use serde_json::Value;
use std::net::IpAddr;
use std::time::Instant;

/// What one task's poll says.
enum Poll {
    NotReady,
    Answer {
        /// The plain reply's text (`OK|text`, and the batch poll's).
        text: String,
        /// `request` of a `json=1` reply: the text, or the structured answer's object.
        request: Value,
        /// Fields beside `request` in a `json=1` reply.
        extras: Vec<(&'static str, String)>,
    },
    Error(String),
    Unknown,
}

/// An answer in a dialect's form: GeeTest's and Amazon's objects as objects (or as JSON
/// text where the dialect sends text), the worker's user agent beside `request`.
fn render(kind: Kind, a: &Answer, d: &FormDialect) -> Poll {
    // A scripted `answer` that replaced the text of a structured answer is sent as text.
    let request = match a.data.form_object() {
        Some(o) if !d.objects_as_text && !a.text_scripted => o,
        _ => Value::String(a.text.clone()),
    };
    let mut extras = Vec::new();
    if let Some(ua) = &a.user_agent {
        // CaptchaAI's cf_clearance reply names it `user_agent`; hCaptcha's and Turnstile's
        // `useragent`.
        let name = if kind == Kind::CloudflareChallenge {
            "user_agent"
        } else {
            "useragent"
        };
        extras.push((name, ua.clone()));
    }
    if let Some(rk) = &a.resp_key {
        extras.push(("respKey", rk.clone()));
    }
    Poll::Answer {
        text: a.text.clone(),
        request,
        extras,
    }
}

impl State {
    /// Handles a `res.php` request.
    pub(crate) fn res(&mut self, now: Instant, ip: IpAddr, p: &Params, style: &Style) -> Reply {
        let key = match self.authorize(now, ip, p.get("key"), style) {
            Ok(k) => k,
            Err(reply) => return reply,
        };
        self.key_counters(&key).res_requests += 1;
        if let Err(reply) = self.count_res(&key, now, style) {
            return reply;
        }
        match p.get("action").unwrap_or("") {
            "" => style.code("ERROR_EMPTY_ACTION"),
            "get" => match p.get("ids") {
                Some(ids) => self.batch(&key, ids, now, style),
                None => self.single(&key, p.get("id"), now, style),
            },
            "getbalance" => {
                let balance = self.accounts.get(&key).map_or(0.0, |a| a.balance);
                style.value(&format!("{balance:.5}"))
            }
            "reportgood" => self.report(&key, p.get("id"), true, now, style),
            "reportbad" => self.report(&key, p.get("id"), false, now, style),
            _ => style.code("ERROR_BAD_PARAMETERS"),
        }
    }

    fn poll_task(&mut self, key: &str, id: u64, now: Instant) -> Poll {
        let Some(t) = self
            .tasks
            .get_mut(&id)
            .filter(|t| t.key == key && t.json.is_none())
        else {
            return Poll::Unknown;
        };
        t.polls += 1;
        let polls = t.polls;
        self.counters.polls += 1;
        self.counters.max_polls_per_task = self.counters.max_polls_per_task.max(polls);
        if now < t.ready_at {
            return Poll::NotReady;
        }
        let first = !t.delivered;
        t.delivered = true;
        let (poll, refund, solved) = match &t.outcome {
            Outcome::Answer(a) => (
                render(t.kind, a, FormDialect::for_prefix(&t.prefix)),
                0.0,
                true,
            ),
            // Unsolvable tasks are not charged (the API documentation's res.php table).
            Outcome::Error(c) => (
                Poll::Error(c.clone()),
                if c == "ERROR_CAPTCHA_UNSOLVABLE" {
                    t.price
                } else {
                    0.0
                },
                false,
            ),
        };
        if first && let Some(acc) = self.accounts.get_mut(key) {
            acc.balance += refund;
            if solved {
                acc.solved += 1;
            }
        }
        poll
    }

    fn single(&mut self, key: &str, id: Option<&str>, now: Instant, style: &Style) -> Reply {
        let Some(id) = parse_id(id) else {
            return style.code("ERROR_WRONG_ID_FORMAT");
        };
        match self.poll_task(key, id, now) {
            Poll::Unknown => style.code("ERROR_WRONG_CAPTCHA_ID"),
            Poll::NotReady => style.not_ready(),
            Poll::Error(code) => style.code(&code),
            Poll::Answer {
                text,
                request,
                extras,
            } => style.ok_value(&text, request, &extras),
        }
    }

    /// `action=get&ids=1,2,3`: the answers joined by `|` in id order, always plain text.
    fn batch(&mut self, key: &str, ids: &str, now: Instant, style: &Style) -> Reply {
        let parsed: Option<Vec<u64>> = ids.split(',').map(|s| parse_id(Some(s.trim()))).collect();
        let Some(parsed) = parsed.filter(|v| !v.is_empty()) else {
            return style.code("ERROR_WRONG_ID_FORMAT");
        };
        let parts: Vec<String> = parsed
            .into_iter()
            .map(|id| match self.poll_task(key, id, now) {
                Poll::Unknown => "ERROR_WRONG_CAPTCHA_ID".to_owned(),
                Poll::NotReady => "CAPCHA_NOT_READY".to_owned(),
                Poll::Error(code) => code,
                Poll::Answer { text, .. } => text,
            })
            .collect();
        style.plain(parts.join("|"))
    }

    fn report(
        &mut self,
        key: &str,
        id: Option<&str>,
        good: bool,
        now: Instant,
        style: &Style,
    ) -> Reply {
        let Some(id) = parse_id(id) else {
            return style.code("ERROR_WRONG_ID_FORMAT");
        };
        let window = self.report_window();
        let solved = self.accounts.get(key).map_or(0, |a| a.solved);
        let bad = self.accounts.get(key).map_or(0, |a| a.bad_reports);
        let Some(t) = self
            .tasks
            .get_mut(&id)
            .filter(|t| t.key == key && t.json.is_none())
        else {
            return style.code("ERROR_WRONG_CAPTCHA_ID");
        };
        if t.report.is_some() {
            return style.code("ERROR_DUPLICATE_REPORT");
        }
        let answered = t.delivered && matches!(t.outcome, Outcome::Answer(_));
        // Complaints about more than 40% of solved captchas are refused (judged once an
        // account has 10 solved captchas, so that a first complaint is not refused).
        let too_many_complaints = !good && solved >= 10 && (bad + 1) as f64 > 0.4 * solved as f64;
        if !answered || now.saturating_duration_since(t.created) > window || too_many_complaints {
            return style.code("ERROR_REPORT_NOT_RECORDED");
        }
        t.report = Some(good);
        if !good && let Some(acc) = self.accounts.get_mut(key) {
            acc.bad_reports += 1;
        }
        style.value("OK_REPORT_RECORDED")
    }
}

/// Ids are digits only (`ERROR_WRONG_ID_FORMAT` otherwise).
fn parse_id(id: Option<&str>) -> Option<u64> {
    let id = id?;
    if id.is_empty() || id.len() > 19 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}
