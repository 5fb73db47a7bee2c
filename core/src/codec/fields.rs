//! A kind's fields on the wire, for both families: which wire spelling applies, what a
//! provider refuses or needs, and each [`Enc`] turned into form text or a JSON value. The
//! codecs call these with the kind's declaration (`task::kinds`) and know no kind by name.

use crate::error::{Error, Result};
use crate::task::Task;
use crate::task::field::FieldRef;
use crate::task::spec::Enc;
use serde_json::{Map, Value};

/// Refuses a task that sets a field this provider cannot take, or lacks one it needs: both
/// are `usage` errors (the task is valid; this provider cannot carry it), so failover moves
/// on to a provider that can.
pub(crate) fn check_provider(
    task: &Task,
    provider: &str,
    needs: &[&str],
    refuses: &[&str],
) -> Result<()> {
    let kind = task.kind();
    if let Some(f) = refuses.iter().find(|f| task.get(f).is_set()) {
        return Err(Error::usage(format!(
            "{provider} cannot take {f} with {kind} tasks: leave it out, or use a provider that takes it"
        )));
    }
    if let Some(f) = needs.iter().find(|f| !task.get(f).is_set()) {
        return Err(Error::usage(format!(
            "{provider} needs {f} for {kind} tasks: set it, or use a provider that does without"
        )));
    }
    Ok(())
}

fn b64(bytes: &[u8]) -> String {
    crate::codec::b64::encode(bytes)
}

/// A score rounded to two decimals: `0.30000000000000004` -> `0.3`.
pub(crate) fn score(s: f64) -> f64 {
    (s * 100.0).round() / 100.0
}

/// `0.3` -> `"0.3"`, `0.75` -> `"0.75"`: what the form protocol reads.
fn score_text(s: f64) -> String {
    let mut out = format!("{:.2}", score(s));
    while out.ends_with('0') {
        out.pop();
    }
    if out.ends_with('.') {
        out.push('0');
    }
    out
}

/// `languagePool` takes `en` (English-speaking workers) or `rn` (Russian-speaking ones); other
/// languages have no pool and are not sent.
fn language_pool(lang: &str) -> Option<&'static str> {
    match lang.trim().to_ascii_lowercase().as_str() {
        "en" => Some("en"),
        "rn" | "ru" => Some("rn"),
        _ => None,
    }
}

/// `https://client-api.arkoselabs.com/` -> `client-api.arkoselabs.com`: the services take the
/// domain alone.
/// `domain` with a leading `www.` or without one (see [`Enc::WwwHost`]).
fn www_host(domain: &str, www: bool) -> String {
    let d = domain.trim();
    let bare = d.strip_prefix("www.").unwrap_or(d);
    if www {
        format!("www.{bare}")
    } else {
        bare.to_owned()
    }
}

pub(crate) fn bare_domain(surl: &str) -> String {
    let s = surl.trim();
    if let Ok(u) = url::Url::parse(s)
        && let Some(host) = u.host_str()
    {
        return match u.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_owned(),
        };
    }
    let s = s.trim_start_matches("//");
    s.split(['/', '?', '#']).next().unwrap_or(s).to_owned()
}

/// `rows` x `columns` as CapMonster's `3x3`; a side not given is 3, the reCAPTCHA grid's.
fn grid_size(task: &Task) -> String {
    let side = |name: &str| match task.get(name) {
        FieldRef::Count(n) => n,
        _ => 3,
    };
    format!("{}x{}", side("rows"), side("columns"))
}

/// A JSON value as form text: strings as they are, `true`/`false` as `1`/`0`, numbers as
/// written, anything else as JSON.
pub(crate) fn json_as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        other => other.to_string(),
    }
}

