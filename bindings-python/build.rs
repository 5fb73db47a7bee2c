//! Empty on purpose: the package has a build script only so that its build dependencies (one
//! set of syn features shared with the Node and C bindings, see the workspace Cargo.toml) take
//! part in cargo's resolution, and the three release builds share one compiled tree.
fn main() {}
