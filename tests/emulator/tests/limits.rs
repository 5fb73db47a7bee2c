//! the API documentation's request limits: MAX_USER_TURN and ERROR: 1001..1005.
//!
//! The windows are the documented ones or longer (time scale 1, or 100 where many requests
//! must land in one window), and the tests step past them with `Emulator::advance` instead
//! of sleeping: the requests meant to land inside a window land there however slowly the
//! machine goes, and the time after a window is the emulator's clock moved ahead, not a
//! sleep that races it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use std::time::Duration;

async fn scaled(scale: f64) -> Emulator {
    Emulator::start(Config {
        time_scale: scale,
        default_delay: Delay::fixed(0),
        ..Config::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn max_user_turn_after_60_submits_in_3_seconds() {
    // 3 s window -> 300 s, so that the 61 land in it whatever the machine's speed; the
    // 10 s ban -> 1000 s.
    let emu = scaled(100.0).await;
    let http = Http::new(&emu);
    let p = recaptcha(KEY);
    // 61 submits at once: exactly one is over the limit, whichever arrives last.
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..61 {
        let (client, url) = (http.client.clone(), format!("{}in.php", http.base));
        let p: Vec<(String, String)> = p
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        set.spawn(async move {
            client
                .post(url)
                .form(&p)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        });
    }
    let replies = set.join_all().await;
    assert_eq!(
        replies.iter().filter(|r| r.starts_with("OK|")).count(),
        60,
        "{replies:?}"
    );
    assert_eq!(replies.iter().filter(|r| *r == "MAX_USER_TURN").count(), 1);
    assert_eq!(http.post("in.php", &p).await.body, "MAX_USER_TURN");
    assert_eq!(emu.counters().violations["MAX_USER_TURN"], 1);
    // res.php is not affected by the ban.
    assert_eq!(
        http.get("res.php", &[("key", KEY), ("action", "getbalance")])
            .await
            .status,
        200
    );
    // Still banned just before the ban ends, free after it.
    emu.advance(Duration::from_secs(990));
    assert_eq!(http.post("in.php", &p).await.body, "MAX_USER_TURN");
    emu.advance(Duration::from_secs(11));
    assert!(http.post("in.php", &p).await.body.starts_with("OK|"));
    assert_eq!(emu.counters().violations_total(), 1);
}

#[tokio::test]
async fn submits_spread_over_the_window_are_fine() {
    let emu = scaled(0.01).await; // window 30 ms
    let http = Http::new(&emu);
    for _ in 0..150 {
        assert!(
            http.post("in.php", &recaptcha(KEY))
                .await
                .body
                .starts_with("OK|")
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(emu.counters().violations_total(), 0);
    assert_eq!(emu.submit_times(KEY).len(), 150);
}

#[tokio::test]
async fn error_1005_when_res_requests_exceed_20_per_task_plus_allowance() {
    let emu = scaled(1.0).await; // the documented 5 min block
    emu.update_config(|c| c.res_allowance = 10);
    let http = Http::new(&emu);
    let id = http.submit(&recaptcha(KEY)).await; // C = 1: budget 20 x 1 + 10 = 30
    for i in 0..30 {
        let r = http.poll(KEY, &id, false).await;
        assert!(r.body.starts_with("OK|"), "poll {i}: {}", r.body);
    }
    assert_eq!(http.poll(KEY, &id, false).await.body, "ERROR: 1005");
    // The block covers every request of the key, in.php included, and balance requests.
    assert_eq!(
        http.post("in.php", &recaptcha(KEY)).await.body,
        "ERROR: 1005"
    );
    assert_eq!(
        http.get("res.php", &[("key", KEY), ("action", "getbalance")])
            .await
            .body,
        "ERROR: 1005"
    );
    // Other keys are not affected.
    assert!(
        http.post("in.php", &recaptcha(KEY2))
            .await
            .body
            .starts_with("OK|")
    );
    assert_eq!(emu.counters().violations["ERROR: 1005"], 1);
    emu.advance(Duration::from_secs(5 * 60 + 1));
    assert!(
        http.get("res.php", &[("key", KEY), ("action", "getbalance")])
            .await
            .body
            .starts_with('9')
    );
}

/// The documented lengths: a minute, the 3 s submit window.
const PACED_SCALE: f64 = 1.0;

/// Sends `n` submits 60 ms apart on the emulator's clock (moved ahead between them): under
/// 60 per 3 s window, and 120 of them within a minute (7.2 s, plus whatever the requests
/// themselves take).
async fn paced(emu: &Emulator, http: &Http, params: &[(&str, &str)], n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(http.post("in.php", params).await.body);
        emu.advance(Duration::from_millis(60));
    }
    out
}

#[tokio::test]
async fn error_1002_after_120_zero_balance_replies_in_a_minute() {
    let emu = scaled(PACED_SCALE).await;
    let http = Http::new(&emu);
    emu.set_account(KEY, 0.0);
    let replies = paced(&emu, &http, &recaptcha(KEY), 120).await;
    assert!(
        replies.iter().all(|r| r == "ERROR_ZERO_BALANCE"),
        "{replies:?}"
    );
    assert_eq!(
        http.post("in.php", &recaptcha(KEY)).await.body,
        "ERROR: 1002"
    );
    assert_eq!(emu.counters().violations["ERROR: 1002"], 1);
    assert_eq!(emu.counters().violations.get("MAX_USER_TURN"), None);
}

#[tokio::test]
async fn error_1001_after_120_no_slot_replies_in_a_minute() {
    let emu = scaled(PACED_SCALE).await;
    let http = Http::new(&emu);
    emu.add_rule(Rule {
        submit_error: Some("ERROR_NO_SLOT_AVAILABLE".into()),
        ..Rule::default()
    });
    let replies = paced(&emu, &http, &recaptcha(KEY), 120).await;
    assert!(replies.iter().all(|r| r == "ERROR_NO_SLOT_AVAILABLE"));
    assert_eq!(
        http.post("in.php", &recaptcha(KEY)).await.body,
        "ERROR: 1001"
    );
    assert_eq!(emu.counters().violations["ERROR: 1001"], 1);
}

#[tokio::test]
async fn error_1003_when_no_slot_replies_outnumber_tasks_three_to_one() {
    let emu = scaled(PACED_SCALE).await;
    let http = Http::new(&emu);
    emu.add_rule(Rule {
        submit_error: Some("ERROR_NO_SLOT_AVAILABLE".into()),
        ..Rule::default()
    });
    // 100 in one emulated minute, then 20 more a minute later: never 120 in a minute (no
    // 1001), but 120 in all with no task sent.
    paced(&emu, &http, &recaptcha(KEY), 100).await;
    emu.advance(Duration::from_secs(61));
    let replies = paced(&emu, &http, &recaptcha(KEY), 20).await;
    assert!(
        replies.iter().all(|r| r == "ERROR_NO_SLOT_AVAILABLE"),
        "{replies:?}"
    );
    assert_eq!(
        http.post("in.php", &recaptcha(KEY)).await.body,
        "ERROR: 1003"
    );
    let c = emu.counters();
    assert_eq!(c.violations["ERROR: 1003"], 1);
    assert_eq!(c.violations.get("ERROR: 1001"), None);
}

#[tokio::test]
async fn error_1004_blocks_an_ip_after_5_wrong_keys() {
    let emu = scaled(1.0).await; // the documented 10 min
    let http = Http::new(&emu);
    emu.remove_account(KEY2);
    for k in ["short", "x", KEY2, KEY2, "y"] {
        let r = http
            .post(
                "in.php",
                &recaptcha(KEY)[1..]
                    .iter()
                    .copied()
                    .chain([("key", k)])
                    .collect::<Vec<_>>(),
            )
            .await
            .body;
        assert!(
            r == "ERROR_WRONG_USER_KEY" || r == "ERROR_KEY_DOES_NOT_EXIST",
            "{r}"
        );
    }
    // Now every request from this IP is refused, whatever the key.
    assert_eq!(
        http.post("in.php", &recaptcha(KEY)).await.body,
        "ERROR: 1004"
    );
    assert_eq!(
        http.get("res.php", &[("key", KEY), ("action", "getbalance")])
            .await
            .body,
        "ERROR: 1004"
    );
    assert_eq!(emu.counters().violations["ERROR: 1004"], 1);
    emu.advance(Duration::from_secs(10 * 60 + 1));
    assert!(
        http.post("in.php", &recaptcha(KEY))
            .await
            .body
            .starts_with("OK|")
    );
}

#[tokio::test]
async fn limits_can_be_lifted_for_benchmarks() {
    let emu = Emulator::start(Config {
        limits: false,
        ..Config::default()
    })
    .await
    .unwrap();
    let http = Http::new(&emu);
    for _ in 0..80 {
        assert!(
            http.post("in.php", &recaptcha(KEY))
                .await
                .body
                .starts_with("OK|")
        );
    }
    assert_eq!(emu.counters().violations_total(), 0);
}
