//! A machine without CA certificates (a minimal or `scratch` container): a client for a plain
//! `http://` service (the packaged emulator, a local service) still works; one for an
//! `https://` service is refused with what to install.
//!
//! The system's trust store is read once per process, so the test runs its other half in a
//! child process of this test binary whose `SSL_CERT_FILE` and `SSL_CERT_DIR` point nowhere:
//! on Linux, the platform verifier then finds no certificate, as on such a machine.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;

const CHILD: &str = "CAPBRIDGE_TEST_NO_CA_CERTIFICATES";

#[test]
fn a_machine_without_ca_certificates_solves_over_http_and_says_what_https_needs() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "without_certificates",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env("SSL_CERT_FILE", "/nonexistent/capbridge-test/ca.pem")
        .env("SSL_CERT_DIR", "/nonexistent/capbridge-test")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the child failed:\n{text}");
    // The child ran its test (not zero tests, which would also succeed).
    assert!(text.contains("1 passed"), "the child ran no test:\n{text}");
}

#[tokio::test]
#[ignore = "run by a_machine_without_ca_certificates_..., in a process without a trust store"]
async fn without_certificates() {
    assert_eq!(
        std::env::var(CHILD).as_deref(),
        Ok("1"),
        "run only as the child of a_machine_without_ca_certificates_..."
    );
    // https: refused when the client is built, saying why and what to do.
    let err = Client::builder(
        Provider::custom("https://api.example.invalid/").unwrap(),
        KEY,
    )
    .build()
    .expect_err("an https client without a trust store");
    assert_eq!(err.kind(), ErrorKind::Usage, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("No CA certificates"), "{msg}");
    assert!(
        msg.contains("ca-certificates") && msg.contains("SSL_CERT_FILE"),
        "{msg}"
    );
    // http: a real solve against the emulator.
    let emu = emulator(0, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    let solution = client
        .solve(ImageToText::new(image("captcha.png")))
        .await
        .unwrap();
    assert!(!solution.answer.is_empty());
}
