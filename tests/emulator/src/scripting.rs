//! Scripted behaviour: outcome rules (matched at submit) and faults (matched per request).

use serde::{Deserialize, Serialize};

/// Which submitted tasks a rule applies to. Empty fields match anything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Match {
    /// The site key: `googlekey`, `sitekey` or `publickey`.
    pub sitekey: Option<String>,
    /// The `method` parameter (`userrecaptcha`, `base64`, ...).
    pub method: Option<String>,
    /// The task kind (`ImageToText`, `RecaptchaV2`, ...).
    pub kind: Option<String>,
    /// The API key.
    pub key: Option<String>,
    /// The `pageurl` parameter.
    pub pageurl: Option<String>,
}

/// An outcome rule. The first rule that matches a submit (and has uses left) decides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rule {
    /// Which submits.
    pub when: Match,
    /// Refuse the submit with this code (`ERROR_NO_SLOT_AVAILABLE`, `ERROR_ZERO_BALANCE`, ...).
    pub submit_error: Option<String>,
    /// Accept the task, then answer polls with this code once it is "solved"
    /// (`ERROR_CAPTCHA_UNSOLVABLE`, ...).
    pub result_error: Option<String>,
    /// Accept the task and solve it with this answer.
    pub answer: Option<String>,
    /// Solve delay for the task, in emulated milliseconds.
    pub delay_ms: Option<u64>,
    /// Apply to the next N matching submits only; absent means always.
    pub times: Option<u32>,
}

impl Rule {
    pub(crate) fn matches(
        &self,
        key: &str,
        method: &str,
        kind: &str,
        sitekey: Option<&str>,
        pageurl: Option<&str>,
    ) -> bool {
        if self.times == Some(0) {
            return false;
        }
        let m = &self.when;
        m.key.as_deref().is_none_or(|k| k == key)
            && m.method.as_deref().is_none_or(|x| x == method)
            && m.kind.as_deref().is_none_or(|x| x == kind)
            && m.sitekey.as_deref().is_none_or(|x| Some(x) == sitekey)
            && m.pageurl.as_deref().is_none_or(|x| Some(x) == pageurl)
    }
}

/// What goes wrong.
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
    /// not scaled: use a huge value for a server that accepts and never answers).
    Slow,
    /// A canned reply (`status`, `body`) instead of processing the request.
    Reply,
}

/// Which script a fault hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointSel {
    /// `in.php`
    In,
    /// `res.php`
    Res,
    /// Both.
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
    /// For `reply`: the HTTP status (default 200).
    #[serde(default)]
    pub status: Option<u16>,
    /// For `reply`: the body.
    #[serde(default)]
    pub body: Option<String>,
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

    /// A canned reply.
    pub fn reply(endpoint: EndpointSel, status: u16, body: impl Into<String>) -> Fault {
        Fault {
            status: Some(status),
            body: Some(body.into()),
            ..Fault::new(FaultKind::Reply, endpoint)
        }
    }
}
