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
//! A real secret stands for a site: Google and Cloudflare read the site from the secret alone
//! (their backends send no `sitekey`), so a token issued for another site key is refused. The
//! emulator has no site registration, so it binds secrets to site keys itself, in this order:
//!
//! 1. **Declared** pairs ([`crate::Config::sites`], the `--site SITEKEY=SECRET` setting,
//!    `POST /emulator/config {"sites": {SITEKEY: SECRET}}`): a declared secret verifies only
//!    tokens of the site keys declared with it (several keys may share one, as an hCaptcha
//!    account's do), and a declared site key's tokens only with its own secret, from the first
//!    call on.
//! 2. **Trust on first use**, for a secret never declared: the first successful verification
//!    with it that sends no `sitekey` field binds the secret (per vendor) to that token's site
//!    key; later tokens of another site key are refused with it. A request that sends
//!    `sitekey` names the site itself: it is checked against that field and against a binding
//!    the secret already has, and binds nothing, so a test site that shares one secret between
//!    several site keys and names each in every verification (as the browser tests' sites do)
//!    keeps working; a single verification of that secret without `sitekey` binds it to one
//!    of those keys, and the others are then refused. The bindings are forgotten on reset (the
//!    declared pairs, being settings, are kept), and the oldest first beyond
//!    [`MAX_BOUND_SECRETS`].
//! 3. The `sitekey` field, which hCaptcha documents and the emulator also reads for reCAPTCHA
//!    and Turnstile: when present, only a token issued for that site key passes.
//!
//! A token refused for its site key gets `invalid-input-response` (reCAPTCHA, Turnstile; and
//! hCaptcha for a `sitekey` field that is not the token's), or hCaptcha's
//! `sitekey-secret-mismatch` when the secret is not that site key's; it stays unredeemed. Any
//! non-empty secret is otherwise accepted. Tokens do not expire here (the real ones last 2 to 5
//! minutes): tests decide from what happened, never from how fast.

use crate::kind::Kind;
use crate::state::{Outcome, State};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};

/// Which vendor a token belongs to (tokens of one are refused by the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// The error code for a token of a site key the secret does not stand for: hCaptcha
    /// documents `sitekey-secret-mismatch` ("the sitekey is not registered with the provided
    /// secret"); Google and Cloudflare, whose secrets are one site's, call it a bad token.
    fn mismatch(self) -> &'static str {
        match self {
            Vendor::HCaptcha => "sitekey-secret-mismatch",
            Vendor::Recaptcha | Vendor::Turnstile => "invalid-input-response",
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

/// Most secrets bound on first use remembered; the oldest bindings are forgotten first (a
/// secret forgotten binds again on its next verification).
pub(crate) const MAX_BOUND_SECRETS: usize = 100_000;

/// The tokens issued, by token text, and the secrets bound on first use.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    tokens: HashMap<String, Issued>,
    order: VecDeque<String>,
    /// (vendor, secret) to the site key of the first token it verified without `sitekey`.
    bound: HashMap<(Vendor, String), String>,
    bound_order: VecDeque<(Vendor, String)>,
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

    /// Binds an undeclared secret to a site key (the first binding stays).
    fn bind(&mut self, vendor: Vendor, secret: &str, sitekey: &str) {
        let slot = (vendor, secret.to_owned());
        if self.bound.contains_key(&slot) {
            return;
        }
        self.bound.insert(slot.clone(), sitekey.to_owned());
        self.bound_order.push_back(slot);
        while self.bound_order.len() > MAX_BOUND_SECRETS {
            if let Some(old) = self.bound_order.pop_front() {
                self.bound.remove(&old);
            }
        }
    }
}

