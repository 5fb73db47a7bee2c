//! What a hostile or broken server and odd input must not do to a client: leak the key, lose
//! a task id, count an empty answer as solved, double a key's limits, stop the engine, or be
//! trusted too far. Each test failed on the engine before it learned better.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use capbridge::provider::{MAX_POLL_WAIT, MAX_TIMEOUT};
use common::*;
use std::time::{Duration, Instant};

const PROXY_PW: &str = "p@ss w0rd!";

fn proxy() -> Proxy {
    Proxy::parse("http://user:p%40ss%20w0rd%21@1.2.3.4:3128").unwrap()
}

/// Every spelling of the secrets a server could echo.
fn echoes() -> Vec<String> {
    vec![
        KEY.to_owned(),
        PROXY_PW.to_owned(),
        "p%40ss%20w0rd%21".to_owned(),
        "p%40ss+w0rd%21".to_owned(),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for s in [KEY, PROXY_PW, "p%40ss", "w0rd", &KEY[..12], &KEY[20..]] {
        assert!(!text.contains(s), "{what} leaks {s:?}: {text}");
    }
}

fn error_text(e: &Error) -> String {
    format!("{e} | {e:?} | {:?} | {}", e.code(), e.message())
}

fn events_text(rec: &Recorder) -> String {
    rec.events()
        .iter()
        .map(|e| format!("{e} {e:?}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn secrets_echoed_by_the_service_are_masked_everywhere() {
    let emu = emulator(10, 1.0).await;
    let rec = Recorder::default();
    let client = fast(&emu, 1.0)
        .on_event_handler(rec.handler())
        .build()
        .unwrap();
    let echo = echoes().join(" | ");
    // A poll that fails twice with the secrets in a 500 body (retry events), then a reply
    // of status 0 whose "code" is the key itself (once the unknown text became the code).
    emu.add_fault(Fault::reply(EndpointSel::Res, 500, format!("oops {echo}")).times(2));
    emu.add_fault(
        Fault::reply(
            EndpointSel::Res,
            200,
            format!("{{\"status\":0,\"request\":\"{KEY}\"}}"),
        )
        .times(3),
    );
    let e = client.solve(v2().proxy(proxy())).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service, "{e}");
    assert!(e.task_id().is_some());
    assert_clean("the error", &error_text(&e));
    assert_clean("the events", &events_text(&rec));
    assert!(
        rec.steps().iter().filter(|s| *s == "retrying").count() >= 2,
        "{:?}",
        rec.steps()
    );

    // A key just across the old 160-character cut of excerpts is masked whole.
    emu.clear_faults();
    let body = format!("{} {KEY} tail", "x".repeat(150));
    emu.add_fault(Fault::reply(EndpointSel::In, 404, body));
    let e = client.solve(v2()).await.unwrap_err();
    assert_clean("the cut error", &error_text(&e));
    emu.clear_faults();
    emu.add_fault(Fault::reply(
        EndpointSel::In,
        404,
        format!("{}{KEY}", "y".repeat(390)),
    ));
    let e = client.solve(v2()).await.unwrap_err();
    assert_clean("the long error", &error_text(&e));

    // A Raw request's own proxy password (the form protocol's `proxy=login:password@...`) is
    // masked like a typed task's, and the task's Debug shows no values.
    emu.clear_faults();
    emu.add_fault(Fault::reply(EndpointSel::Res, 500, format!("oops {echo}")).times(2));
    emu.add_fault(
        Fault::reply(
            EndpointSel::Res,
            200,
            format!("{{\"status\":0,\"request\":\"{KEY}\"}}"),
        )
        .times(3),
    );
    let raw = capbridge::Raw::new(
        serde_json::json!({
            "method": "userrecaptcha", "googlekey": "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
            "pageurl": "https://example.com/", "proxy": format!("user:{PROXY_PW}@1.2.3.4:3128"),
            "proxytype": "HTTP",
        })
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect(),
    );
    assert_clean("a Raw task's Debug", &format!("{raw:?}"));
    let e = client.solve(raw).await.unwrap_err();
    assert_clean("the Raw task's error", &error_text(&e));
    assert_clean("the Raw task's events", &events_text(&rec));

    // A service that answers with the key as the task id (in capitals): the id is masked in
    // the error and the events, as any text is.
    emu.clear_faults();
    emu.add_fault(
        Fault::reply(EndpointSel::In, 200, format!("OK|{}", KEY.to_uppercase())).times(1),
    );
    let e = client.solve(v2()).await.unwrap_err();
    assert!(e.task_id().is_some(), "{e}");
    assert_clean(
        "the error of a task id that is the key",
        &error_text(&e).to_lowercase(),
    );
    assert_clean(
        "the events of a task id that is the key",
        &events_text(&rec).to_lowercase(),
    );
}

#[tokio::test]
async fn empty_answers_are_not_solutions() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    for body in ["OK", "OK|", "{\"status\":1,\"request\":\"\"}"] {
        emu.clear_faults();
        emu.add_fault(Fault::reply(EndpointSel::Res, 200, body));
        let e = client.solve(v2()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Service, "{body}: {e}");
        assert!(e.task_id().is_some(), "{body}: {e}");
    }
    // Once, then the real answer: polled again and solved.
    emu.clear_faults();
    emu.add_fault(Fault::reply(EndpointSel::Res, 200, "OK|").times(1));
    let s = client.solve(v2()).await.unwrap();
    assert!(s.answer.starts_with("03AG"));
}

#[tokio::test]
async fn json_numbers_are_read_by_value() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    emu.add_fault(Fault::reply(
        EndpointSel::Res,
        200,
        "{\"status\":1.0,\"request\":\"tok-1.0\"}",
    ));
    let s = client.solve(v2()).await.unwrap();
    assert_eq!(s.answer, "tok-1.0");
}

