//! The catalogue of kinds (`task::kinds`) as one JSON description: every kind with its
//! fields, answer, data and the presets that offer it (kept out of `task`, which knows no
//! provider). Generators render the bindings' typed surfaces (Python classes and
//! stubs, the TypeScript union, the C header's kind documentation) from it, and a test fails
//! when a committed surface differs from a fresh render.

use crate::options::{CLIENT_OPTIONS, OptionDefault, OptionSpec, ValueType};
use crate::provider::{Family, Provider};
use crate::task::TaskKind;
use crate::task::spec::{FieldSpec, FieldType, KindSpec};
use serde_json::{Value, json};

/// Every preset's name with the kinds it offers (a custom provider offers what its family's
/// generic dialect offers).
pub fn offers() -> Vec<(&'static str, Vec<TaskKind>)> {
    Provider::NAMES
        .iter()
        .filter_map(|name| {
            let p = Provider::from_name(name).ok()?;
            Some((*name, kinds_of(&p)))
        })
        .collect()
}

/// The kinds a provider offers.
pub fn kinds_of(p: &Provider) -> Vec<TaskKind> {
    TaskKind::ALL
        .into_iter()
        .filter(|k| offered(k.spec(), p.family()))
        .collect()
}

fn offered(spec: &KindSpec, family: &Family) -> bool {
    match family {
        Family::Form { dialect, .. } => spec.wire.form(*dialect).is_some(),
        Family::Json(d) => spec.wire.json(*d).next().is_some(),
    }
}

/// A field type in words every generator reads.
fn type_json(ty: FieldType) -> Value {
    match ty {
        FieldType::Url => json!({"type": "url"}),
        FieldType::Key => json!({"type": "key"}),
        FieldType::Text => json!({"type": "text"}),
        FieldType::LongText => json!({"type": "long_text"}),
        FieldType::TextOr(d) => json!({"type": "text", "default": d}),
        FieldType::Domain => json!({"type": "domain"}),
        FieldType::Flag => json!({"type": "flag", "default": false}),
        FieldType::Number { min, max } => json!({"type": "number", "min": min, "max": max}),
        FieldType::Count { min, max } => json!({"type": "count", "min": min, "max": max}),
        FieldType::Image => json!({"type": "image"}),
        FieldType::Audio => json!({"type": "audio"}),
        FieldType::ImageMap => json!({"type": "image_map"}),
        FieldType::Proxy => json!({"type": "proxy"}),
        FieldType::Cookies => json!({"type": "cookies"}),
        FieldType::TextMap => json!({"type": "text_map"}),
        FieldType::JsonMap => json!({"type": "json_map"}),
        FieldType::OneOf(words) => json!({"type": "one_of", "values": words}),
        FieldType::Upload => {
            json!({"type": "one_of", "values": ["base64", "multipart"], "default": "base64"})
        }
        FieldType::Charset => json!({"type": "charset", "default": 0}),
    }
}

fn field_json(f: &FieldSpec) -> Value {
    let mut v = type_json(f.ty);
    if let Value::Object(m) = &mut v {
        m.insert("name".into(), Value::from(f.name));
        m.insert("required".into(), Value::from(f.required));
        m.insert("doc".into(), Value::from(f.doc.trim()));
    }
    v
}

/// An option as JSON: its name, type (with bounds; durations in milliseconds), default, doc,
/// whether a solve takes it too, and the fields of a group or list.
fn option_json(o: &OptionSpec) -> Value {
    let mut v = match o.value {
        ValueType::Text => json!({"type": "text"}),
        ValueType::Choice(words) => json!({"type": "choice", "values": words}),
        ValueType::Bool => json!({"type": "bool"}),
        ValueType::Whole { min, max } => json!({"type": "whole", "min": min, "max": max}),
        ValueType::Duration { min, max } => json!({
            "type": "duration",
            "min_ms": u64::try_from(min.as_millis()).unwrap_or(u64::MAX),
            "max_ms": u64::try_from(max.as_millis()).unwrap_or(u64::MAX),
        }),
        ValueType::TextOrWhole => json!({"type": "text_or_whole"}),
        ValueType::TextOrList => json!({"type": "text_or_list"}),
        ValueType::Group(fields) => json!({
            "type": "group",
            "fields": fields.iter().map(option_json).collect::<Vec<_>>(),
        }),
        ValueType::List(fields) => json!({
            "type": "list",
            "fields": fields.iter().map(option_json).collect::<Vec<_>>(),
        }),
    };
    let default = match o.default {
        OptionDefault::Required => json!({"required": true}),
        OptionDefault::Text(t) => json!({"value": t}),
        OptionDefault::Bool(b) => json!({"value": b}),
        OptionDefault::Whole(n) => json!({"value": n}),
        OptionDefault::Duration(d) => {
            json!({"ms": u64::try_from(d.as_millis()).unwrap_or(u64::MAX)})
        }
        OptionDefault::Words(w) => json!({"words": w}),
    };
    if let Value::Object(m) = &mut v {
        m.insert("name".into(), Value::from(o.name));
        m.insert("default".into(), default);
        m.insert("doc".into(), Value::from(o.doc));
        m.insert("per_solve".into(), Value::from(o.per_solve));
        if let Some(b) = o.value.describe_bounds() {
            m.insert("bounds".into(), Value::from(b));
        }
    }
    v
}

