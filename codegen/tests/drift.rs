//! Every committed surface is what the catalogue renders: a kind, field or option added to the
//! core and missed by a binding's types fails here.

#[test]
fn committed_surfaces_match_the_catalogue() {
    let root = capbridge_codegen::repo_root();
    let surfaces = capbridge_codegen::render(&root).unwrap_or_else(|e| panic!("{e}"));
    let stale: Vec<String> = surfaces
        .iter()
        .filter(|s| {
            std::fs::read_to_string(root.join(&s.path)).ok().as_deref() != Some(s.content.as_str())
        })
        .map(|s| s.path.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "these files differ from what the catalogue renders: {stale:?}; run `cargo run -p capbridge-codegen` and commit them"
    );
}
