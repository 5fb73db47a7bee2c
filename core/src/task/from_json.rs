//! Tasks from JSON: `{"type": "RecaptchaV2", "website_url": ..., "website_key": ...}`.
//!
//! Field names are the snake_case names of the Rust structs (and of the Python keyword
//! arguments). Images are base64 strings, proxies URL strings, cookies an object or a
//! `name:value;name2:value2` string. The shared test vectors and the language bindings use this
//! form, so the parsing and validation of tasks lives here once.

use super::Task;
use crate::error::{Error, Result};
use crate::proxy::Proxy;
use serde::Deserialize;
use serde::de::{self, Deserializer};

impl Task {
    /// Parses and validates a task from its JSON form. Every failure is an `invalid_task`
    /// error, naming the field where one is at fault.
    pub fn from_json(json: &str) -> Result<Task> {
        let task: Task = serde_json::from_str(json).map_err(|e| {
            let msg = e.to_string();
            let field = field_in_message(&msg).unwrap_or("task");
            Error::invalid_field(field, format!("invalid task JSON: {msg}"))
        })?;
        task.validate()?;
        Ok(task)
    }
}

/// Serde names fields in backquotes: "missing field `website_url`", "unknown field `x`".
fn field_in_message(msg: &str) -> Option<&str> {
    let start = msg.find("field `")? + "field `".len();
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

pub(super) fn image<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<u8>, D::Error> {
    let s = String::deserialize(d)?;
    super::ImageToText::from_base64(&s)
        .map(|t| t.image)
        .map_err(|_| de::Error::custom("field `image`: not valid base64"))
}

pub(super) fn proxy<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Proxy>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        // Proxy errors never repeat the input, which may hold a password.
        Some(s) => Proxy::parse(s)
            .map(Some)
            .map_err(|e| de::Error::custom(format!("field `proxy`: {}", e.message()))),
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Cookies {
    Map(std::collections::BTreeMap<String, String>),
    Pairs(Vec<(String, String)>),
    Text(String),
}

pub(super) fn cookies<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<(String, String)>, D::Error> {
    Ok(match Option::<Cookies>::deserialize(d)? {
        None => Vec::new(),
        Some(Cookies::Map(m)) => m.into_iter().collect(),
        Some(Cookies::Pairs(p)) => p,
        Some(Cookies::Text(t)) => t
            .split(';')
            .filter(|p| !p.trim().is_empty())
            .map(|p| match p.split_once(':').or_else(|| p.split_once('=')) {
                Some((n, v)) => (n.trim().to_owned(), v.trim().to_owned()),
                None => (p.trim().to_owned(), String::new()),
            })
            .collect(),
    })
}

impl<'de> Deserialize<'de> for super::CharacterSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Code(u8),
            Name(String),
        }
        use super::CharacterSet as C;
        match Repr::deserialize(d)? {
            Repr::Code(c) => {
                C::from_code(c).ok_or_else(|| de::Error::custom("field `numeric`: expected 0..=4"))
            }
            Repr::Name(n) => match n.as_str() {
                "any" => Ok(C::Any),
                "numbers_only" => Ok(C::NumbersOnly),
                "letters_only" => Ok(C::LettersOnly),
                "numbers_or_letters" => Ok(C::NumbersOrLetters),
                "numbers_and_letters" => Ok(C::NumbersAndLetters),
                _ => Err(de::Error::custom("field `numeric`: unknown character set")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn parses_and_names_fields() {
        let t = Task::from_json(r#"{"type":"RecaptchaV3","website_url":"https://a.b/","website_key":"k","min_score":0.3}"#).unwrap();
        match t {
            Task::RecaptchaV3(v3) => assert_eq!(v3.action, "verify"),
            _ => panic!("wrong kind"),
        }
        let e = Task::from_json(
            r#"{"type":"RecaptchaV2","website_url":"https://a.b/","websitekey":"k"}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidTask);
        assert_eq!(e.field(), Some("websitekey"));
        let e =
            Task::from_json(r#"{"type":"RecaptchaV2","website_url":"https://a.b/"}"#).unwrap_err();
        assert_eq!(e.field(), Some("website_key"));
        let e = Task::from_json(r#"{"type":"Nope"}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidTask);
        let e = Task::from_json(r#"{"type":"HCaptcha","website_url":"https://a.b/","website_key":"k","proxy":"http://u:hunter2@h"}"#).unwrap_err();
        assert_eq!(e.field(), Some("proxy"));
        assert!(!e.to_string().contains("hunter2"));
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
