//! Every task kind end to end against the emulator: what arrives at the service and what
//! comes back.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;

#[tokio::test]
async fn every_kind_is_solved_with_the_right_fields() {
    let emu = emulator(30, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    let proxy = Proxy::parse("http://user:pw@1.2.3.4:3128").unwrap();
    let tasks: Vec<(Task, &str)> = vec![
        (ImageToText::new(image("captcha.png")).into(), "ImageToText"),
        (
            ImageToText::new(image("captcha.jpg"))
                .multipart()
                .numeric(CharacterSet::NumbersAndLetters)
                .case_sensitive(true)
                .into(),
            "ImageToText",
        ),
        (
            v2().invisible(true)
                .data_s("ds")
                .cookie("NID", "1")
                .proxy(proxy.clone())
                .into(),
            "RecaptchaV2",
        ),
        (
            RecaptchaV3::new(PAGE, SITEKEY)
                .action("login")
                .min_score(0.3)
                .into(),
            "RecaptchaV3",
        ),
        (
            HCaptcha::new(PAGE, "10000000-ffff-ffff-ffff-000000000001")
                .rqdata("rq")
                .into(),
            "HCaptcha",
        ),
        (
            FunCaptcha::new(PAGE, "12AB34CD-56F7-AB8C-9D01-2EF3456789A0")
                .surl("https://client-api.arkoselabs.com")
                .data("blob", "b")
                .into(),
            "FunCaptcha",
        ),
        (
            Turnstile::new(PAGE, "0x4AAAAAAAC3DHQFLr1GavRN")
                .action("managed")
                .cdata("cd")
                .into(),
            "Turnstile",
        ),
    ];
    let mut handles = Vec::new();
    for (task, kind) in tasks {
        let c = client.clone();
        handles.push((kind, tokio::spawn(async move { c.solve(task).await })));
    }
    for (kind, h) in handles {
        let s = h.await.unwrap().unwrap_or_else(|e| panic!("{kind}: {e}"));
        let info = emu.task(s.task_id.parse().unwrap()).unwrap();
        assert_eq!(info.kind, kind);
        assert_eq!(info.answer.as_deref(), Some(s.answer.as_str()), "{kind}");
        match kind {
            "HCaptcha" => {
                assert!(s.user_agent.as_deref().unwrap().starts_with("Mozilla/5.0"));
                assert!(s.resp_key.as_deref().unwrap().starts_with("E0_"));
                assert_eq!(info.params["data"], "rq");
            }
            "Turnstile" => {
                assert!(s.user_agent.is_some());
                assert_eq!(info.params["data"], "cd");
            }
            "FunCaptcha" => {
                assert!(
                    s.answer
                        .contains("|pk=12AB34CD-56F7-AB8C-9D01-2EF3456789A0|")
                );
                assert_eq!(info.params["data[blob]"], "b");
            }
            "RecaptchaV2" => {
                assert_eq!(info.params["proxy"], "user:pw@1.2.3.4:3128");
                assert_eq!(info.params["proxytype"], "HTTP");
                assert_eq!(info.params["cookies"], "NID:1");
                assert_eq!(info.params["invisible"], "1");
            }
            "RecaptchaV3" => {
                assert_eq!(info.params["version"], "v3");
                assert_eq!(info.params["min_score"], "0.3");
                assert_eq!(info.params["action"], "login");
            }
            _ => {}
        }
        assert_eq!(s.raw["status"], 1);
    }
    let c = emu.counters();
    assert_eq!(c.tasks_accepted, 7);
    assert_eq!(c.violations_total(), 0);
}

#[tokio::test]
async fn plain_replies_work_too() {
    let emu = emulator(10, 1.0).await;
    let plain = provider(&emu, 1.0)
        .with_form_switches(Some(false), None, None)
        .unwrap();
    // Millisecond waits: the documented first waits (20 s for reCAPTCHA v2, 10 s for
    // hCaptcha) would only make the test slow.
    let client = Client::builder(plain, KEY)
        .initial_delay(Duration::from_millis(20))
        .poll_interval(Duration::from_millis(20))
        .build()
        .unwrap();
    let s = client.solve(v2()).await.unwrap();
    assert!(s.answer.starts_with("03AG"));
    // hCaptcha still asks for JSON when polling, to get the worker's user agent.
    let s = client.solve(HCaptcha::new(PAGE, "abc")).await.unwrap();
    assert!(s.user_agent.is_some());
    assert_eq!(client.balance().await.unwrap().as_str(), "9.99915");
}

#[tokio::test]
async fn submit_result_balance_report_by_hand() {
    let emu = emulator(3_600_000, 1.0).await; // pending until let go
    let client = fast(&emu, 1.0).build().unwrap();
    let id = client.submit(v2()).await.unwrap();
    assert_eq!(client.result(&id).await.unwrap(), None);
    emu.finish_pending();
    let s = client.result(&id).await.unwrap().unwrap();
    assert_eq!(s.task_id, id);
    client.report(&id, true).await.unwrap();
    let e = client.report(&id, false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Report);
    assert_eq!(e.code(), Some("ERROR_DUPLICATE_REPORT"));
    assert_eq!(e.task_id(), Some(id.as_str()));
    assert_eq!(
        emu.task(id.parse().unwrap()).unwrap().report.as_deref(),
        Some("good")
    );
    let b = client.balance().await.unwrap();
    assert_eq!(b.as_str(), "9.99965");
}

#[test]
fn blocking_client_from_many_threads() {
    let emu = Emulator::start_background(
        Config {
            default_delay: Delay::fixed(20),
            ..Config::default()
        },
        1,
    )
    .unwrap();
    let client = blocking::Client::builder(Provider::custom(emu.url()).unwrap(), KEY)
        .initial_delay(std::time::Duration::from_millis(10))
        .poll_interval(std::time::Duration::from_millis(10))
        .build()
        .unwrap();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let c = client.clone();
            std::thread::spawn(move || c.solve(v2()).unwrap())
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap().answer.starts_with("03AG"));
    }
    assert!(client.balance().unwrap().as_f64() > 9.0);
    emu.stop();
}
