//! Task -> `createTask` body, and the other requests of the json family. A task's type names,
//! fields and constants come from its kind's declaration for the provider's dialect
//! (`task::kinds`); the provider-wide spellings (proxy types, the integrator's id, reports)
//! from its [`Dialect`]. This file knows what the family does with them and no kind by name.

use super::dialect::{Dialect, SoftId};
use crate::codec::fields::{check_provider, json_value, put_path};
use crate::codec::{Body, Method, Request};
use crate::error::{Error, Result};
use crate::proxy::{Proxy, ProxyType};
use crate::secret::Secret;
use crate::task::Task;
use crate::task::field::FieldRef;
use crate::task::kinds::raw::RawFamily;
use crate::task::spec::{Const, JsonWire, TypeNames, When};
use serde_json::{Map, Value};

/// Submits a task.
pub const CREATE_TASK: &str = "createTask";
/// Asks for one task's answer.
pub const GET_TASK_RESULT: &str = "getTaskResult";
/// Reads the balance.
pub const GET_BALANCE: &str = "getBalance";

type Fields = Map<String, Value>;

fn put(t: &mut Fields, name: &str, value: impl Into<Value>) {
    t.insert(name.to_owned(), value.into());
}

fn post(path: &'static str, body: Fields) -> Request {
    Request {
        method: Method::Post,
        path,
        body: Body::Json(Value::Object(body)),
    }
}

fn with_key(key: &Secret) -> Fields {
    let mut body = Fields::new();
    put(&mut body, "clientKey", key.expose());
    body
}

/// A task id as the services read it: digits only (and no leading zero, which a number would
/// lose) as a JSON number, anything else (CapSolver's UUIDs) as a string.
pub(crate) fn task_id_value(id: &str) -> Value {
    let numeric = !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && (id == "0" || !id.starts_with('0'));
    match id.parse::<u64>() {
        Ok(n) if numeric => Value::from(n),
        _ => Value::from(id),
    }
}

/// The variant of the kind's spelling that applies to this task, or the `usage` error that
/// the provider does not solve it.
pub(crate) fn variant(d: &Dialect, task: &Task) -> Result<&'static JsonWire> {
    let kind = task.kind();
    let mut any = false;
    for w in kind.spec().wire.json(d.id) {
        any = true;
        let applies = match w.when {
            When::Always => true,
            When::AnySet(fields) => fields.iter().any(|f| task.get(f).is_set()),
        };
        if applies {
            return Ok(w);
        }
    }
    Err(Error::usage(if any {
        format!("{} has no variant of {kind} tasks for these fields", d.name)
    } else {
        format!("{} does not solve {kind} tasks", d.name)
    }))
}

/// The `createTask` request for a task. Validates the task, then refuses what the provider
/// cannot take (`usage`), before anything is built.
pub(crate) fn submit_request(
    d: &Dialect,
    task: &Task,
    key: &Secret,
    soft_id: Option<&str>,
) -> Result<Request> {
    task.validate()?;
    let wire = variant(d, task)?;
    check_provider(task, d.name, wire.needs, wire.refuses)?;
    if let Some(check) = wire.check {
        check(task).map_err(|why| Error::usage(format!("{} {why}", d.name)))?;
    }
    let mut t = Fields::new();
    let mut top = Fields::new();
    let type_name = match task {
        Task::Raw(raw) => {
            if raw.family() != RawFamily::Json {
                return Err(Error::usage(format!(
                    "{} speaks the json protocol: a Raw request for it is a task object with a type, not in.php fields with a method",
                    d.name
                )));
            }
            // Sent as given, `type` included.
            t.extend(raw.request.iter().map(|(k, v)| (k.clone(), v.clone())));
            None
        }
        _ if wire.types.proxyless.is_none() && wire.types.proxied.is_none() => {
            return Err(Error::usage(format!("{} {}", d.name, wire.refusal)));
        }
        // A `type` among the caller's extra fields replaces ours, and with it our choice.
        _ if task.extra().contains_key("type") => None,
        _ => Some(pick_type(d, wire.types, task)?),
    };
    for (path, value) in wire.constants {
        let v = match value {
            Const::Text(s) => Value::from(*s),
            Const::Int(n) => Value::from(*n),
            Const::Bool(b) => Value::from(*b),
        };
        put_path(&mut t, path, v);
    }
    for w in wire.fields {
        if let Some(v) = json_value(task, w.ours, w.enc) {
            match w.wire.strip_prefix('^') {
                Some(name) => put_path(&mut top, name, v),
                None => put_path(&mut t, w.wire, v),
            }
        }
    }
    if let Some(p) = task.proxy() {
        if wire.proxy_text {
            put(&mut t, "proxy", proxy_text(p));
        } else {
            proxy_fields(d, p, &mut t);
        }
    }
    // The caller's own fields win over ours: they are the escape hatch for what the model
    // does not name or names differently than a service wants.
    for (name, value) in task.extra() {
        t.insert(name.clone(), value.clone());
    }
    // `type` first, for anyone reading a request dump.
    let mut task_obj = Fields::new();
    if let Some(name) = type_name {
        put(&mut task_obj, "type", name);
    }
    task_obj.extend(t);

    let mut body = with_key(key);
    body.insert("task".to_owned(), Value::Object(task_obj));
    if let Some(id) = soft_id {
        match d.soft_id {
            SoftId::Number(field) => {
                let n: u64 = id.trim().parse().map_err(|_| {
                    Error::usage(format!(
                        "{} takes a numeric soft id ({field}); {id:?} is not a number",
                        d.name
                    ))
                })?;
                put(&mut body, field, n);
            }
            SoftId::Text(field) => put(&mut body, field, id),
        }
    }
    if let Some(url) = task.pingback() {
        put(&mut body, "callbackUrl", url);
    }
    body.extend(top);
    Ok(post(CREATE_TASK, body))
}

