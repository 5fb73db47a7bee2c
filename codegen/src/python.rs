//! The Python task classes (`_kinds.py`) and the `TaskKind` literal.

use crate::{doc, kinds, wrap};
use serde_json::Value;
use std::fmt::Write as _;

/// A field's annotation in `__init__` and its default (`None`: required).
fn param(f: &Value) -> (String, Option<String>) {
    let required = f["required"].as_bool().unwrap_or(false);
    let opt = |t: &str| {
        if required {
            (t.to_owned(), None)
        } else {
            (format!("Optional[{t}]"), Some("None".to_owned()))
        }
    };
    match f["type"].as_str().unwrap_or_default() {
        "url" | "key" | "long_text" | "domain" => opt("str"),
        "text" => match f["default"].as_str() {
            Some(d) => ("str".to_owned(), Some(format!("{d:?}"))),
            None => opt("str"),
        },
        "flag" => ("bool".to_owned(), Some("False".to_owned())),
        "number" => opt("float"),
        "count" => opt("int"),
        "image" | "audio" => opt("ImageSource"),
        "image_map" => opt("Mapping[str, ImageSource]"),
        "proxy" => opt("Proxy"),
        "cookies" => opt("Cookies"),
        "text_map" => opt("Mapping[str, str]"),
        "json_map" => opt("Mapping[str, Any]"),
        "charset" => ("Union[int, CharacterSet]".to_owned(), Some("0".to_owned())),
        "one_of" => {
            let values: Vec<String> = f["values"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| format!("{:?}", v.as_str().unwrap_or_default()))
                        .collect()
                })
                .unwrap_or_default();
            let lit = if f["default"].as_str() == Some("base64") {
                // The upload switch has its own literal type.
                "ImageUpload".to_owned()
            } else {
                format!("Literal[{}]", values.join(", "))
            };
            match f["default"].as_str() {
                Some(d) => (lit, Some(format!("{d:?}"))),
                None => opt(&lit),
            }
        }
        _ => opt("Any"),
    }
}

/// The attribute's type once the task is made (media fields hold bytes).
fn attribute(f: &Value) -> String {
    let (t, default) = param(f);
    match f["type"].as_str().unwrap_or_default() {
        "image" | "audio" if default.is_some() => "Optional[bytes]".to_owned(),
        "image" | "audio" => "bytes".to_owned(),
        "image_map" => "Optional[Mapping[str, bytes]]".to_owned(),
        _ => t,
    }
}

fn class(out: &mut String, kind: &Value) {
    let name = kind["name"].as_str().unwrap_or_default();
    let fields = kind["fields"].as_array().map_or(&[][..], Vec::as_slice);
    let _ = writeln!(out, "\n\nclass {name}(CaptchaTask):");
    let mut lines = wrap(&rst(&doc(kind)), "    ", 96);
    if let Some(first) = lines.first_mut() {
        *first = format!("    \"\"\"{}", first.trim_start());
    }
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(out, "\n    Args:");
    for f in fields {
        let fname = f["name"].as_str().unwrap_or_default();
        let text = format!("{fname}: {}", rst(&doc(f)));
        let mut w = wrap(&text, "            ", 96);
        if let Some(first) = w.first_mut() {
            *first = format!("        {}", first.trim_start());
        }
        for l in w {
            let _ = writeln!(out, "{l}");
        }
    }
    let _ = writeln!(
        out,
        "        pingback: a URL the service calls when the task is solved."
    );
    let _ = writeln!(
        out,
        "        extra: fields the service takes that capbridge does not name, sent as given."
    );
    let answer = format!(
        "The solution's ``answer`` is {}.",
        rst(kind["answer"].as_str().unwrap_or_default())
    );
    let _ = writeln!(out);
    for l in wrap(&answer, "    ", 96) {
        let _ = writeln!(out, "{l}");
    }
    let data = kind["data"].as_array().map_or(&[][..], Vec::as_slice);
    if !data.is_empty() {
        let parts: Vec<String> = data
            .iter()
            .map(|d| {
                format!(
                    "``{}`` ({})",
                    d["name"].as_str().unwrap_or_default(),
                    rst(&doc(d))
                )
            })
            .collect();
        let text = format!("Its ``data`` holds {}.", parts.join("; "));
        for l in wrap(&text, "    ", 96) {
            let _ = writeln!(out, "{l}");
        }
    }
    let _ = writeln!(out, "    \"\"\"\n");
    let _ = writeln!(out, "    __slots__ = ()");
    let _ = writeln!(out, "    kind: ClassVar[TaskKind] = {name:?}");
    let media: Vec<String> = fields
        .iter()
        .filter(|f| matches!(f["type"].as_str(), Some("image" | "audio" | "image_map")))
        .map(|f| format!("{:?}", f["name"].as_str().unwrap_or_default()))
        .collect();
    let media = match media.len() {
        0 => "()".to_owned(),
        1 => format!("({},)", media[0]),
        _ => format!("({})", media.join(", ")),
    };
    let _ = writeln!(out, "    _media: ClassVar[Tuple[str, ...]] = {media}\n");
    for f in fields {
        let _ = writeln!(
            out,
            "    {}: {}",
            f["name"].as_str().unwrap_or_default(),
            attribute(f)
        );
    }
    let _ = writeln!(out, "    pingback: Optional[str]");
    let _ = writeln!(out, "    extra: Optional[Mapping[str, Any]]\n");
    let _ = writeln!(out, "    def __init__(");
    let _ = writeln!(out, "        self,");
    let mut star = false;
    for f in fields {
        let (t, default) = param(f);
        let fname = f["name"].as_str().unwrap_or_default();
        match default {
            None => {
                let _ = writeln!(out, "        {fname}: {t},");
            }
            Some(d) => {
                if !star {
                    let _ = writeln!(out, "        *,");
                    star = true;
                }
                let _ = writeln!(out, "        {fname}: {t} = {d},");
            }
        }
    }
    if !star {
        let _ = writeln!(out, "        *,");
    }
    let _ = writeln!(out, "        pingback: Optional[str] = None,");
    let _ = writeln!(out, "        extra: Optional[Mapping[str, Any]] = None,");
    let _ = writeln!(out, "    ) -> None:");
    let names: Vec<String> = fields
        .iter()
        .map(|f| f["name"].as_str().unwrap_or_default().to_owned())
        .chain(["pingback".to_owned(), "extra".to_owned()])
        .map(|n| format!("{n}={n}"))
        .collect();
    let call = format!("self._setup(dict({}))", names.join(", "));
    if call.len() + 8 <= 100 {
        let _ = writeln!(out, "        {call}");
    } else {
        let _ = writeln!(out, "        self._setup(dict(");
        for l in wrap(&names.join(", "), "            ", 96) {
            let _ = writeln!(out, "{l}");
        }
        let _ = writeln!(out, "        ))");
    }
}

