//! Every crate of the workspace uses each dependency it declares: a dependency nobody uses
//! still costs every user its download, build time and audit.

use std::path::{Path, PathBuf};

/// The names under `[dependencies]` of a Cargo.toml (`name = ...` or `name.workspace = ...`),
/// as code spells them (`-` becomes `_`; a `package = ` rename keeps the key).
fn dependencies(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[dependencies]";
            continue;
        }
        if !inside || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key = line
            .split(['=', '.'])
            .next()
            .unwrap_or_default()
            .trim()
            .replace('-', "_");
        if !key.is_empty() {
            names.push(key);
        }
    }
    names
}

fn rust_sources(dir: &Path, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

#[test]
fn every_declared_dependency_is_used() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let members = [
        "core",
        "tests/emulator",
        "examples",
        "bindings-python",
        "bindings-node",
        "bindings-c",
    ];
    let mut unused = Vec::new();
    for m in members {
        let dir = root.join(m);
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let mut code = String::new();
        for sub in ["src", "benches", "tests", "rust", "bin"] {
            rust_sources(&dir.join(sub), &mut code);
        }
        for name in dependencies(&manifest) {
            let used = [
                format!("{name}::"),
                format!("use {name}"),
                format!("{name}!"),
            ]
            .iter()
            .any(|p| code.contains(p.as_str()))
                || code.contains(&format!("#[{name}"))
                || code.contains(&format!("extern crate {name}"));
            if !used {
                unused.push(format!("{m}: {name}"));
            }
        }
    }
    assert!(unused.is_empty(), "declared but never used: {unused:?}");
}

/// The code (not the comments) of the Rust files under `path` (a file or a folder).
fn code_of(path: &Path) -> String {
    let mut text = String::new();
    if path.is_dir() {
        rust_sources(path, &mut text);
    } else {
        text = std::fs::read_to_string(path).unwrap_or_default();
    }
    let code = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let paths = grouped_paths(&code);
    code + "\n" + &paths
}

/// The paths a grouped import names, written out: `use crate::{options, codec::{Codec, x}}`
/// gives `crate::options`, `crate::codec::Codec` and `crate::codec::x`, so that a search for a
/// path finds it however the import is written.
fn grouped_paths(code: &str) -> String {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("use ") {
        let starts_word = code[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == ')' || c == ';' || c == '}');
        if let (true, Some(len)) = (starts_word, code[at..].find(';')) {
            expand("", &code[at + 4..at + len], &mut out);
        }
    }
    out.join("\n")
}

/// `tree` (a use tree) under `prefix`, one path per leaf.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let join = |p: &str, t: &str| match (p.is_empty(), t.is_empty()) {
        (true, _) => t.to_owned(),
        (_, true) => p.to_owned(),
        _ => format!("{p}::{t}"),
    };
    let Some(open) = tree.find('{') else {
        let leaf = tree.split(" as ").next().unwrap_or(tree).trim();
        if !leaf.is_empty() {
            out.push(join(prefix, leaf));
        }
        return;
    };
    let head = join(prefix, tree[..open].trim().trim_end_matches("::"));
    let (mut depth, mut item) = (0usize, String::new());
    for c in tree[open + 1..].chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&head, &std::mem::take(&mut item), out);
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    expand(&head, &item, out);
}

#[test]
fn grouped_imports_are_written_out() {
    let paths = grouped_paths(
        "pub(crate) use crate::{options, codec::{Codec, x as y}};\nuse super::{account};\nuse crate::engine::{account::{X}};",
    );
    for path in [
        "crate::options",
        "crate::codec::Codec",
        "crate::codec::x",
        "super::account",
        "crate::engine::account::X",
    ] {
        assert!(paths.lines().any(|l| l == path), "{path} not in {paths:?}");
    }
}

/// The import circles once broken stay broken: each pair's first part names nothing of the
/// second (the second may use the first).
#[test]
fn module_circles_stay_broken() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    for (part, must_not_use) in [
        ("provider", &["crate::codec", "super::codec"][..]),
        (
            "engine/shared",
            &[
                "crate::engine::account",
                "super::account",
                "super::super::account",
            ][..],
        ),
        ("client.rs", &["crate::options", "super::options"][..]),
    ] {
        let code = code_of(&src.join(part));
        assert!(!code.is_empty(), "{part}: no code read");
        for name in must_not_use {
            assert!(
                !code.contains(name),
                "core/src/{part} uses {name}, which uses it back"
            );
        }
    }
}
