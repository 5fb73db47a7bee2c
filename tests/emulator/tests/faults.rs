//! Faults: HTML 502 pages, 500s, empty bodies, dropped connections, truncated bodies, slow
//! replies, canned replies; for the next N requests or a share of them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use std::time::{Duration, Instant};

#[tokio::test]
async fn html_502_for_the_next_n_requests_then_normal() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(Fault::new(FaultKind::Html502, EndpointSel::In).times(2));
    for _ in 0..2 {
        let r = http.post("in.php", &recaptcha(KEY)).await;
        assert_eq!(r.status, 502);
        assert!(r.body.contains("<title>502 Bad Gateway</title>"));
    }
    assert!(
        http.post("in.php", &recaptcha(KEY))
            .await
            .body
            .starts_with("OK|")
    );
    let c = emu.counters();
    assert_eq!(c.faults_injected, 2);
    // The 502s were not processed: one task only.
    assert_eq!(c.tasks_accepted, 1);
}

#[tokio::test]
async fn http_500_empty_and_canned_replies_hit_their_endpoint_only() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(Fault::new(FaultKind::Http500, EndpointSel::Res).times(1));
    emu.add_fault(Fault::new(FaultKind::Empty, EndpointSel::Res).times(1));
    emu.add_fault(Fault::reply(EndpointSel::Res, 200, "OK|ERROR_LOOKS_LIKE_A_CODE").times(1));
    let id = http.submit(&recaptcha(KEY)).await; // in.php is not affected
    let r = http.poll(KEY, &id, false).await;
    assert_eq!((r.status, r.body.as_str()), (500, "Internal Server Error"));
    let r = http.poll(KEY, &id, false).await;
    assert_eq!((r.status, r.body.as_str()), (200, ""));
    let r = http.poll(KEY, &id, false).await;
    assert_eq!(r.body, "OK|ERROR_LOOKS_LIKE_A_CODE");
    assert!(http.wait(KEY, &id, false).await.body.starts_with("OK|03AG"));
}

#[tokio::test]
async fn dropped_connection_after_processing_leaves_the_task_created() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(Fault::new(FaultKind::Drop, EndpointSel::In).times(1));
    let err = http
        .client
        .post(format!("{}in.php", http.base))
        .form(&recaptcha(KEY))
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_timeout(), "{err}");
    // The submit reached the service: the task exists although no id came back.
    assert_eq!(emu.counters().tasks_accepted, 1);
    assert!(
        http.post("in.php", &recaptcha(KEY))
            .await
            .body
            .starts_with("OK|")
    );
}

#[tokio::test]
async fn truncated_body_is_cut_under_a_full_content_length() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let id = http.submit(&recaptcha(KEY)).await;
    http.wait(KEY, &id, true).await;
    emu.add_fault(Fault::new(FaultKind::Truncate, EndpointSel::Res).times(1));
    let resp = http
        .client
        .get(format!("{}res.php", http.base))
        .query(&[("key", KEY), ("action", "get"), ("id", &id), ("json", "1")])
        .send()
        .await
        .unwrap();
    let declared: usize = resp.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(declared > 100);
    assert!(resp.bytes().await.is_err(), "the body must end early");
}

#[tokio::test]
async fn slow_replies_are_late_and_a_stall_never_answers() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(
        Fault::new(FaultKind::Slow, EndpointSel::Res)
            .delay_ms(300)
            .times(1),
    );
    let t = Instant::now();
    let r = http
        .get("res.php", &[("key", KEY), ("action", "getbalance")])
        .await;
    assert!(t.elapsed() >= Duration::from_millis(290));
    assert!(r.body.starts_with("10."));
    emu.add_fault(Fault::new(FaultKind::Slow, EndpointSel::Any).delay_ms(3_600_000));
    let err = http
        .client
        .get(format!("{}res.php", http.base))
        .query(&[("key", KEY), ("action", "getbalance")])
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout());
}

#[tokio::test]
async fn a_share_of_requests() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(Fault::new(FaultKind::Http500, EndpointSel::Any).share(0.3));
    let mut failed = 0;
    for _ in 0..300 {
        if http
            .get("res.php", &[("key", KEY), ("action", "getbalance")])
            .await
            .status
            == 500
        {
            failed += 1;
        }
    }
    assert!((60..=120).contains(&failed), "{failed} of 300");
    assert_eq!(emu.counters().faults_injected, failed);
}
