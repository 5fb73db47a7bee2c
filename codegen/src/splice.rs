//! Replacing the generated region of a file that is otherwise written by hand.

/// The lines that open and close a generated region, in one language's comment syntax.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Markers {
    pub begin: &'static str,
    pub end: &'static str,
}

impl Markers {
    pub const PYTHON: Markers = Markers {
        begin: "# --- generated from the catalogue of kinds (cargo run -p capbridge-codegen): do not edit ---",
        end: "# --- end of generated ---",
    };
    pub const TYPESCRIPT: Markers = Markers {
        begin: "// ---- generated from the catalogue of kinds (cargo run -p capbridge-codegen): do not edit ----",
        end: "// ---- end of generated ----",
    };
    pub const MARKDOWN: Markers = Markers {
        begin: "<!-- generated from the catalogue of kinds (cargo run -p capbridge-codegen): do not edit -->",
        end: "<!-- end of generated -->",
    };
    pub const RUST_DOC: Markers = Markers {
        begin: "/// Kinds and fields (generated from capbridge's catalogue of kinds):",
        end: "/// (end of the generated list)",
    };
}

/// `text` with the lines strictly between the markers replaced by `body`.
pub(crate) fn replace(text: &str, m: Markers, body: &str) -> Result<String, String> {
    let start = text
        .find(m.begin)
        .ok_or_else(|| format!("the marker {:?} is missing", m.begin))?;
    let after_begin = start + m.begin.len();
    let end = text[after_begin..]
        .find(m.end)
        .map(|i| after_begin + i)
        .ok_or_else(|| format!("the marker {:?} is missing", m.end))?;
    // Keep the end marker's indentation.
    let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let mut out = String::with_capacity(text.len() + body.len());
    out.push_str(&text[..after_begin]);
    out.push('\n');
    out.push_str(body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&text[line_start..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_between_markers_only() {
        let t = "a\n# --- generated from the catalogue of kinds (cargo run -p capbridge-codegen): do not edit ---\nold\n# --- end of generated ---\nz\n";
        let r = replace(t, Markers::PYTHON, "new").unwrap();
        assert_eq!(r, t.replace("old", "new"));
        assert_eq!(replace(&r, Markers::PYTHON, "new").unwrap(), r);
        assert!(replace("x", Markers::PYTHON, "y").is_err());
    }
}
