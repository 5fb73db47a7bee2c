//! The C binding of capbridge: `libcapbridge.so` / `libcapbridge.a` and `include/capbridge.h`
//! (generated from these sources by cbindgen in `build.rs`; the doc comments are the header's
//! documentation).
//!
//! | module | holds |
//! |---|---|
//! | `ffi` | every pointer cast: handles in and out, strings in and out, NULL as an error |
//! | `boundary` | the panic boundary every exported function runs inside |
//! | `error` | `capbridge_status`, `capbridge_error`, the one mapping from the core's error |
//! | `fields` | named values set from C (the map behind options and tasks) |
//! | `options` | client options and solve options |
//! | `task` | tasks: a kind, generic setters, or the core's JSON form |
//! | `client` | the client and its blocking verbs |
//! | `async_solve` | solves with a completion callback, and their handles |
//! | `cancel` | cancel tokens |
//! | `solution` | solutions, and strings handed to the caller |
//! | `events` | progress events lent to callbacks |
//!
//! The binding converts arguments and errors and nothing else: options go to the core's one
//! options constructor, tasks to its JSON task parser, and every check lives there.

#![allow(non_camel_case_types)]

// The public API, in the order the header presents it (cbindgen follows this order; blank
// lines keep rustfmt from sorting it).
mod error;

mod options;

mod task;

mod client;

mod solution;

mod async_solve;

mod cancel;

mod events;

// Internals.
mod boundary;
mod ffi;
mod fields;

#[cfg(test)]
mod tests {
    /// The committed header is the one cbindgen makes from these sources (regenerate with
    /// `CAPBRIDGE_WRITE_HEADER=1 cargo build -p capbridge-c`).
    #[test]
    fn committed_header_is_current() {
        let generated = include_str!(concat!(env!("OUT_DIR"), "/capbridge.h"));
        let committed = include_str!("../include/capbridge.h");
        assert!(
            generated == committed,
            "bindings-c/include/capbridge.h is out of date: run \
             `CAPBRIDGE_WRITE_HEADER=1 cargo build -p capbridge-c` and commit the result"
        );
    }

    /// Every exported function runs its body inside the panic boundary.
    #[test]
    fn every_export_runs_inside_the_panic_boundary() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut exports = 0;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let source = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for (i, _) in source.match_indices("pub extern \"C\" fn ") {
                let rest = &source[i..];
                let body = rest.split_once('{').map_or("", |(_, b)| b).trim_start();
                let name = rest.split('(').next().unwrap_or(rest);
                assert!(
                    body.starts_with("ffi_boundary!") || body.starts_with("with_error("),
                    "{name} in {} does not start with the panic boundary",
                    entry.path().display()
                );
                exports += 1;
            }
        }
        assert!(exports > 80, "found only {exports} exported functions");
    }

    /// Every function in the header has a `\brief`, a `\param` per parameter and an example.
    #[test]
    fn every_function_is_documented() {
        let header = include_str!("../include/capbridge.h");
        let mut doc = String::new();
        let mut decl = String::new();
        let mut functions = 0;
        for line in header.lines() {
            let t = line.trim_start();
            if t.starts_with("/**") {
                doc.clear();
            }
            if t.starts_with("/**") || t.starts_with('*') {
                doc.push_str(t);
                doc.push('\n');
                continue;
            }
            if decl.is_empty()
                && (!t.contains("capbridge_") || !t.contains('(') || t.starts_with("typedef"))
            {
                continue;
            }
            decl.push_str(t);
            if !t.ends_with(';') {
                continue;
            }
            let open = decl.find('(').unwrap_or(0);
            let name = decl[..open].rsplit([' ', '*']).next().unwrap_or("");
            let params = decl[open + 1..].trim_end_matches(';').trim_end_matches(')');
            assert!(doc.contains("\\brief"), "{name}: no \\brief");
            assert!(doc.contains("\\code"), "{name}: no example");
            for p in params
                .split(',')
                .map(str::trim)
                .filter(|p| *p != "void" && !p.is_empty())
            {
                let param = p.rsplit([' ', '*']).next().unwrap_or(p);
                assert!(
                    doc.contains(&format!("\\param {param} ")),
                    "{name}: no \\param {param}"
                );
            }
            functions += 1;
            decl.clear();
            doc.clear();
        }
        assert!(functions > 80, "found only {functions} functions");
    }
}