/// A field as form fields (`wire` and its text; several for [`Enc::Brackets`] and
/// [`Enc::Merge`]). Unset fields and `false` flags send nothing. Fails (`usage`) only for a
/// value the protocol cannot carry ([`Enc::PayloadS`]).
pub(crate) fn form_fields(
    task: &Task,
    field: &str,
    wire: &str,
    enc: Enc,
) -> Result<Vec<(String, String)>> {
    let value = task.get(field);
    let one = |v: String| vec![(wire.to_owned(), v)];
    if let (Enc::PayloadS, FieldRef::JsonMap(m)) = (enc, value) {
        if let Some(k) = m.keys().find(|k| k.as_str() != "s") {
            return Err(Error::usage(format!(
                "the form protocol carries only `s` of a {} {field} (as data-s); {k:?} needs a json provider",
                task.kind()
            )));
        }
        return Ok(match m.get("s") {
            Some(s) if !task.get("data_s").is_set() => one(json_as_text(s)),
            _ => Vec::new(),
        });
    }
    Ok(match (enc, value) {
        (Enc::FlagIfAny(_), FieldRef::Flag) => one("1".to_owned()),
        (Enc::FlagIfAny(also), _) if also.iter().any(|f| task.get(f).is_set()) => {
            one("1".to_owned())
        }
        (Enc::FlagIfAny(_), _) => Vec::new(),
        (Enc::ScoreOrLowest, FieldRef::Unset) => one(score_text(0.3)),
        (Enc::GridSize, _) => one(grid_size(task)),
        (_, FieldRef::Unset) => Vec::new(),
        (Enc::Brackets, FieldRef::TextMap(m)) => m
            .iter()
            .map(|(k, v)| (format!("{wire}[{k}]"), v.clone()))
            .collect(),
        (Enc::Merge, FieldRef::JsonMap(m)) => m
            .iter()
            .map(|(k, v)| (k.clone(), json_as_text(v)))
            .collect(),
        (Enc::MergeRenamed(names), FieldRef::JsonMap(m)) => renamed(m, names)
            .iter()
            .map(|(k, v)| (k.clone(), json_as_text(v)))
            .collect(),
        (Enc::Score | Enc::ScoreOrLowest, FieldRef::Number(n)) => one(score_text(n)),
        (Enc::Base64 | Enc::Base64List, FieldRef::Bytes(b)) => one(b64(b)),
        (Enc::TextBase64, FieldRef::Text(t)) => one(b64(t.as_bytes())),
        (Enc::BareDomain, FieldRef::Text(t)) => one(bare_domain(t)),
        (Enc::WwwHost(www), FieldRef::Text(t)) => one(www_host(t, www)),
        (Enc::LanguagePool, FieldRef::Text(t)) => language_pool(t)
            .map(|p| one(p.to_owned()))
            .unwrap_or_default(),
        (Enc::CookiesHeader, FieldRef::Cookies(c)) => one(c
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")),
        (_, FieldRef::Cookies(c)) => one(c
            .iter()
            .map(|(n, v)| format!("{n}:{v}"))
            .collect::<Vec<_>>()
            .join(";")),
        (_, FieldRef::Text(t)) => one(t.to_owned()),
        (_, FieldRef::Flag) => one("1".to_owned()),
        (_, FieldRef::Number(n)) => one(n.to_string()),
        (_, FieldRef::Count(n)) => one(n.to_string()),
        (_, FieldRef::Charset(c)) => one(c.code().to_string()),
        (_, FieldRef::Bytes(b)) => one(b64(b)),
        (_, FieldRef::TextMap(m)) => one(Value::from(map_of_text(m)).to_string()),
        (_, FieldRef::JsonMap(m)) => one(Value::Object(map_of_json(m)).to_string()),
        // Proxies travel in the family's own proxy fields; uploads choose the method; file
        // parts are the request's own (a `Raw` task's `files`), never a field.
        (_, FieldRef::Proxy(_) | FieldRef::Upload(_) | FieldRef::Images(_)) => Vec::new(),
    })
}

fn map_of_text(m: &std::collections::BTreeMap<String, String>) -> Map<String, Value> {
    m.iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect()
}

fn map_of_json(m: &std::collections::BTreeMap<String, Value>) -> Map<String, Value> {
    m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// A map with the keys `names` lists (given spelling, provider's spelling) renamed, the others
/// as given ([`Enc::MergeRenamed`]). A key the caller gave in the provider's spelling wins over
/// the same key renamed, so one name is never sent twice.
fn renamed(
    m: &std::collections::BTreeMap<String, Value>,
    names: &[(&str, &str)],
) -> Map<String, Value> {
    let rename = |k: &str| names.iter().find(|(given, _)| *given == k).map(|(_, w)| *w);
    let mut out: Map<String, Value> = m
        .iter()
        .filter(|(k, _)| rename(k).is_none())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in m {
        if let Some(wire) = rename(k)
            && !out.contains_key(wire)
        {
            out.insert(wire.to_owned(), v.clone());
        }
    }
    out
}

/// A field as a JSON value; `None` sends nothing (unset fields, `false` flags, a language
/// without a pool).
pub(crate) fn json_value(task: &Task, field: &str, enc: Enc) -> Option<Value> {
    let value = task.get(field);
    match (enc, value) {
        (Enc::ScoreOrLowest, FieldRef::Unset) => Some(Value::from(0.3)),
        (Enc::GridSize, _) => Some(Value::from(grid_size(task))),
        (_, FieldRef::Unset) => None,
        (Enc::Score | Enc::ScoreOrLowest, FieldRef::Number(n)) => Some(Value::from(score(n))),
        (Enc::Base64List, FieldRef::Bytes(b)) => Some(Value::from(vec![Value::from(b64(b))])),
        (Enc::Base64, FieldRef::Bytes(b)) => Some(Value::from(b64(b))),
        (Enc::TextBase64, FieldRef::Text(t)) => Some(Value::from(b64(t.as_bytes()))),
        (Enc::BareDomain, FieldRef::Text(t)) => Some(Value::from(bare_domain(t))),
        (Enc::WwwHost(www), FieldRef::Text(t)) => Some(Value::from(www_host(t, www))),
        (Enc::LanguagePool, FieldRef::Text(t)) => language_pool(t).map(Value::from),
        (Enc::Integer, FieldRef::Text(t)) => t.trim().parse::<i64>().ok().map(Value::from),
        (Enc::JsonText, FieldRef::TextMap(m)) => {
            Some(Value::from(Value::Object(map_of_text(m)).to_string()))
        }
        (Enc::JsonText, FieldRef::JsonMap(m)) => {
            Some(Value::from(Value::Object(map_of_json(m)).to_string()))
        }
        (Enc::MergeRenamed(names), FieldRef::JsonMap(m)) => Some(Value::Object(renamed(m, names))),
        (Enc::CookiesObjects, FieldRef::Cookies(c)) => Some(Value::Array(
            c.iter()
                .map(|(n, v)| {
                    let mut o = Map::new();
                    o.insert("name".into(), Value::from(n.as_str()));
                    o.insert("value".into(), Value::from(v.as_str()));
                    Value::Object(o)
                })
                .collect(),
        )),
        (Enc::CookiesColon, FieldRef::Cookies(c)) => Some(Value::from(
            c.iter()
                .map(|(n, v)| format!("{n}:{v}"))
                .collect::<Vec<_>>()
                .join(";"),
        )),
        (_, FieldRef::Cookies(c)) => Some(Value::from(
            c.iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        )),
        (_, FieldRef::Text(t)) => Some(Value::from(t)),
        (_, FieldRef::Flag) => Some(Value::Bool(true)),
        (_, FieldRef::Number(n)) => Some(Value::from(n)),
        (_, FieldRef::Count(n)) => Some(Value::from(n)),
        (_, FieldRef::Charset(c)) => Some(Value::from(c.code())),
        (_, FieldRef::Bytes(b)) => Some(Value::from(b64(b))),
        (_, FieldRef::TextMap(m)) => Some(Value::Object(map_of_text(m))),
        (_, FieldRef::JsonMap(m)) => Some(Value::Object(map_of_json(m))),
        (_, FieldRef::Proxy(_) | FieldRef::Upload(_) | FieldRef::Images(_)) => None,
    }
}

/// Puts `value` at a dotted `path` inside `obj`, making the objects on the way; a value for a
/// path that is an object already (two fields filling one object) is merged into it.
pub(crate) fn put_path(obj: &mut Map<String, Value>, path: &str, value: Value) {
    let mut parts = path.split('.').peekable();
    let mut cur = obj;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            match (cur.get_mut(part), value) {
                (Some(Value::Object(have)), Value::Object(add)) => have.extend(add),
                (_, value) => {
                    cur.insert(part.to_owned(), value);
                }
            }
            return;
        }
        let next = cur
            .entry(part.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        match next {
            Value::Object(m) => cur = m,
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scores_pools_domains_paths() {
        assert_eq!(score(0.1 + 0.2), 0.3);
        assert_eq!(score_text(0.1 + 0.2), "0.3");
        assert_eq!(score_text(0.75), "0.75");
        assert_eq!(score_text(0.9), "0.9");
        assert_eq!(language_pool("RU"), Some("rn"));
        assert_eq!(language_pool("de"), None);
        assert_eq!(
            bare_domain("https://mysite-api.arkoselabs.com/v2/"),
            "mysite-api.arkoselabs.com"
        );
        assert_eq!(bare_domain("http://h.example:8080/x"), "h.example:8080");
        assert_eq!(bare_domain("h.example/path"), "h.example");
        let mut o = Map::new();
        put_path(&mut o, "enterprisePayload", json!({"a": 1}));
        put_path(&mut o, "enterprisePayload.s", json!("x"));
        put_path(&mut o, "metadata.Task", json!("t"));
        assert_eq!(
            Value::Object(o),
            json!({"enterprisePayload": {"a": 1, "s": "x"}, "metadata": {"Task": "t"}})
        );
    }

    #[test]
    fn renamed_keys_take_the_providers_spelling_once() {
        let names: &[(&str, &str)] = &[("riskType", "risk_type")];
        let m = |pairs: &[(&str, Value)]| -> std::collections::BTreeMap<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect()
        };
        let given = m(&[("riskType", json!("slide")), ("other", json!(1))]);
        assert_eq!(
            Value::Object(renamed(&given, names)),
            json!({"risk_type": "slide", "other": 1})
        );
        // Both spellings: the provider's own is sent, once.
        let both = m(&[("riskType", json!("icon")), ("risk_type", json!("slide"))]);
        assert_eq!(
            Value::Object(renamed(&both, names)),
            json!({"risk_type": "slide"})
        );
    }
}