#[tokio::test]
async fn a_submit_reply_after_the_deadline_keeps_its_task_id() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0)
        .request_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    // The reply to the submit comes twice the deadline after the request arrives, so it is
    // late however slow the machine; the submit itself goes out at once (a second is
    // thousands of times what that takes).
    const DEADLINE: Duration = Duration::from_secs(1);
    emu.add_fault(Fault::new(FaultKind::Slow, EndpointSel::In).delay_ms(2000));
    let t = Instant::now();
    let e = client
        .solve_with(v2(), SolveOptions::new().timeout(DEADLINE))
        .await
        .unwrap_err();
    assert!(t.elapsed() >= DEADLINE);
    assert_eq!(emu.counters().in_requests, 1, "the submit was sent: {e}");
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    let id = e.task_id().expect("the id the service gave is kept");
    assert_eq!(emu.counters().tasks_accepted, 1);
    emu.clear_faults();
    let s = client.wait(id, SolveOptions::new()).await.unwrap();
    assert_eq!(s.task_id, id);
}

/// Four solves ride the batch ticks; once a batch poll carries all four, `fault` hits batch
/// polls only. Once the fault has been met, the tasks are solved (they are held pending until
/// then): every solve must still get its answer.
async fn batch_fault_is_weathered(fault: Fault) {
    let emu = emulator(3_600_000, 1.0).await;
    let unlimited = Provider::custom(emu.url())
        .unwrap()
        .with_limits(Limits::unlimited())
        .unwrap()
        .with_batch_polling(true);
    let client = Client::builder(unlimited, KEY)
        .initial_delay(Duration::from_millis(60))
        .poll_interval(Duration::from_millis(60))
        .timeout(HANG)
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let what = format!("{fault:?}");
    let times = fault.count.unwrap_or(1) as u64;
    let solves: Vec<_> = (0..4).map(|_| tokio::spawn(client.solve(v2()))).collect();
    let control = emu.control();
    eventually("a batch poll carrying all four", || {
        control
            .requests(100)
            .iter()
            .any(|r| ids_in(r.query.as_deref()) == 4)
    })
    .await;
    emu.add_fault(fault);
    eventually("the fault met", || {
        control.counters().faults_injected == times
    })
    .await;
    emu.finish_pending();
    for h in solves {
        let s = h.await.unwrap().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(s.answer.starts_with("03AG"));
    }
    assert_eq!(emu.counters().faults_injected, times, "{what}");
}

