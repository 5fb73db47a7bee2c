//! Reply bytes -> typed outcomes.
//!
//! [`parse_reply`] classifies any body into a [`Reply`] without panicking: an `OK|` answer or
//! JSON `status: 1`, `CAPCHA_NOT_READY`, a whole-token error code, a bare value (balances are
//! bare numbers), or a [`Fault`] (5xx, HTML page, empty body, truncated JSON). The `*_outcome`
//! functions then say what the reply means for the call that received it.

use crate::error::{Error, ErrorKind, Result};
use crate::secret::excerpt;
use serde_json::{Map, Value};

/// The longest excerpt of a body kept in an error message.
const EXCERPT: usize = 160;

/// A success reply.
#[derive(Debug, Clone, PartialEq)]
pub struct OkReply {
    /// The `request` value: a task id, an answer, a balance, `OK_REPORT_RECORDED`.
    pub request: String,
    /// Other fields of a JSON reply (`useragent`, `respKey`, ...); empty for plain replies.
    pub extra: Map<String, Value>,
    /// The reply as a JSON object (`{"status":1,"request":...}` for plain replies).
    pub raw: Value,
}

/// A reply that is not a protocol reply at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// A non-success HTTP status with a body that says nothing the protocol defines.
    Http {
        /// HTTP status.
        status: u16,
        /// Start of the body.
        excerpt: String,
    },
    /// An HTML page (a proxy's or web server's error page) instead of a reply.
    Html {
        /// HTTP status.
        status: u16,
        /// The page title, or the start of the page.
        excerpt: String,
    },
    /// An empty body.
    Empty {
        /// HTTP status.
        status: u16,
    },
    /// JSON that does not parse (typically a body cut short).
    Truncated {
        /// Start of the body.
        excerpt: String,
    },
    /// Well-formed JSON or text the protocol does not define.
    Unrecognized {
        /// Start of the body.
        excerpt: String,
    },
}

impl Fault {
    /// Whether the same request may well succeed if sent again (server and proxy hiccups).
    pub fn retryable(&self) -> bool {
        match self {
            Fault::Http { status, .. } => *status >= 500 || matches!(status, 408 | 425 | 429),
            Fault::Html { status, .. } => *status >= 500 || *status < 400 || *status == 429,
            Fault::Empty { .. } | Fault::Truncated { .. } => true,
            Fault::Unrecognized { .. } => false,
        }
    }

    /// Whether the service may have acted on the request although the reply does not say so:
    /// a submit with such a reply may have created a task.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Fault::Empty { .. } | Fault::Truncated { .. })
    }

    /// The [`ErrorKind::Service`] error describing this fault. Its `code()` is `HTTP 502`,
    /// `HTML`, `EMPTY`, `TRUNCATED` or `UNRECOGNIZED`.
    pub fn to_error(&self) -> Error {
        let (code, message) = match self {
            Fault::Http { status, excerpt } => (
                format!("HTTP {status}"),
                format!("the service answered HTTP {status}: {excerpt}"),
            ),
            Fault::Html { status, excerpt } => (
                "HTML".to_owned(),
                format!("the service answered an HTML page (HTTP {status}): {excerpt}"),
            ),
            Fault::Empty { status } => (
                "EMPTY".to_owned(),
                format!("the service answered an empty body (HTTP {status})"),
            ),
            Fault::Truncated { excerpt } => (
                "TRUNCATED".to_owned(),
                format!("the reply is not complete JSON: {excerpt}"),
            ),
            Fault::Unrecognized { excerpt } => (
                "UNRECOGNIZED".to_owned(),
                format!("the reply is not one the protocol defines: {excerpt}"),
            ),
        };
        Error::new(ErrorKind::Service, message)
            .with_code(code)
            .with_retryable(self.retryable())
    }
}

