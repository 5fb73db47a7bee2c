//! Link settings napi-rs needs on some platforms (macOS `-undefined dynamic_lookup`, ...).
fn main() {
    napi_build::setup();
}
