//! Every error kind, provoked against the emulator, with what it costs in requests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use std::time::{Duration, Instant};

fn rule_submit(code: &str) -> Rule {
    Rule {
        submit_error: Some(code.into()),
        ..Rule::default()
    }
}

#[tokio::test]
async fn invalid_task_is_refused_before_anything_is_sent() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    let e = client
        .solve(RecaptchaV2::new("not a url", SITEKEY))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidTask);
    assert_eq!(e.field(), Some("website_url"));
    let e = client
        .solve(ImageToText::new(vec![0u8; 50]))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("image"));
    assert_eq!(
        emu.counters().requests,
        0,
        "nothing may be sent for an invalid task"
    );
    // The service's own refusals are invalid_task too, with its code.
    emu.add_rule(rule_submit("ERROR_BAD_TOKEN_OR_PAGEURL"));
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::InvalidTask, Some("ERROR_BAD_TOKEN_OR_PAGEURL"))
    );
    assert_eq!(e.task_id(), None);
}

#[tokio::test]
async fn auth_errors_stop_every_later_request_of_the_key() {
    let emu = emulator(10, 1.0).await;
    emu.remove_account(KEY);
    let client = fast(&emu, 1.0).build().unwrap();
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Auth, Some("ERROR_KEY_DOES_NOT_EXIST"))
    );
    assert!(!e.retryable());
    // Later calls, and other clients of the same key, fail at once without a request.
    let again = fast(&emu, 1.0).build().unwrap();
    for e in [
        again.solve(v2()).await.unwrap_err(),
        client.balance().await.unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::Auth);
        assert!(e.message().starts_with("not sent"), "{e}");
    }
    assert_eq!(emu.counters().requests, 1);
    // A malformed key is refused by the service the same way.
    let short = Client::builder(provider(&emu, 1.0), "tooshort")
        .build()
        .unwrap();
    assert_eq!(
        short.balance().await.unwrap_err().code(),
        Some("ERROR_WRONG_USER_KEY")
    );
}

#[tokio::test]
async fn zero_balance_stops_submits_at_once_but_polls_go_on() {
    let emu = emulator(3_600_000, 1.0).await; // pending until let go
    let client = fast(&emu, 1.0).build().unwrap();
    // One task in flight (accepted by the service), then the money runs out.
    let inflight = tokio::spawn(client.solve(v2()));
    let control = emu.control();
    eventually("the first task accepted", || {
        control.task_ids(KEY).len() == 1
    })
    .await;
    emu.set_account(KEY, 0.0);
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Balance, Some("ERROR_ZERO_BALANCE"))
    );
    // Not retryable unchanged (someone must top the account up): no retry_after either.
    assert!(!e.retryable());
    assert_eq!(e.retry_after(), None);
    // The next fifty fail at once: unsent, with the balance error (not a wait for the block
    // to end, which would be a timeout).
    let submits = emu.counters().in_requests;
    let results = futures_all((0..50).map(|_| client.solve(v2())).collect()).await;
    for r in results {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Balance);
        assert!(e.message().starts_with("not sent"));
    }
    assert_eq!(emu.counters().in_requests, submits, "nothing sent");
    assert_eq!(
        emu.counters().replied("ERROR_ZERO_BALANCE"),
        1,
        "one refusal, not fifty"
    );
    // The task already accepted is still polled, and collected once it is solved.
    let polls = emu.counters().polls;
    eventually("the task in flight polled on", || {
        control.counters().polls > polls
    })
    .await;
    emu.finish_pending();
    assert!(inflight.await.unwrap().is_ok());
}

async fn futures_all<T: Send + 'static>(
    futs: Vec<impl std::future::Future<Output = T> + Send + 'static>,
) -> Vec<T> {
    let handles: Vec<_> = futs.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn rate_limited_carries_the_block_time() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    emu.add_rule(Rule {
        times: Some(1),
        ..rule_submit("ERROR: 1003")
    });
    // The block starts when the reply arrives: after this instant.
    let t = Instant::now();
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::RateLimited, Some("ERROR: 1003"))
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
    assert!(e.retryable());
    // Submits are held back for what is left of the block time; polls are not.
    let e = client.solve(v2()).await.unwrap_err();
    let left = e.retry_after().unwrap();
    assert!(e.message().starts_with("not sent"), "{e}");
    assert!(
        left <= Duration::from_secs(30) && left + t.elapsed() >= Duration::from_secs(30),
        "{left:?} left, at most {:?} after the block began",
        t.elapsed()
    );
    assert!(client.balance().await.is_ok());
}

