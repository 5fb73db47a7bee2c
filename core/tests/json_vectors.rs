//! The json codec, through the public API, against the hand-written vectors
//! `tests/vectors/json_tasks.json` and `tests/vectors/json_replies.json`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

use base64::Engine as _;
use capbridge::codec::json::JsonCodec;
use capbridge::codec::{
    Accepted, BatchOutcome, Block, BlockLength, BlockScope, Codec, FaultClass, Method, Outcome,
    Pause, Reply, Request,
};
use capbridge::error::lookup_code;
use capbridge::secret::Secret;
use capbridge::{
    Error, ErrorKind, HCaptcha, ImageToText, Protocol, Provider, RecaptchaV2, Task, TaskKind,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `"@images/x.png"` -> the base64 of that file, anywhere in a value.
fn expand(v: &Value) -> Value {
    match v {
        Value::String(s) if s.starts_with("@images/") => {
            let bytes = std::fs::read(dir().join(&s[1..])).unwrap();
            Value::from(base64::engine::general_purpose::STANDARD.encode(bytes))
        }
        Value::Array(a) => Value::Array(a.iter().map(expand).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), expand(v))).collect()),
        other => other.clone(),
    }
}

fn provider(case: &Value) -> Provider {
    let name = case["provider"].as_str().unwrap();
    let p = if name == "generic" {
        Provider::custom_with("http://127.0.0.1:9/", Protocol::Json).unwrap()
    } else {
        Provider::from_name(name).unwrap()
    };
    assert_eq!(p.protocol(), Protocol::Json, "{name}");
    match case.get("soft_id").and_then(Value::as_str) {
        Some(id) => p.with_soft_id(id),
        None => p,
    }
}

fn codec(case: &Value) -> JsonCodec {
    JsonCodec::new(&provider(case))
}

fn task(case: &Value) -> Task {
    let json = expand(&case["task"]).to_string();
    Task::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", case["name"]))
}

fn kind(v: &Value) -> Option<TaskKind> {
    v.as_str().map(|k| TaskKind::from_name(k).unwrap())
}

fn key(v: &Value) -> Secret {
    Secret::new(v["key"].as_str().unwrap())
}

fn check_request(name: &str, req: &Request, path: &str, body: &Value) {
    assert_eq!(req.method, Method::Post, "{name}");
    assert_eq!(req.path, path, "{name}");
    assert!(
        req.fields().is_empty(),
        "{name}: a json request has no form fields"
    );
    assert_eq!(req.json(), Some(&expand(body)), "{name}");
}

#[test]
fn every_task_encodes_as_the_documents_say() {
    let v = load("json_tasks.json");
    let key = key(&v);
    let mut kinds = BTreeSet::new();
    let mut providers = BTreeSet::new();
    for case in v["encode"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let task = task(case);
        kinds.insert(task.kind());
        providers.insert(case["provider"].as_str().unwrap());
        let req = codec(case)
            .submit(&task, &key)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        check_request(name, &req, "createTask", &case["body"]);
        // The key and the proxy password never show in a request's Debug output.
        let dbg = format!("{req:?}");
        assert!(
            !dbg.contains(key.expose()) && !dbg.contains("pass\""),
            "{name}: {dbg}"
        );
    }
    // The first six kinds, with every option and quirk; the other kinds at every preset that
    // offers them are in kinds.json (core/tests/kinds.rs).
    assert_eq!(kinds.len(), 6, "every original task kind has a vector");
    assert_eq!(
        providers.len(),
        6,
        "every dialect has a vector: {providers:?}"
    );
}

#[test]
fn what_a_provider_lacks_is_refused_before_sending() {
    let v = load("json_tasks.json");
    let key = key(&v);
    for case in v["refused"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let e = codec(case).submit(&task(case), &key).unwrap_err();
        assert_eq!(
            e.kind().as_str(),
            case["error"].as_str().unwrap(),
            "{name}: {e}"
        );
        assert!(!e.to_string().contains(key.expose()), "{name}");
    }
}

#[test]
fn invalid_tasks_never_become_requests() {
    let key = Secret::new("1abc234de56fab7c89012d34e56fa7b8");
    let codec = JsonCodec::new(&Provider::anti_captcha());
    let e = codec
        .submit(&RecaptchaV2::new("not a url", "k").into(), &key)
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidTask, Some("website_url"))
    );
    let e = codec
        .submit(&ImageToText::new(vec![0u8; 50]).into(), &key)
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidTask, Some("image"))
    );
    // Validation comes before the provider's gaps: NextCaptcha's missing image kind is not
    // what an empty image is told.
    let e = JsonCodec::new(&Provider::nextcaptcha())
        .submit(&ImageToText::new(vec![0u8; 50]).into(), &key)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidTask);
    let e = codec
        .submit(&HCaptcha::new("https://e.com/", "bad key!").into(), &key)
        .unwrap_err();
    assert_eq!(e.field(), Some("website_key"));
}

