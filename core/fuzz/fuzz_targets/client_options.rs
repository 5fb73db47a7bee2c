//! Client and solve options from arbitrary JSON maps (`capbridge::options::client_builder`,
//! `solve_options`): every refusal is a `usage` error naming the option, and never shows an
//! API key (the top one, nor a provider's). Clients are not built (that starts an engine and loads TLS roots per input).

#![no_main]

use capbridge::ErrorKind;
use capbridge::options::{client_builder, solve_options};
use capbridge_fuzz::*;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

/// Whether an error's option is a known option or a key the input has, under its prefix.
fn names_an_option(option: &str, map: &Map<String, Value>) -> bool {
    fn keys(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| {
                out.push(k.clone());
                keys(v, out);
            }),
            Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    keys(&Value::Object(map.clone()), &mut all);
    let rest = ["limits.", "retry.", "failover."]
        .iter()
        .find_map(|p| option.strip_prefix(p))
        .or_else(|| {
            let (_, after) = option.strip_prefix("providers[")?.split_once(']')?;
            Some(after.strip_prefix('.').unwrap_or(after))
        })
        .unwrap_or(option);
    (rest.is_empty() && option.starts_with("providers["))
        || all.iter().any(|k| k == rest || k == option)
        || capbridge::options::find(option).is_some()
}

/// Where an input holds an API key: at the top (`api_key`), or in `providers[i]`.
#[derive(Clone, Copy)]
enum KeyAt {
    Top,
    Provider(usize),
}

/// Every API key the input gives, with where.
fn keys_given(map: &Map<String, Value>) -> Vec<(KeyAt, String)> {
    let mut out = Vec::new();
    if let Some(Value::String(k)) = map.get("api_key") {
        out.push((KeyAt::Top, k.clone()));
    }
    if let Some(Value::Array(list)) = map.get("providers") {
        for (i, p) in list.iter().enumerate() {
            if let Some(Value::String(k)) = p.get("api_key") {
                out.push((KeyAt::Provider(i), k.clone()));
            }
        }
    }
    out
}

/// The same input with the key at `at` replaced by another of as many characters (none of
/// them in `key`): what an error shows of the key's text anyway (a key that is a word of the
/// message, such as `is not an opt`) is then told apart from the key being repeated.
fn with_other_key(map: &Map<String, Value>, at: KeyAt, key: &str) -> Map<String, Value> {
    let filler = ['Q', 'Z', '#', '~']
        .into_iter()
        .find(|c| !key.contains(*c))
        .unwrap_or('\u{E000}');
    let other_key =
        Value::from(std::iter::repeat_n(filler, key.chars().count()).collect::<String>());
    let mut other = map.clone();
    let slot = match at {
        KeyAt::Top => other.get_mut("api_key"),
        KeyAt::Provider(i) => other
            .get_mut("providers")
            .and_then(|l| l.get_mut(i))
            .and_then(|p| p.get_mut("api_key")),
    };
    if let Some(slot) = slot {
        *slot = other_key;
    }
    other
}

fn check_usage(
    where_: &str,
    e: &capbridge::Error,
    map: &Map<String, Value>,
    read: fn(Map<String, Value>) -> Option<capbridge::Error>,
) {
    check_error(where_, e);
    assert_eq!(e.kind(), ErrorKind::Usage, "{where_}: {e:?}");
    let option = e
        .option()
        .unwrap_or_else(|| panic!("{where_}: no option named: {e:?}"));
    assert!(
        names_an_option(option, map),
        "{where_}: names an option that is neither known nor in the input: {e:?}"
    );
    // Each key (the top one, each provider's), when given once and long enough to tell, is
    // never shown: the error holds its text no more often than the same input's error with
    // another key there does.
    let all = serde_json::to_string(map).unwrap_or_default();
    let text = format!("{e} {e:?}");
    for (at, key) in keys_given(map) {
        if key.len() < 12 || all.matches(key.as_str()).count() != 1 || !text.contains(key.as_str())
        {
            continue;
        }
        let anyway = read(with_other_key(map, at, &key))
            .map(|o| format!("{o} {o:?}").matches(key.as_str()).count())
            .unwrap_or(0);
        assert!(
            text.matches(key.as_str()).count() <= anyway,
            "{where_}: the error shows an API key: {text}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Err(e) = client_builder(map.clone()) {
        check_usage("client_builder", &e, &map, |m| client_builder(m).err());
    }
    match solve_options(map.clone()) {
        Ok(o) => {
            for d in [o.timeout, o.initial_delay, o.poll_interval]
                .into_iter()
                .flatten()
            {
                assert!(d <= capbridge::provider::MAX_TIMEOUT, "{o:?}");
            }
        }
        Err(e) => check_usage("solve_options", &e, &map, |m| solve_options(m).err()),
    }
});
