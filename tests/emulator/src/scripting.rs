//! Scripted behaviour: outcome rules (matched at submit, in both protocol families) and faults
//! (matched per request).

use serde::{Deserialize, Serialize};

/// Which submitted tasks a rule applies to. Empty fields match anything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Match {
    /// The site key: `googlekey`, `sitekey` or `publickey` (json: `websiteKey`,
    /// `websitePublicKey`); GeeTest's `gt`, GeeTest v4's captcha id.
    pub sitekey: Option<String>,
    /// The form protocol's `method` parameter (`userrecaptcha`, `base64`, ...), or the json
    /// protocol's task type name as received (`RecaptchaV2TaskProxyless`,
    /// `AntiTurnstileTaskProxyLess`, ...).
    pub method: Option<String>,
    /// The task kind (`ImageToText`, `RecaptchaV2`, ...).
    pub kind: Option<String>,
    /// The API key.
    pub key: Option<String>,
    /// The `pageurl` parameter (json: `websiteURL`).
    pub pageurl: Option<String>,
    /// The protocol profile: `form` for `in.php` tasks, or a json profile (`generic`,
    /// `anti-captcha`, `capmonster`, `capsolver`, `nextcaptcha`, `2captcha-v2`).
    pub profile: Option<String>,
}

/// What a rule is matched against.
pub(crate) struct Submitted<'a> {
    pub(crate) key: &'a str,
    pub(crate) method: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) sitekey: Option<&'a str>,
    pub(crate) pageurl: Option<&'a str>,
    pub(crate) profile: &'a str,
}

/// An outcome rule. The first rule that matches a submit (and has uses left) decides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rule {
    /// Which submits.
    pub when: Match,
    /// Refuse the submit with this code (`ERROR_NO_SLOT_AVAILABLE`, `ERROR_ZERO_BALANCE`, ...).
    /// A json profile sends it as `errorCode`, with that profile's `errorId` and HTTP status.
    pub submit_error: Option<String>,
    /// Accept the task, then answer polls with this code once it is "solved"
    /// (`ERROR_CAPTCHA_UNSOLVABLE`, ...).
    pub result_error: Option<String>,
    /// Accept the task and solve it with this answer: the token or text of token and text
    /// kinds; for structured kinds (GeeTest, Coordinates, ...) the form protocol's text of
    /// the answer (json replies render `answer_data`).
    pub answer: Option<String>,
    /// Accept the task and solve it with these fields of a structured answer, under the
    /// neutral names of [`crate::TaskInfo::data`] (`{"challenge": .., "validate": ..}`,
    /// `{"points": [[56, 56], [170, 56]]}`, `{"cells": [3, 6, 9]}`, `{"angle": 40}`,
    /// `{"cookie": "datadome=..."}`, ...): each dialect renders them in its own shape. Fields
    /// not given keep their generated values; fields of other kinds are ignored.
    pub answer_data: Option<serde_json::Map<String, serde_json::Value>>,
    /// Solve delay for the task, in emulated milliseconds.
    pub delay_ms: Option<u64>,
    /// Apply to the next N matching submits only; absent means always.
    pub times: Option<u32>,
}

impl Rule {
    /// Whether the rule can be used: `answer_data` names known fields with values of the
    /// right type. The admin API refuses a rule that fails this; [`crate::Shared::add_rule`]
    /// takes it and skips the fields it cannot read.
    pub fn check(&self) -> Result<(), String> {
        match &self.answer_data {
            Some(m) => crate::answers::check_answer_data(m),
            None => Ok(()),
        }
    }

    pub(crate) fn matches(&self, s: &Submitted<'_>) -> bool {
        if self.times == Some(0) {
            return false;
        }
        let m = &self.when;
        m.key.as_deref().is_none_or(|k| k == s.key)
            && m.method.as_deref().is_none_or(|x| x == s.method)
            && m.kind.as_deref().is_none_or(|x| x == s.kind)
            && m.sitekey.as_deref().is_none_or(|x| Some(x) == s.sitekey)
            && m.pageurl.as_deref().is_none_or(|x| Some(x) == s.pageurl)
            && m.profile.as_deref().is_none_or(|x| x == s.profile)
    }
}

