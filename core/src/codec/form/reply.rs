//! Reply bytes -> what they mean.
//!
//! [`parse_reply`] classifies any body into a [`Parsed`] reply without panicking: an `OK|`
//! answer or JSON `status: 1`, `CAPCHA_NOT_READY`, a whole-token error code, a bare value
//! (balances are bare numbers), or a [`Fault`] (5xx, HTML page, empty body, truncated JSON,
//! bytes that are not UTF-8). The `read_*` functions then say what the reply means for the
//! call that received it, as the protocol-neutral [`Outcome`] the engine acts on.

use crate::codec::decode::{Source, decode};
use crate::codec::{
    Accepted, Answer, BatchItem, BatchOutcome, Block, BlockLength, BlockScope, FaultClass, Outcome,
    Pause, Reply,
};
use crate::error::{Error, ErrorKind};
use crate::money::Money;
use crate::secret::excerpt;
use crate::task::spec::Decode;
use serde_json::{Map, Value};
use std::time::Duration;

/// The longest excerpt of a body kept in an error message. Generous on purpose: the
/// redaction step masks secrets in the whole text first and cuts it after.
const EXCERPT: usize = 2048;

/// A success reply.
#[derive(Debug, Clone, PartialEq)]
pub struct OkReply {
    /// The `request` value as text: a task id, an answer, a balance, `OK_REPORT_RECORDED`
    /// (an object or list, such as GeeTest's answer, as compact JSON).
    pub request: String,
    /// The `request` value as received (text, or the object or list structured answers
    /// come as).
    pub value: Value,
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
    /// Bytes that are not UTF-8.
    NotUtf8 {
        /// HTTP status.
        status: u16,
    },
    /// Well-formed JSON or text the protocol does not define.
    Unrecognized {
        /// Start of the body.
        excerpt: String,
    },
}

impl Fault {
    /// What the fault says about the request's effect.
    ///
    /// HTTP 429 and 503 (and 408, 425) say the request was not processed. A gateway's 502 or
    /// 504, another 5xx, an HTML page, an empty or cut body may come after the service acted
    /// on the request. A body the protocol does not define is malformed. Any other 4xx is a
    /// refusal, not a fault (`None`).
    pub fn class(&self) -> Option<FaultClass> {
        match self {
            Fault::Http { status, .. } | Fault::Html { status, .. } => match *status {
                408 | 425 | 429 | 503 => Some(FaultClass::NotProcessed),
                s if !(400..500).contains(&s) => Some(FaultClass::Unknown),
                _ => None,
            },
            Fault::Empty { .. } | Fault::Truncated { .. } => Some(FaultClass::Unknown),
            Fault::NotUtf8 { .. } | Fault::Unrecognized { .. } => Some(FaultClass::Malformed),
        }
    }

    /// The [`ErrorKind::Service`] error describing this fault. Its `code()` is `HTTP 502`,
    /// `HTML`, `EMPTY`, `TRUNCATED`, `NOT_UTF8` or `UNRECOGNIZED`.
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
            Fault::NotUtf8 { status } => (
                "NOT_UTF8".to_owned(),
                format!("the reply is not UTF-8 text (HTTP {status})"),
            ),
            Fault::Unrecognized { excerpt } => (
                "UNRECOGNIZED".to_owned(),
                format!("the reply is not one the protocol defines: {excerpt}"),
            ),
        };
        let retryable = self.class().is_some();
        Error::new(ErrorKind::Service, message)
            .with_code(code)
            .with_retryable(retryable)
    }

    pub(crate) fn outcome<T>(&self) -> Outcome<T> {
        match self.class() {
            Some(class) => Outcome::Fault {
                error: self.to_error(),
                class,
            },
            None => Outcome::Failed {
                error: self.to_error(),
                block: None,
            },
        }
    }
}