/// A classified reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// `OK|...`, `OK_REPORT_RECORDED`, or JSON with `status: 1`.
    Ok(OkReply),
    /// `CAPCHA_NOT_READY`.
    NotReady,
    /// A whole-token error code (`ERROR_ZERO_BALANCE`, `MAX_USER_TURN`, `ERROR: 1005`).
    Code(String),
    /// Text that is neither a code nor an `OK|` reply, such as a plain balance (`12.5`).
    Bare(String),
    /// Not a protocol reply.
    Fault(Fault),
}

/// The answer to a poll.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The answer text or token.
    pub text: String,
    /// The worker's user agent (hCaptcha, Turnstile JSON replies).
    pub user_agent: Option<String>,
    /// hCaptcha's `respKey`.
    pub resp_key: Option<String>,
    /// The price charged, when the reply says it.
    pub cost: Option<f64>,
    /// The whole reply as JSON.
    pub raw: Value,
}

/// One task's part of a batch poll reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchItem {
    /// `CAPCHA_NOT_READY`.
    NotReady,
    /// An answer.
    Ready(String),
    /// A part that reads as an error code. An image answer could read the same, so callers
    /// confirm it with a single poll before acting on it.
    Code(String),
}

/// Splits a `debug_dump=1` reply into the dump (PHP `var_dump` output) and the reply proper,
/// which is its last non-empty line. Bodies without a dump are returned whole.
pub fn split_debug_dump(text: &str) -> (Option<&str>, &str) {
    let trimmed = text.trim_start();
    if !trimmed.starts_with("array(") {
        return (None, text);
    }
    let body = text.trim_end();
    match body.rfind('\n') {
        Some(i) => (Some(&body[..i]), &body[i + 1..]),
        None => (None, text),
    }
}

/// Classifies a reply body. Never panics, whatever the bytes.
pub fn parse_reply(status: u16, body: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(body);
    let (_, text) = split_debug_dump(&text);
    let t = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.starts_with('<') {
        return Reply::Fault(Fault::Html {
            status,
            excerpt: html_excerpt(t),
        });
    }
    if status >= 500 {
        return Reply::Fault(Fault::Http {
            status,
            excerpt: excerpt(t, EXCERPT),
        });
    }
    if t.is_empty() {
        return Reply::Fault(Fault::Empty { status });
    }
    let reply = if t.starts_with('{') {
        parse_json(t)
    } else {
        parse_plain(t)
    };
    if status >= 400
        && matches!(
            reply,
            Reply::Bare(_) | Reply::Fault(Fault::Unrecognized { .. })
        )
    {
        return Reply::Fault(Fault::Http {
            status,
            excerpt: excerpt(t, EXCERPT),
        });
    }
    reply
}

fn parse_plain(t: &str) -> Reply {
    if let Some(rest) = t.strip_prefix("OK|") {
        return ok_plain(rest);
    }
    match t {
        "OK" => ok_plain(""),
        "OK_REPORT_RECORDED" => ok_plain(t),
        "CAPCHA_NOT_READY" => Reply::NotReady,
        _ => match code_token(t) {
            Some(code) => Reply::Code(code),
            None => Reply::Bare(t.to_owned()),
        },
    }
}

fn ok_plain(request: &str) -> Reply {
    let mut raw = Map::new();
    raw.insert("status".into(), Value::from(1));
    raw.insert("request".into(), Value::from(request));
    Reply::Ok(OkReply {
        request: request.to_owned(),
        extra: Map::new(),
        raw: Value::Object(raw),
    })
}