#[tokio::test]
async fn a_whole_batch_error_never_ends_a_solve_a_single_poll_would_answer() {
    batch_fault_is_weathered(
        Fault::reply(EndpointSel::Batch, 200, "ERROR_CAPTCHA_UNSOLVABLE").times(1),
    )
    .await;
}

#[tokio::test]
async fn unreadable_batch_replies_send_their_tasks_to_single_polls() {
    // Three in a row once ended every solve of the batch (as three unreadable single replies
    // end one solve), though each task's own poll would have answered.
    batch_fault_is_weathered(Fault::reply(EndpointSel::Batch, 200, "{\"foo\":1}").times(3)).await;
    batch_fault_is_weathered(Fault::new(FaultKind::Oversized, EndpointSel::Batch).times(3)).await;
}

#[tokio::test]
async fn a_failed_batch_poll_is_polled_again() {
    // A gateway's 502 or a dropped connection on a batch poll once left its tasks out of
    // every later tick: each solve then ran into its deadline.
    batch_fault_is_weathered(Fault::new(FaultKind::Html502, EndpointSel::Batch).times(2)).await;
    batch_fault_is_weathered(Fault::new(FaultKind::Drop, EndpointSel::Batch).times(1)).await;
}

#[tokio::test]
async fn two_spellings_of_one_host_share_one_account() {
    let emu = emulator(0, 1.0).await;
    let url = emu.url().to_owned();
    let localhost = url.replace("127.0.0.1", "localhost");
    let mk = |u: &str| {
        Client::builder(Provider::custom(u).unwrap(), KEY)
            .initial_delay(Duration::from_millis(20))
            .poll_interval(Duration::from_millis(50))
            .build()
            .unwrap()
    };
    let (a, b) = (mk(&url), mk(&localhost));
    let solves: Vec<_> = (0..30)
        .map(|i| {
            let c = if i % 2 == 0 { &a } else { &b };
            tokio::spawn(c.solve(v2()))
        })
        .collect();
    for h in solves {
        h.await.unwrap().unwrap();
    }
    // One key, one rate: the 30 submits arrived 100 ms apart, whichever name was used.
    assert_spaced(
        &emu.submit_times(KEY),
        Duration::from_millis(100),
        "submits",
    );
    assert_eq!(emu.counters().violations_total(), 0);
}

#[tokio::test]
async fn a_preset_never_inherits_lifted_limits() {
    let emu = emulator(0, 1.0).await;
    let lifted = Client::builder(
        Provider::custom(emu.url())
            .unwrap()
            .with_limits(Limits::unlimited())
            .unwrap(),
        KEY,
    )
    .build()
    .unwrap();
    let preset = Client::builder(
        Provider::two_captcha().with_base_url(emu.url()).unwrap(),
        KEY,
    )
    .initial_delay(Duration::from_millis(20))
    .poll_interval(Duration::from_millis(50))
    .build()
    .unwrap();
    assert_eq!(preset.limits(), Limits::form_protocol());
    // The lifted client joined first; the preset's limits now hold for both.
    assert_eq!(lifted.limits(), Limits::form_protocol());
    let solves: Vec<_> = (0..20).map(|_| tokio::spawn(preset.solve(v2()))).collect();
    for h in solves {
        h.await.unwrap().unwrap();
    }
    assert_spaced(
        &emu.submit_times(KEY),
        Duration::from_millis(100),
        "submits",
    );
    assert_eq!(emu.counters().violations_total(), 0);
}