/// A classified reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// `OK|...`, `OK_REPORT_RECORDED`, or JSON with `status: 1`.
    Ok(Box<OkReply>),
    /// `CAPCHA_NOT_READY`.
    NotReady,
    /// A whole-token error code (`ERROR_ZERO_BALANCE`, `MAX_USER_TURN`, `ERROR: 1005`).
    Code(String),
    /// Text that is neither a code nor an `OK|` reply, such as a plain balance (`12.5`).
    Bare(String),
    /// Not a protocol reply.
    Fault(Fault),
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

fn trim(t: &str) -> &str {
    t.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// Classifies a reply body. Never panics, whatever the bytes.
pub fn parse_reply(status: u16, body: &[u8]) -> Parsed {
    let Ok(text) = std::str::from_utf8(body) else {
        return Parsed::Fault(Fault::NotUtf8 { status });
    };
    let (_, text) = split_debug_dump(text);
    let t = trim(text);
    if t.starts_with('<') {
        return Parsed::Fault(Fault::Html {
            status,
            excerpt: html_excerpt(t),
        });
    }
    if status >= 500 {
        return Parsed::Fault(Fault::Http {
            status,
            excerpt: excerpt(t, EXCERPT),
        });
    }
    if t.is_empty() {
        return Parsed::Fault(Fault::Empty { status });
    }
    let reply = if t.starts_with('{') {
        parse_json(t)
    } else {
        parse_plain(t)
    };
    if status >= 400
        && matches!(
            reply,
            Parsed::Bare(_) | Parsed::Fault(Fault::Unrecognized { .. })
        )
    {
        return Parsed::Fault(Fault::Http {
            status,
            excerpt: excerpt(t, EXCERPT),
        });
    }
    reply
}

fn parse_plain(t: &str) -> Parsed {
    if let Some(rest) = t.strip_prefix("OK|") {
        return ok_plain(rest);
    }
    match t {
        "OK" => ok_plain(""),
        "OK_REPORT_RECORDED" => ok_plain(t),
        "CAPCHA_NOT_READY" => Parsed::NotReady,
        _ => match code_token(t) {
            Some(code) => Parsed::Code(code),
            None => Parsed::Bare(t.to_owned()),
        },
    }
}

fn ok_plain(request: &str) -> Parsed {
    let mut raw = Map::new();
    raw.insert("status".into(), Value::from(1));
    raw.insert("request".into(), Value::from(request));
    Parsed::Ok(Box::new(OkReply {
        request: request.to_owned(),
        value: Value::from(request),
        extra: Map::new(),
        raw: Value::Object(raw),
    }))
}

/// A JSON `status` by value: `1`, `1.0`, `"1"` and `true` are all one.
fn status_value(v: Option<&Value>) -> Option<i64> {
    let f = match v? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => return None,
    };
    (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
}

fn parse_json(t: &str) -> Parsed {
    let value: Value = match serde_json::from_str(t) {
        Ok(v) => v,
        Err(_) => {
            return Parsed::Fault(Fault::Truncated {
                excerpt: excerpt(t, EXCERPT),
            });
        }
    };
    let unrecognized = || {
        Parsed::Fault(Fault::Unrecognized {
            excerpt: excerpt(t, EXCERPT),
        })
    };
    // Owned: on success the object itself becomes the reply's `raw`, not a copy of it.
    let Value::Object(obj) = value else {
        return unrecognized();
    };
    let (request, structured) = match obj.get("request") {
        Some(Value::String(s)) => (Some(s.clone()), None),
        Some(Value::Number(n)) => (Some(n.to_string()), None),
        None | Some(Value::Null) => (None, None),
        // Structured answers (GeeTest's values, click points) come as objects or lists.
        Some(v @ (Value::Object(_) | Value::Array(_))) => (None, Some(v.clone())),
        Some(_) => return unrecognized(),
    };
    match status_value(obj.get("status")) {
        Some(1) => {
            let extra: Map<String, Value> = obj
                .iter()
                .filter(|(k, _)| k.as_str() != "status" && k.as_str() != "request")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let (request, value) = match structured {
                Some(v) => (v.to_string(), v),
                None => {
                    let r = request.unwrap_or_default();
                    (r.clone(), Value::from(r))
                }
            };
            Parsed::Ok(Box::new(OkReply {
                request,
                value,
                extra,
                raw: Value::Object(obj),
            }))
        }
        Some(0) if structured.is_some() => unrecognized(),
        Some(0) => match request.as_deref().map(trim) {
            Some("CAPCHA_NOT_READY") => Parsed::NotReady,
            Some(r) => match code_token(r) {
                Some(code) => Parsed::Code(code),
                None => unrecognized(),
            },
            None => unrecognized(),
        },
        _ => unrecognized(),
    }
}

/// A whole body that is an error code: `ERROR: 1005` (spacing normalised) or an upper-case
/// token of letters, digits and at least one `_` (`ERROR_ZERO_BALANCE`, `MAX_USER_TURN`,
/// `IP_BANNED`). Every code of the API documentation has that shape; a bare word such as
/// `W68HP` is not a code (it is text the protocol does not define).
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

/// What a code stops for later requests of the key, so that one refusal does not become a
/// hundred (120 `ERROR_ZERO_BALANCE` replies in a minute earn `ERROR: 1002`; 5 wrong keys
/// earn `ERROR: 1004`).
fn block_for(code: &str, e: &Error) -> Option<Block> {
    let block = |scope, length| Some(Block { scope, length });
    match code {
        // A key that is malformed or unknown stays so: never send it again.
        "ERROR_WRONG_USER_KEY" | "ERROR_KEY_DOES_NOT_EXIST" => {
            block(BlockScope::All, BlockLength::Forever)
        }
        "ERROR_ZERO_BALANCE" => block(BlockScope::Submits, BlockLength::ZeroBalance),
        "ERROR_IP_NOT_ALLOWED" => block(BlockScope::All, BlockLength::For(Duration::from_secs(60))),
        "IP_BANNED" => block(
            BlockScope::All,
            BlockLength::For(e.retry_after().unwrap_or(Duration::from_secs(300))),
        ),
        _ => {
            let n = crate::error::numeric_limit_code(code)?;
            // 1001/1002/1003 are about submits; 1004/1005 and unknown ones about everything.
            let scope = if matches!(n, 1001..=1003) {
                BlockScope::Submits
            } else {
                BlockScope::All
            };
            let length = e.retry_after().unwrap_or(Duration::from_secs(60));
            block(scope, BlockLength::For(length))
        }
    }
}

/// What a code means for the call that got it.
fn code_outcome<T>(code: &str) -> Outcome<T> {
    let error = Error::from_code(code);
    match code {
        "ERROR_NO_SLOT_AVAILABLE" => Outcome::Busy {
            error,
            pause: Pause::NoSlot,
        },
        "MAX_USER_TURN" => Outcome::Busy {
            error,
            pause: Pause::TooManyRequests,
        },
        _ => Outcome::Failed {
            block: block_for(code, &error),
            error,
        },
    }
}

fn check_task_id(id: &str) -> Option<String> {
    let id = id.trim();
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| id.to_owned())
}

