//! Reply bytes -> what they mean, for every call of the json family.
//!
//! JSON first, the HTTP status second: a JSON object is read whatever the status (services
//! send their error bodies with 400, 401, 402, 403, 429 and 5xx), and the status decides only
//! when the body says nothing the protocol defines. Within a body the `errorCode` decides,
//! never the `errorId` (CapSolver sends 1 for every error, anti-captcha's ids differ by
//! locale); `null` and `""` mean no error.

use super::dialect::Dialect;
use crate::codec::decode::{Source, decode};
use crate::codec::{
    Accepted, Answer, Block, BlockLength, BlockScope, FaultClass, Outcome, Pause, Reply,
};
use crate::error::{Error, ErrorKind};
use crate::money::Money;
use crate::secret::excerpt;
use crate::task::spec::Decode;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::time::Duration;

/// The longest excerpt of a body kept in a message. Generous on purpose: the redaction step
/// masks secrets in the whole text first and cuts it after.
const EXCERPT: usize = 2048;

type Object = Map<String, Value>;

/// Which call a reply answers: `CAPTCHA_NOT_READY` means "pending" only to a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Submit,
    Poll,
    Balance,
    Report,
}

impl Call {
    fn name(self) -> &'static str {
        match self {
            Call::Submit => "createTask",
            Call::Poll => "getTaskResult",
            Call::Balance => "getBalance",
            Call::Report => "a report",
        }
    }
}

/// Why a JSON object is not a reply to the call.
struct Unrecognized(&'static str);

fn trim(t: &str) -> &str {
    t.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

fn service_error(code: impl Into<String>, message: String) -> Error {
    Error::new(ErrorKind::Service, message).with_code(code)
}

fn fault<T>(class: FaultClass, code: &str, message: String) -> Outcome<T> {
    Outcome::Fault {
        // Every fault may pass: repeat (a few times, for a malformed reply).
        error: service_error(code, message).with_retryable(true),
        class,
    }
}

fn block(scope: BlockScope, length: BlockLength) -> Option<Block> {
    Some(Block { scope, length })
}

/// The pause a rate limit asks for: the service's `Retry-After`, else the provider's wait.
fn rate_pause(reply: &Reply) -> Pause {
    reply.retry_after.map_or(Pause::TooManyRequests, Pause::For)
}

/// What a refusal by HTTP status means when the body says nothing the protocol defines.
/// `None` below 400: the body decides.
fn by_status<T>(d: &Dialect, reply: &Reply, text: &str) -> Option<Outcome<T>> {
    let s = reply.status;
    if s < 400 {
        return None;
    }
    let shown = if text.starts_with('<') {
        html_excerpt(text)
    } else {
        excerpt(text, EXCERPT)
    };
    let http = format!("HTTP {s}");
    let failed = |kind: ErrorKind, what: &str, block: Option<Block>| Outcome::Failed {
        error: Error::new(
            kind,
            format!("the service answered HTTP {s} ({what}): {shown}"),
        )
        .with_code(http.clone())
        .with_retryable(false),
        block,
    };
    let no_key = || {
        failed(
            ErrorKind::Auth,
            "API key refused",
            block(BlockScope::All, BlockLength::Forever),
        )
    };
    let no_money = || {
        failed(
            ErrorKind::Balance,
            "no balance",
            block(BlockScope::Submits, BlockLength::ZeroBalance),
        )
    };
    let code = if text.starts_with('<') {
        "HTML"
    } else {
        http.as_str()
    };
    let message = format!("the service answered HTTP {s}: {shown}");
    Some(match s {
        401 => no_key(),
        402 => no_money(),
        403 if d.http_403 == ErrorKind::Balance => no_money(),
        403 => no_key(),
        429 => {
            let mut error = Error::new(ErrorKind::RateLimited, message).with_code(http.clone());
            if let Some(after) = reply.retry_after {
                error = error.with_retry_after(after);
            }
            Outcome::Busy {
                error,
                pause: rate_pause(reply),
            }
        }
        // Not acted on: a timeout before reading, "too early", "unavailable".
        408 | 425 | 503 => fault(FaultClass::NotProcessed, code, message),
        s if s >= 500 => fault(FaultClass::Unknown, code, message),
        _ => failed(ErrorKind::Service, "request refused", None),
    })
}

/// A body that is not JSON, under a status below 400.
fn not_json<T>(status: u16, text: &str) -> Outcome<T> {
    if text.is_empty() {
        fault(
            FaultClass::Unknown,
            "EMPTY",
            format!("the service answered an empty body (HTTP {status})"),
        )
    } else if text.starts_with('<') {
        fault(
            FaultClass::Unknown,
            "HTML",
            format!(
                "the service answered an HTML page (HTTP {status}): {}",
                html_excerpt(text)
            ),
        )
    } else if text.starts_with(['{', '[']) {
        fault(
            FaultClass::Unknown,
            "TRUNCATED",
            format!("the reply is not complete JSON: {}", excerpt(text, EXCERPT)),
        )
    } else {
        unrecognized("the reply is not JSON", text)
    }
}

fn unrecognized<T>(why: &str, text: &str) -> Outcome<T> {
    fault(
        FaultClass::Malformed,
        "UNRECOGNIZED",
        format!("{why}: {}", excerpt(text, EXCERPT)),
    )
}

/// The `<title>` of an HTML page, or its start.
fn html_excerpt(t: &str) -> String {
    let lower = t.to_ascii_lowercase();
    if let Some(start) = lower.find("<title>") {
        let from = start + "<title>".len();
        if let Some(len) = lower.get(from..).and_then(|rest| rest.find("</title>")) {
            // ASCII lowering keeps byte offsets; `get` keeps a bad offset from panicking.
            if let Some(title) = t.get(from..from + len) {
                return excerpt(title.trim(), EXCERPT);
            }
        }
    }
    excerpt(t, EXCERPT)
}

/// The `errorCode`, when it names an error: `null`, `""` and `0` do not.
fn error_code(obj: &Object) -> Option<String> {
    match obj.get("errorCode")? {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_owned())
        }
        Value::Number(n) if n.as_f64() != Some(0.0) => Some(n.to_string()),
        _ => None,
    }
}

