//! Solutions -> `answer` and `data`, by the kind's [`Decode`] rule, for both families: the
//! form protocol's `request` value (text, or an object, or an object as JSON text) with the
//! reply's other fields, and the json protocol's `solution` object. `data` has the same names
//! on every provider (the kind's declared `data`); a solution that lacks what its kind must
//! hold is refused, never half-read.

use crate::task::spec::Decode;
use serde_json::{Map, Value};

/// Where a solution came from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source<'a> {
    /// The form protocol: `request`, and the reply's other fields (`useragent`, `respKey`).
    Form {
        /// The `request` value.
        request: &'a Value,
        /// The reply's other fields.
        extra: &'a Map<String, Value>,
    },
    /// The json protocol's `solution` object.
    Json(&'a Map<String, Value>),
}

/// A decoded solution.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Decoded {
    pub text: String,
    pub data: Map<String, Value>,
    pub user_agent: Option<String>,
    pub resp_key: Option<String>,
}

/// Why a solution could not be read.
pub(crate) type Why = &'static str;

fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn first_text(m: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match m.get(*n) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    })
}

const UA: &[&str] = &["userAgent", "useragent", "user_agent"];
const RESP_KEY: &[&str] = &["respKey", "resp_key"];

/// The object a structured answer is in: the json solution, the form `request` object, or
/// that object sent as JSON text (CaptchaAI's GeeTest answers).
fn object(src: Source<'_>) -> Option<Map<String, Value>> {
    match src {
        Source::Json(m) => Some(m.clone()),
        Source::Form { request, .. } => match request {
            Value::Object(m) => Some(m.clone()),
            Value::String(s) => match serde_json::from_str::<Value>(s.trim()) {
                Ok(Value::Object(m)) => Some(m),
                _ => None,
            },
            _ => None,
        },
    }
}

/// The form `request` as text.
fn form_text(src: Source<'_>) -> Option<String> {
    match src {
        Source::Form { request, .. } => text_of(Some(request)),
        Source::Json(_) => None,
    }
}

/// The fields beside the answer: the form reply's extras, or the json solution itself.
fn beside(src: Source<'_>) -> &Map<String, Value> {
    match src {
        Source::Form { extra, .. } => extra,
        Source::Json(m) => m,
    }
}

fn compact(data: &Map<String, Value>) -> String {
    Value::Object(data.clone()).to_string()
}