fn parse_json(t: &str) -> Reply {
    let value: Value = match serde_json::from_str(t) {
        Ok(v) => v,
        Err(_) => {
            return Reply::Fault(Fault::Truncated {
                excerpt: excerpt(t, EXCERPT),
            });
        }
    };
    let unrecognized = || {
        Reply::Fault(Fault::Unrecognized {
            excerpt: excerpt(t, EXCERPT),
        })
    };
    let Value::Object(obj) = &value else {
        return unrecognized();
    };
    let status = match obj.get("status") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(Value::Bool(b)) => Some(i64::from(*b)),
        _ => None,
    };
    let request = match obj.get("request") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        None | Some(Value::Null) => None,
        Some(_) => return unrecognized(),
    };
    match status {
        Some(1) => {
            let extra: Map<String, Value> = obj
                .iter()
                .filter(|(k, _)| k.as_str() != "status" && k.as_str() != "request")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Reply::Ok(OkReply {
                request: request.unwrap_or_default(),
                extra,
                raw: value.clone(),
            })
        }
        Some(0) => match request.as_deref().map(str::trim) {
            Some("CAPCHA_NOT_READY") => Reply::NotReady,
            Some(r) if !r.is_empty() => {
                Reply::Code(code_token(r).unwrap_or_else(|| excerpt(r, 64)))
            }
            _ => unrecognized(),
        },
        _ => unrecognized(),
    }
}

/// A whole body that is an error code: `ERROR: 1005` (spacing normalised) or an upper-case
/// token of letters, digits and at least one `_` (`ERROR_ZERO_BALANCE`, `MAX_USER_TURN`,
/// `IP_BANNED`). Every code of the seeds has that shape; a bare word such as `W68HP` is not a
/// code (it is text the protocol does not define).
fn code_token(t: &str) -> Option<String> {
    if let Some(n) = crate::error::numeric_limit_code(t) {
        return Some(format!("ERROR: {n}"));
    }
    let b = t.as_bytes();
    let ok = (2..=64).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b.contains(&b'_')
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_');
    ok.then(|| t.to_owned())
}

/// The `<title>` of an HTML page, or its start.
fn html_excerpt(t: &str) -> String {
    let lower = t.to_ascii_lowercase();
    if let Some(start) = lower.find("<title>") {
        let from = start + "<title>".len();
        if let Some(len) = lower[from..].find("</title>") {
            // `lower` has the same byte offsets as `t` (ASCII lowering keeps lengths).
            if let Some(title) = t.get(from..from + len) {
                return excerpt(title.trim(), EXCERPT);
            }
        }
    }
    excerpt(t, EXCERPT)
}

fn check_task_id(id: &str) -> Result<String> {
    let id = id.trim();
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(id.to_owned())
    } else {
        Err(Fault::Unrecognized {
            excerpt: format!("task id {:?} is not a valid id", excerpt(id, 64)),
        }
        .to_error())
    }
}

fn unexpected(what: &str, reply: &Reply) -> Error {
    let shown = match reply {
        Reply::Bare(t) => excerpt(t, EXCERPT),
        Reply::NotReady => "CAPCHA_NOT_READY".to_owned(),
        _ => String::new(),
    };
    Fault::Unrecognized {
        excerpt: format!("unexpected reply to {what}: {shown}"),
    }
    .to_error()
}

/// What an `in.php` reply means: the new task's id, or an error.
pub fn submit_outcome(reply: &Reply) -> Result<String> {
    match reply {
        Reply::Ok(ok) => check_task_id(&ok.request),
        Reply::Code(c) => Err(Error::from_code(c)),
        Reply::Fault(f) => Err(f.to_error()),
        other => Err(unexpected("a submit", other)),
    }
}

fn string_field(extra: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match extra.get(*n) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    })
}

/// What a single `res.php?action=get` reply means: `Some(answer)`, `None` (not ready), or an
/// error.
pub fn poll_outcome(reply: &Reply) -> Result<Option<Answer>> {
    match reply {
        Reply::Ok(ok) => {
            let cost = ["price", "cost"]
                .iter()
                .find_map(|n| match ok.extra.get(*n) {
                    Some(Value::Number(x)) => x.as_f64(),
                    Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
                    _ => None,
                });
            Ok(Some(Answer {
                text: ok.request.clone(),
                user_agent: string_field(&ok.extra, &["useragent", "userAgent", "user_agent"]),
                resp_key: string_field(&ok.extra, &["respKey", "resp_key"]),
                cost: cost.filter(|c| c.is_finite()),
                raw: ok.raw.clone(),
            }))
        }
        Reply::NotReady => Ok(None),
        Reply::Code(c) => Err(Error::from_code(c)),
        Reply::Fault(f) => Err(f.to_error()),
        other => Err(unexpected("a poll", other)),
    }
}