/// The pairs of a `--site` value: `SITEKEY=SECRET`, or several joined by commas (so that a
/// binding passing one text, such as Python's `site="A=S,B=T"`, can declare several).
pub(crate) fn parse_sites(value: &str) -> Result<Vec<(String, String)>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, s)) if !k.trim().is_empty() && !s.trim().is_empty() => {
                Ok((k.trim().to_owned(), s.trim().to_owned()))
            }
            _ => Err(format!("bad --site: {pair:?} (expected SITEKEY=SECRET)")),
        })
        .collect::<Result<Vec<_>, _>>()
        .and_then(|pairs| {
            if pairs.is_empty() {
                Err("--site needs SITEKEY=SECRET".to_owned())
            } else {
                Ok(pairs)
            }
        })
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
        let Some(secret) = field("secret") else {
            return refuse("missing-input-secret");
        };
        let Some(token) = field("response") else {
            return refuse("missing-input-response");
        };
        let delivered = |st: &State, task: u64| st.tasks.get(&task).is_some_and(|t| t.delivered);
        let issued = match self.issued.tokens.get(token) {
            Some(i) if i.vendor == vendor && delivered(self, i.task) => i,
            _ => return refuse("invalid-input-response"),
        };
        let named = field("sitekey");
        if named.is_some_and(|k| k != issued.sitekey) {
            return refuse("invalid-input-response");
        }
        // Declared pairs decide when the token's site key or the secret is declared (a key
        // declared with another secret, or a secret declared for other keys, is a mismatch);
        // else the secret's binding, which only a request naming no site key creates.
        let sites = &self.config.sites;
        let declared_ok = match sites.get(&issued.sitekey) {
            Some(s) => Some(s == secret),
            None if sites.values().any(|s| s == secret) => Some(false),
            None => None,
        };
        let bind = match declared_ok {
            Some(true) => false,
            Some(false) => return refuse(vendor.mismatch()),
            None => match self.issued.bound.get(&(vendor, secret.to_owned())) {
                Some(k) if *k != issued.sitekey => return refuse(vendor.mismatch()),
                Some(_) => false,
                None => named.is_none(),
            },
        };
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
        if bind {
            let sitekey = issued.sitekey.clone();
            self.issued.bind(vendor, secret, &sitekey);
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
    fn site_pairs() {
        assert_eq!(
            parse_sites("6LcA=s1, 0x4AB=s=2,").unwrap(),
            [
                ("6LcA".to_owned(), "s1".to_owned()),
                ("0x4AB".to_owned(), "s=2".to_owned())
            ]
        );
        for bad in ["", ",", "6LcA", "=s", "6LcA=", "6LcA=s,k"] {
            assert!(parse_sites(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn bindings_keep_the_first_key_and_forget_the_oldest_beyond_the_cap() {
        let mut r = Registry::default();
        r.bind(Vendor::Recaptcha, "s", "A");
        r.bind(Vendor::Recaptcha, "s", "B");
        r.bind(Vendor::Turnstile, "s", "T");
        assert_eq!(r.bound[&(Vendor::Recaptcha, "s".to_owned())], "A");
        assert_eq!(r.bound[&(Vendor::Turnstile, "s".to_owned())], "T");
        for i in 0..MAX_BOUND_SECRETS {
            r.bind(Vendor::HCaptcha, &i.to_string(), "H");
        }
        assert_eq!(r.bound.len(), MAX_BOUND_SECRETS);
        assert_eq!(r.bound_order.len(), MAX_BOUND_SECRETS);
        assert!(!r.bound.contains_key(&(Vendor::Recaptcha, "s".to_owned())));
        assert!(!r.bound.contains_key(&(Vendor::Turnstile, "s".to_owned())));
        assert!(r.bound.contains_key(&(Vendor::HCaptcha, "0".to_owned())));
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://example.com:8443/login?a=b"), "example.com");
        assert_eq!(host_of("http://u:p@127.0.0.1:5/x"), "127.0.0.1");
        assert_eq!(host_of("http://[::1]:80/"), "::1");
        assert_eq!(host_of("https://example.com"), "example.com");
    }
}
