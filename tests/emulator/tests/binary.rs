//! The `capbridge-emulator` binary: prints its URL, follows the API documentation over plain HTTP, exits
//! cleanly on SIGTERM and SIGINT.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn start(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_capbridge-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim().to_owned())
}

fn wait_exit(child: &mut std::process::Child) -> std::process::ExitStatus {
    let t = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        // A guard against a hang, not a speed: exiting takes milliseconds.
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the emulator did not exit"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn prints_its_url_follows_the_api_documentation_and_exits_on_sigterm() {
    let (mut child, url) = start(&["--port", "0", "--delay-ms", "50", "--time-scale", "0.5"]);
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "{url}"
    );
    let client = common::http_client().build().unwrap();
    // the API documentation's steps: submit, wait, poll until the answer.
    let body = client
        .post(format!("{url}in.php"))
        .form(&recaptcha(KEY))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id = body.strip_prefix("OK|").unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(60)).await;
    let answer = client
        .get(format!("{url}res.php?key={KEY}&action=get&id={id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(answer.starts_with("OK|03AG"), "{answer}");
    let index = client.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(index.contains("in.php"));
    let c: serde_json::Value = client
        .get(format!("{url}emulator/counters"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(c["tasks_accepted"], 1);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(wait_exit(&mut child).success());
}

#[test]
fn exits_cleanly_on_sigint_and_takes_accounts_from_flags() {
    let (mut child, url) = start(&["--strict-accounts", "--account", &format!("{KEY}:0.5")]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (b1, b2) = rt.block_on(async {
        let c = common::http_client().build().unwrap();
        let b1 = c
            .get(format!("{url}res.php?key={KEY}&action=getbalance"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let b2 = c
            .get(format!("{url}res.php?key={KEY2}&action=getbalance"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        (b1, b2)
    });
    assert_eq!(b1, "0.50000");
    assert_eq!(b2, "ERROR_KEY_DOES_NOT_EXIST");
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(wait_exit(&mut child).success());
}

#[test]
fn bad_flags_are_refused_with_help() {
    let out = Command::new(env!("CARGO_BIN_EXE_capbridge-emulator"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("USAGE"));
    let out = Command::new(env!("CARGO_BIN_EXE_capbridge-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
}
