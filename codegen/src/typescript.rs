//! The TypeScript task interfaces and the `Task` union (`header.d.ts`'s generated region;
//! `napi build` carries the header into `index.d.ts`).

use crate::{camel, doc, kinds, wrap};
use serde_json::Value;
use std::fmt::Write as _;

fn ts_type(f: &Value) -> String {
    match f["type"].as_str().unwrap_or_default() {
        "flag" => "boolean".to_owned(),
        "number" | "count" => "number".to_owned(),
        "image" | "audio" => "Uint8Array | ArrayBuffer | string".to_owned(),
        "image_map" => "Record<string, Uint8Array | ArrayBuffer | string>".to_owned(),
        "proxy" => "Proxy".to_owned(),
        "cookies" => "Record<string, string> | Array<[string, string]> | string".to_owned(),
        "text_map" => "Record<string, string>".to_owned(),
        "json_map" => "Record<string, unknown>".to_owned(),
        "charset" => "0 | 1 | 2 | 3 | 4 | 'any' | 'numbers_only' | 'letters_only' | 'numbers_or_letters' | 'numbers_and_letters'".to_owned(),
        "one_of" => f["values"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| format!("'{}'", v.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .unwrap_or_else(|| "string".to_owned()),
        _ => "string".to_owned(),
    }
}

fn comment(out: &mut String, text: &str, indent: &str) {
    let lines = wrap(text, &format!("{indent} * "), 96);
    if lines.len() == 1 && lines[0].len() + 4 <= 100 {
        let _ = writeln!(out, "{indent}/** {} */", text);
        return;
    }
    let _ = writeln!(out, "{indent}/**");
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(out, "{indent} */");
}

/// The generated region: one interface per kind, `TaskType` and `Task`.
pub(crate) fn tasks(catalogue: &Value) -> String {
    let mut out = String::new();
    let names: Vec<&str> = kinds(catalogue)
        .iter()
        .filter_map(|k| k["name"].as_str())
        .collect();
    comment(
        &mut out,
        "The kind of a task: the `type` of a task object.",
        "",
    );
    let _ = writeln!(out, "export type TaskType =");
    for n in &names {
        let _ = writeln!(out, "  | '{n}'");
    }
    for k in kinds(catalogue) {
        let name = k["name"].as_str().unwrap_or_default();
        let mut text = doc(k);
        text.push_str(&format!(
            " The solution's `answer` is {}.",
            k["answer"].as_str().unwrap_or_default()
        ));
        if let Some(data) = k["data"].as_array().filter(|d| !d.is_empty()) {
            let parts: Vec<String> = data
                .iter()
                .map(|d| format!("`{}` ({})", d["name"].as_str().unwrap_or_default(), doc(d)))
                .collect();
            text.push_str(&format!(" Its `data` holds {}.", parts.join("; ")));
        }
        let _ = writeln!(out);
        comment(&mut out, &text, "");
        let _ = writeln!(out, "export interface {name} extends TaskCommon {{");
        let _ = writeln!(out, "  type: '{name}'");
        for f in k["fields"].as_array().map_or(&[][..], Vec::as_slice) {
            let mut fdoc = doc(f);
            if let Some(d) = f["default"].as_str().filter(|d| *d != "base64") {
                fdoc.push_str(&format!(" Default `'{d}'`."));
            }
            comment(&mut out, &fdoc, "  ");
            let optional = if f["required"].as_bool() == Some(true) {
                ""
            } else {
                "?"
            };
            let _ = writeln!(
                out,
                "  {}{optional}: {}",
                camel(f["name"].as_str().unwrap_or_default()),
                ts_type(f)
            );
        }
        let _ = writeln!(out, "}}");
    }
    let _ = writeln!(out);
    comment(
        &mut out,
        "A captcha to solve: a plain object whose `type` says which kind.",
        "",
    );
    let _ = writeln!(out, "export type Task =");
    for n in &names {
        let _ = writeln!(out, "  | {n}");
    }
    out
}
