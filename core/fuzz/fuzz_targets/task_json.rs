//! Tasks from JSON (`Task::from_json`, `Task::from_value`, `task_from_fields`,
//! `parse_proxy`), then every codec's submit encoder on each task that parses.
//!
//! Invariants: failures are `invalid_task` errors naming a field, and proxy errors never
//! repeat the input; a task that parses validates, and every codec either encodes it with
//! the key in place or refuses it as `invalid_task` / `usage` (a kind or variant the
//! provider lacks).

#![no_main]

use capbridge::task::from_json::{parse_proxy, task_from_fields};
use capbridge::{ErrorKind, Result, Task, TaskKind};
use capbridge_fuzz::*;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::{Arc, OnceLock};

static CODECS: OnceLock<Vec<(&'static str, Arc<dyn capbridge::codec::Codec>)>> = OnceLock::new();

/// Every object key anywhere in the input, when it is JSON.
fn keys_of(input: &str) -> std::collections::BTreeSet<String> {
    fn walk(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    walk(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    if let Ok(v) = serde_json::from_str::<Value>(input) {
        walk(&v, &mut out);
    }
    out
}

fn check_parsed(where_: &str, input: &str, r: &Result<Task>) {
    match r {
        Ok(task) => {
            if let Err(e) = task.validate() {
                panic!("{where_}: a task that parsed does not validate: {e:?}");
            }
            let _ = format!("{task:?}");
            let key = capbridge::secret::Secret::new(KEY);
            for (name, codec) in CODECS.get_or_init(codecs) {
                match codec.submit(task, &key) {
                    Ok(req) => {
                        let carries_key = req.field("key") == Some(KEY)
                            || req
                                .json()
                                .and_then(|j| j.get("clientKey"))
                                .and_then(Value::as_str)
                                == Some(KEY);
                        assert!(
                            carries_key,
                            "{where_}: {name}'s submit request lacks the key: {req:?}"
                        );
                    }
                    Err(e) => {
                        check_error(where_, &e);
                        assert!(
                            matches!(e.kind(), ErrorKind::InvalidTask | ErrorKind::Usage),
                            "{where_}: {name} refuses a valid task as {}: {e:?}",
                            e.kind()
                        );
                    }
                }
            }
        }
        Err(e) => {
            check_error(where_, e);
            assert_eq!(e.kind(), ErrorKind::InvalidTask, "{where_}: {e:?}");
            let field = e
                .field()
                .unwrap_or_else(|| panic!("{where_}: no field named: {e:?}"));
            // A field the input does not have is named only when it is required.
            let keys = keys_of(input);
            if e.message().starts_with("is not a field of") {
                assert!(
                    keys.contains(field),
                    "{where_}: names a field the input lacks: {field:?} ({e:?})"
                );
            }
            assert!(
                !field.is_empty() || keys.contains(""),
                "{where_}: an empty field name: {e:?}"
            );
            if e.field() == Some("proxy") {
                let text = format!("{e} {e:?}");
                for t in long_tokens(input) {
                    assert!(
                        !text.contains(t),
                        "{where_}: a proxy error repeats the input ({t:?}): {text}"
                    );
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let from_json = Task::from_json(&input);
    check_parsed("Task::from_json", &input, &from_json);
    let Ok(value) = serde_json::from_str::<Value>(&input) else {
        assert!(from_json.is_err(), "text that is not JSON parsed as a task");
        return;
    };
    let from_value = Task::from_value(value.clone());
    assert_eq!(
        from_json
            .as_ref()
            .map(|t| format!("{t:?}"))
            .map_err(|e| (e.kind(), e.field().map(str::to_owned))),
        from_value
            .as_ref()
            .map(|t| format!("{t:?}"))
            .map_err(|e| (e.kind(), e.field().map(str::to_owned))),
        "from_json and from_value disagree"
    );
    let Value::Object(map) = value else {
        return;
    };
    if let Some(p) = map.get("proxy") {
        match parse_proxy(p.clone()) {
            Ok(_) => {}
            Err(e) => {
                check_error("parse_proxy", &e);
                assert_eq!(e.kind(), ErrorKind::InvalidTask, "{e:?}");
                let text = format!("{e} {e:?}");
                for t in long_tokens(&input) {
                    assert!(
                        !text.contains(t),
                        "parse_proxy repeats the input ({t:?}): {text}"
                    );
                }
            }
        }
    }
    // The same fields as every kind: the fuzzer need not find the type names.
    let mut fields = map;
    fields.remove("type");
    for kind in TaskKind::ALL {
        let r = task_from_fields(kind.as_str(), fields.clone());
        if let Ok(t) = &r {
            assert_eq!(t.kind(), kind);
        }
        check_parsed(&format!("task_from_fields({kind})"), &input, &r);
    }
});