/// Decodes a solution by its kind's rule.
pub(crate) fn decode(rule: Decode, src: Source<'_>) -> Result<Decoded, Why> {
    let mut d = Decoded {
        user_agent: first_text(beside(src), UA),
        resp_key: first_text(beside(src), RESP_KEY),
        ..Decoded::default()
    };
    match rule {
        Decode::Token => {
            d.text = token(src).ok_or("the task is ready but its solution is empty")?;
            if let Some(ua) = &d.user_agent {
                d.data.insert("user_agent".into(), Value::from(ua.as_str()));
            }
            if let Some(rk) = &d.resp_key {
                d.data.insert("resp_key".into(), Value::from(rk.as_str()));
            }
        }
        Decode::Object(keys) | Decode::GeeTest(keys) => {
            let obj = object(src).ok_or("the solution is not the object its kind answers with")?;
            for (wire, name) in keys {
                // The wire name, else the plain name (some services drop the prefix).
                let value = text_of(obj.get(*wire)).or_else(|| text_of(obj.get(*name)));
                match value {
                    Some(v) => {
                        d.data.insert((*name).to_owned(), Value::from(v));
                    }
                    // GeeTest's own rule: the seccode is the validate value with `|jordan`.
                    None if matches!(rule, Decode::GeeTest(_)) && *name == "seccode" => {
                        let validate = d
                            .data
                            .get("validate")
                            .and_then(Value::as_str)
                            .ok_or("the solution lacks a value its kind must hold")?
                            .to_owned();
                        d.data
                            .insert("seccode".into(), Value::from(format!("{validate}|jordan")));
                    }
                    None => return Err("the solution lacks a value its kind must hold"),
                }
            }
            d.text = compact(&d.data);
        }
        Decode::Amazon => {
            let obj = object(src).ok_or("the solution is not Amazon WAF's object")?;
            let voucher = text_of(obj.get("captcha_voucher"));
            let token = text_of(obj.get("existing_token"));
            if let (Some(v), Some(t)) = (voucher, token) {
                d.data.insert("captcha_voucher".into(), Value::from(v));
                d.data
                    .insert("existing_token".into(), Value::from(t.as_str()));
                d.text = t;
            } else {
                let cookie = text_of(obj.get("token"))
                    .or_else(|| text_of(obj.get("cookie")))
                    .or_else(|| {
                        obj.get("cookies")
                            .and_then(Value::as_object)
                            .and_then(|c| text_of(c.get("aws-waf-token")))
                    })
                    .ok_or("the solution has neither a voucher and token nor a cookie")?;
                d.data.insert("cookie".into(), Value::from(cookie.as_str()));
                d.text = cookie;
            }
        }
        Decode::Points => {
            let points = match src {
                Source::Json(m) => m.get("coordinates").and_then(points_of_list),
                Source::Form { request, .. } => match request {
                    Value::String(s) => points_of_text(s),
                    other => points_of_list(other),
                },
            }
            .filter(|p| !p.is_empty())
            .ok_or("the solution holds no points")?;
            d.text = points
                .iter()
                .map(|(x, y)| format!("x={x},y={y}"))
                .collect::<Vec<_>>()
                .join(";");
            let list = points
                .iter()
                .map(|(x, y)| {
                    let mut o = Map::new();
                    o.insert("x".into(), Value::from(*x));
                    o.insert("y".into(), Value::from(*y));
                    Value::Object(o)
                })
                .collect();
            d.data.insert("points".into(), Value::Array(list));
        }
        Decode::Cells { key, base, none } => {
            let cells = match src {
                Source::Json(m) => m.get(key).and_then(|v| cells_of_list(v, base)),
                Source::Form { request, .. } => match request {
                    Value::String(s) => cells_of_text(s, base),
                    other => cells_of_list(other, base),
                },
            }
            // No cell is an answer only where the provider says so (see `Decode::Cells`).
            .filter(|c| none || !c.is_empty())
            .ok_or("the solution holds no cell numbers")?;
            d.text = cells
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            d.data.insert(
                "cells".into(),
                Value::Array(cells.into_iter().map(Value::from).collect()),
            );
        }
        Decode::Angle(key) => {
            let raw = match src {
                Source::Json(m) => m.get(key).cloned(),
                Source::Form { request, .. } => Some(request.clone()),
            };
            let angle = match raw {
                Some(Value::Number(n)) => n.as_f64(),
                Some(Value::String(s)) => {
                    let t = s.trim();
                    t.strip_prefix("angle:")
                        .unwrap_or(t)
                        .trim()
                        .parse::<f64>()
                        .ok()
                }
                _ => None,
            }
            .filter(|a| a.is_finite())
            .ok_or("the solution holds no angle")?;
            d.text = if angle.fract() == 0.0 && angle.abs() < 1e9 {
                format!("{angle:.0}")
            } else {
                angle.to_string()
            };
            d.data.insert("angle".into(), Value::from(angle));
        }
        Decode::Clearance => {
            let (value, mut cookies) = match src {
                Source::Form { request, .. } => (text_of(Some(request)), Map::new()),
                Source::Json(m) => {
                    let cookies = m
                        .get("cookies")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    let value = text_of(m.get("cf_clearance"))
                        .or_else(|| text_of(cookies.get("cf_clearance")))
                        .or_else(|| text_of(m.get("token")));
                    (value, cookies)
                }
            };
            let value = value.ok_or("the solution holds no cf_clearance value")?;
            cookies
                .entry("cf_clearance")
                .or_insert_with(|| Value::from(value.as_str()));
            d.data.insert("cookies".into(), Value::Object(cookies));
            if let Some(ua) = &d.user_agent {
                d.data.insert("user_agent".into(), Value::from(ua.as_str()));
            }
            d.text = value;
        }
        Decode::DataDome => {
            let cookie = match src {
                Source::Form { request, .. } => text_of(Some(request)),
                Source::Json(m) => text_of(m.get("cookie")).or_else(|| {
                    // CapMonster: `domains.<domain>.cookies.datadome`.
                    m.get("domains")?
                        .as_object()?
                        .values()
                        .find_map(|dom| text_of(dom.get("cookies")?.as_object()?.get("datadome")))
                }),
            }
            .ok_or("the solution holds no datadome cookie")?;
            let (value, whole) = datadome(&cookie);
            if value.is_empty() {
                return Err("the solution holds an empty datadome cookie");
            }
            d.data.insert("cookie".into(), Value::from(whole));
            d.text = value;
        }
        Decode::Raw => match src {
            Source::Json(m) => {
                let named = ["gRecaptchaResponse", "token", "text"]
                    .iter()
                    .any(|k| m.contains_key(*k));
                d.text = match token(src) {
                    Some(t) => t,
                    // An empty solution, or a token field that is empty, is no answer.
                    None if m.is_empty() || named => {
                        return Err("the task is ready but its solution is empty");
                    }
                    None => compact(m),
                };
                d.data = m.clone();
            }
            Source::Form { request, extra } => {
                d.text = match request {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    other => other.to_string(),
                };
                if d.text.trim().is_empty() {
                    return Err("the task is ready but its solution is empty");
                }
                // A text answer is the answer itself; an object is the solution's structure.
                // The reply's other fields (a user agent, cookies) go beside it.
                d.data = match request {
                    Value::Object(m) => m.clone(),
                    _ => Map::new(),
                };
                for (k, v) in extra {
                    d.data.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        },
    }
    Ok(d)
}

/// A token or text: the form `request`, or the json solution's `gRecaptchaResponse`,
/// `token`, `text`, or CapSolver's `answers[]` (joined with `,`, one per image sent).
fn token(src: Source<'_>) -> Option<String> {
    match src {
        Source::Form { .. } => form_text(src).filter(|t| !t.trim().is_empty()),
        Source::Json(sol) => ["gRecaptchaResponse", "token", "text"]
            .iter()
            .find_map(|n| text_of(sol.get(*n)))
            .or_else(|| {
                let parts: Vec<String> = sol
                    .get("answers")?
                    .as_array()?
                    .iter()
                    .filter_map(|a| text_of(Some(a)))
                    .collect();
                (!parts.is_empty()).then(|| parts.join(","))
            }),
    }
}

fn coordinate(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite())
                .map(|f| f.round() as i64)
        }),
        Value::String(s) => s.trim().parse::<f64>().ok().map(|f| f.round() as i64),
        _ => None,
    }
}