/// What goes wrong. "Not processed" faults replace the service: no task is created, no poll
/// is counted. "Processed" faults let the service do its work and then spoil the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// An nginx-style HTML 502 page; the request is not processed.
    Html502,
    /// `500 Internal Server Error` as text; the request is not processed.
    Http500,
    /// `200` with an empty body; the request is not processed.
    Empty,
    /// The request is processed, then the connection is closed without a reply.
    Drop,
    /// The request is processed, then half the reply is sent under the full
    /// `Content-Length` and the connection is closed.
    Truncate,
    /// The request is processed and the reply sent after `delay_ms` (real milliseconds,
    /// not scaled).
    Slow,
    /// A canned reply (`status`, `body`) instead of processing the request.
    Reply,
    /// A redirect (`status`, default 302) to `http://redirect.invalid/steal?` (or to `body`:
    /// another emulator's URL shows whether anything arrives there) followed by the
    /// request's own query string and body, so that a client that follows redirects would
    /// hand its key to a stranger; the request is not processed.
    Redirect,
    /// The request is processed (the task is created, the poll is counted), then a 504
    /// gateway-timeout HTML page is sent instead of the reply.
    #[serde(rename = "http504_after")]
    Http504After,
    /// `200` (or `status`) with a 2 MiB body; the request is not processed.
    Oversized,
    /// The request is processed and the real reply sent with invalid UTF-8 bytes
    /// (`\xff\xfe`) inserted: after the `|` of `OK|...`, or inside the first JSON string.
    #[serde(rename = "non_utf8")]
    NonUtf8,
    /// The request is read and never answered, until the client closes the connection (or
    /// the emulator stops); it is not processed.
    Stall,
    /// A reply (`status`, default 500) whose body repeats the request verbatim: request
    /// line, headers and body, so that a client's error excerpt would show whatever it does
    /// not redact. The request is not processed.
    Echo,
}

impl FaultKind {
    /// Whether the fault answers instead of the service (the request is not processed).
    pub fn replaces_processing(self) -> bool {
        !matches!(
            self,
            FaultKind::Drop
                | FaultKind::Truncate
                | FaultKind::Slow
                | FaultKind::Http504After
                | FaultKind::NonUtf8
        )
    }

    /// The name used over HTTP (`html502`, `http504_after`, ...).
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Html502 => "html502",
            FaultKind::Http500 => "http500",
            FaultKind::Empty => "empty",
            FaultKind::Drop => "drop",
            FaultKind::Truncate => "truncate",
            FaultKind::Slow => "slow",
            FaultKind::Reply => "reply",
            FaultKind::Redirect => "redirect",
            FaultKind::Http504After => "http504_after",
            FaultKind::Oversized => "oversized",
            FaultKind::NonUtf8 => "non_utf8",
            FaultKind::Stall => "stall",
            FaultKind::Echo => "echo",
        }
    }
}

/// Which requests a fault hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointSel {
    /// `in.php`
    In,
    /// `res.php`
    Res,
    /// `res.php` batch polls only (`action=get` with `ids=`).
    Batch,
    /// `in.php` and `res.php`.
    Form,
    /// json `createTask`.
    Create,
    /// json `getTaskResult`.
    Result,
    /// json `getBalance`.
    Balance,
    /// The json report methods (`reportIncorrectRecaptcha`, `feedbackTask`, ...).
    Report,
    /// Every json method (including unknown ones under a profile's path).
    Json,
    /// Every protocol request.
    #[default]
    Any,
}

/// A fault rule. Without `count` or `share` it hits every request of its endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// What goes wrong.
    pub fault: FaultKind,
    /// Where.
    #[serde(default)]
    pub endpoint: EndpointSel,
    /// Only the next N matching requests.
    #[serde(default)]
    pub count: Option<u32>,
    /// Only this share (0..=1) of matching requests, chosen pseudo-randomly.
    #[serde(default)]
    pub share: Option<f64>,
    /// For `slow`: the delay in real milliseconds.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// The HTTP status of `reply` (default 200), `redirect` (302), `echo` (500) and
    /// `oversized` (200).
    #[serde(default)]
    pub status: Option<u16>,
    /// For `reply`: the body.
    #[serde(default)]
    pub body: Option<String>,
    /// Only requests under this path prefix: `capsolver` for `/capsolver/createTask`,
    /// `bigcaptcha` for `/bigcaptcha/in.php`, the empty string for the root paths. Absent
    /// means every prefix.
    #[serde(default)]
    pub prefix: Option<String>,
}

impl Fault {
    /// A fault of `kind` on every request of `endpoint`.
    pub fn new(fault: FaultKind, endpoint: EndpointSel) -> Fault {
        Fault {
            fault,
            endpoint,
            count: None,
            share: None,
            delay_ms: None,
            status: None,
            body: None,
            prefix: None,
        }
    }

    /// Only the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Fault {
        self.count = Some(n);
        self
    }

    /// Only this share of matching requests.
    pub fn share(mut self, share: f64) -> Fault {
        self.share = Some(share);
        self
    }

    /// The delay of a `slow` fault.
    pub fn delay_ms(mut self, ms: u64) -> Fault {
        self.delay_ms = Some(ms);
        self
    }

    /// The HTTP status of a `reply`, `redirect`, `echo` or `oversized` fault.
    pub fn status(mut self, status: u16) -> Fault {
        self.status = Some(status);
        self
    }

    /// Only requests under this path prefix (`"capsolver"`; `""` for the root).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Fault {
        self.prefix = Some(prefix.into());
        self
    }

    /// A canned reply.
    pub fn reply(endpoint: EndpointSel, status: u16, body: impl Into<String>) -> Fault {
        Fault {
            status: Some(status),
            body: Some(body.into()),
            ..Fault::new(FaultKind::Reply, endpoint)
        }
    }
}
