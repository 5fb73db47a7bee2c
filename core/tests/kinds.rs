//! The catalogue of kinds against the hand-written vectors `tests/vectors/kinds.json`: every
//! kind x preset pair's request and answer, what each preset refuses before sending, and what
//! validation refuses. One table, read through the public codecs (`codec::for_provider`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

use base64::Engine as _;
use capbridge::catalogue;
use capbridge::codec::{Accepted, Codec, Outcome, Reply, Request};
use capbridge::secret::Secret;
use capbridge::{ErrorKind, FormOptions, Protocol, Provider, Task, TaskKind};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn load() -> Value {
    let text = std::fs::read_to_string(dir().join("kinds.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `"@images/x.png"` -> the base64 of that file, anywhere in a value.
fn expand(v: &Value) -> Value {
    match v {
        Value::String(s) if s.starts_with("@images/") || s.starts_with("@audio/") => {
            let bytes = std::fs::read(dir().join(&s[1..])).unwrap();
            Value::from(base64::engine::general_purpose::STANDARD.encode(bytes))
        }
        Value::Array(a) => Value::Array(a.iter().map(expand).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), expand(v))).collect()),
        other => other.clone(),
    }
}

fn codec(case: &Value) -> std::sync::Arc<dyn Codec> {
    let name = case["provider"].as_str().unwrap();
    let mut p = Provider::from_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    if case["options"]["json_replies"] == Value::Bool(false) {
        p = p
            .with_form_options(FormOptions {
                json: false,
                ..FormOptions::default()
            })
            .unwrap();
    }
    capbridge::codec::for_provider(&p)
}

fn task(case: &Value) -> Result<Task, capbridge::Error> {
    Task::from_value(expand(&case["task"]))
}

/// JSON values equal, numbers by value (`40` and `40.0` are one angle).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn check_request(name: &str, req: &Request, key: &str, case: &Value) {
    let want = expand(&case["request"]);
    match req.json() {
        Some(body) => {
            let mut expected = Map::new();
            expected.insert("clientKey".into(), Value::from(key));
            expected.insert("task".into(), want);
            if let Some(Value::Object(extra)) = case.get("body_extra") {
                expected.extend(extra.clone());
            }
            assert!(
                same(body, &Value::Object(expected.clone())),
                "{name}:\n got  {body}\n want {}",
                Value::Object(expected)
            );
        }
        None => {
            let got: Map<String, Value> = req
                .fields()
                .iter()
                .filter(|(n, _)| n != "key")
                .map(|(n, v)| (n.clone(), Value::from(v.as_str())))
                .collect();
            assert_eq!(req.field("key"), Some(key), "{name}");
            assert!(
                same(&Value::Object(got.clone()), &want),
                "{name}:\n got  {}\n want {want}",
                Value::Object(got)
            );
        }
    }
}

/// Runs `check` on every case and returns the failures' messages: one run shows every
/// vector that disagrees, not only the first.
fn each(cases: &[Value], check: impl Fn(&Value) + std::panic::RefUnwindSafe) -> Vec<String> {
    cases
        .iter()
        .filter_map(|case| {
            std::panic::catch_unwind(|| check(case)).err().map(|e| {
                let why = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                format!("{}: {why}", case["name"])
            })
        })
        .collect()
}

fn reply(case: &Value) -> Reply {
    match (&case["reply"]["json"], &case["reply"]["text"]) {
        (Value::Null, Value::String(t)) => Reply::new(200, t.as_str()),
        (v, _) => Reply::new(200, v.to_string()),
    }
}