fn unexpected<T>(what: &str, reply: &Parsed) -> Outcome<T> {
    let shown = match reply {
        Parsed::Bare(t) => excerpt(t, EXCERPT),
        Parsed::NotReady => "CAPCHA_NOT_READY".to_owned(),
        _ => String::new(),
    };
    Fault::Unrecognized {
        excerpt: format!("unexpected reply to {what}: {shown}"),
    }
    .outcome()
}

/// A solved task's answer, by its kind's rule; a reply its kind cannot read is a malformed
/// one (polled again a few times), never half an answer. Takes the reply: its `raw` object
/// moves into the answer rather than being copied.
fn answer_of(ok: OkReply, rule: Decode) -> Outcome<Answer> {
    let src = Source::Form {
        request: &ok.value,
        extra: &ok.extra,
    };
    match decode(rule, src) {
        Ok(d) => Outcome::Done(Answer {
            text: d.text,
            data: d.data,
            user_agent: d.user_agent,
            resp_key: d.resp_key,
            cost: ["price", "cost"]
                .iter()
                .find_map(|n| ok.extra.get(*n).and_then(Money::from_json)),
            raw: ok.raw,
        }),
        Err(why) => Fault::Unrecognized {
            excerpt: format!("{why}: {}", excerpt(&ok.request, 200)),
        }
        .outcome(),
    }
}