/// The `errorId` as a number (`1`, `"1"`, `true`); `None` when absent or unreadable.
fn error_id(obj: &Object) -> Option<f64> {
    match obj.get("errorId")? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Null => Some(0.0),
        _ => None,
    }
}

/// `errorDescription`, shortened, for messages of errors without a code.
fn description(obj: &Object) -> String {
    match obj.get("errorDescription") {
        Some(Value::String(s)) if !s.trim().is_empty() => format!(": {}", excerpt(s.trim(), 300)),
        _ => String::new(),
    }
}

/// The `status`, lowercased.
fn status(obj: &Object) -> Option<String> {
    match obj.get("status")? {
        Value::String(s) => Some(s.trim().to_ascii_lowercase()),
        _ => None,
    }
}

/// What later requests of the key a code stops, so that one refusal does not become a
/// hundred.
fn block_for(code: &str, e: &Error) -> Option<Block> {
    let after =
        |default: u64| BlockLength::For(e.retry_after().unwrap_or(Duration::from_secs(default)));
    match code {
        // A key that does not exist or is refused stays so.
        "ERROR_KEY_DOES_NOT_EXIST" | "ERROR_KEY_DENIED_ACCESS" | "ERROR_WRONG_USER_KEY" => {
            block(BlockScope::All, BlockLength::Forever)
        }
        "ERROR_ZERO_BALANCE" => block(BlockScope::Submits, BlockLength::ZeroBalance),
        "ERROR_IP_NOT_ALLOWED" => block(BlockScope::All, BlockLength::For(Duration::from_secs(60))),
        // Bans: their documented time (CapSolver's 10 minutes), else a minute.
        "ERROR_IP_BANNED" | "ERROR_IP_BLOCKED" | "IP_BANNED" => block(BlockScope::All, after(60)),
        // No time is documented: long enough not to prolong a block by knocking, short
        // enough to notice its end.
        "ERROR_KEY_TEMP_BLOCKED" => block(BlockScope::All, after(300)),
        "ERROR_ACCOUNT_SUSPENDED" => block(BlockScope::All, after(600)),
        _ => None,
    }
}