#[tokio::test]
async fn error_1005_from_polling_carries_the_task_id() {
    let emu = emulator(60_000, 1.0).await;
    emu.update_config(|c| c.res_allowance = 3);
    let client = fast(&emu, 1.0).build().unwrap();
    // Budget on the service side: 20 + 3 polls for one task; the client's own budget is the
    // documented 1200, so the service's stricter rule is what stops it here.
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::RateLimited, Some("ERROR: 1005"))
    );
    assert!(e.task_id().is_some());
    assert_eq!(e.retry_after(), Some(Duration::from_secs(300)));
    let c = emu.counters();
    assert_eq!(c.violations["ERROR: 1005"], 1);
    // Everything of the key now fails at once, unsent.
    let before = emu.counters().requests;
    assert_eq!(
        client.balance().await.unwrap_err().code(),
        Some("ERROR: 1005")
    );
    assert_eq!(emu.counters().requests, before);
}

#[tokio::test]
async fn proxy_unsolvable_not_found_report_and_service_kinds() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some("badproxy".into()),
            ..Match::default()
        },
        ..rule_submit("ERROR_BAD_PROXY")
    });
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some("unsolvable".into()),
            ..Match::default()
        },
        result_error: Some("ERROR_CAPTCHA_UNSOLVABLE".into()),
        ..Rule::default()
    });
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some("newcode".into()),
            ..Match::default()
        },
        ..rule_submit("ERROR_SOMETHING_NEW")
    });
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some("proxyfail".into()),
            ..Match::default()
        },
        result_error: Some("ERROR_PROXY_CONNECTION_FAILED".into()),
        ..Rule::default()
    });

    let e = client.solve(v2_key("badproxy")).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.field()),
        (ErrorKind::Proxy, Some("ERROR_BAD_PROXY"), Some("proxy"))
    );
    let e = client.solve(v2_key("proxyfail")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Proxy);
    assert!(e.task_id().is_some());

    let e = client.solve(v2_key("unsolvable")).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Unsolvable, Some("ERROR_CAPTCHA_UNSOLVABLE"))
    );
    assert!(e.retryable());
    let id = e.task_id().unwrap().to_owned();
    assert_eq!(
        emu.task(id.parse().unwrap()).unwrap().error.as_deref(),
        Some("ERROR_CAPTCHA_UNSOLVABLE")
    );

    let e = client.result("123").await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.task_id()),
        (
            ErrorKind::NotFound,
            Some("ERROR_WRONG_CAPTCHA_ID"),
            Some("123")
        )
    );
    let e = client.result("12x").await.unwrap_err();
    assert_eq!(e.code(), Some("ERROR_WRONG_ID_FORMAT"));

    let e = client.report(&id, true).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Report, Some("ERROR_REPORT_NOT_RECORDED"))
    );

    let e = client.solve(v2_key("newcode")).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Service, Some("ERROR_SOMETHING_NEW"))
    );
    assert!(!e.retryable());
}

#[tokio::test]
async fn service_errors_from_persistent_faults() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    emu.add_fault(Fault::new(FaultKind::Html502, EndpointSel::Res));
    let e = client.balance().await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Service, Some("HTML")));
    assert!(e.message().contains("502 Bad Gateway"), "{e}");
    assert!(e.retryable());
    assert_eq!(
        emu.counters().res_requests,
        3,
        "three attempts, then the error"
    );
    emu.clear_faults();
    emu.add_fault(Fault::reply(EndpointSel::Res, 200, "Hello there"));
    let e = client.balance().await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Service, Some("UNRECOGNIZED"))
    );
}

