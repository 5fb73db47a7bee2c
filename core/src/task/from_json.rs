//! Tasks from JSON: `{"type": "RecaptchaV2", "website_url": ..., "website_key": ...}`: the
//! form every binding hands the core, so that parsing and validation live here once.
//!
//! Field names are the snake_case names of the Rust structs (and of the Python keyword
//! arguments; Node converts its camelCase names). Images are base64 text, a `data:` URL of
//! any media type (how bindings pass raw bytes: `data:application/octet-stream;base64,...`),
//! a path ([`super::ImageToText::from_text`]), or a list of byte values; proxies a URL, a 2captcha-style `{"type",
//! "uri"}` object or their parts (`{"type", "host", "port", "login", "password"}`); cookies
//! an object, a list of pairs or a `name:value;name2:value2` string.
//!
//! Every failure is an `invalid_task` error with the field's path (`website_key`,
//! `cookies[0]`) and a reason in plain words: no Rust type or serde wording reaches the user.

use super::{Task, TaskKind};
use crate::error::{Error, Result};
use crate::proxy::Proxy;
use serde_json::{Map, Value};

impl Task {
    /// Parses and validates a task from its JSON form.
    pub fn from_json(json: &str) -> Result<Task> {
        let v: Value = serde_json::from_str(json).map_err(|e| {
            Error::invalid_field(
                "task",
                format!(
                    "is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        Task::from_value(v)
    }

    /// Parses and validates a task from a JSON value (what bindings build).
    pub fn from_value(v: Value) -> Result<Task> {
        let Value::Object(mut m) = v else {
            return Err(Error::invalid_field(
                "task",
                "expected an object with a type, such as {\"type\": \"RecaptchaV2\", ...}",
            ));
        };
        let names = || {
            TaskKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let kind = match m.remove("type") {
            Some(Value::String(t)) => TaskKind::parse(&t)?,
            Some(_) => return Err(Error::invalid_field("type", "expected text")),
            None => {
                return Err(Error::invalid_field(
                    "type",
                    format!("is required: one of {}", names()),
                ));
            }
        };
        let task = Task::from_fields(kind, m)?;
        task.validate()?;
        Ok(task)
    }
}

/// A proxy in any of its forms, always through the one proxy parser.
fn proxy_from(v: Value) -> Result<Option<Proxy>> {
    let text = |v: Option<&Value>| -> Option<String> {
        match v {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        }
    };
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Proxy::parse(&s).map(Some),
        Value::Object(m) => {
            // A key we do not read would be dropped without a word: a misspelled `pass`
            // would send the task with no credentials at all.
            const KEYS: [&str; 8] = [
                "type", "scheme", "uri", "host", "address", "port", "login", "password",
            ];
            if let Some(k) = m.keys().find(|k| !KEYS.contains(&k.as_str())) {
                let hint = crate::error::nearest(k, &KEYS)
                    .map(|n| format!(" (did you mean {n}?)"))
                    .unwrap_or_default();
                return Err(Error::invalid_field(
                    "proxy",
                    format!(
                        "{k:?} is not a proxy key{hint}; a proxy object has type, host, port, \
                         login and password, or type and uri"
                    ),
                ));
            }
            let scheme = text(m.get("type").or(m.get("scheme")))
                .unwrap_or_else(|| "http".to_owned())
                .to_ascii_lowercase();
            if let Some(uri) = text(m.get("uri")) {
                // 2captcha-python's form: {"type": "HTTPS", "uri": "login:pass@host:port"}.
                let uri = uri.split_once("://").map_or(uri.as_str(), |(_, r)| r);
                return Proxy::parse(&format!("{scheme}://{uri}")).map(Some);
            }
            let host = text(m.get("host").or(m.get("address"))).ok_or_else(|| {
                Error::invalid_field("proxy", "a proxy given as parts needs a host (or a uri)")
            })?;
            let port = match m.get("port") {
                Some(Value::Number(n)) => n.as_u64().and_then(|p| u16::try_from(p).ok()),
                Some(Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            }
            .filter(|p| *p > 0)
            .ok_or_else(|| {
                Error::invalid_field(
                    "proxy",
                    "a proxy given as parts needs a port between 1 and 65535",
                )
            })?;
            let kind = crate::proxy::ProxyType::from_scheme(&scheme).ok_or_else(|| {
                Error::invalid_field("proxy", "the type must be http, https, socks4 or socks5")
            })?;
            let p = Proxy::new(kind, host, port)?;
            match (text(m.get("login")), text(m.get("password"))) {
                (Some(l), Some(pw)) => Ok(Some(p.with_credentials(l, pw))),
                (Some(l), None) => Ok(Some(p.with_credentials(l, ""))),
                (None, Some(_)) => Err(Error::invalid_field("proxy", "a password needs a login")),
                (None, None) => Ok(Some(p)),
            }
        }
        _ => Err(Error::invalid_field(
            "proxy",
            "expected a URL such as http://user:pass@host:port, or an object",
        )),
    }
}

/// Builds a proxy from a JSON value: a proxy URL, or an object of its parts (`type`, `host`,
/// `port`, `login`, `password`, ...); `null` or empty text for none. Bindings call this so
/// that every proxy reaches the one parser.
pub fn parse_proxy(v: Value) -> Result<Option<Proxy>> {
    proxy_from(v)
}

/// Cookies in any of their forms: an object of names and values, a list of `[name, value]`
/// pairs, or `name:value;name2:value2` (also `name=value; name2=value2`).
pub(super) fn cookies(v: Value) -> std::result::Result<Vec<(String, String)>, String> {
    let bad = || {
        "expected an object of names and values, a list of [name, value] pairs, or \
         name:value;name2:value2"
            .to_owned()
    };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match v {
        // Sorted by name: an object's order says nothing, and requests should not vary.
        Value::Object(m) => {
            let mut pairs: Vec<(String, String)> = m
                .iter()
                .map(|(k, v)| text(v).map(|v| (k.clone(), v)).ok_or_else(bad))
                .collect::<std::result::Result<_, _>>()?;
            pairs.sort();
            Ok(pairs)
        }
        Value::Array(items) => items
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([n, v]) => text(n).zip(text(v)).ok_or_else(bad),
                _ => Err(bad()),
            })
            .collect(),
        Value::String(t) => Ok(t
            .split(';')
            .filter(|p| !p.trim().is_empty())
            .map(|p| match p.split_once(':').or_else(|| p.split_once('=')) {
                Some((n, v)) => (n.trim().to_owned(), v.trim().to_owned()),
                None => (p.trim().to_owned(), String::new()),
            })
            .collect()),
        _ => Err(bad()),
    }
}

/// Turns a map of fields into a task of `kind`: what bindings that hold a kind and its fields
/// separately call.
pub fn task_from_fields(kind: &str, fields: Map<String, Value>) -> Result<Task> {
    let mut m = fields;
    m.insert("type".into(), Value::String(kind.to_owned()));
    Task::from_value(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn err(json: &str) -> Error {
        Task::from_json(json).unwrap_err()
    }

    #[test]
    fn parses_and_names_fields_in_plain_words() {
        let t = Task::from_json(r#"{"type":"RecaptchaV3","website_url":"https://a.b/","website_key":"k","min_score":0.3}"#).unwrap();
        match t {
            Task::RecaptchaV3(v3) => assert_eq!(v3.action, "verify"),
            _ => panic!("wrong kind"),
        }
        let e = err(r#"{"type":"RecaptchaV2","website_url":"https://a.b/","websitekey":"k"}"#);
        assert_eq!(e.kind(), ErrorKind::InvalidTask);
        assert_eq!(e.field(), Some("websitekey"));
        assert_eq!(
            e.message(),
            "is not a field of RecaptchaV2; did you mean website_key?"
        );
        // Another library's spelling of a field gets ours; a word like none gets no guess.
        let e = err(r#"{"type":"RecaptchaV2","websiteURL":"https://a.b/","website_key":"k"}"#);
        assert_eq!(e.field(), Some("websiteURL"));
        assert!(e.message().ends_with("did you mean website_url?"), "{e}");
        let e =
            err(r#"{"type":"Turnstile","website_url":"https://a.b/","website_key":"k","xyzzy":1}"#);
        assert_eq!(e.message(), "is not a field of Turnstile");
        let e = err(
            r#"{"type":"Turnstile","website_url":"https://a.b/","website_key":"k","ping_back":"https://c.d/"}"#,
        );
        assert!(e.message().ends_with("did you mean pingback?"), "{e}");
        let e = err(r#"{"type":"RecaptchaV2","website_url":"https://a.b/"}"#);
        assert_eq!(e.field(), Some("website_key"));
        let e = err(
            r#"{"type":"RecaptchaV2","website_url":"https://a.b/","website_key":"k","invisible":"yes"}"#,
        );
        assert_eq!(e.field(), Some("invisible"));
        assert_eq!(e.message(), "expected true or false, got text");
        let e = err(r#"{"type":"ImageToText","image":"aGk=","min_length":-1}"#);
        assert_eq!(e.field(), Some("min_length"), "{e}");
        let e = err(r#"{"type":"Nope"}"#);
        assert_eq!(e.field(), Some("type"));
        assert!(e.message().contains("RecaptchaV2"));
        let e = err(
            r#"{"type":"HCaptcha","website_url":"https://a.b/","website_key":"k","proxy":"http://u:hunter2@h"}"#,
        );
        assert_eq!(e.field(), Some("proxy"));
        assert!(!e.to_string().contains("hunter2"));
        let e = err(
            r#"{"type":"RecaptchaV2","website_url":"https://a.b/","website_key":"k","cookies":[["a"]]}"#,
        );
        assert_eq!(e.field(), Some("cookies"), "{e}");
        for e in [
            err("{"),
            err("[]"),
            err(r#"{"type":"ImageToText","image":5}"#),
            err(r#"{"type":"ImageToText","image":"x","upload":"ftp"}"#),
        ] {
            let text = e.to_string();
            for word in ["serde", "JSON:", "u32", "Deserialize", "struct", "::"] {
                assert!(!text.contains(word), "{text}");
            }
        }
    }

    #[test]
    fn proxies_in_every_form_reach_one_parser() {
        let base =
            r#"{"type":"RecaptchaV2","website_url":"https://a.b/","website_key":"k","proxy":"#;
        for p in [
            r#""https://lo:pw@1.2.3.4:3128""#,
            r#"{"type":"HTTPS","uri":"lo:pw@1.2.3.4:3128"}"#,
            r#"{"type":"https","host":"1.2.3.4","port":3128,"login":"lo","password":"pw"}"#,
            r#"{"type":"https","host":"1.2.3.4","port":"3128","login":"lo","password":"pw"}"#,
        ] {
            let t = Task::from_json(&format!("{base}{p}}}")).unwrap();
            let proxy = t.proxy().unwrap();
            assert_eq!(proxy.kind(), crate::ProxyType::Https, "{p}");
            assert_eq!(proxy.host(), "1.2.3.4", "{p}");
            assert_eq!(proxy.port(), 3128, "{p}");
            assert_eq!(proxy.login(), Some("lo"), "{p}");
            assert_eq!(proxy.password().map(|s| s.expose()), Some("pw"), "{p}");
        }
        let e = err(&format!(r#"{base}{{"type":"https","host":"1.2.3.4"}}}}"#));
        assert_eq!(e.field(), Some("proxy"));
        // A key the parser does not read is refused, never dropped with its secret.
        let e = err(&format!(
            r#"{base}{{"type":"http","host":"1.2.3.4","port":1,"login":"u","pass":"x"}}}}"#
        ));
        assert_eq!(e.field(), Some("proxy"), "{e}");
        assert!(e.message().contains("\"pass\" is not a proxy key"), "{e}");
        assert!(e.message().contains("did you mean password?"), "{e}");
    }

    #[test]
    fn cookies_forms() {
        for c in [
            r#"{"a":"1","b":"2"}"#,
            r#"[["a","1"],["b","2"]]"#,
            r#""a:1;b:2""#,
        ] {
            let json = format!(
                r#"{{"type":"RecaptchaV2","website_url":"https://a.b/","website_key":"k","cookies":{c}}}"#
            );
            match Task::from_json(&json).unwrap() {
                Task::RecaptchaV2(t) => assert_eq!(
                    t.cookies,
                    vec![("a".into(), "1".into()), ("b".into(), "2".into())]
                ),
                _ => panic!("wrong kind"),
            }
        }
    }
}
