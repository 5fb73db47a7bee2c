//! `cargo run -p capbridge-codegen`: renders the bindings' typed surfaces from the catalogue
//! of kinds and writes those that changed.

fn main() {
    let root = capbridge_codegen::repo_root();
    let surfaces = match capbridge_codegen::render(&root) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("codegen: {e}");
            std::process::exit(1);
        }
    };
    for s in surfaces {
        let path = root.join(&s.path);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old == s.content {
            continue;
        }
        if let Err(e) = std::fs::write(&path, &s.content) {
            eprintln!("codegen: cannot write {}: {e}", s.path.display());
            std::process::exit(1);
        }
        println!("wrote {}", s.path.display());
    }
}