/// `[{x, y}]` or `[[x, y]]`.
fn points_of_list(v: &Value) -> Option<Vec<(i64, i64)>> {
    v.as_array()?
        .iter()
        .map(|p| match p {
            Value::Object(o) => Some((coordinate(o.get("x"))?, coordinate(o.get("y"))?)),
            Value::Array(a) => Some((coordinate(a.first())?, coordinate(a.get(1))?)),
            _ => None,
        })
        .collect()
}

/// `coordinates:x=56,y=56;x=170,y=56` (the prefix is optional).
fn points_of_text(s: &str) -> Option<Vec<(i64, i64)>> {
    let t = s.trim();
    let t = t.strip_prefix("coordinates:").unwrap_or(t);
    t.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (mut x, mut y) = (None, None);
            for kv in p.split(',') {
                let (k, v) = kv.split_once('=')?;
                let n = v.trim().parse::<f64>().ok()?.round() as i64;
                match k.trim() {
                    "x" => x = Some(n),
                    "y" => y = Some(n),
                    _ => {}
                }
            }
            Some((x?, y?))
        })
        .collect()
}

/// Cell `n` counted from `base`, as a number counting from 1; `None` below the first cell
/// and for numbers too large to hold (checked: a service picks `n`).
fn cell(n: i64, base: u32) -> Option<u64> {
    n.checked_sub(i64::from(base))?
        .checked_add(1)
        .and_then(|c| u64::try_from(c).ok())
        .filter(|c| *c > 0)
}