#[tokio::test]
async fn network_errors_when_nothing_listens() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = Client::builder(format!("http://127.0.0.1:{port}/"), KEY)
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        // Short, as the solve below ends by it; long beside the refusals, which come at once.
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let e = client.balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(e.message().contains("could not connect"), "{e}");
    assert!(!e.to_string().contains(KEY));
    // A solve keeps retrying a refused connection until its deadline.
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.task_id(), None);
    assert!(e.message().contains("could not connect"), "{e}");
}

#[tokio::test]
async fn timeout_keeps_the_task_id_and_the_answer_can_be_collected_later() {
    let emu = emulator(3_600_000, 1.0).await; // pending until let go
    let client = fast(&emu, 1.0).build().unwrap();
    let t = Instant::now();
    let e = client
        .solve_with(
            v2(),
            // The submit goes out at once, long before this deadline.
            SolveOptions::new().timeout(Duration::from_secs(1)),
        )
        .await
        .unwrap_err();
    let took = t.elapsed();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.retryable());
    // Not before the deadline (a loaded machine can only make it later).
    assert!(took >= Duration::from_secs(1), "{took:?}");
    let id = e.task_id().expect("the task id is kept").to_owned();
    assert_eq!(client.result(&id).await.unwrap(), None, "still pending");
    emu.finish_pending();
    let s = client.result(&id).await.unwrap().unwrap();
    assert!(s.answer.starts_with("03AG"));
}

#[tokio::test]
async fn cancelled_by_token_and_usage_errors() {
    let emu = emulator(3_600_000, 1.0).await; // never ready within the test
    let client = fast(&emu, 1.0).build().unwrap();
    let token = CancelToken::new();
    let t2 = token.clone();
    // Cancelled once the service has accepted the task (the event says so).
    let opts = SolveOptions::new().cancel(token).on_event(move |e| {
        if e.step == Step::Submitted {
            t2.cancel();
        }
    });
    let e = client.solve_with(v2(), opts).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(e.task_id().is_some());

    // The blocking client refuses to block an async runtime's thread.
    let b = blocking::Client::new(provider(&emu, 1.0), KEY).unwrap();
    let e = b.balance().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    // Options and providers that make no sense.
    assert_eq!(
        Client::new("nope", KEY).unwrap_err().kind(),
        ErrorKind::Usage
    );
    assert_eq!(
        Client::new("2captcha", "").unwrap_err().kind(),
        ErrorKind::Usage
    );
    let e = Client::builder("2captcha", KEY)
        .poll_interval(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
}

#[test]
fn names_parse_as_rust_parses_names() {
    assert_eq!(
        "rate_limited".parse::<ErrorKind>().unwrap(),
        ErrorKind::RateLimited
    );
    let e = "ratelimited".parse::<ErrorKind>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    assert!(e.message().contains("rate_limited"), "{e}");
    assert_eq!(
        "RecaptchaV2".parse::<capbridge::TaskKind>().unwrap(),
        capbridge::TaskKind::RecaptchaV2
    );
    assert!(
        "ReCaptchaV2"
            .parse::<capbridge::TaskKind>()
            .unwrap_err()
            .message()
            .contains("did you mean RecaptchaV2?")
    );
    assert_eq!("2captcha".parse::<Provider>().unwrap().name(), "2captcha");
    assert_eq!(
        "2capcha".parse::<Provider>().unwrap_err().kind(),
        ErrorKind::Usage
    );
}

#[tokio::test]
async fn a_solution_serializes_with_its_field_names() {
    let emu = emulator(10, 1.0).await;
    let s = fast(&emu, 1.0).build().unwrap().solve(v2()).await.unwrap();
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["task_id"], s.task_id.as_str());
    assert_eq!(v["answer"], s.answer.as_str());
    assert_eq!(v["provider"], s.provider.as_str());
    assert_eq!(
        serde_json::to_value(capbridge::TaskKind::RecaptchaV2).unwrap(),
        "RecaptchaV2"
    );
    assert_eq!(
        serde_json::to_value(ErrorKind::RateLimited).unwrap(),
        "rate_limited"
    );
}