/// What a `getbalance` reply means: the balance (plain replies are a bare number).
pub fn balance_outcome(reply: &Reply) -> Result<f64> {
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|b| b.is_finite());
    match reply {
        Reply::Ok(ok) => number(&ok.request).ok_or_else(|| unexpected("a balance request", reply)),
        Reply::Bare(t) => number(t).ok_or_else(|| unexpected("a balance request", reply)),
        Reply::Code(c) => Err(Error::from_code(c)),
        Reply::Fault(f) => Err(f.to_error()),
        Reply::NotReady => Err(unexpected("a balance request", reply)),
    }
}

/// What a `reportgood` / `reportbad` reply means.
pub fn report_outcome(reply: &Reply) -> Result<()> {
    match reply {
        Reply::Ok(_) => Ok(()),
        Reply::Code(c) => Err(Error::from_code(c)),
        Reply::Fault(f) => Err(f.to_error()),
        other => Err(unexpected("a report", other)),
    }
}

/// Why a batch poll reply gives no per-task items.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchFailure {
    /// The parts do not match the ids (an answer held a `|`, or the service does not
    /// support batches): poll the tasks one by one.
    Mismatch,
    /// A reply about the whole request: a fault, or one error code such as `ERROR: 1005`.
    Whole(Box<Reply>),
}

/// What a batch poll (`action=get&ids=...`) reply means for `expected` tasks, in id order.
pub fn batch_outcome(
    status: u16,
    body: &[u8],
    expected: usize,
) -> std::result::Result<Vec<BatchItem>, BatchFailure> {
    let whole = parse_reply(status, body);
    match &whole {
        Reply::Fault(_) => return Err(BatchFailure::Whole(Box::new(whole))),
        Reply::Code(_) if expected > 1 => return Err(BatchFailure::Whole(Box::new(whole))),
        // `OK|x` or JSON: not the batch format.
        Reply::Ok(_) => return Err(BatchFailure::Mismatch),
        _ => {}
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let parts: Vec<&str> = text.split('|').collect();
    if parts.len() != expected {
        return Err(BatchFailure::Mismatch);
    }
    Ok(parts
        .into_iter()
        .map(|p| {
            let p = p.trim();
            if p == "CAPCHA_NOT_READY" {
                BatchItem::NotReady
            } else if let Some(code) = code_token(p)
                .filter(|c| c.starts_with("ERROR") || crate::error::lookup_code(c).is_some())
            {
                BatchItem::Code(code)
            } else {
                BatchItem::Ready(p.to_owned())
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_containing_error_are_answers() {
        let r = parse_reply(200, b"OK|ERROR_CAPTCHA_UNSOLVABLE");
        assert_eq!(
            poll_outcome(&r).unwrap().unwrap().text,
            "ERROR_CAPTCHA_UNSOLVABLE"
        );
        let r = parse_reply(200, br#"{"status":1,"request":"ERROR"}"#);
        assert_eq!(poll_outcome(&r).unwrap().unwrap().text, "ERROR");
    }

    #[test]
    fn debug_dump_is_stripped() {
        let body = "array(2) {\n  [\"key\"]=>\n  string(32) \"x\"\n}\narray(0) {\n}\n{\"status\":0,\"request\":\"ERROR_KEY_DOES_NOT_EXIST\"}\n";
        assert_eq!(
            parse_reply(200, body.as_bytes()),
            Reply::Code("ERROR_KEY_DOES_NOT_EXIST".into())
        );
        let (dump, rest) = split_debug_dump(body);
        assert!(dump.unwrap().contains("[\"key\"]"));
        assert!(rest.starts_with('{'));
    }
}
