//! The client options' surfaces, from the options table in the catalogue's description
//! (`options`): Python's keyword arguments, their docstring and the TypedDicts of the grouped
//! options; TypeScript's option interfaces; the C header's list of option names.

use crate::{camel, wrap};
use serde_json::Value;
use std::fmt::Write as _;

/// The options of the description.
fn options(catalogue: &Value) -> &[Value] {
    catalogue["options"].as_array().map_or(&[], Vec::as_slice)
}

fn fields(o: &Value) -> &[Value] {
    o["fields"].as_array().map_or(&[], Vec::as_slice)
}

fn name(o: &Value) -> &str {
    o["name"].as_str().unwrap_or_default()
}

fn ty(o: &Value) -> &str {
    o["type"].as_str().unwrap_or_default()
}

/// The options an account is made of: the fields of `providers`' entries.
const ACCOUNT: &[&str] = &["provider", "api_key", "base_url", "protocol"];

/// Python's and TypeScript's names of a grouped option's type.
fn group_type(option: &str, ts: bool) -> &'static str {
    match (option, ts) {
        ("limits", false) => "Limits",
        ("retry", false) => "RetryPolicy",
        ("failover", false) => "FailoverPolicy",
        ("providers", false) => "ProviderEntry",
        ("limits", true) => "LimitsOptions",
        ("retry", true) => "RetryOptions",
        ("failover", true) => "FailoverOptions",
        ("providers", true) => "ProviderOptions",
        _ => "object",
    }
}

/// A duration in seconds, as Python shows it (`30`, `0.1`).
fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{} s", ms as f64 / 1000.0)
    }
}

/// The default in words: `python` writes durations in seconds, else in milliseconds.
fn default_words(o: &Value, python: bool) -> Option<String> {
    let d = &o["default"];
    if d["required"].as_bool() == Some(true) {
        return None;
    }
    if let Some(ms) = d["ms"].as_u64() {
        return Some(if python { seconds(ms) } else { ms.to_string() });
    }
    if let Some(w) = d["words"].as_str() {
        return Some(w.to_owned());
    }
    match &d["value"] {
        Value::Bool(b) if python => Some(if *b { "True" } else { "False" }.to_owned()),
        Value::String(s) => Some(format!("{s:?}")),
        Value::Null => None,
        v => Some(v.to_string()),
    }
}

/// `text` with its first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The Python type of an option's value.
fn py_type(o: &Value) -> String {
    match ty(o) {
        "choice" => {
            let words: Vec<String> = o["values"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|w| format!("{:?}", w.as_str().unwrap_or_default()))
                        .collect()
                })
                .unwrap_or_default();
            format!("Literal[{}]", words.join(", "))
        }
        "bool" => "bool".to_owned(),
        "whole" => "int".to_owned(),
        "duration" => "Seconds".to_owned(),
        "text_or_whole" => "Union[str, int]".to_owned(),
        "text_or_list" => "Union[str, Sequence[str]]".to_owned(),
        "group" => group_type(name(o), false).to_owned(),
        "list" if name(o) == "providers" => "Sequence[ProviderLike]".to_owned(),
        "list" => format!("Sequence[{}]", group_type(name(o), false)),
        _ => "str".to_owned(),
    }
}

/// One option's documentation line for Python: `doc. Default: D (bounds).`
fn py_doc(o: &Value) -> String {
    let mut text = o["doc"].as_str().unwrap_or_default().to_owned();
    if ty(o) == "duration" {
        text.push_str(", in seconds (or a datetime.timedelta)");
    }
    text.push('.');
    if let Some(d) = default_words(o, true) {
        text.push_str(&format!(" Default: {d}."));
    }
    if let Some(b) = o["bounds"].as_str().filter(|_| !matches!(ty(o), "choice")) {
        text.push_str(&format!(" From {b}."));
    }
    text
}

/// The keyword arguments of the clients' `__init__` (the body of `_client.py`'s generated
/// region): the account by position or keyword, every other option by keyword.
pub(crate) fn python_params(catalogue: &Value) -> String {
    let mut out = String::new();
    let mut star = false;
    for o in options(catalogue) {
        let n = name(o);
        if !star && !matches!(n, "provider" | "api_key") {
            out.push_str("        *,\n");
            star = true;
        }
        let _ = writeln!(out, "        {n}: Optional[{}] = None,", py_type(o));
    }
    out
}

/// The `Args:` entries of the clients' docstring.
pub(crate) fn python_doc(catalogue: &Value) -> String {
    let mut out = String::from("    Args:\n");
    for o in options(catalogue) {
        let text = format!("{}: {}", name(o), py_doc(o));
        let mut lines = wrap(&text, "            ", 96);
        if let Some(first) = lines.first_mut() {
            *first = format!("        {}", first.trim_start());
        }
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
    }
    out
}

/// The TypedDicts of the grouped options (`Limits`, `RetryPolicy`, `FailoverPolicy`,
/// `ProviderEntry`).
pub(crate) fn python_typed_dicts(catalogue: &Value) -> String {
    let mut out = String::new();
    for o in options(catalogue)
        .iter()
        .filter(|o| matches!(ty(o), "group" | "list"))
    {
        let class = group_type(name(o), false);
        let _ = writeln!(out, "\n\nclass {class}(TypedDict, total=False):");
        let head = format!(
            "The fields of ``{}``: {}.",
            name(o),
            o["doc"].as_str().unwrap_or_default()
        );
        let mut lines = wrap(&head, "    ", 96);
        if let Some(first) = lines.first_mut() {
            *first = format!("    \"\"\"{}", first.trim_start());
        }
        let _ = writeln!(out, "{}\"\"\"\n", lines.join("\n"));
        for f in fields(o) {
            let _ = writeln!(out, "    {}: {}", name(f), py_type(f));
            let doc = capitalized(&py_doc(f));
            let mut first = true;
            for l in wrap(&doc, "    ", 96) {
                if first {
                    let _ = writeln!(out, "    \"\"\"{}", l.trim_start());
                    first = false;
                } else {
                    let _ = writeln!(out, "{l}");
                }
            }
            out.pop();
            out.push_str("\"\"\"\n");
        }
    }
    out
}