#[test]
fn polls_balances_and_reports_as_the_documents_say() {
    let v = load("json_tasks.json");
    let key = key(&v);
    for case in v["poll"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let id = case["task_id"].as_str().unwrap();
        let req = codec(case).poll(id, None, &key);
        check_request(name, &req, "getTaskResult", &case["body"]);
    }
    for case in v["balance"].as_array().unwrap() {
        let req = codec(case).balance(&key);
        check_request(
            case["name"].as_str().unwrap(),
            &req,
            "getBalance",
            &case["body"],
        );
    }
    for case in v["report"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let id = case["task_id"].as_str().unwrap();
        let good = case["good"].as_bool().unwrap();
        let got = codec(case).report(id, kind(&case["kind"]), good, &key);
        match case.get("error") {
            Some(e) => assert_eq!(
                got.unwrap_err().kind().as_str(),
                e.as_str().unwrap(),
                "{name}"
            ),
            None => {
                let req = got.unwrap_or_else(|e| panic!("{name}: {e}"));
                check_request(name, &req, case["path"].as_str().unwrap(), &case["body"]);
            }
        }
    }
}

#[test]
fn capabilities_as_the_documents_say() {
    let v = load("json_tasks.json");
    let key = key(&v);
    for case in v["capabilities"].as_array().unwrap() {
        let name = case["provider"].as_str().unwrap();
        let c = codec(case);
        let caps = c.capabilities();
        let kinds: Vec<TaskKind> = case["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| kind(k).unwrap())
            .collect();
        assert_eq!(caps.kinds, kinds, "{name}");
        assert_eq!(
            caps.report_good,
            case["report_good"].as_bool().unwrap(),
            "{name}"
        );
        assert_eq!(
            caps.report_bad,
            case["report_bad"].as_bool().unwrap(),
            "{name}"
        );
        assert!(
            !caps.batch_polling,
            "{name}: the json family has no batch polls"
        );
        for k in TaskKind::ALL.into_iter().map(Some).chain([None]) {
            assert!(c.polled_alone(k), "{name}");
        }
        // Never called; harmless if it were.
        assert_eq!(c.poll_batch(&["1", "2"], &key).path, "getTaskResult");
        assert_eq!(c.poll_batch(&[], &key).path, "getTaskResult");
        assert!(matches!(
            c.read_batch(&Reply::new(200, "1|2"), &[None, None]),
            BatchOutcome::Alone { refusal: None, .. }
        ));
    }
}

fn body_of(case: &Value) -> Vec<u8> {
    if let Some(h) = case.get("body_hex") {
        let h: String = h.as_str().unwrap().split_whitespace().collect();
        return (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect();
    }
    if let Some(j) = case.get("json") {
        return j.to_string().into_bytes();
    }
    case["body"].as_str().unwrap().as_bytes().to_vec()
}

fn check_error(name: &str, got: &Error, want: &Value) {
    assert_eq!(
        got.kind().as_str(),
        want["kind"].as_str().unwrap(),
        "{name}: {got}"
    );
    if let Some(code) = want.get("code") {
        assert_eq!(got.code(), code.as_str(), "{name}: {got}");
    }
    if let Some(r) = want.get("retryable") {
        assert_eq!(got.retryable(), r.as_bool().unwrap(), "{name}: {got}");
    }
    if let Some(s) = want.get("retry_after_secs") {
        assert_eq!(
            got.retry_after().map(|d| d.as_secs()),
            s.as_u64(),
            "{name}: {got}"
        );
    }
}

fn block_json(b: Option<Block>) -> Value {
    match b {
        None => Value::Null,
        Some(Block { scope, length }) => json!({
            "scope": match scope { BlockScope::All => "all", BlockScope::Submits => "submits" },
            "length": match length {
                BlockLength::Forever => json!("forever"),
                BlockLength::ZeroBalance => json!("zero_balance"),
                BlockLength::For(d) => json!(d.as_secs()),
            },
        }),
    }
}

/// Checks an outcome that is not `Done` (or `Pending`).
fn check_other<T: std::fmt::Debug>(name: &str, got: Outcome<T>, want: &Value) {
    match got {
        Outcome::Pending => assert_eq!(want, &json!({"not_ready": true}), "{name}"),
        Outcome::Failed { error, block } => {
            let w = want
                .get("failed")
                .unwrap_or_else(|| panic!("{name}: failed with {error}"));
            check_error(name, &error, w);
            if let Some(b) = want.get("block") {
                assert_eq!(&block_json(block), b, "{name}");
            }
        }
        Outcome::Busy { error, pause } => {
            let w = want
                .get("busy")
                .unwrap_or_else(|| panic!("{name}: busy with {error}"));
            check_error(name, &error, w);
            let p = match pause {
                Pause::NoSlot => json!("no_slot"),
                Pause::TooManyRequests => json!("too_many_requests"),
                Pause::For(d) => json!(d.as_secs()),
            };
            assert_eq!(&p, &want["pause"], "{name}");
        }
        Outcome::Fault { error, class } => {
            let w = want
                .get("fault")
                .unwrap_or_else(|| panic!("{name}: fault {error}"));
            check_error(name, &error, w);
            let c = match class {
                FaultClass::NotProcessed => "not_processed",
                FaultClass::Unknown => "unknown",
                FaultClass::Malformed => "malformed",
            };
            assert_eq!(c, want["class"].as_str().unwrap(), "{name}");
        }
        Outcome::Done(d) => panic!("{name}: got {d:?}, want {want}"),
    }
}

fn check_answer(name: &str, a: &capbridge::codec::Answer, w: &Value) {
    assert_eq!(a.text, w["answer"].as_str().unwrap(), "{name}");
    assert_eq!(
        a.user_agent.as_deref(),
        w.get("user_agent").and_then(Value::as_str),
        "{name}"
    );
    assert_eq!(
        a.resp_key.as_deref(),
        w.get("resp_key").and_then(Value::as_str),
        "{name}"
    );
    assert_eq!(
        a.cost.as_ref().map(|m| m.as_str()),
        w.get("cost").and_then(Value::as_str),
        "{name}"
    );
    if let Some(Value::Object(ptrs)) = w.get("raw") {
        for (ptr, want) in ptrs {
            assert_eq!(a.raw.pointer(ptr), Some(want), "{name}: raw {ptr}");
        }
    }
}

#[test]
fn every_reply_means_what_the_documents_say() {
    let v = load("json_replies.json");
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let c = codec(case);
        let reply = Reply {
            status: case["status"].as_u64().unwrap() as u16,
            body: body_of(case),
            retry_after: case
                .get("retry_after_secs")
                .and_then(Value::as_u64)
                .map(Duration::from_secs),
        };
        let want = &case["expect"];
        match case["call"].as_str().unwrap() {
            "submit" => match c.read_submit(&reply, TaskKind::ImageToText) {
                Outcome::Done(Accepted::Id(id)) => {
                    assert_eq!(&json!({"task_id": id}), want, "{name}")
                }
                Outcome::Done(Accepted::Solved { task_id, answer }) => {
                    let w = want
                        .get("solved")
                        .unwrap_or_else(|| panic!("{name}: solved"));
                    assert_eq!(task_id, w["task_id"].as_str().unwrap(), "{name}");
                    check_answer(name, &answer, w);
                }
                other => check_other(name, other, want),
            },
            "poll" => match c.read_poll(&reply, None) {
                Outcome::Done(a) => {
                    let w = want.get("ready").unwrap_or_else(|| panic!("{name}: {a:?}"));
                    check_answer(name, &a, w);
                    // The answer's raw form is the whole reply.
                    let whole: Value = serde_json::from_slice(&reply.body).unwrap();
                    assert_eq!(a.raw, whole, "{name}");
                }
                other => check_other(name, other, want),
            },
            "balance" => match c.read_balance(&reply) {
                Outcome::Done(m) => assert_eq!(
                    Some(m.as_str()),
                    want.get("balance").and_then(Value::as_str),
                    "{name}"
                ),
                other => check_other(name, other, want),
            },
            "report" => match c.read_report(&reply) {
                Outcome::Done(()) => assert_eq!(want, &json!({"ok": true}), "{name}"),
                other => check_other(name, other, want),
            },
            other => panic!("{name}: unknown call {other}"),
        }
    }
}

#[test]
fn every_listed_code_maps_to_a_kind_and_has_a_reply_vector() {
    let v = load("json_replies.json");
    let expected_codes: BTreeSet<&str> = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| {
            let e = &c["expect"];
            ["failed", "busy", "fault"]
                .iter()
                .find_map(|k| e.get(*k))
                .and_then(|e| e["code"].as_str())
        })
        .collect();
    let listed = v["listed_codes"].as_array().unwrap();
    assert!(listed.len() >= 55, "{}", listed.len());
    for code in listed {
        let code = code.as_str().unwrap();
        assert!(lookup_code(code).is_some(), "{code} is not in the table");
        let e = Error::from_code(code);
        assert_eq!(e.code(), Some(code));
        assert!(
            expected_codes.contains(code),
            "{code} has no case in json_replies.json"
        );
    }
}