/// The whole catalogue as JSON (its shape is what the generators in `codegen/` read).
pub fn describe() -> Value {
    let offers = offers();
    let kinds: Vec<Value> = TaskKind::ALL
        .iter()
        .map(|k| {
            let s = k.spec();
            let by: Vec<&str> = offers
                .iter()
                .filter(|(_, ks)| ks.contains(k))
                .map(|(name, _)| *name)
                .collect();
            let example: Value = serde_json::from_str(s.example).unwrap_or(Value::Null);
            json!({
                "name": k.as_str(),
                "doc": s.doc.trim(),
                "fields": s.fields.iter().map(field_json).collect::<Vec<_>>(),
                "answer": s.answer,
                "data": s.data.iter().map(|d| json!({
                    "name": d.name, "type": d.ty, "always": d.always, "doc": d.doc,
                })).collect::<Vec<_>>(),
                "class": format!("{:?}", s.class).to_lowercase(),
                "form_waits": {"initial_delay": s.form_waits.0, "timeout": s.form_waits.1},
                "offered_by": by,
                "example": example,
            })
        })
        .collect();
    json!({
        "common_fields": [
            {"name": "pingback", "type": "url", "required": false,
             "doc": "A URL the service calls when the task is solved (polling stays on as the safety net)."},
            {"name": "extra", "type": "json_map", "required": false,
             "doc": "Fields the service takes that capbridge does not name, sent as given."},
        ],
        "kinds": kinds,
        "options": CLIENT_OPTIONS.iter().map(option_json).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::Task;

    /// Every declaration is whole: each field a wire entry names exists, each kind's example
    /// is a valid task of that kind, and each preset offers what the kinds note says.
    #[test]
    fn declarations_are_consistent() {
        for k in TaskKind::ALL {
            let s = k.spec();
            assert_eq!(s.kind, k);
            let known = |name: &str| name == "pingback" || s.field(name).is_some();
            for (_, w) in s.wire.form {
                for f in w.fields {
                    assert!(known(f.ours), "{k}: form field {}", f.ours);
                }
                for n in w.needs.iter().chain(w.refuses) {
                    assert!(known(n), "{k}: {n}");
                }
            }
            for (_, w) in s.wire.json {
                for f in w.fields {
                    assert!(known(f.ours), "{k}: json field {}", f.ours);
                }
                for n in w.needs.iter().chain(w.refuses) {
                    assert!(known(n), "{k}: {n}");
                }
            }
            let mut example: Value = serde_json::from_str(s.example).expect("example is JSON");
            // Examples name the shared vector images by path.
            if let Some(Value::String(p)) = example.get_mut("image") {
                *p = format!(
                    "{}/../tests/vectors/{}",
                    env!("CARGO_MANIFEST_DIR"),
                    &p[1..]
                );
            }
            if let Some(Value::String(p)) = example.get_mut("audio") {
                *p = format!(
                    "{}/../tests/vectors/{}",
                    env!("CARGO_MANIFEST_DIR"),
                    &p[1..]
                );
            }
            let t = Task::from_value(example).unwrap_or_else(|e| panic!("{k}: {e}"));
            assert_eq!(t.kind(), k);
        }
        let of = |p: &str| kinds_of(&Provider::from_name(p).unwrap());
        assert!(!of("2captcha").contains(&TaskKind::HCaptcha));
        assert!(!of("capmonster").contains(&TaskKind::HCaptcha));
        assert!(of("nextcaptcha").contains(&TaskKind::ImageToText));
        assert!(of("captchaai").contains(&TaskKind::CloudflareChallenge));
        assert_eq!(
            of("bigcaptcha").len(),
            7,
            "the six kinds of its document, and Raw"
        );
        assert_eq!(
            describe()["kinds"].as_array().map(Vec::len),
            Some(TaskKind::ALL.len())
        );
    }
}