/// A TypeScript member for an option: camelCase, `Ms` for durations, optional unless
/// required.
/// One member of an options interface; `per_call`: a call's override, whose default is the
/// client's setting.
fn ts_member(out: &mut String, o: &Value, required: bool, per_call: bool) {
    let n = name(o);
    let (key, t) = match ty(o) {
        "duration" => (format!("{}Ms", camel(n)), "number".to_owned()),
        "bool" => (camel(n), "boolean".to_owned()),
        "whole" => (camel(n), "number".to_owned()),
        "text_or_whole" => (camel(n), "string | number".to_owned()),
        "text_or_list" => (camel(n), "string | string[]".to_owned()),
        "choice" => (
            camel(n),
            o["values"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|w| format!("'{}'", w.as_str().unwrap_or_default()))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .unwrap_or_else(|| "string".to_owned()),
        ),
        "group" => (camel(n), group_type(n, true).to_owned()),
        "list" => (camel(n), format!("{}[]", group_type(n, true))),
        _ => (camel(n), "string".to_owned()),
    };
    let mut doc = o["doc"].as_str().unwrap_or_default().to_owned();
    if ty(o) == "duration" {
        doc.push_str(", in milliseconds");
    }
    doc.push('.');
    if per_call {
        doc.push_str(" Default: the client's.");
    } else if let Some(d) = default_words(o, false) {
        doc.push_str(&format!(" Default: {d}."));
    }
    let lines = wrap(&doc, "   * ", 96);
    if lines.len() == 1 && lines[0].len() < 92 {
        let _ = writeln!(out, "  /** {doc} */");
    } else {
        let _ = writeln!(out, "  /**");
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
        let _ = writeln!(out, "   */");
    }
    let q = if required { "" } else { "?" };
    let _ = writeln!(out, "  {key}{q}: {t}");
}

/// The option interfaces (`header.d.ts`'s generated options region): an account, the grouped
/// options, every other client option (`CoreSettings`) and the per-solve ones
/// (`SolveSettings`).
pub(crate) fn typescript(catalogue: &Value) -> String {
    let mut out = String::new();
    for o in options(catalogue)
        .iter()
        .filter(|o| matches!(ty(o), "group" | "list"))
    {
        let _ = writeln!(
            out,
            "\n/** The fields of `{}`: {}. */",
            camel(name(o)),
            o["doc"].as_str().unwrap_or_default()
        );
        let _ = writeln!(out, "export interface {} {{", group_type(name(o), true));
        for f in fields(o) {
            let required = f["default"]["required"].as_bool() == Some(true);
            ts_member(&mut out, f, required, false);
        }
        let _ = writeln!(out, "}}");
    }
    let _ = writeln!(
        out,
        "\n/** Client options besides the account, from capbridge's table of options. */"
    );
    let _ = writeln!(out, "export interface CoreSettings {{");
    for o in options(catalogue)
        .iter()
        .filter(|o| !ACCOUNT.contains(&name(o)))
    {
        ts_member(&mut out, o, false, false);
    }
    let _ = writeln!(out, "}}");
    let _ = writeln!(
        out,
        "\n/** The options a call takes too, overriding the client's. */"
    );
    let _ = writeln!(out, "export interface SolveSettings {{");
    for o in options(catalogue)
        .iter()
        .filter(|o| o["per_solve"].as_bool() == Some(true))
    {
        ts_member(&mut out, o, false, true);
    }
    let _ = writeln!(out, "}}");
    out
}

fn c_names(o: &Value, prefix: &str, out: &mut Vec<String>) {
    let n = format!("{prefix}{}", name(o));
    match ty(o) {
        "group" => fields(o)
            .iter()
            .for_each(|f| c_names(f, &format!("{n}."), out)),
        "list" => out.push(format!("{n} (a list: capbridge_options_add_provider())")),
        "duration" => out.push(format!("{n}_ms")),
        "text_or_list" => out.push(format!(
            "{n} (one text, or a list of texts as JSON through capbridge_options_set_json())"
        )),
        // The presets are the names a user most needs, so the C docs spell them out.
        _ if n == "provider" => out.push(format!(
            "provider (a preset: {}; or a base URL)",
            capbridge::Provider::NAMES
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        "choice" => out.push(format!(
            "{n} ({})",
            o["values"]
                .as_array()
                .map(|v| {
                    v.iter()
                        .filter_map(Value::as_str)
                        .map(|w| format!("\"{w}\""))
                        .collect::<Vec<_>>()
                        .join(" or ")
                })
                .unwrap_or_default()
        )),
        _ => out.push(n),
    }
}

/// The option names of `capbridge_options`' documentation (durations with `_ms`; nested
/// options dotted).
pub(crate) fn c_doc(catalogue: &Value) -> String {
    let mut names = Vec::new();
    for o in options(catalogue) {
        c_names(o, "", &mut names);
    }
    let mut out = String::new();
    for l in wrap(&format!("{}.", names.join(", ")), "/// ", 96) {
        let _ = writeln!(out, "{}", l.trim_end());
    }
    out
}
