//! Renders every binding's typed surface from capbridge's catalogue of kinds, so that a kind
//! or field is declared once (in `core/src/task/kinds/`) and every language follows:
//!
//! | file | what is rendered |
//! |---|---|
//! | `tests/vectors/catalogue.json` | the catalogue's description, which every language's tests read |
//! | `bindings-python/python/capbridge/_kinds.py` | one task class per kind, `TASK_CLASSES` |
//! | `bindings-python/python/capbridge/_types.py` | the `TaskKind` literal (between markers) |
//! | `bindings-node/src/header.d.ts`, `bindings-node/index.d.ts` | the task interfaces and the `Task` union (between markers; napi copies the header into `index.d.ts`) |
//! | `bindings-c/src/task.rs` | the kinds and fields in `capbridge_task`'s documentation (between markers), which cbindgen carries into `capbridge.h` |
//! | `README.md` | the table of kinds by preset (between markers) |
//! | `_types.py`, `_client.py`; `header.d.ts`; `bindings-c/src/options.rs` | the options' TypedDicts, keyword arguments and docs; the option interfaces; the option names in `capbridge_options`' docs (each between markers) |
//! | `bindings-c/tests/kinds_vectors.h` | the shared vectors `tests/vectors/kinds.json` as C tables (rendered from the vectors, not the core) |
//! | `bindings-c/tests/kinds_table.h` | every kind's example and the presets that offer it, for the C suite's table over every pair |
//!
//! `cargo run -p capbridge-codegen` writes them; `tests/drift.rs` fails when a committed file
//! differs from a fresh render (as OpenDAL renders its bindings' config types from its core).
//! The renderers read the JSON description, not the core's types: what the bindings are
//! generated from is the committed file a reviewer sees.

mod c;
mod options;
mod python;
mod splice;
mod typescript;

use serde_json::Value;
use std::path::{Path, PathBuf};

/// One rendered file: where it goes and what it holds.
#[derive(Debug)]
pub struct Surface {
    /// Relative to the repository's root.
    pub path: PathBuf,
    /// The whole file as it must be.
    pub content: String,
}

/// The repository's root (this crate lives in `codegen/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// Every surface, rendered from the catalogue; files with hand-written parts are read from
/// `root` and only their generated regions replaced.
pub fn render(root: &Path) -> Result<Vec<Surface>, String> {
    let catalogue = capbridge::catalogue::describe();
    let read = |rel: &str| {
        std::fs::read_to_string(root.join(rel)).map_err(|e| format!("cannot read {rel}: {e}"))
    };
    let mut json = serde_json::to_string_pretty(&catalogue).map_err(|e| e.to_string())?;
    json.push('\n');
    let types_py = "bindings-python/python/capbridge/_types.py";
    let client_py = "bindings-python/python/capbridge/_client.py";
    let options_rs = "bindings-c/src/options.rs";
    let header = "bindings-node/src/header.d.ts";
    let task_rs = "bindings-c/src/task.rs";
    Ok(vec![
        Surface {
            path: "tests/vectors/catalogue.json".into(),
            content: json,
        },
        Surface {
            path: "bindings-python/python/capbridge/_kinds.py".into(),
            content: python::kinds_module(&catalogue),
        },
        Surface {
            path: types_py.into(),
            content: splice::replace(
                &splice::replace(
                    &read(types_py)?,
                    splice::Markers::PYTHON,
                    &python::task_kind_literal(&catalogue),
                )?,
                splice::Markers::PYTHON_OPTIONS,
                &options::python_typed_dicts(&catalogue),
            )?,
        },
        Surface {
            path: client_py.into(),
            content: splice::replace(
                &splice::replace(
                    &read(client_py)?,
                    splice::Markers::PYTHON_OPTIONS,
                    &options::python_params(&catalogue),
                )?,
                splice::Markers::PYTHON_OPTIONS_DOC,
                &format!(
                    "_OPTIONS_ARGS = \"\"\"\n{}\"\"\"\n",
                    options::python_doc(&catalogue)
                ),
            )?,
        },
        Surface {
            path: options_rs.into(),
            content: splice::replace(
                &read(options_rs)?,
                splice::Markers::RUST_DOC_OPTIONS,
                &options::c_doc(&catalogue),
            )?,
        },
        Surface {
            path: header.into(),
            content: splice::replace(
                &splice::replace(
                    &read(header)?,
                    splice::Markers::TYPESCRIPT,
                    &typescript::tasks(&catalogue),
                )?,
                splice::Markers::TYPESCRIPT_OPTIONS,
                &options::typescript(&catalogue),
            )?,
        },
        Surface {
            path: "README.md".into(),
            content: splice::replace(
                &read("README.md")?,
                splice::Markers::MARKDOWN,
                &readme_table(&catalogue),
            )?,
        },
        Surface {
            path: "bindings-c/tests/kinds_table.h".into(),
            content: c::kinds_table(&catalogue),
        },
        Surface {
            path: "bindings-c/tests/kinds_vectors.h".into(),
            content: c::kinds_vectors(
                &serde_json::from_str(&read("tests/vectors/kinds.json")?)
                    .map_err(|e| format!("tests/vectors/kinds.json: {e}"))?,
            ),
        },
        // napi writes the header into index.d.ts; rendering it here too keeps the committed
        // pair consistent without a native build.
        Surface {
            path: "bindings-node/index.d.ts".into(),
            content: splice::replace(
                &splice::replace(
                    &read("bindings-node/index.d.ts")?,
                    splice::Markers::TYPESCRIPT,
                    &typescript::tasks(&catalogue),
                )?,
                splice::Markers::TYPESCRIPT_OPTIONS,
                &options::typescript(&catalogue),
            )?,
        },
        Surface {
            path: task_rs.into(),
            content: splice::replace(
                &read(task_rs)?,
                splice::Markers::RUST_DOC,
                &c::kinds_doc(&catalogue),
            )?,
        },
    ])
}