#[tokio::test]
async fn huge_durations_are_refused_before_anything_is_sent() {
    let emu = emulator(10, 1.0).await;
    let huge = Duration::from_secs_f64(1e19);
    for (name, b) in [
        ("timeout", fast(&emu, 1.0).timeout(huge)),
        ("initial_delay", fast(&emu, 1.0).initial_delay(huge)),
        ("poll_interval", fast(&emu, 1.0).poll_interval(huge)),
        ("request_timeout", fast(&emu, 1.0).request_timeout(huge)),
        (
            "poll_interval",
            fast(&emu, 1.0).poll_interval(Duration::ZERO),
        ),
    ] {
        let e = b.build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Usage, "{name}: {e}");
        assert_eq!(e.option(), Some(name), "{e}");
    }
    let client = fast(&emu, 1.0).build().unwrap();
    for (name, opts) in [
        ("timeout", SolveOptions::new().timeout(huge)),
        ("initial_delay", SolveOptions::new().initial_delay(huge)),
        ("poll_interval", SolveOptions::new().poll_interval(huge)),
        (
            "poll_interval",
            SolveOptions::new().poll_interval(Duration::MAX),
        ),
    ] {
        let e = client.solve_with(v2(), opts).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Usage, "{name}: {e}");
        assert_eq!(e.option(), Some(name), "{e}");
    }
    assert_eq!(emu.counters().in_requests, 0, "nothing was sent");
    // The longest allowed values work, and the scheduler serves everyone after them.
    let slow = client.solve_with(
        v2(),
        SolveOptions::new()
            .initial_delay(MAX_POLL_WAIT)
            .poll_interval(MAX_POLL_WAIT)
            .timeout(MAX_TIMEOUT),
    );
    let slow = tokio::spawn(slow);
    let control = emu.control();
    eventually("the slow solve's task accepted", || {
        control.task_ids(KEY).len() == 1
    })
    .await;
    let s = client.solve(v2()).await.unwrap();
    assert!(s.answer.starts_with("03AG"));
    slow.abort();
}

#[test]
fn a_client_whose_engine_stopped_refuses_before_submitting() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let emu = Emulator::start_background(Config::default(), 1).unwrap();
    let client = rt.block_on(async {
        Client::builder(Provider::custom(emu.url()).unwrap(), KEY)
            .build()
            .unwrap()
    });
    drop(rt);
    let other = tokio::runtime::Runtime::new().unwrap();
    let e = other.block_on(client.solve(v2())).unwrap_err();
    assert!(e.kind() == ErrorKind::Service, "{e}");
    assert_eq!(emu.counters().in_requests, 0, "{e}");
}

#[test]
fn proxies_with_broken_escapes_are_refused() {
    for url in [
        "http://user:p%zz@1.2.3.4:80",
        "http://us%4@1.2.3.4:80",
        "http://user:pass%@1.2.3.4:80",
    ] {
        let e = Proxy::parse(url).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidTask, "{url}");
        assert_eq!(e.field(), Some("proxy"));
    }
    assert_eq!(
        Proxy::parse("http://user:p%40ss@1.2.3.4:80")
            .unwrap()
            .password()
            .unwrap()
            .expose(),
        "p@ss"
    );
}

