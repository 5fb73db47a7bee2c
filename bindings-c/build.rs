//! Generates `include/capbridge.h` with cbindgen into `OUT_DIR` on every build (a unit test
//! compares it with the committed header, so drift fails the tests), writes it over the
//! committed one when `CAPBRIDGE_WRITE_HEADER=1`, and gives the shared library a SONAME.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=CAPBRIDGE_WRITE_HEADER");

    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("bindings-c/cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header from bindings-c/src");
    bindings.write_to_file(out_dir.join("capbridge.h"));
    if std::env::var("CAPBRIDGE_WRITE_HEADER").is_ok_and(|v| v == "1") {
        bindings.write_to_file(crate_dir.join("include").join("capbridge.h"));
    }

    // `libcapbridge.so.0`: programs linked against the library record this name, so a
    // future incompatible `libcapbridge.so.1` can be installed beside it.
    if std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os != "macos" && os != "windows") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libcapbridge.so.0");
    }
}