/// Markdown's `code` as reStructuredText's ``code``.
fn rst(text: &str) -> String {
    // Already-doubled backquotes stay as they are; single ones are doubled.
    text.replace("``", "\u{1}").replace(['`', '\u{1}'], "``")
}

/// `_kinds.py`: one class per kind, and the map from kind names to classes.
pub(crate) fn kinds_module(catalogue: &Value) -> String {
    let mut out = String::from(
        r#""""Task classes, one per captcha kind, generated from capbridge's catalogue of kinds
(``core/src/task/kinds/`` in the repository) by ``cargo run -p capbridge-codegen``: do not edit.

Required fields are taken by position or keyword, the others by keyword only. A task is checked
by capbridge's core when it is made: a missing or malformed field raises
:class:`InvalidTaskError` naming the field, before anything is sent.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar, Dict, Literal, Mapping, Optional, Tuple, Type, Union

from ._tasks import CaptchaTask, Cookies, ImageSource, Proxy
from ._types import CharacterSet, ImageUpload, TaskKind
"#,
    );
    let names: Vec<&str> = kinds(catalogue)
        .iter()
        .filter_map(|k| k["name"].as_str())
        .collect();
    let _ = writeln!(out, "\n__all__ = [");
    for n in &names {
        let _ = writeln!(out, "    {n:?},");
    }
    let _ = writeln!(out, "]");
    for k in kinds(catalogue) {
        class(&mut out, k);
    }
    let _ = writeln!(out, "\n\nTASK_CLASSES: Dict[str, Type[CaptchaTask]] = {{");
    for n in &names {
        let _ = writeln!(out, "    {n:?}: {n},");
    }
    let _ = writeln!(out, "}}");
    let _ = writeln!(out, "\"\"\"Every task class by its kind's name.\"\"\"");
    // `Literal` and `Union` are used only by some kinds' annotations, `os` by `ImageSource`'s
    // (`os.PathLike`), which `typing.get_type_hints` resolves in this module.
    let _ = writeln!(out, "\n_ = (Literal, Union, os)");
    out
}

/// The `TaskKind` literal (the body of `_types.py`'s generated region).
pub(crate) fn task_kind_literal(catalogue: &Value) -> String {
    let names: Vec<String> = kinds(catalogue)
        .iter()
        .filter_map(|k| k["name"].as_str())
        .map(|n| format!("{n:?}"))
        .collect();
    let mut out = String::from("TaskKind = Literal[\n");
    for l in wrap(&names.join(", "), "    ", 96) {
        let _ = writeln!(out, "{l}");
    }
    out.push_str("]\n\"\"\"The kind of a task: the name of its class.\"\"\"\n");
    out
}
