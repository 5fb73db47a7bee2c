//! The admin API: the same scripting and counters as the library, over HTTP and JSON, so that
//! test suites in any language (and curl) can drive the emulator binary.
//!
//! | request | body / query | effect |
//! |---|---|---|
//! | `GET /emulator/counters` | | the counters |
//! | `GET /emulator/config`, `POST /emulator/config` | any fields of the config (`time_scale`, `limits`, `prices`, ...) | read / change settings |
//! | `POST /emulator/reset` | | forget accounts, tasks, rules, faults, limits, counters |
//! | `POST /emulator/accounts` | `{"key", "balance"?, "exists"?}` | create, fund or remove an account |
//! | `GET /emulator/accounts/KEY` | | `{"balance": ..}` |
//! | `POST /emulator/rules`, `DELETE /emulator/rules` | a rule | add / clear outcome rules (a rule whose `answer_data` cannot be read is refused with 400) |
//! | `POST /emulator/faults`, `DELETE /emulator/faults` | a fault | add / clear faults |
//! | `POST /emulator/delays` | `{"kind"?, "min_ms", "max_ms"?}` or `{"kind"?, "solve_time": "lognormal:12000,0.35"}` | solve time of a kind (or of every kind without its own): a uniform range, or a distribution (`fixed:MS`, `uniform:MIN-MAX`, `lognormal:MEDIAN,SIGMA`) |
//! | `POST /emulator/advance` | `{"ms"}` | moves the emulator's clock ahead: the waits it keeps see that much more time passed |
//! | `POST /emulator/finish` | | `{"finished": N}`: every pending task is solved now (tests hold tasks with a long delay, then let them go) |
//! | `GET /emulator/tasks/ID` | | what the emulator knows of a task (ID: digits or a CapSolver UUID) |
//! | `GET /emulator/tasks?key=KEY` | | `{"key", "ids": [...]}`: every task id created for the key, in order (numbers, or UUID strings); without `key`, `{"keys": {KEY: [...]}}` |
//! | `GET /emulator/requests?limit=N` | | `{"requests": [...]}`: the latest N protocol requests (default 100), oldest first: `seq`, `at_ms`, `method`, `path`, `query`, `referer`, `user_agent`, `content_type`, `body_len`, `key`, `endpoint`, `prefix`, `fault` |
//! | `GET /emulator/submits?key=KEY` | | `in.php` arrival times of a key, ms since start |
//! | `GET /emulator/profiles` | | the json profiles (base path, type names, id format, ...) and the form prefixes |

use crate::config::Delay;
use crate::control::Shared;
use crate::kind::Kind;
use crate::scripting::{Fault, Rule};
use crate::server::{Body, respond};
use crate::solve_time::SolveTime;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde::Deserialize;
use serde_json::{Value, json};

fn ok(v: Value) -> Response<Body> {
    respond(200, "application/json", v.to_string())
}