/// What a code means for the call that got it.
fn code_outcome<T>(code: &str, reply: &Reply) -> Outcome<T> {
    let error = Error::from_code(code);
    match code {
        "ERROR_NO_SLOT_AVAILABLE" => Outcome::Busy {
            error,
            pause: Pause::NoSlot,
        },
        "ERROR_RATE_LIMIT" | "ERROR_TOO_MUCH_REQUESTS" => {
            let error = match reply.retry_after {
                Some(after) => error.with_retry_after(after),
                None => error,
            };
            Outcome::Busy {
                error,
                pause: rate_pause(reply),
            }
        }
        // CapSolver's spelling: the service is down, nothing was done.
        "ERROR_SERVICE_UNAVALIABLE" => Outcome::Fault {
            error,
            class: FaultClass::NotProcessed,
        },
        _ => Outcome::Failed {
            block: block_for(code, &error),
            error,
        },
    }
}

/// The path every reply takes: bytes -> JSON object -> error code -> the call's own reading.
fn read<T>(
    d: &Dialect,
    reply: &Reply,
    call: Call,
    body: impl FnOnce(&Object, &Value, &str) -> Result<Outcome<T>, Unrecognized>,
) -> Outcome<T> {
    let Ok(text) = std::str::from_utf8(&reply.body) else {
        return by_status(d, reply, "").unwrap_or_else(|| {
            fault(
                FaultClass::Malformed,
                "NOT_UTF8",
                format!("the reply is not UTF-8 text (HTTP {})", reply.status),
            )
        });
    };
    let text = trim(text);
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => return by_status(d, reply, text).unwrap_or_else(|| not_json(reply.status, text)),
    };
    let Value::Object(obj) = &value else {
        return by_status(d, reply, text)
            .unwrap_or_else(|| unrecognized("the reply is not a JSON object", text));
    };
    if let Some(code) = error_code(obj) {
        if call == Call::Poll && code == "CAPTCHA_NOT_READY" {
            return Outcome::Pending;
        }
        return code_outcome(&code, reply);
    }
    if let Some(id) = error_id(obj).filter(|id| *id != 0.0) {
        return by_status(d, reply, text).unwrap_or_else(|| Outcome::Failed {
            error: Error::new(
                ErrorKind::Service,
                format!(
                    "{} failed with errorId {id} and no error code{}",
                    call.name(),
                    description(obj)
                ),
            )
            .with_retryable(false),
            block: None,
        });
    }
    match body(obj, &value, text) {
        Ok(outcome) => outcome,
        Err(Unrecognized(why)) => {
            by_status(d, reply, text).unwrap_or_else(|| unrecognized(why, text))
        }
    }
}

/// A task id: a positive integer (past 2^32 too) or an id string (CapSolver's UUIDs).
fn task_id(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => match n.as_u64() {
            Some(u) => (u > 0).then(|| u.to_string()),
            // `1781234567890.0`: integral floats below 2^53 are exact.
            None => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f < 9_007_199_254_740_992.0)
                .map(|f| format!("{f:.0}")),
        },
        Value::String(s) => {
            let s = s.trim();
            let ok = !s.is_empty()
                && s.len() <= 128
                && s != "0"
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            ok.then(|| s.to_owned())
        }
        _ => None,
    }
}

/// The answer in a reply's `solution`, read by the kind's rule. `raw` is the whole reply, as
/// the form family keeps it: cost, ip and times stay with the solution's cookies and other
/// fields. `Err` when the solution is missing or lacks what its kind must hold.
fn answer(obj: &Object, whole: &Value, body: &str, rule: Decode) -> Result<Answer, Unrecognized> {
    let sol = obj
        .get("solution")
        .and_then(Value::as_object)
        .ok_or(Unrecognized("the task is ready but its solution is empty"))?;
    let d = decode(rule, Source::Json(sol)).map_err(Unrecognized)?;
    Ok(Answer {
        text: d.text,
        data: d.data,
        user_agent: d.user_agent,
        resp_key: d.resp_key,
        cost: money_field(obj, body, "cost"),
        raw: whole.clone(),
    })
}

