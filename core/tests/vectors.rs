//! The codec against the shared, hand-written vectors in `tests/vectors/`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

use base64::Engine as _;
use capbridge::codec::form::{self, FormOptions};
use capbridge::codec::{Accepted, BatchItem, BatchOutcome, Outcome, Reply};
use capbridge::error::{KNOWN_CODES, lookup_code};
use capbridge::secret::Secret;
use capbridge::{Error, ErrorKind, Proxy, Task};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Expands the `@images/...` and `@pad:png:N` conventions into base64.
fn expand(v: &str) -> String {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    if let Some(rest) = v.strip_prefix("@pad:png:") {
        let n: usize = rest.parse().unwrap();
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        bytes.resize(n, 0);
        b64(&bytes)
    } else if let Some(path) = v.strip_prefix('@') {
        b64(&std::fs::read(dir().join(path)).unwrap())
    } else {
        v.to_owned()
    }
}

fn expand_task(task: &Value) -> String {
    let mut t = task.clone();
    if let Some(Value::String(img)) = t.get("image") {
        let e = expand(img);
        t["image"] = Value::String(e);
    }
    t.to_string()
}

fn options(v: Option<&Value>) -> (FormOptions, Option<String>) {
    let o = v.cloned().unwrap_or(json!({}));
    (
        FormOptions {
            json: o["json"].as_bool().unwrap_or(false),
            header_acao: o["header_acao"].as_bool().unwrap_or(false),
            debug_dump: o["debug_dump"].as_bool().unwrap_or(false),
        },
        o["soft_id"].as_u64().map(|n| n.to_string()),
    )
}

#[test]
fn every_task_kind_encodes_as_the_api_documentation_says() {
    let v = load("tasks.json");
    let key = Secret::new(v["key"].as_str().unwrap());
    let mut kinds = std::collections::BTreeSet::new();
    for case in v["encode"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let task =
            Task::from_json(&expand_task(&case["task"])).unwrap_or_else(|e| panic!("{name}: {e}"));
        kinds.insert(task.kind());
        let (opts, soft_id) = options(case.get("options"));
        let req = form::submit_request(
            &task,
            &key,
            &opts,
            soft_id.as_deref(),
            capbridge::FormDialect::Generic,
            "custom",
        )
        .unwrap();
        assert_eq!(req.path, form::IN, "{name}");
        assert_eq!(req.method, capbridge::codec::Method::Post, "{name}");
        let got: BTreeMap<String, String> = req.fields().iter().cloned().collect();
        assert_eq!(
            got.len(),
            req.fields().len(),
            "{name}: a field was sent twice"
        );
        let want: BTreeMap<String, String> = case["fields"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), expand(v.as_str().unwrap())))
            .collect();
        assert_eq!(got, want, "{name}");
        // `file` (the one part of an image task) or `files` (several, in order).
        let want_files: Vec<&Value> = match (case.get("file"), case.get("files")) {
            (Some(one), None) => vec![one],
            (None, Some(list)) => list.as_array().unwrap().iter().collect(),
            (None, None) => Vec::new(),
            _ => panic!("{name}: both file and files"),
        };
        assert_eq!(req.files().len(), want_files.len(), "{name}: {req:?}");
        for (f, want) in req.files().iter().zip(want_files) {
            assert_eq!(f.field, want["field"].as_str().unwrap(), "{name}");
            assert_eq!(f.filename, want["filename"].as_str().unwrap(), "{name}");
            assert_eq!(f.mime, want["mime"].as_str().unwrap(), "{name}");
            let b = base64::engine::general_purpose::STANDARD.encode(&f.bytes);
            assert_eq!(b, expand(want["image"].as_str().unwrap()), "{name}");
        }
    }
    // The first six kinds, with every option and quirk, and the picture kinds' uploads; the
    // other kinds at every preset that offers them are in kinds.json (core/tests/kinds.rs).
    for kind in [
        capbridge::TaskKind::ImageToText,
        capbridge::TaskKind::RecaptchaV2,
        capbridge::TaskKind::RecaptchaV3,
        capbridge::TaskKind::HCaptcha,
        capbridge::TaskKind::FunCaptcha,
        capbridge::TaskKind::Turnstile,
    ] {
        assert!(
            kinds.contains(&kind),
            "{kind}: an original task kind without a vector"
        );
    }
}

