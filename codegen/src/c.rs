//! The kinds and fields in `capbridge_task`'s documentation (a doc comment in
//! `bindings-c/src/task.rs` that cbindgen carries into `capbridge.h`).

use crate::{doc, kinds, wrap};
use serde_json::Value;
use std::fmt::Write as _;

fn c_type(f: &Value) -> &'static str {
    match f["type"].as_str().unwrap_or_default() {
        "flag" => "bool",
        "number" => "number",
        "count" => "integer",
        "image" => "image bytes: capbridge_task_set_bytes(), or a path or base64 text",
        "audio" => "mp3 bytes: capbridge_task_set_bytes(), or a path or base64 text",
        "image_map" => "images by part name: capbridge_task_set_json() with base64 text",
        "proxy" => "proxy URL: capbridge_task_set_proxy()",
        "cookies" => "cookies: capbridge_task_add_cookie()",
        "text_map" => "map: capbridge_task_set_data()",
        "json_map" => "JSON object: capbridge_task_set_json()",
        "one_of" | "charset" => "one of its values",
        _ => "text",
    }
}

/// The generated region: one paragraph per kind, its fields with their types.
pub(crate) fn kinds_doc(catalogue: &Value) -> String {
    let mut out = String::new();
    for k in kinds(catalogue) {
        let name = k["name"].as_str().unwrap_or_default();
        let fields: Vec<String> = k["fields"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|f| {
                let fname = f["name"].as_str().unwrap_or_default();
                let req = if f["required"].as_bool() == Some(true) {
                    ", required"
                } else {
                    ""
                };
                format!("{fname} ({}{req})", c_type(f))
            })
            .collect();
        let summary = doc(k);
        let first = summary
            .split(". ")
            .next()
            .unwrap_or_default()
            .trim_end_matches('.');
        let text = format!("\"{name}\": {first}. Fields: {}.", fields.join(", "));
        let _ = writeln!(out, "///");
        for l in wrap(&text, "/// ", 96) {
            let _ = writeln!(out, "{}", l.trim_end());
        }
    }
    let _ = writeln!(out, "///");
    out
}

/// A C string literal of `s`.
fn c_str(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\x{b:02x}\"\""));
                }
            }
        }
    }
    out.push('"');
    out
}

/// `bindings-c/tests/kinds_table.h`: every kind's example, the presets that offer it and the
/// data it always holds, for the C suite's table over every kind x preset pair.
pub(crate) fn kinds_table(catalogue: &Value) -> String {
    let mut out = String::from(
        "/* The catalogue of kinds as a table for the C tests: generated from capbridge's catalogue\n \
         * (cargo run -p capbridge-codegen): do not edit. An example's \"@images/x.png\" names a file\n \
         * of tests/vectors. */\n\
         #ifndef CAPBRIDGE_KINDS_TABLE_H\n#define CAPBRIDGE_KINDS_TABLE_H\n\n\
         typedef struct {\n  const char *kind;\n  const char *example;\n  const char *offered_by[12];\n  const char *data_always[8];\n} kind_row;\n\n\
         static const kind_row KIND_TABLE[] = {\n",
    );
    for k in kinds(catalogue) {
        let list = |v: &Value, key: Option<&str>| -> String {
            let mut items: Vec<String> = v
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter(|d| key.is_none_or(|_| d["always"].as_bool() == Some(true)))
                .filter_map(|d| match key {
                    Some(k) => d[k].as_str(),
                    None => d.as_str(),
                })
                .map(c_str)
                .collect();
            items.push("NULL".to_owned());
            format!("{{{}}}", items.join(", "))
        };
        let _ = writeln!(
            out,
            "    {{{},\n     {},\n     {},\n     {}}},",
            c_str(k["name"].as_str().unwrap_or_default()),
            c_str(&k["example"].to_string()),
            list(&k["offered_by"], None),
            list(&k["data"], Some("name")),
        );
    }
    out.push_str("};\n\n#endif\n");
    out
}

/// `bindings-c/tests/kinds_vectors.h`: the shared vectors of every kind x preset pair
/// (`tests/vectors/kinds.json`, hand-written from the providers' documents, not from the
/// core), as C tables: each pair's preset, task and the form fields it must send; the tasks a
/// preset refuses; the tasks validation refuses, with the field.
pub(crate) fn kinds_vectors(vectors: &Value) -> String {
    let mut out = String::from(
        "/* tests/vectors/kinds.json as C tables for the C tests: rendered by cargo run -p\n \
         * capbridge-codegen from the shared vectors (not from the core): do not edit. A value\n \
         * \"@images/x.png\" names a file of tests/vectors. */\n\
         #ifndef CAPBRIDGE_KINDS_VECTORS_H\n#define CAPBRIDGE_KINDS_VECTORS_H\n\n\
         typedef struct {\n  const char *name;\n  const char *provider;\n  const char *task;\n  int json_replies;\n  /* A form preset's fields but key and body, as name, value pairs; NULL-terminated. */\n  const char *fields[64];\n} kind_pair;\n\n\
         typedef struct {\n  const char *name;\n  const char *provider;\n  const char *task;\n} kind_refusal;\n\n\
         typedef struct {\n  const char *name;\n  const char *task;\n  const char *field;\n} kind_invalid;\n\n",
    );
    let list = |key: &str| vectors[key].as_array().map_or(&[][..], Vec::as_slice);
    let form = ["bigcaptcha", "captchaai", "2captcha", "rucaptcha"];
    out.push_str("static const kind_pair KIND_PAIRS[] = {\n");
    for p in list("pairs") {
        if p["task"]["type"] == "Raw" {
            continue;
        }
        let provider = p["provider"].as_str().unwrap_or_default();
        let mut fields = Vec::new();
        if form.contains(&provider)
            && let Some(req) = p["request"].as_object()
        {
            for (k, v) in req {
                if k == "body" || k == "file" {
                    continue;
                }
                fields.push(c_str(k));
                fields.push(c_str(v.as_str().unwrap_or_default()));
            }
        }
        fields.push("NULL".to_owned());
        let json_replies = p["options"]["json_replies"].as_bool().unwrap_or(true);
        let _ = writeln!(
            out,
            "    {{{},\n     {},\n     {},\n     {},\n     {{{}}}}},",
            c_str(p["name"].as_str().unwrap_or_default()),
            c_str(provider),
            c_str(&p["task"].to_string()),
            i32::from(json_replies),
            fields.join(", "),
        );
    }
    out.push_str("};\n\nstatic const kind_refusal KIND_REFUSALS[] = {\n");
    for r in list("refused") {
        let _ = writeln!(
            out,
            "    {{{}, {}, {}}},",
            c_str(r["name"].as_str().unwrap_or_default()),
            c_str(r["provider"].as_str().unwrap_or_default()),
            c_str(&r["task"].to_string()),
        );
    }
    out.push_str("};\n\nstatic const kind_invalid KIND_INVALID[] = {\n");
    for i in list("invalid") {
        let _ = writeln!(
            out,
            "    {{{}, {}, {}}},",
            c_str(i["name"].as_str().unwrap_or_default()),
            c_str(&i["task"].to_string()),
            c_str(i["field"].as_str().unwrap_or_default()),
        );
    }
    out.push_str("};\n\n#endif\n");
    out
}