#[test]
fn every_pair_sends_and_reads_what_the_documents_say() {
    let v = load();
    let key = v["key"].as_str().unwrap();
    let secret = Secret::new(key);
    let pairs = std::sync::Mutex::new(BTreeSet::new());
    let failures = each(v["pairs"].as_array().unwrap(), |case| {
        let name = case["name"].as_str().unwrap();
        let t = task(case).unwrap_or_else(|e| panic!("{name}: {e}"));
        let c = codec(case);
        pairs
            .lock()
            .unwrap()
            .insert((case["provider"].as_str().unwrap().to_owned(), t.kind()));
        let req = c
            .submit(&t, &secret)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        check_request(name, &req, key, case);
        let answer = if case["answered_in_submit"] == Value::Bool(true) {
            match c.read_submit(&reply(case), t.kind()) {
                Outcome::Done(Accepted::Solved { answer, .. }) => *answer,
                other => panic!("{name}: {other:?}"),
            }
        } else {
            match c.read_poll(&reply(case), Some(t.kind())) {
                Outcome::Done(a) => a,
                other => panic!("{name}: {other:?}"),
            }
        };
        let want = &case["solution"];
        assert_eq!(answer.text, want["answer"].as_str().unwrap(), "{name}");
        assert!(
            same(&Value::Object(answer.data.clone()), &want["data"]),
            "{name}: data\n got  {:?}\n want {}",
            answer.data,
            want["data"]
        );
        // Every `data` entry is one the kind declares, and those it always has are there.
        let spec = t.kind().spec();
        if t.kind() != TaskKind::Raw {
            for k in answer.data.keys() {
                assert!(
                    spec.data.iter().any(|d| d.name == k),
                    "{name}: data.{k} is not declared"
                );
            }
            for d in spec.data.iter().filter(|d| d.always) {
                assert!(
                    answer.data.contains_key(d.name),
                    "{name}: no data.{}",
                    d.name
                );
            }
        }
    });
    assert!(
        failures.is_empty(),
        "{} pairs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every pair of the kinds added with the catalogue has a vector here (the first six kinds
    // have theirs in tasks.json and json_tasks.json).
    let pairs = pairs.into_inner().unwrap();
    let original = [
        TaskKind::ImageToText,
        TaskKind::RecaptchaV2,
        TaskKind::RecaptchaV3,
        TaskKind::HCaptcha,
        TaskKind::FunCaptcha,
        TaskKind::Turnstile,
        // Raw is sent as given, alike at every preset of a family: one per family below.
        TaskKind::Raw,
    ];
    for family in [Protocol::Form, Protocol::Json] {
        assert!(
            pairs.iter().any(|(p, k)| *k == TaskKind::Raw
                && Provider::from_name(p).unwrap().protocol() == family),
            "no Raw vector for the {family:?} family"
        );
    }
    for (preset, kinds) in catalogue::offers() {
        for kind in kinds.into_iter().filter(|k| !original.contains(k)) {
            assert!(
                pairs.contains(&(preset.to_owned(), kind)),
                "no vector for {kind} at {preset}"
            );
        }
    }
}

#[test]
fn what_a_preset_cannot_take_is_refused_before_sending() {
    let v = load();
    let secret = Secret::new(v["key"].as_str().unwrap());
    let failures = each(v["refused"].as_array().unwrap(), |case| {
        let name = case["name"].as_str().unwrap();
        let t = task(case).unwrap_or_else(|e| panic!("{name}: {e}"));
        let e = codec(case).submit(&t, &secret).unwrap_err();
        assert_eq!(
            e.kind().as_str(),
            case["kind"].as_str().unwrap(),
            "{name}: {e}"
        );
        assert_eq!(e.kind(), ErrorKind::Usage, "{name}: {e}");
        // The message names the kind or the field at fault.
        let kind = t.kind().as_str();
        assert!(
            e.message().contains(kind) || e.message().contains("Raw request"),
            "{name}: {e}"
        );
    });
    assert!(
        failures.is_empty(),
        "{} refusals failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn validation_names_the_field() {
    let v = load();
    let failures = each(v["invalid"].as_array().unwrap(), |case| {
        let name = case["name"].as_str().unwrap();
        let e = task(case)
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(e.kind(), ErrorKind::InvalidTask, "{name}: {e}");
        assert_eq!(e.field(), case["field"].as_str(), "{name}: {e}");
    });
    assert!(
        failures.is_empty(),
        "{} invalid tasks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The catalogue's description (what the bindings' surfaces are rendered from) names every
/// kind, and each preset offers at least the six original kinds' share of its family.
#[test]
fn the_description_covers_every_kind() {
    let d = catalogue::describe();
    let kinds = d["kinds"].as_array().unwrap();
    assert_eq!(kinds.len(), TaskKind::ALL.len());
    for k in kinds {
        assert!(!k["fields"].as_array().unwrap().is_empty(), "{}", k["name"]);
        assert!(
            !k["offered_by"].as_array().unwrap().is_empty(),
            "{}",
            k["name"]
        );
    }
    let p = Provider::custom_with("http://127.0.0.1:9/", Protocol::Json).unwrap();
    assert!(catalogue::kinds_of(&p).contains(&TaskKind::GeeTestV4));
}