/// A top-level money field (`cost`, `balance`), exact: a JSON number is read from the reply's
/// own digits (`serde_json` would round `12345678.123456789` through `f64` and drop the
/// trailing zeros of `0.000700`), a string by its value.
fn money_field(obj: &Object, text: &str, name: &str) -> Option<Money> {
    match obj.get(name)? {
        Value::Number(_) => {
            let raw: HashMap<String, Box<RawValue>> = serde_json::from_str(text).ok()?;
            Money::parse(raw.get(name)?.get())
        }
        other => Money::from_json(other),
    }
}

/// `status: "failed"` without a code: the service gave up on the task.
fn task_failed<T>(obj: &Object) -> Outcome<T> {
    Outcome::Failed {
        error: Error::new(
            ErrorKind::Unsolvable,
            format!("the service reported the task failed{}", description(obj)),
        ),
        block: None,
    }
}

/// What a `createTask` reply means: the task id, an answer given at once (read by the kind's
/// rule), or why neither.
pub(crate) fn read_submit(d: &Dialect, reply: &Reply, rule: Decode) -> Outcome<Accepted> {
    read(d, reply, Call::Submit, |obj, whole, text| {
        let status = status(obj);
        if status.as_deref() == Some("failed") {
            return Ok(task_failed(obj));
        }
        let id = obj.get("taskId").and_then(task_id);
        let solved = if status.as_deref() == Some("ready") {
            answer(obj, whole, text, rule).ok()
        } else {
            None
        };
        match (id, solved) {
            (Some(task_id), Some(answer)) => Ok(Outcome::Done(Accepted::Solved {
                task_id,
                answer: Box::new(answer),
            })),
            // "ready" without a usable solution still created the task: poll it.
            (Some(id), None) => Ok(Outcome::Done(Accepted::Id(id))),
            // The service said "no error" but gave no usable id: it may have created a task.
            (None, _) if obj.contains_key("taskId") || error_id(obj) == Some(0.0) => Ok(fault(
                FaultClass::Unknown,
                "UNRECOGNIZED",
                format!(
                    "the task was accepted without a valid task id: {}",
                    excerpt(&whole.to_string(), 200)
                ),
            )),
            (None, _) => Err(Unrecognized("not a createTask reply")),
        }
    })
}

/// What a `getTaskResult` reply means, its answer read by the kind's rule.
pub(crate) fn read_poll(d: &Dialect, reply: &Reply, rule: Decode) -> Outcome<Answer> {
    read(d, reply, Call::Poll, |obj, whole, text| {
        match status(obj).as_deref() {
            Some("ready") => answer(obj, whole, text, rule).map(Outcome::Done),
            Some("idle" | "pending" | "processing") => Ok(Outcome::Pending),
            Some("failed") => Ok(task_failed(obj)),
            // A solution without a status is still a solution.
            None if obj.contains_key("solution") => {
                answer(obj, whole, text, rule).map(Outcome::Done)
            }
            None => Err(Unrecognized("not a getTaskResult reply")),
            Some(_) => Err(Unrecognized("unknown task status")),
        }
    })
}

/// What a `getBalance` reply means: `balance` as a number or a string.
pub(crate) fn read_balance(d: &Dialect, reply: &Reply) -> Outcome<Money> {
    read(d, reply, Call::Balance, |obj, _, text| {
        money_field(obj, text, "balance")
            .map(Outcome::Done)
            .ok_or(Unrecognized("not a getBalance reply"))
    })
}

