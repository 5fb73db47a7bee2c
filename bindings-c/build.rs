//! Generates `include/capbridge.h` with cbindgen into `OUT_DIR` on every build (a unit test
//! compares it with the committed header, so drift fails the tests), writes it over the
//! committed one when `CAPBRIDGE_WRITE_HEADER=1`, and gives the shared library a SONAME.

use std::path::PathBuf;

/// A failure stops the build with its message (a build script's `Err` from `main`).
type Outcome = Result<(), Box<dyn std::error::Error>>;

fn main() -> Outcome {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=CAPBRIDGE_WRITE_HEADER");

    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .map_err(|e| format!("bindings-c/cbindgen.toml: {e}"))?;
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .map_err(|e| format!("cbindgen could not make the header from bindings-c/src: {e}"))?;
    bindings.write_to_file(out_dir.join("capbridge.h"));
    if std::env::var("CAPBRIDGE_WRITE_HEADER").is_ok_and(|v| v == "1") {
        bindings.write_to_file(crate_dir.join("include").join("capbridge.h"));
    }

    // `libcapbridge.so.0`: programs linked against the library record this name, so a
    // future incompatible `libcapbridge.so.1` can be installed beside it.
    if std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os != "macos" && os != "windows") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libcapbridge.so.0");
    }
    Ok(())
}