/// The kinds of the description.
pub(crate) fn kinds(catalogue: &Value) -> &[Value] {
    catalogue["kinds"].as_array().map_or(&[], Vec::as_slice)
}

/// `website_url` -> `websiteUrl`.
pub(crate) fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in name.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A field's or kind's documentation as one line of prose.
pub(crate) fn doc(v: &Value) -> String {
    v["doc"]
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words wrapped at `width`, each line starting with `indent`.
pub(crate) fn wrap(text: &str, indent: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > width {
            lines.push(format!("{indent}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines
}

/// The README's table of kinds by preset (between markers): which preset solves which kind.
fn readme_table(catalogue: &Value) -> String {
    use std::fmt::Write as _;
    let presets = [
        "bigcaptcha",
        "captchaai",
        "2captcha",
        "rucaptcha",
        "nextcaptcha",
        "anti-captcha",
        "capmonster",
        "capsolver",
        "2captcha-v2",
    ];
    let mut out = String::from("| kind | answer | ");
    out.push_str(&presets.join(" | "));
    out.push_str(" |\n|---|---|");
    out.push_str(&"---|".repeat(presets.len()));
    out.push('\n');
    for k in kinds(catalogue) {
        let name = k["name"].as_str().unwrap_or_default();
        let data: Vec<String> = k["data"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|d| d["name"] != "user_agent" && d["name"] != "resp_key")
            .map(|d| format!("`{}`", d["name"].as_str().unwrap_or_default()))
            .collect();
        let answer = match (k["class"].as_str(), data.is_empty()) {
            (Some("raw"), _) => "as received".to_owned(),
            (_, false) => format!("`data`: {}", data.join(", ")),
            (Some("media"), true) => "text".to_owned(),
            _ => "token".to_owned(),
        };
        let _ = write!(out, "| `{name}` | {answer} |");
        let by = k["offered_by"].as_array().map_or(&[][..], Vec::as_slice);
        for p in presets {
            let yes = by.iter().any(|b| b.as_str() == Some(p));
            out.push_str(if yes { " yes |" } else { " - |" });
        }
        out.push('\n');
    }
    out
}