#[test]
fn invalid_tasks_are_refused_naming_the_field() {
    let v = load("tasks.json");
    let key = Secret::new(v["key"].as_str().unwrap());
    for case in v["invalid"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let json = expand_task(&case["task"]);
        let err = match Task::from_json(&json) {
            Err(e) => e,
            Ok(task) => {
                // Parsed: then encoding must refuse it (validation runs before encoding).
                form::submit_request(
                    &task,
                    &key,
                    &FormOptions::default(),
                    None,
                    capbridge::FormDialect::Generic,
                    "custom",
                )
                .unwrap_err()
            }
        };
        assert_eq!(err.kind(), ErrorKind::InvalidTask, "{name}: {err}");
        assert_eq!(err.field(), case["field"].as_str(), "{name}: {err}");
        assert!(!err.to_string().contains("secret"), "{name}: {err}");
    }
}

#[test]
fn proxies_render_as_the_api_documentation_says() {
    let v = load("proxies.json");
    for case in v["valid"].as_array().unwrap() {
        let url = case["url"].as_str().unwrap();
        let p = Proxy::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        // The form spelling is the codec's alone: read it from a request.
        let task = capbridge::RecaptchaV2::new("https://example.com/", "k").proxy(p.clone());
        let req = form::submit_request(
            &task.into(),
            &Secret::new("k"),
            &FormOptions::default(),
            None,
            capbridge::FormDialect::Generic,
            "custom",
        )
        .unwrap();
        assert_eq!(req.field("proxy"), case["proxy"].as_str(), "{url}");
        assert_eq!(req.field("proxytype"), case["proxytype"].as_str(), "{url}");
        assert!(!p.to_string().contains(":pass@"), "{url}");
    }
    for case in v["invalid"].as_array().unwrap() {
        let url = case.as_str().unwrap();
        let e = Proxy::parse(url).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidTask, "{url}");
        assert_eq!(e.field(), Some("proxy"));
        assert!(!e.to_string().contains("secret"), "{url}: {e}");
    }
}

fn error_json(e: &Error) -> Value {
    json!({"kind": e.kind().as_str(), "code": e.code(), "retryable": e.retryable()})
}

fn check_error(name: &str, got: &Error, want: &Value) {
    let got = error_json(got);
    for k in ["kind", "code", "retryable"] {
        if let Some(w) = want.get(k) {
            assert_eq!(&got[k], w, "{name}: {k} of {got}");
        }
    }
}

fn outcome_error<T: std::fmt::Debug>(name: &str, o: Outcome<T>) -> Error {
    match o {
        Outcome::Busy { error, .. }
        | Outcome::Failed { error, .. }
        | Outcome::Fault { error, .. } => error,
        other => panic!("{name}: expected an error, got {other:?}"),
    }
}

fn body_of(case: &Value) -> Vec<u8> {
    match case.get("body_hex") {
        Some(h) => {
            let h: String = h.as_str().unwrap().split_whitespace().collect();
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                .collect()
        }
        None => case["body"].as_str().unwrap().as_bytes().to_vec(),
    }
}

#[test]
fn every_reply_shape_parses_as_expected() {
    let v = load("replies.json");
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let status = case["status"].as_u64().unwrap() as u16;
        let reply = Reply::new(status, body_of(case));
        let want = &case["expect"];
        match case["call"].as_str().unwrap() {
            "submit" => match form::read_submit(&reply) {
                Outcome::Done(Accepted::Id(id)) => {
                    assert_eq!(json!({"task_id": id}), *want, "{name}")
                }
                o => check_error(name, &outcome_error(name, o), &want["error"]),
            },
            "poll" => match form::read_poll(&reply, capbridge::task::spec::Decode::Token) {
                Outcome::Done(a) => {
                    let w = &want["ready"];
                    assert!(w.is_object(), "{name}: got answer {a:?}");
                    assert_eq!(a.text, w["answer"].as_str().unwrap(), "{name}");
                    if let Some(ua) = w.get("user_agent") {
                        assert_eq!(a.user_agent.as_deref(), ua.as_str(), "{name}");
                    }
                    if let Some(rk) = w.get("resp_key") {
                        assert_eq!(a.resp_key.as_deref(), rk.as_str(), "{name}");
                    }
                }
                Outcome::Pending => assert_eq!(*want, json!({"not_ready": true}), "{name}"),
                o => check_error(name, &outcome_error(name, o), &want["error"]),
            },
            "balance" => match form::read_balance(&reply) {
                Outcome::Done(b) => {
                    assert_eq!(b.as_str(), want["balance"].as_str().unwrap(), "{name}")
                }
                o => check_error(name, &outcome_error(name, o), &want["error"]),
            },
            "report" => match form::read_report(&reply) {
                Outcome::Done(()) => assert_eq!(*want, json!({"ok": true}), "{name}"),
                o => check_error(name, &outcome_error(name, o), &want["error"]),
            },
            "batch" => {
                let n = case["ids"].as_u64().unwrap() as usize;
                match form::read_batch(&reply, &vec![capbridge::task::spec::Decode::Token; n]) {
                    BatchOutcome::Items(items) => {
                        let got: Vec<Value> = items
                            .into_iter()
                            .map(|i| match i {
                                BatchItem::Pending => json!({"not_ready": true}),
                                BatchItem::Ready(a) => json!({"ready": a.text}),
                                BatchItem::Alone => json!({"alone": true}),
                            })
                            .collect();
                        assert_eq!(json!({"items": got}), *want, "{name}");
                    }
                    BatchOutcome::Alone {
                        refusal: None,
                        mismatch,
                    } => {
                        assert!(mismatch, "{name}");
                        assert_eq!(*want, json!({"alone": true}), "{name}")
                    }
                    BatchOutcome::Alone {
                        refusal: Some((e, _)),
                        ..
                    } => check_error(name, &e, &want["alone"]),
                    BatchOutcome::Fault { error, .. } => check_error(name, &error, &want["error"]),
                }
            }
            other => panic!("unknown call {other}"),
        }
    }
}