/// The type name for a task with or without a proxy.
fn pick_type(d: &Dialect, names: TypeNames, task: &Task) -> Result<&'static str> {
    let kind = task.kind();
    if matches!(task.get("proxy"), FieldRef::Proxy(_)) {
        names.proxied.ok_or_else(|| {
            Error::usage(format!(
                "{} solves {kind} tasks only through its own proxies: remove the task's proxy",
                d.name
            ))
        })
    } else {
        names.proxyless.ok_or_else(|| {
            Error::usage(format!(
                "{} solves {kind} tasks only through your proxy: set the task's proxy",
                d.name
            ))
        })
    }
}

/// `proxyType` (lowercase), `proxyAddress`, `proxyPort`, `proxyLogin`, `proxyPassword`. The
/// split form is used wherever the provider takes it: colons in IPv6 addresses and passwords
/// make one string ambiguous.
fn proxy_fields(d: &Dialect, p: &Proxy, t: &mut Fields) {
    let kind = match p.kind() {
        ProxyType::Https if !d.https_proxy => ProxyType::Http,
        k => k,
    };
    put(t, "proxyType", kind.scheme());
    put(t, "proxyAddress", p.host());
    put(t, "proxyPort", p.port());
    if let Some(l) = p.login() {
        put(t, "proxyLogin", l);
    }
    if let Some(pw) = p.password() {
        put(t, "proxyPassword", pw.expose());
    }
}

/// CapSolver's one-string proxy: `socks5:host:port:login:password` (an IPv6 host in
/// brackets).
fn proxy_text(p: &Proxy) -> String {
    let host = if p.host().contains(':') {
        format!("[{}]", p.host())
    } else {
        p.host().to_owned()
    };
    let mut s = format!("{}:{host}:{}", p.kind().scheme(), p.port());
    if let Some(l) = p.login() {
        s.push(':');
        s.push_str(l);
        s.push(':');
        s.push_str(p.password().map(Secret::expose).unwrap_or_default());
    }
    s
}

/// `getTaskResult` for one task.
pub(crate) fn poll_request(task_id: &str, key: &Secret) -> Request {
    let mut body = with_key(key);
    body.insert("taskId".to_owned(), task_id_value(task_id));
    post(GET_TASK_RESULT, body)
}

/// `getBalance`.
pub(crate) fn balance_request(key: &Secret) -> Request {
    post(GET_BALANCE, with_key(key))
}

/// The report of an answer, by the provider's method for the task's kind.
pub(crate) fn report_request(
    d: &Dialect,
    task_id: &str,
    kind: Option<crate::task::TaskKind>,
    good: bool,
    key: &Secret,
) -> Result<Request> {
    let (by, word) = if good {
        (&d.reports.good, "good")
    } else {
        (&d.reports.bad, "bad")
    };
    let method = by.get(kind).ok_or_else(|| {
        let whose = match kind {
            Some(k) if by.any() => format!(" for {k} tasks"),
            _ => String::new(),
        };
        Error::usage(format!("{} takes no {word} reports{whose}", d.name))
    })?;
    let mut body = with_key(key);
    body.insert("taskId".to_owned(), task_id_value(task_id));
    if d.reports.feedback {
        let mut result = Fields::new();
        put(&mut result, "invalid", !good);
        body.insert("result".to_owned(), Value::Object(result));
    }
    Ok(post(method, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_ids_travel_as_numbers_only_when_nothing_is_lost() {
        assert_eq!(task_id_value("2151574698"), Value::from(2_151_574_698u64));
        assert_eq!(task_id_value("0"), Value::from(0u64));
        for s in [
            "61138bb6-19fb-11ec-a9c8-0242ac110006",
            "0123",
            "99999999999999999999999",
            "",
            " 12",
        ] {
            assert_eq!(task_id_value(s), Value::from(s), "{s}");
        }
    }

    #[test]
    fn capsolver_proxy_text() {
        let p = Proxy::parse("socks5://u:p@1.2.3.4:1080").unwrap();
        assert_eq!(proxy_text(&p), "socks5:1.2.3.4:1080:u:p");
        let p = Proxy::parse("http://[2001:db8::1]:3128").unwrap();
        assert_eq!(proxy_text(&p), "http:[2001:db8::1]:3128");
    }
}