/// What an `in.php` reply means: the new task's id, or why there is none.
pub fn read_submit(reply: &Reply) -> Outcome<Accepted> {
    match parse_reply(reply.status, &reply.body) {
        Parsed::Ok(ok) => match check_task_id(&ok.request) {
            Some(id) => Outcome::Done(Accepted::Id(id)),
            // "OK" but no usable id: the service may well have created a task.
            None => Outcome::Fault {
                error: Fault::Unrecognized {
                    excerpt: format!(
                        "the submit was accepted without a valid task id: {:?}",
                        excerpt(&ok.request, 64)
                    ),
                }
                .to_error(),
                class: FaultClass::Unknown,
            },
        },
        Parsed::Code(c) => code_outcome(&c),
        Parsed::Fault(f) => f.outcome(),
        other => unexpected("a submit", &other),
    }
}

/// What a single `res.php?action=get` reply means, its answer read by the kind's rule.
pub fn read_poll(reply: &Reply, rule: Decode) -> Outcome<Answer> {
    match parse_reply(reply.status, &reply.body) {
        Parsed::Ok(ok) => {
            if trim(&ok.request).is_empty() {
                // An empty answer is no answer: a service fault, polled again.
                return Fault::Unrecognized {
                    excerpt: "the service reported the task solved with an empty answer".into(),
                }
                .outcome();
            }
            answer_of(*ok, rule)
        }
        Parsed::NotReady => Outcome::Pending,
        Parsed::Code(c) => code_outcome(&c),
        Parsed::Fault(f) => f.outcome(),
        other => unexpected("a poll", &other),
    }
}

/// What a `getbalance` reply means: the balance (plain replies are a bare number).
pub fn read_balance(reply: &Reply) -> Outcome<Money> {
    let parsed = parse_reply(reply.status, &reply.body);
    let text = match &parsed {
        Parsed::Ok(ok) => Some(ok.request.as_str()),
        Parsed::Bare(t) => Some(t.as_str()),
        _ => None,
    };
    if let Some(t) = text {
        return match Money::parse(t) {
            Some(m) => Outcome::Done(m),
            None => unexpected("a balance request", &Parsed::Bare(t.to_owned())),
        };
    }
    match parsed {
        Parsed::Code(c) => code_outcome(&c),
        Parsed::Fault(f) => f.outcome(),
        other => unexpected("a balance request", &other),
    }
}

/// What a `reportgood` / `reportbad` reply means.
pub fn read_report(reply: &Reply) -> Outcome<()> {
    match parse_reply(reply.status, &reply.body) {
        Parsed::Ok(_) => Outcome::Done(()),
        Parsed::Code(c) => code_outcome(&c),
        Parsed::Fault(f) => f.outcome(),
        other => unexpected("a report", &other),
    }
}