#[test]
fn every_documented_error_code_maps_to_its_kind() {
    let v = load("error_codes.json");
    let listed = v["codes"].as_array().unwrap();
    for case in listed.iter().chain(v["unknown"].as_array().unwrap()) {
        let code = case["code"].as_str().unwrap();
        let e = Error::from_code(code);
        assert_eq!(e.kind().as_str(), case["kind"].as_str().unwrap(), "{code}");
        assert_eq!(
            e.retryable(),
            case["retryable"].as_bool().unwrap(),
            "{code}"
        );
        assert_eq!(
            e.retry_after().map(|d| d.as_secs()),
            case["retry_after_secs"].as_u64(),
            "{code}"
        );
        assert_eq!(e.code(), Some(code));
    }
    // The core's table and the vector list are the same set: nothing missing, nothing extra.
    let vector_codes: std::collections::BTreeSet<&str> =
        listed.iter().map(|c| c["code"].as_str().unwrap()).collect();
    let table_codes: std::collections::BTreeSet<&str> =
        KNOWN_CODES.iter().map(|c| c.code).collect();
    assert_eq!(vector_codes, table_codes);
    assert_eq!(
        table_codes.len(),
        KNOWN_CODES.len(),
        "a code is listed twice in the table"
    );
    assert!(lookup_code("ERROR:1005").is_some());
}

#[test]
fn every_code_the_api_documentation_names_is_in_the_table() {
    // Scan the form protocol's API documentation itself for code-shaped tokens (in the
    // project's shared folder, when it is beside the repository).
    let doc = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/seeds/003_ecfe6d2b99384f13.txt");
    let Ok(text) = std::fs::read_to_string(&doc) else {
        eprintln!("the API documentation is not at {}; skipped", doc.display());
        return;
    };
    let mut found = std::collections::BTreeSet::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if (word.starts_with("ERROR_")
            || ["MAX_USER_TURN", "IP_BANNED", "TOO_MANY_BAD_IMAGES"].contains(&word))
            && word.len() > 6
        {
            found.insert(word.to_owned());
        }
    }
    for n in ["1001", "1002", "1003", "1004", "1005"] {
        assert!(text.contains(&format!("ERROR: {n}")));
        found.insert(format!("ERROR: {n}"));
    }
    assert!(found.len() >= 35, "{found:?}");
    for code in &found {
        assert!(
            lookup_code(code).is_some(),
            "documented code {code} is not in the table"
        );
    }
}

#[test]
fn errors_and_tasks_never_print_secrets() {
    let task = Task::from_json(
        r#"{"type":"RecaptchaV2","website_url":"https://e.com/","website_key":"k","proxy":"http://user:hunter2pw@1.2.3.4:80"}"#,
    )
    .unwrap();
    assert!(!format!("{task:?}").contains("hunter2pw"));
    let key = Secret::new("1abc234de56fab7c89012d34e56fa7b8");
    let req = form::submit_request(
        &task,
        &key,
        &FormOptions::default(),
        None,
        capbridge::FormDialect::Generic,
        "custom",
    )
    .unwrap();
    let dbg = format!("{req:?}");
    assert!(
        !dbg.contains("hunter2pw") && !dbg.contains("1abc234de56fab7c"),
        "{dbg}"
    );
    for code in KNOWN_CODES {
        let e = Error::from_code(code.code).with_task_id("42");
        assert!(!format!("{e} {e:?}").contains("hunter2pw"));
    }
    let _unused: Map<String, Value> = Map::new();
}