/// Arbitrary bytes under arbitrary statuses: every reader answers, none panics.
#[test]
fn readers_never_panic_on_near_misses() {
    let codecs: Vec<JsonCodec> = [
        Provider::anti_captcha(),
        Provider::capmonster(),
        Provider::capsolver(),
        Provider::nextcaptcha(),
        Provider::two_captcha_v2(),
    ]
    .iter()
    .map(JsonCodec::new)
    .collect();
    let bodies: Vec<&[u8]> = vec![
        b"",
        b"{",
        b"null",
        b"{\"errorId\":null}",
        b"{\"errorId\":\"x\",\"errorCode\":[]}",
        b"{\"errorCode\":12}",
        b"{\"status\":5,\"solution\":\"x\"}",
        b"{\"status\":\"ready\",\"solution\":{\"answers\":[{},null]}}",
        b"{\"taskId\":-1}",
        b"{\"taskId\":1e300}",
        b"{\"taskId\":\"\\u0000\"}",
        b"{\"balance\":\"NaN\"}",
        b"{\"balance\":1e999}",
        b"<title>",
        b"<TITLE>\xc3\xa9</title>",
        b"\xff\xfe",
        b"\xef\xbb\xbf{\"errorId\":0,\"taskId\":5}",
    ];
    for c in &codecs {
        for status in [
            0u16, 200, 302, 400, 401, 402, 403, 404, 409, 429, 500, 502, 503, 599, 999,
        ] {
            for body in &bodies {
                let r = Reply::new(status, *body);
                let _ = c.read_submit(&r, TaskKind::RecaptchaV2);
                let _ = c.read_poll(&r, None);
                let _ = c.read_balance(&r);
                let _ = c.read_report(&r);
            }
        }
    }
    // A byte order mark before the JSON is tolerated.
    let r = Reply::new(200, &b"\xef\xbb\xbf{\"errorId\":0,\"taskId\":5}"[..]);
    assert!(matches!(
        codecs[0].read_submit(&r, TaskKind::RecaptchaV2),
        Outcome::Done(Accepted::Id(id)) if id == "5"
    ));
}

