//! Scripting over the admin API (what other languages' test suites use), delays per kind,
//! time scale, rules by sitekey.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn admin_api_scripts_accounts_rules_faults_delays_and_config() {
    let emu = fast().await;
    let http = Http::new(&emu);
    http.admin(
        Method::POST,
        "accounts",
        Some(json!({"key": KEY, "balance": 0.0})),
    )
    .await;
    assert_eq!(
        http.post("in.php", &recaptcha(KEY)).await.body,
        "ERROR_ZERO_BALANCE"
    );
    http.admin(
        Method::POST,
        "accounts",
        Some(json!({"key": KEY, "balance": 2.5})),
    )
    .await;
    assert_eq!(
        http.admin(Method::GET, &format!("accounts/{KEY}"), None)
            .await["balance"],
        2.5
    );
    http.admin(
        Method::POST,
        "accounts",
        Some(json!({"key": KEY2, "exists": false})),
    )
    .await;
    assert_eq!(
        http.post("in.php", &recaptcha(KEY2)).await.body,
        "ERROR_KEY_DOES_NOT_EXIST"
    );

    http.admin(Method::POST, "rules", Some(json!({"when": {"sitekey": "unsolvable-key"}, "result_error": "ERROR_CAPTCHA_UNSOLVABLE"}))).await;
    http.admin(Method::POST, "rules", Some(json!({"when": {"method": "hcaptcha"}, "submit_error": "ERROR_NO_SLOT_AVAILABLE", "times": 1}))).await;
    let id = http
        .submit(&[
            ("key", KEY),
            ("method", "userrecaptcha"),
            ("googlekey", "unsolvable-key"),
            ("pageurl", PAGEURL),
        ])
        .await;
    assert_eq!(
        http.wait(KEY, &id, false).await.body,
        "ERROR_CAPTCHA_UNSOLVABLE"
    );
    let h = [
        ("key", KEY),
        ("method", "hcaptcha"),
        ("sitekey", "abc"),
        ("pageurl", PAGEURL),
    ];
    assert_eq!(
        http.post("in.php", &h).await.body,
        "ERROR_NO_SLOT_AVAILABLE"
    );
    assert!(http.post("in.php", &h).await.body.starts_with("OK|"));
    http.admin(Method::DELETE, "rules", None).await;
    let id = http
        .submit(&[
            ("key", KEY),
            ("method", "userrecaptcha"),
            ("googlekey", "unsolvable-key"),
            ("pageurl", PAGEURL),
        ])
        .await;
    assert!(http.wait(KEY, &id, false).await.body.starts_with("OK|"));

    http.admin(
        Method::POST,
        "faults",
        Some(json!({"fault": "html502", "endpoint": "res", "count": 1})),
    )
    .await;
    assert_eq!(
        http.get("res.php", &[("key", KEY), ("action", "getbalance")])
            .await
            .status,
        502
    );
    http.admin(Method::POST, "faults", Some(json!({"fault": "http500"})))
        .await;
    http.admin(Method::DELETE, "faults", None).await;
    assert_eq!(
        http.get("res.php", &[("key", KEY), ("action", "getbalance")])
            .await
            .status,
        200
    );

    http.admin(
        Method::POST,
        "delays",
        Some(json!({"kind": "RecaptchaV2", "min_ms": 200, "max_ms": 200})),
    )
    .await;
    let t = Instant::now();
    let id = http.submit(&recaptcha(KEY)).await;
    http.wait(KEY, &id, false).await;
    assert!(t.elapsed() >= Duration::from_millis(190));

    let c = http
        .admin(Method::POST, "config", Some(json!({"time_scale": 0.0001})))
        .await;
    assert_eq!(c["time_scale"], 0.0001);
    http.admin(
        Method::POST,
        "delays",
        Some(json!({"kind": "RecaptchaV2", "min_ms": 200_000, "max_ms": 200_000})),
    )
    .await;
    let t = Instant::now();
    let id = http.submit(&recaptcha(KEY)).await; // 200 s scaled to 20 ms
    http.wait(KEY, &id, false).await;
    // Ready no sooner than the scaled delay, and before the unscaled 200 s could have
    // passed, which only the scale explains (a loaded machine is slower, not 10,000 times).
    assert!(
        t.elapsed() >= Duration::from_millis(19),
        "{:?}",
        t.elapsed()
    );
    assert!(t.elapsed() < Duration::from_secs(200), "{:?}", t.elapsed());
    let task = http.admin(Method::GET, &format!("tasks/{id}"), None).await;
    assert_eq!(task["kind"], "RecaptchaV2");
    assert_eq!(task["status"], "solved");
    assert!(task["polls"].as_u64().unwrap() >= 1);
    let subs = http
        .admin(Method::GET, &format!("submits?key={KEY}"), None)
        .await;
    assert!(subs["ms"].as_array().unwrap().len() >= 5);

    // Mistakes are refused clearly.
    let r = http
        .client
        .post(format!("{}emulator/rules", http.base))
        .json(&json!({"whenn": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = http
        .client
        .post(format!("{}emulator/config", http.base))
        .json(&json!({"nope": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    http.admin(Method::POST, "reset", None).await;
    assert_eq!(emu.counters(), Counters::default());
}

#[tokio::test]
async fn time_scale_runs_the_documented_waits_in_milliseconds() {
    let emu = Emulator::start(Config {
        time_scale: 0.001,
        default_delay: Delay::fixed(20_000),
        ..Config::default()
    })
    .await
    .unwrap();
    let http = Http::new(&emu);
    let t = Instant::now();
    let id = http.submit(&recaptcha(KEY)).await;
    let r = http.wait(KEY, &id, false).await;
    assert!(r.body.starts_with("OK|"));
    // No sooner than 20 ms; and before the unscaled 20 s could have passed, which only the
    // scale explains (a loaded machine is slower, never 1000 times).
    assert!(
        t.elapsed() >= Duration::from_millis(20),
        "{:?}",
        t.elapsed()
    );
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
}

/// `finish_pending` (admin: `POST /emulator/finish`) ends the solve delay of every pending
/// task now: tests hold tasks with a delay longer than they run, then let them go once what
/// they check has happened.
#[tokio::test]
async fn finishing_pending_tasks_solves_them_now() {
    let emu = Emulator::start(Config {
        default_delay: Delay::fixed(3_600_000),
        ..Config::default()
    })
    .await
    .unwrap();
    let http = Http::new(&emu);
    let a = http.submit(&recaptcha(KEY)).await;
    let b = http.submit(&recaptcha(KEY2)).await;
    assert_eq!(http.poll(KEY, &a, false).await.body, "CAPCHA_NOT_READY");
    assert_eq!(emu.finish_pending(), 2);
    assert!(http.poll(KEY, &a, false).await.body.starts_with("OK|"));
    assert_eq!(emu.task(b.parse().unwrap()).unwrap().status, "solved");
    // A task submitted afterwards keeps its own delay; the admin API finishes it too.
    let c = http.submit(&recaptcha(KEY)).await;
    assert_eq!(http.poll(KEY, &c, false).await.body, "CAPCHA_NOT_READY");
    let done = http.admin(Method::POST, "finish", None).await;
    assert_eq!(done["finished"], 1);
    assert!(http.poll(KEY, &c, false).await.body.starts_with("OK|"));
    assert_eq!(emu.finish_pending(), 0, "nothing left pending");
}

#[tokio::test]
async fn background_emulator_for_synchronous_callers() {
    let emu = Emulator::start_background(Config::default(), 1).unwrap();
    let url = emu.url().to_owned();
    let body = tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            common::http_client()
                .build()
                .unwrap()
                .get(format!("{url}res.php?key={KEY}&action=getbalance"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        })
    })
    .await
    .unwrap();
    assert_eq!(body, "10.00000");
    emu.shutdown().await;
}

/// `advance` (admin: `POST /emulator/advance`) moves the emulator's clock: solve delays and
/// the limits' windows see the time passed, without a test sleeping it.
#[tokio::test]
async fn advancing_the_clock_passes_delays_and_windows() {
    let emu = Emulator::start(Config {
        default_delay: Delay::fixed(10_000),
        ..Config::default()
    })
    .await
    .unwrap();
    let http = Http::new(&emu);
    let id = http.submit(&recaptcha(KEY)).await;
    assert_eq!(http.poll(KEY, &id, false).await.body, "CAPCHA_NOT_READY");
    emu.advance(Duration::from_secs(10));
    assert!(http.poll(KEY, &id, false).await.body.starts_with("OK|"));
    // The 10 s ban after 60 submits in 3 s, ended by the admin API.
    for _ in 0..60 {
        http.submit(&recaptcha(KEY2)).await;
    }
    assert_eq!(
        http.post("in.php", &recaptcha(KEY2)).await.body,
        "MAX_USER_TURN"
    );
    http.admin(Method::POST, "advance", Some(json!({"ms": 10_001})))
        .await;
    assert!(
        http.post("in.php", &recaptcha(KEY2))
            .await
            .body
            .starts_with("OK|")
    );
    // Submit times follow the clock.
    let times = emu.submit_times(KEY2);
    assert!(
        times[times.len() - 1] - times[0] >= Duration::from_secs(10),
        "{times:?}"
    );
}