/// What a batch poll (`action=get&ids=...`) reply means for tasks answered by these rules, in
/// id order.
pub fn read_batch(reply: &Reply, rules: &[Decode]) -> BatchOutcome {
    let expected = rules.len();
    let whole = parse_reply(reply.status, &reply.body);
    match &whole {
        Parsed::Fault(Fault::NotUtf8 { .. }) => {
            return BatchOutcome::Alone {
                mismatch: true,
                refusal: None,
            };
        }
        Parsed::Fault(f) => {
            return match f.class() {
                Some(class) => BatchOutcome::Fault {
                    error: f.to_error(),
                    class,
                },
                None => BatchOutcome::Alone {
                    mismatch: true,
                    refusal: None,
                },
            };
        }
        Parsed::Code(c) if expected > 1 => {
            let e = Error::from_code(c);
            return BatchOutcome::Alone {
                mismatch: false,
                refusal: block_for(c, &e).map(|b| (e, b)),
            };
        }
        // `OK|x` or JSON: not the batch format.
        Parsed::Ok(_) => {
            return BatchOutcome::Alone {
                mismatch: true,
                refusal: None,
            };
        }
        _ => {}
    }
    // parse_reply checked that the body is UTF-8.
    let text = String::from_utf8_lossy(&reply.body);
    let parts: Vec<&str> = trim(&text).split('|').collect();
    if parts.len() != expected {
        return BatchOutcome::Alone {
            mismatch: true,
            refusal: None,
        };
    }
    BatchOutcome::Items(
        parts
            .into_iter()
            .zip(rules)
            .map(|(p, rule)| {
                let p = p.trim();
                if p == "CAPCHA_NOT_READY" {
                    BatchItem::Pending
                } else if p.is_empty()
                    || code_token(p).is_some_and(|c| {
                        c.starts_with("ERROR") || crate::error::lookup_code(&c).is_some()
                    })
                {
                    // An empty part or a code: confirm with a poll of the task alone.
                    BatchItem::Alone
                } else {
                    let ok = OkReply {
                        request: p.to_owned(),
                        value: Value::from(p),
                        extra: Map::new(),
                        raw: serde_json::json!({"status": 1, "request": p}),
                    };
                    match answer_of(ok, *rule) {
                        Outcome::Done(a) => BatchItem::Ready(Box::new(a)),
                        // Not readable from the batch: the task's own poll tells.
                        _ => BatchItem::Alone,
                    }
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll(body: &[u8]) -> Outcome<Answer> {
        read_poll(&Reply::new(200, body), Decode::Token)
    }

    #[test]
    fn answers_containing_error_are_answers() {
        match poll(b"OK|ERROR_CAPTCHA_UNSOLVABLE") {
            Outcome::Done(a) => assert_eq!(a.text, "ERROR_CAPTCHA_UNSOLVABLE"),
            other => panic!("{other:?}"),
        }
        match poll(br#"{"status":1.0,"request":"ERROR"}"#) {
            Outcome::Done(a) => assert_eq!(a.text, "ERROR"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn empty_answers_are_faults() {
        for body in [
            &b"OK"[..],
            b"OK|",
            br#"{"status":1,"request":""}"#,
            b"OK|  ",
        ] {
            assert!(
                matches!(
                    poll(body),
                    Outcome::Fault {
                        class: FaultClass::Malformed,
                        ..
                    }
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn debug_dump_is_stripped() {
        let body = "array(2) {\n  [\"key\"]=>\n  string(32) \"x\"\n}\narray(0) {\n}\n{\"status\":0,\"request\":\"ERROR_KEY_DOES_NOT_EXIST\"}\n";
        assert_eq!(
            parse_reply(200, body.as_bytes()),
            Parsed::Code("ERROR_KEY_DOES_NOT_EXIST".into())
        );
        let (dump, rest) = split_debug_dump(body);
        assert!(dump.unwrap().contains("[\"key\"]"));
        assert!(rest.starts_with('{'));
    }

    #[test]
    fn not_utf8_is_a_fault() {
        assert!(matches!(
            poll(b"OK|\xff\xfeabc"),
            Outcome::Fault {
                class: FaultClass::Malformed,
                ..
            }
        ));
    }

    #[test]
    fn status_zero_with_text_is_no_code() {
        let r = parse_reply(200, br#"{"status":0,"request":"key=0123 something"}"#);
        assert!(matches!(r, Parsed::Fault(Fault::Unrecognized { .. })));
    }
}