/// Bytes biased towards the protocol's tokens, so that near-misses of real replies are tried.
fn reply_bytes() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let pieces = prop_oneof![
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b"\"errorId\":".to_vec()),
        Just(b"\"errorCode\":".to_vec()),
        Just(b"\"status\":".to_vec()),
        Just(b"\"taskId\":".to_vec()),
        Just(b"\"solution\":{\"token\":".to_vec()),
        Just(b"\"balance\":".to_vec()),
        Just(b"\"ready\"".to_vec()),
        Just(b"\"ERROR_IP_BANNED\"".to_vec()),
        Just(b"null".to_vec()),
        Just(b"1e400".to_vec()),
        Just(b"18446744073709551616".to_vec()),
        Just(b",".to_vec()),
        Just(b"<html><title>".to_vec()),
        Just("\u{feff}".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(pieces, 0..14).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

    #[test]
    fn readers_never_panic(status in 0u16..1000, body in reply_bytes(), retry in proptest::option::of(0u64..100_000)) {
        let reply = Reply { status, body, retry_after: retry.map(Duration::from_secs) };
        for p in [Provider::anti_captcha(), Provider::capsolver(), Provider::nextcaptcha()] {
            let c = JsonCodec::new(&p);
            let _ = c.read_submit(&reply, TaskKind::RecaptchaV2);
            let _ = c.read_poll(&reply, None);
            let _ = c.read_balance(&reply);
            let _ = c.read_report(&reply);
        }
    }

    #[test]
    fn polls_and_reports_take_any_id(id in "\\PC{0,40}") {
        let key = Secret::new("1abc234de56fab7c89012d34e56fa7b8");
        for p in [Provider::anti_captcha(), Provider::capsolver(), Provider::two_captcha_v2()] {
            let c = JsonCodec::new(&p);
            let body = c.poll(&id, None, &key).json().cloned().unwrap();
            // The id travels unchanged, as a number only when that loses nothing.
            match &body["taskId"] {
                Value::Number(n) => proptest::prop_assert_eq!(n.to_string(), id.clone()),
                Value::String(s) => proptest::prop_assert_eq!(s, &id),
                other => proptest::prop_assert!(false, "{other}"),
            }
            let _ = c.report(&id, None, false, &key);
        }
    }
}