/// What a report reply means: `{"errorId":0,"status":"success"}`.
pub(crate) fn read_report(d: &Dialect, reply: &Reply) -> Outcome<()> {
    read(d, reply, Call::Report, |obj, _, _| {
        if error_id(obj) == Some(0.0) || status(obj).as_deref() == Some("success") {
            Ok(Outcome::Done(()))
        } else {
            Err(Unrecognized("not a report reply"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::dialect::{CAPSOLVER, GENERIC};
    use super::*;

    fn poll(status: u16, body: &str) -> Outcome<Answer> {
        read_poll(&GENERIC, &Reply::new(status, body), Decode::Token)
    }

    #[test]
    fn money_in_json_numbers_keeps_every_digit() {
        let b = r#"{"errorId":0,"balance":12345678.123456789}"#;
        match read_balance(&GENERIC, &Reply::new(200, b)) {
            Outcome::Done(m) => assert_eq!(m.as_str(), "12345678.123456789"),
            _ => panic!("not read"),
        }
        let p = r#"{"errorId":0,"status":"ready","cost":0.000700,"solution":{"text":"ab"}}"#;
        match poll(200, p) {
            Outcome::Done(a) => assert_eq!(a.cost.unwrap().as_str(), "0.000700"),
            _ => panic!("not read"),
        }
        let s = r#"{"errorId":0,"balance":"7.10"}"#;
        match read_balance(&GENERIC, &Reply::new(200, s)) {
            Outcome::Done(m) => assert_eq!(m.as_str(), "7.10"),
            _ => panic!("not read"),
        }
    }

    #[test]
    fn task_ids_of_every_shape() {
        assert_eq!(
            task_id(&serde_json::json!(2151574698u64)).as_deref(),
            Some("2151574698")
        );
        assert_eq!(
            task_id(&serde_json::json!(1781234567890.0)).as_deref(),
            Some("1781234567890")
        );
        assert_eq!(
            task_id(&serde_json::json!("61138bb6-19fb-11ec-a9c8-0242ac110006")).as_deref(),
            Some("61138bb6-19fb-11ec-a9c8-0242ac110006")
        );
        for bad in [
            serde_json::json!(0),
            serde_json::json!(-5),
            serde_json::json!(1.5),
            serde_json::json!(""),
            serde_json::json!("a b"),
            serde_json::json!(null),
        ] {
            assert_eq!(task_id(&bad), None, "{bad}");
        }
    }

    #[test]
    fn statuses_and_not_ready() {
        for body in [
            r#"{"errorId":0,"status":"idle"}"#,
            r#"{"errorId":0,"status":"Processing","errorCode":null}"#,
            r#"{"errorId":0,"status":"pending"}"#,
            r#"{"errorId":1,"errorCode":"CAPTCHA_NOT_READY"}"#,
        ] {
            assert!(matches!(poll(200, body), Outcome::Pending), "{body}");
        }
        // CAPTCHA_NOT_READY is only "pending" to a poll.
        let r = read_submit(
            &GENERIC,
            &Reply::new(200, r#"{"errorId":1,"errorCode":"CAPTCHA_NOT_READY"}"#),
            Decode::Token,
        );
        assert!(matches!(r, Outcome::Failed { .. }), "{r:?}");
    }

    #[test]
    fn html_titles_never_panic() {
        for t in [
            "<title>",
            "<TITLE>é</title>",
            "<html><title>x</title>",
            "<title>ß</TITLE>",
        ] {
            let _ = html_excerpt(t);
        }
        assert_eq!(
            html_excerpt("<html><title> 502 Bad Gateway </title>"),
            "502 Bad Gateway"
        );
    }

    #[test]
    fn capsolver_403_is_money_elsewhere_a_key() {
        let r = Reply::new(403, "Forbidden");
        match read_balance(&CAPSOLVER, &r) {
            Outcome::Failed { error, block } => {
                assert_eq!(error.kind(), ErrorKind::Balance);
                assert_eq!(
                    block,
                    Some(Block {
                        scope: BlockScope::Submits,
                        length: BlockLength::ZeroBalance
                    })
                );
            }
            other => panic!("{other:?}"),
        }
        match read_balance(&GENERIC, &r) {
            Outcome::Failed { error, block } => {
                assert_eq!(error.kind(), ErrorKind::Auth);
                assert_eq!(
                    block,
                    Some(Block {
                        scope: BlockScope::All,
                        length: BlockLength::Forever
                    })
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