#[tokio::test]
async fn redirects_are_never_followed_and_no_referer_is_sent() {
    let emu = emulator(10, 1.0).await;
    // Another host, listening: a client that followed a redirect would reach it.
    let thief = emulator(10, 1.0).await;
    let thief_url = thief.url().replace("127.0.0.1", "localhost");
    let client = fast(&emu, 1.0).build().unwrap();
    for status in [302u16, 307, 301, 308] {
        emu.clear_faults();
        let mut f = Fault::new(FaultKind::Redirect, EndpointSel::In);
        f.status = Some(status);
        f.body = Some(format!("{thief_url}in.php?"));
        emu.add_fault(f);
        let before = emu.counters().requests;
        let e = client.solve(v2().proxy(proxy())).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Service, "{e}");
        assert_eq!(e.code(), Some(format!("HTTP {status}").as_str()), "{e}");
        assert!(e.message().contains("localhost"), "names the host: {e}");
        assert!(
            !e.message().contains("in.php?"),
            "never the target's path or query: {e}"
        );
        assert_clean("the redirect error", &error_text(&e));
        assert_eq!(
            emu.counters().requests,
            before + 1,
            "one request, not followed"
        );
    }
    // A redirect while polling ends the solve too, keeping the task id.
    emu.clear_faults();
    let mut f = Fault::new(FaultKind::Redirect, EndpointSel::Res);
    f.body = Some(format!("{thief_url}in.php?"));
    emu.add_fault(f);
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service, "{e}");
    assert!(e.task_id().is_some());
    emu.clear_faults();
    client.balance().await.unwrap();
    for r in emu.requests(1000) {
        assert_eq!(r.referer, None, "{r:?}");
    }
    // Nothing reached the other host: not the key, not the 307's body with the proxy
    // password.
    assert_eq!(thief.counters().requests, 0, "{:?}", thief.requests(10));
}

#[tokio::test]
async fn a_server_echoing_the_request_learns_nothing_back() {
    let emu = emulator(10, 1.0).await;
    let rec = Recorder::default();
    let client = fast(&emu, 1.0)
        .on_event_handler(rec.handler())
        .build()
        .unwrap();
    // The submit, the polls and the balance all echo what they got (key, proxy password).
    emu.add_fault(Fault::new(FaultKind::Echo, EndpointSel::In).times(2));
    emu.add_fault(Fault::new(FaultKind::Echo, EndpointSel::Res).times(2));
    let r = client.solve(v2().proxy(proxy())).await;
    if let Err(e) = &r {
        assert_clean("the echo error", &error_text(e));
    }
    assert_clean("the echo events", &events_text(&rec));
    emu.clear_faults();
    emu.add_fault(Fault::new(FaultKind::Echo, EndpointSel::Any));
    let e = client.solve(v2().proxy(proxy())).await.unwrap_err();
    assert_clean("the echo error", &error_text(&e));
    let e = client.balance().await.unwrap_err();
    assert_clean("the balance echo error", &error_text(&e));
    assert_clean("the echo events", &events_text(&rec));
}

#[tokio::test]
async fn replies_that_are_not_utf8_are_service_errors_not_mangled_answers() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    emu.add_fault(Fault::new(FaultKind::NonUtf8, EndpointSel::Res));
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service, "{e}");
    assert_eq!(e.code(), Some("NOT_UTF8"), "{e}");
    assert!(e.task_id().is_some());
    emu.clear_faults();
    emu.add_fault(Fault::new(FaultKind::NonUtf8, EndpointSel::Res).times(1));
    let s = client.solve(v2()).await.unwrap();
    assert!(!s.answer.contains('\u{fffd}'));
}

/// HTTPS clients are built with rustls's ring provider and the platform verifier (no
/// process-wide provider needed); nothing listens here, so the call fails as a network error.
#[tokio::test]
async fn https_clients_build_without_a_process_wide_tls_provider() {
    let client = Client::builder(Provider::custom("https://127.0.0.1:9/").unwrap(), KEY)
        .retry(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let e = client.balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
}

/// A service that is not there reads as such, without hyper's layers or OS error numbers.
#[tokio::test]
async fn network_errors_speak_plainly() {
    let client = Client::builder(Provider::custom("http://127.0.0.1:9/").unwrap(), KEY)
        .retry(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let e = client.balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    for word in ["client error", "tcp connect error", "os error", "Connect)"] {
        assert!(!e.message().contains(word), "{e}");
    }
    assert!(e.message().contains("could not connect"), "{e}");
}