fn bad(status: u16, msg: impl std::fmt::Display) -> Response<Body> {
    respond(
        status,
        "application/json",
        json!({"error": msg.to_string()}).to_string(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountReq {
    key: String,
    balance: Option<f64>,
    exists: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DelayReq {
    kind: Option<String>,
    min_ms: Option<u64>,
    max_ms: Option<u64>,
    solve_time: Option<SolveTime>,
}

fn query_param(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub(crate) async fn handle(shared: &Shared, req: Request<Incoming>) -> Response<Body> {
    let method = req.method().clone();
    let path = req.uri().path().trim_end_matches('/').to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let body = match Limited::new(req.into_body(), 1 << 20).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return bad(400, e),
    };
    let v: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return bad(400, format!("invalid JSON: {e}")),
        }
    };
    let seg: Vec<&str> = path
        .trim_start_matches("/emulator")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    match (&method, seg.as_slice()) {
        (&Method::GET, ["counters"]) => ok(json!(shared.counters())),
        (&Method::GET, ["config"]) => ok(json!(shared.config())),
        (&Method::POST, ["config"]) => match shared.configure(v) {
            Ok(c) => ok(json!(c)),
            Err(e) => bad(400, e),
        },
        (&Method::POST, ["reset"]) => {
            shared.reset();
            ok(json!({"ok": true}))
        }
        (&Method::POST, ["accounts"]) => match serde_json::from_value::<AccountReq>(v) {
            Ok(a) if a.exists == Some(false) => {
                shared.remove_account(&a.key);
                ok(json!({"ok": true}))
            }
            Ok(a) => {
                shared.set_account(&a.key, a.balance.unwrap_or(shared.config().default_balance));
                ok(json!({"ok": true}))
            }
            Err(e) => bad(400, e),
        },
        (&Method::GET, ["accounts", key]) => match shared.balance(key) {
            Some(b) => ok(json!({"balance": b})),
            None => bad(404, "no such account"),
        },
        (&Method::POST, ["rules"]) => match serde_json::from_value::<Rule>(v) {
            Ok(r) => match r.check() {
                Ok(()) => {
                    shared.add_rule(r);
                    ok(json!({"ok": true}))
                }
                Err(e) => bad(400, e),
            },
            Err(e) => bad(400, e),
        },
        (&Method::DELETE, ["rules"]) => {
            shared.clear_rules();
            ok(json!({"ok": true}))
        }
        (&Method::POST, ["faults"]) => match serde_json::from_value::<Fault>(v) {
            Ok(f) => {
                shared.add_fault(f);
                ok(json!({"ok": true}))
            }
            Err(e) => bad(400, e),
        },
        (&Method::DELETE, ["faults"]) => {
            shared.clear_faults();
            ok(json!({"ok": true}))
        }
        (&Method::POST, ["delays"]) => match serde_json::from_value::<DelayReq>(v) {
            Ok(d) => {
                let kind = match d.kind.as_deref().map(|k| (k, Kind::from_name(k))) {
                    None => None,
                    Some((_, Some(kind))) => Some(kind),
                    Some((k, None)) => return bad(400, format!("unknown kind {k:?}")),
                };
                match (d.min_ms, d.solve_time) {
                    (Some(min), None) => {
                        let max = d.max_ms.unwrap_or(min);
                        if min > max {
                            return bad(400, format!("min_ms {min} is above max_ms {max}"));
                        }
                        shared.set_delay(kind, Delay::range(min, max))
                    }
                    (None, Some(t)) if d.max_ms.is_none() => shared.set_solve_time(kind, t),
                    _ => return bad(400, "give min_ms (and max_ms), or solve_time"),
                }
                ok(json!({"ok": true}))
            }
            Err(e) => bad(400, e),
        },
        (&Method::POST, ["advance"]) => match v.get("ms").and_then(Value::as_u64) {
            Some(ms) => {
                shared.advance(std::time::Duration::from_millis(ms));
                ok(json!({"ok": true}))
            }
            None => bad(400, "expected {\"ms\": milliseconds}"),
        },
        (&Method::POST, ["finish"]) => ok(json!({"finished": shared.finish_pending()})),
        (&Method::GET, ["tasks", id]) => match shared.task_by_id(id) {
            Some(t) => ok(json!(t)),
            None => bad(404, "no such task"),
        },
        (&Method::GET, ["tasks"]) => match query_param(&query, "key") {
            Some(key) => ok(json!({"ids": shared.task_ids(&key), "key": key})),
            None => {
                let st = shared.lock();
                let keys: serde_json::Map<String, Value> = st
                    .task_log
                    .iter()
                    .map(|(k, ids)| (k.clone(), json!(ids)))
                    .collect();
                ok(json!({"keys": keys}))
            }
        },
        (&Method::GET, ["requests"]) => {
            let limit = match query_param(&query, "limit") {
                None => 100,
                Some(n) => match n.parse::<usize>() {
                    Ok(n) => n,
                    Err(_) => return bad(400, "limit must be a number"),
                },
            };
            ok(json!({"requests": shared.requests(limit)}))
        }
        (&Method::GET, ["profiles"]) => ok(crate::json::profile::summary()),
        (&Method::GET, ["submits"]) => {
            let key = query_param(&query, "key").unwrap_or_default();
            let ms: Vec<f64> = shared
                .submit_times(&key)
                .iter()
                .map(|d| d.as_secs_f64() * 1000.0)
                .collect();
            ok(json!({"key": key, "ms": ms}))
        }
        _ => bad(404, format!("no admin endpoint {method} {path}")),
    }
}
