//! Site verification, as the captcha vendors' servers do it for a site's backend.
//!
//! A site that receives a token from a form asks the vendor whether it is genuine:
//! `POST /recaptcha/api/siteverify` (Google), `/hcaptcha/siteverify`, `/turnstile/v0/siteverify`
//! (Cloudflare), form fields `secret` and `response` (and `remoteip`; hCaptcha also `sitekey`),
//! a JSON reply with `success`. Here the vendor is the emulator, and the only genuine tokens
//! are the ones it issued through a solve: every token answer of a reCAPTCHA, hCaptcha or
//! Turnstile task is registered with its site key when the task is created, and a site may
//! redeem it once, after a client collected it.
//!
//! Any secret is accepted (there is no site registration to check it against). The site key
//! a real secret stands for is given as the `sitekey` field, which hCaptcha documents and the
//! emulator also reads for reCAPTCHA and Turnstile: when present, only a token issued for that
//! site key passes. Tokens do not expire here (the real ones last 2 to 5 minutes): tests
//! decide from what happened, never from how fast.

use crate::kind::Kind;
use crate::state::{Outcome, State};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};

/// Which vendor a token belongs to (tokens of one are refused by the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vendor {
    Recaptcha,
    HCaptcha,
    Turnstile,
}

impl Vendor {
    fn of(kind: Kind) -> Option<Vendor> {
        match kind {
            Kind::RecaptchaV2 | Kind::RecaptchaV3 => Some(Vendor::Recaptcha),
            Kind::HCaptcha => Some(Vendor::HCaptcha),
            Kind::Turnstile => Some(Vendor::Turnstile),
            _ => None,
        }
    }

    /// The error code for a token redeemed a second time.
    fn duplicate(self) -> &'static str {
        match self {
            Vendor::HCaptcha => "already-seen-response",
            Vendor::Recaptcha | Vendor::Turnstile => "timeout-or-duplicate",
        }
    }
}

/// One token the emulator issued.
#[derive(Debug, Clone)]
struct Issued {
    task: u64,
    vendor: Vendor,
    sitekey: String,
    hostname: String,
    /// reCAPTCHA v3 and Turnstile: the action the task was solved for.
    action: Option<String>,
    /// Turnstile's `cData`.
    cdata: Option<String>,
    v3: bool,
    issued_unix: u64,
    redeemed: bool,
}

/// Most tokens remembered; the oldest are forgotten first (a load test makes many).
const MAX_TOKENS: usize = 200_000;

/// The tokens issued, by token text.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    tokens: HashMap<String, Issued>,
    order: VecDeque<String>,
}

impl Registry {
    fn insert(&mut self, token: String, issued: Issued) {
        if self.tokens.insert(token.clone(), issued).is_none() {
            self.order.push_back(token);
        }
        while self.order.len() > MAX_TOKENS {
            if let Some(old) = self.order.pop_front() {
                self.tokens.remove(&old);
            }
        }
    }
}

impl State {
    /// Registers the token answer of task `id`, just created, for its site key. Called where
    /// each protocol creates a task; tasks of other kinds and failing tasks are ignored.
    pub(crate) fn issue_token(&mut self, id: u64, sitekey: Option<&str>, pageurl: Option<&str>) {
        let Some(t) = self.tasks.get(&id) else {
            return;
        };
        let (Some(vendor), Outcome::Answer(answer), Some(sitekey)) =
            (Vendor::of(t.kind), &t.outcome, sitekey)
        else {
            return;
        };
        // form: the parameters as sent (`action`, Turnstile's `data`); json: the project's
        // names (`action`, `cdata`).
        let param = |names: &[&str]| {
            names.iter().find_map(|n| {
                t.params
                    .iter()
                    .find(|(k, v)| k == n && !v.is_empty())
                    .map(|(_, v)| v.clone())
            })
        };
        let cdata = match vendor {
            Vendor::Turnstile => param(&["cdata", "data"]),
            _ => None,
        };
        let issued = Issued {
            task: id,
            vendor,
            sitekey: sitekey.to_owned(),
            hostname: pageurl.map(host_of).unwrap_or_default(),
            action: param(&["action"]),
            cdata,
            v3: t.kind == Kind::RecaptchaV3,
            issued_unix: t.created_unix,
            redeemed: false,
        };
        self.issued.insert(answer.text.clone(), issued);
    }

    /// Answers one siteverify request: the JSON reply.
    pub(crate) fn siteverify(&mut self, vendor: Vendor, fields: &[(String, String)]) -> Value {
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
        };
        let refuse = |code: &str| {
            let mut m = Map::new();
            m.insert("success".into(), Value::Bool(false));
            m.insert("error-codes".into(), json!([code]));
            if vendor == Vendor::Turnstile {
                m.insert("messages".into(), json!([]));
            }
            Value::Object(m)
        };
        if field("secret").is_none() {
            return refuse("missing-input-secret");
        }
        let Some(token) = field("response") else {
            return refuse("missing-input-response");
        };
        let delivered = |st: &State, task: u64| st.tasks.get(&task).is_some_and(|t| t.delivered);
        let issued = match self.issued.tokens.get(token) {
            Some(i) if i.vendor == vendor && delivered(self, i.task) => i,
            _ => return refuse("invalid-input-response"),
        };
        if field("sitekey").is_some_and(|k| k != issued.sitekey) {
            return refuse("invalid-input-response");
        }
        if issued.redeemed {
            return refuse(vendor.duplicate());
        }
        let mut m = Map::new();
        m.insert("success".into(), Value::Bool(true));
        m.insert(
            "challenge_ts".into(),
            Value::from(iso8601(issued.issued_unix)),
        );
        m.insert("hostname".into(), Value::from(issued.hostname.clone()));
        match vendor {
            Vendor::Recaptcha if issued.v3 => {
                m.insert("score".into(), json!(0.9));
                m.insert("action".into(), json!(issued.action));
            }
            Vendor::Recaptcha => {}
            Vendor::HCaptcha => {
                m.insert("credit".into(), Value::Bool(false));
                m.insert("sitekey".into(), Value::from(issued.sitekey.clone()));
            }
            Vendor::Turnstile => {
                m.insert("error-codes".into(), json!([]));
                m.insert(
                    "action".into(),
                    Value::from(issued.action.clone().unwrap_or_default()),
                );
                m.insert(
                    "cdata".into(),
                    Value::from(issued.cdata.clone().unwrap_or_default()),
                );
            }
        }
        if let Some(i) = self.issued.tokens.get_mut(token) {
            i.redeemed = true;
        }
        Value::Object(m)
    }
}

/// The host of a page URL (`https://example.com:8443/login` -> `example.com`).
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = host_port.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("").to_owned();
    }
    host_port.split(':').next().unwrap_or("").to_owned()
}

/// UNIX seconds as `2026-01-02T03:04:05Z` (the vendors' `challenge_ts`).
fn iso8601(unix: u64) -> String {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 (never negative here).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_767_323_045), "2026-01-02T03:04:05Z");
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://example.com:8443/login?a=b"), "example.com");
        assert_eq!(host_of("http://u:p@127.0.0.1:5/x"), "127.0.0.1");
        assert_eq!(host_of("http://[::1]:80/"), "::1");
        assert_eq!(host_of("https://example.com"), "example.com");
    }
}