/// A list of cell numbers counting from `base`, or of booleans (the cells that are true).
fn cells_of_list(v: &Value, base: u32) -> Option<Vec<u64>> {
    let items = v.as_array()?;
    if items.iter().all(Value::is_boolean) {
        return Some(
            items
                .iter()
                .enumerate()
                .filter(|(_, b)| b.as_bool() == Some(true))
                .map(|(i, _)| i as u64 + 1)
                .collect(),
        );
    }
    items
        .iter()
        .map(|c| cell(coordinate(Some(c))?, base))
        .collect()
}

/// `click:3/6/9`, `3/6/9` or `3,6,9`.
fn cells_of_text(s: &str, base: u32) -> Option<Vec<u64>> {
    let t = s.trim();
    let t = t.strip_prefix("click:").unwrap_or(t);
    t.split(['/', ','])
        .filter(|p| !p.trim().is_empty())
        .map(|p| cell(p.trim().parse().ok()?, base))
        .collect()
}

/// A datadome cookie as its value and the whole cookie text: `datadome=V; Max-Age=..` ->
/// (`V`, the whole); a bare value -> (`V`, `datadome=V`).
fn datadome(cookie: &str) -> (String, String) {
    let t = cookie.trim();
    match t.strip_prefix("datadome=") {
        Some(rest) => (
            rest.split(';').next().unwrap_or_default().trim().to_owned(),
            t.to_owned(),
        ),
        None => (t.to_owned(), format!("datadome={t}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(request: Value, rule: Decode) -> Result<Decoded, Why> {
        let extra = Map::new();
        decode(
            rule,
            Source::Form {
                request: &request,
                extra: &extra,
            },
        )
    }

    fn json_sol(sol: Value, rule: Decode) -> Result<Decoded, Why> {
        match sol {
            Value::Object(m) => decode(rule, Source::Json(&m)),
            _ => Err("not an object"),
        }
    }

    #[test]
    fn structured_answers_from_either_family() {
        let keys: &[(&str, &str)] = &[
            ("geetest_challenge", "challenge"),
            ("geetest_validate", "validate"),
            ("geetest_seccode", "seccode"),
        ];
        let inner = json!({"geetest_challenge": "c", "geetest_validate": "v", "geetest_seccode": "v|jordan"});
        let a = form(inner.clone(), Decode::GeeTest(keys)).unwrap();
        let b = form(Value::from(inner.to_string()), Decode::GeeTest(keys)).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.data["seccode"], "v|jordan");
        let c = json_sol(
            json!({"challenge": "c", "validate": "v"}),
            Decode::GeeTest(&[
                ("challenge", "challenge"),
                ("validate", "validate"),
                ("seccode", "seccode"),
            ]),
        )
        .unwrap();
        assert_eq!(c.data["seccode"], "v|jordan");
        assert!(form(json!({"geetest_challenge": "c"}), Decode::GeeTest(keys)).is_err());

        let p = form(
            Value::from("coordinates:x=56,y=56;x=170,y=57"),
            Decode::Points,
        )
        .unwrap();
        assert_eq!(p.text, "x=56,y=56;x=170,y=57");
        assert_eq!(
            p.data["points"],
            json!([{"x": 56, "y": 56}, {"x": 170, "y": 57}])
        );
        let q = json_sol(
            json!({"coordinates": [[56, 56], [170, 57]]}),
            Decode::Points,
        )
        .unwrap();
        assert_eq!(p.data, q.data);
        let r = json_sol(
            json!({"coordinates": [{"x": "56", "y": 56}, {"x": 170, "y": "57"}]}),
            Decode::Points,
        )
        .unwrap();
        assert_eq!(p.data, r.data);

        let g = form(
            Value::from("click:3/6/9"),
            Decode::Cells {
                key: "",
                base: 1,
                none: false,
            },
        )
        .unwrap();
        assert_eq!(g.text, "3,6,9");
        let h = json_sol(
            json!({"click": [2, 5, 8]}),
            Decode::Cells {
                key: "click",
                base: 0,
                none: false,
            },
        )
        .unwrap();
        assert_eq!(g.data, h.data);
        let capmonster = Decode::Cells {
            key: "answer",
            base: 0,
            none: true,
        };
        let i = json_sol(
            json!({"answer": [false, false, true, false, false, true, false, false, true]}),
            capmonster,
        )
        .unwrap();
        assert_eq!(g.data, i.data);

        // No cell is an answer where the provider gives it: CapMonster's all-false list (a
        // 1x1 tile of a dynamic reCAPTCHA with nothing to click), CapSolver's empty objects.
        for none in [json!({"answer": [false]}), json!({"answer": []})] {
            let d = json_sol(none, capmonster).unwrap();
            assert_eq!((d.text.as_str(), &d.data["cells"]), ("", &json!([])));
        }
        let capsolver = Decode::Cells {
            key: "objects",
            base: 0,
            none: true,
        };
        assert_eq!(
            json_sol(json!({"objects": []}), capsolver).unwrap().data["cells"],
            json!([])
        );
        // A list that is not one is still refused.
        assert!(json_sol(json!({"objects": "x"}), capsolver).is_err());
        assert!(json_sol(json!({}), capsolver).is_err());

        // Elsewhere no cell, or a cell number at the edge of i64, is no answer (and no
        // overflow).
        let one = Decode::Cells {
            key: "",
            base: 1,
            none: false,
        };
        let zero = Decode::Cells {
            key: "click",
            base: 0,
            none: false,
        };
        for empty in ["click:", "/", " , ", "click:/"] {
            assert!(form(Value::from(empty), one).is_err(), "{empty:?}");
        }
        assert!(json_sol(json!({"click": []}), zero).is_err());
        assert!(json_sol(json!({"click": [false, false]}), zero).is_err());
        for edge in [i64::MAX, i64::MIN] {
            assert!(form(Value::from(format!("click:{edge}")), zero).is_err());
            assert!(form(Value::from(format!("click:{edge}")), one).is_err() || edge > 0);
            assert!(json_sol(json!({ "click": [edge] }), zero).is_err());
            assert!(json_sol(json!({ "objects": [edge] }), capsolver).is_err() || edge > 0);
        }

        let dd = form(
            Value::from("datadome=AbC; Max-Age=31536000; Path=/"),
            Decode::DataDome,
        )
        .unwrap();
        assert_eq!(dd.text, "AbC");
        let cm = json_sol(
            json!({"domains": {"www.example.com": {"cookies": {"datadome": "AbC"}}}}),
            Decode::DataDome,
        )
        .unwrap();
        assert_eq!(cm.text, "AbC");
        assert_eq!(cm.data["cookie"], "datadome=AbC");

        let am = json_sol(json!({"cookies": {"aws-waf-token": "tok"}}), Decode::Amazon).unwrap();
        assert_eq!(
            (am.text.as_str(), &am.data["cookie"]),
            ("tok", &json!("tok"))
        );
        let cf = json_sol(
            json!({"cookies": {"cf_clearance": "clr", "x": "y"}, "userAgent": "UA"}),
            Decode::Clearance,
        )
        .unwrap();
        assert_eq!(cf.text, "clr");
        assert_eq!(cf.data["user_agent"], "UA");
        let an = form(Value::from("-40"), Decode::Angle("")).unwrap();
        assert_eq!(
            (an.text.as_str(), &an.data["angle"]),
            ("-40", &json!(-40.0))
        );
    }
}
