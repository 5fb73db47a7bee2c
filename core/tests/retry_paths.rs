//! Every retry path, driven by the emulator's faults.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use std::time::{Duration, Instant};

fn retries(rec: &Recorder, stage: Stage) -> usize {
    rec.events()
        .iter()
        .filter(|e| matches!(&e.step, Step::Retrying { stage: s, .. } if *s == stage))
        .count()
}

#[tokio::test]
async fn submits_the_service_never_processed_are_retried_freely() {
    let emu = emulator(10, 1.0).await;
    let rec = Recorder::default();
    let client = fast(&emu, 1.0)
        .on_event_handler(rec.handler())
        .build()
        .unwrap();
    // 429 and 503 say nothing was created: five of them, then a gateway page (whose outcome
    // is unknown, one of the two resubmits the policy allows).
    emu.add_fault(Fault::reply(EndpointSel::In, 503, "Service Unavailable").times(3));
    emu.add_fault(Fault::reply(EndpointSel::In, 429, "Too Many Requests").times(2));
    emu.add_fault(Fault::new(FaultKind::Html502, EndpointSel::In).times(1));
    let s = client.solve(v2()).await.unwrap();
    assert!(s.answer.starts_with("03AG"));
    assert_eq!(emu.counters().in_requests, 7);
    assert_eq!(emu.counters().tasks_accepted, 1);
    assert_eq!(retries(&rec, Stage::Submit), 6);
}

/// A gateway's 502 or 504, an HTML page or a 500 may come after the service created (and
/// charged for) a task: such submits count against `unknown_submit_retries` (2), so a solve
/// sends at most 3 submits, not one per backoff step until its deadline.
#[tokio::test]
async fn submits_with_an_unknown_outcome_are_bounded_by_the_policy() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    emu.add_fault(Fault::new(FaultKind::Html502, EndpointSel::In));
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(e.message().contains("may have created a task"), "{e}");
    assert_eq!(emu.counters().in_requests, 3);
    emu.clear_faults();
    emu.add_fault(Fault::new(FaultKind::Http500, EndpointSel::In));
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert_eq!(emu.counters().in_requests, 6);
}

#[tokio::test]
async fn every_poll_fault_is_retried_inside_the_deadline() {
    let emu = emulator(10, 1.0).await;
    let rec = Recorder::default();
    let client = fast(&emu, 1.0)
        .on_event_handler(rec.handler())
        .build()
        .unwrap();
    for f in [
        FaultKind::Http500,
        FaultKind::Html502,
        FaultKind::Empty,
        FaultKind::Drop,
        FaultKind::Truncate,
    ] {
        emu.add_fault(Fault::new(f, EndpointSel::Res).times(1));
    }
    emu.add_fault(Fault::reply(EndpointSel::Res, 200, "{\"status\":1,\"requ").times(1));
    let s = client.solve(v2()).await.unwrap();
    assert!(s.answer.starts_with("03AG"));
    assert_eq!(retries(&rec, Stage::Poll), 6);
    assert_eq!(emu.counters().faults_injected, 6);
    let steps = rec.steps();
    assert_eq!(steps.first().map(String::as_str), Some("submitting"));
    assert_eq!(steps.last().map(String::as_str), Some("solved"));
}

#[tokio::test]
async fn a_lost_submit_reply_is_resubmitted_within_the_policy() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    // The service creates the task, then the connection drops: outcome unknown.
    emu.add_fault(Fault::new(FaultKind::Drop, EndpointSel::In).times(1));
    let s = client.solve(v2()).await.unwrap();
    assert!(!s.answer.is_empty());
    assert_eq!(
        emu.counters().tasks_accepted,
        2,
        "the lost task exists at the service too"
    );
}

#[tokio::test]
async fn unknown_submit_outcomes_are_never_resubmitted_without_bound() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    emu.add_fault(Fault::new(FaultKind::Drop, EndpointSel::In));
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(e.message().contains("may have created a task"), "{e}");
    // One submit plus the policy's two resubmits.
    assert_eq!(emu.counters().in_requests, 3);
    let zero = fast(&emu, 1.0)
        .retry(RetryPolicy {
            unknown_submit_retries: 0,
            base_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    zero.solve(v2()).await.unwrap_err();
    assert_eq!(emu.counters().in_requests, 4);
    // Truncated and empty replies count as unknown too.
    emu.clear_faults();
    emu.add_fault(Fault::new(FaultKind::Truncate, EndpointSel::In));
    zero.solve(v2()).await.unwrap_err();
    assert_eq!(emu.counters().in_requests, 5);
}

/// The deadline may come before the policy's limit: the error is the deadline's, but it says
/// that tasks may exist and is not retryable (a loop that follows `retryable()` would make the
/// blind resubmit the policy bounds). A deadline after submits the service refused is
/// retryable as before.
#[tokio::test]
async fn a_deadline_after_submits_with_an_unknown_outcome_is_not_retryable() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0)
        .timeout(Duration::from_secs(4))
        .retry(RetryPolicy {
            unknown_submit_retries: 1_000_000,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_millis(200),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    // Each submit is processed (the task created), then the connection drops.
    emu.add_fault(Fault::new(FaultKind::Drop, EndpointSel::In));
    let e = client.solve(v2()).await.unwrap_err();
    assert!(emu.counters().in_requests >= 1);
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(!e.retryable(), "{e}");
    assert!(e.message().contains("may have created a task"), "{e}");

    // A reply of 3,000 characters the protocol does not define: the warning comes first, so
    // the cut every message gets keeps it.
    emu.clear_faults();
    emu.add_fault(Fault::reply(EndpointSel::In, 200, "x".repeat(3000)));
    let e = client.solve(v2()).await.unwrap_err();
    assert!(!e.retryable(), "{e}");
    assert!(e.message().contains("may have created a task"), "{e}");

    // A refusal after such a submit says it too.
    emu.clear_faults();
    emu.add_fault(Fault::new(FaultKind::Drop, EndpointSel::In).times(1));
    emu.add_fault(Fault::reply(EndpointSel::In, 200, "ERROR_WRONG_GOOGLEKEY").times(1));
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidTask, "{e}");
    assert!(!e.retryable(), "{e}");
    assert!(e.message().contains("may have created a task"), "{e}");

    emu.clear_faults();
    emu.add_fault(Fault::reply(EndpointSel::In, 503, "Service Unavailable"));
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.retryable(), "{e}");
    assert!(!e.message().contains("may have created"), "{e}");
}

/// A `submit` call is a call outside a solve: faults end it after the policy's
/// `max_attempts`, as they end `balance`, instead of repeating until the kind's deadline.
#[tokio::test]
async fn a_submit_call_tries_at_most_max_attempts() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0)
        .retry(RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    emu.add_fault(Fault::reply(EndpointSel::In, 503, "Service Unavailable"));
    let e = client.submit(v2()).await.unwrap_err();
    assert_ne!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.retryable(), "{e}");
    assert_eq!(emu.counters().in_requests, 2);
    // After an unknown outcome the error says a task may exist, and is not retryable.
    emu.clear_faults();
    emu.add_fault(Fault::new(FaultKind::Drop, EndpointSel::In));
    let e = client.submit(v2()).await.unwrap_err();
    assert!(!e.retryable(), "{e}");
    assert!(e.message().contains("may have created a task"), "{e}");
    assert_eq!(emu.counters().in_requests, 4);
}

/// A cancellation cuts a submit short: the service may have the task, and its id will never
/// come, so the error says so. A cancellation before anything was sent says nothing of it.
#[tokio::test]
async fn a_cancel_while_a_submit_is_in_flight_says_a_task_may_exist() {
    let emu = emulator(10, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    emu.add_fault(Fault::new(FaultKind::Slow, EndpointSel::In).delay_ms(3_600_000));
    let token = CancelToken::new();
    let solve = tokio::spawn(client.solve_with(v2(), SolveOptions::new().cancel(token.clone())));
    eventually("the submit received", || emu.counters().in_requests == 1).await;
    token.cancel();
    let e = solve.await.unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    assert!(!e.retryable(), "{e}");
    assert!(
        e.message()
            .contains("a submit got no usable reply and may have created a task"),
        "{e}"
    );

    let e = client
        .solve_with(v2(), SolveOptions::new().cancel(token))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    assert!(!e.message().contains("may have created"), "{e}");
    assert_eq!(emu.counters().in_requests, 1, "nothing more was sent");
}

#[tokio::test]
async fn no_slot_and_max_user_turn_pause_submits_then_resubmit() {
    let scale = 0.01; // NO_SLOT wait 50 ms, MAX_USER_TURN pause 100 ms
    let emu = emulator(10, scale).await;
    let rec = Recorder::default();
    let client = fast(&emu, scale)
        .on_event_handler(rec.handler())
        .build()
        .unwrap();
    emu.add_rule(Rule {
        submit_error: Some("ERROR_NO_SLOT_AVAILABLE".into()),
        times: Some(2),
        ..Rule::default()
    });
    let t = Instant::now();
    let s = client.solve(v2()).await.unwrap();
    assert!(!s.answer.is_empty());
    assert!(
        t.elapsed() >= Duration::from_millis(100),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(retries(&rec, Stage::Submit), 2);
    assert_eq!(emu.counters().in_requests, 3);

    emu.add_fault(Fault::reply(EndpointSel::In, 200, "MAX_USER_TURN").times(1));
    let t = Instant::now();
    client.solve(v2()).await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn no_slot_until_the_deadline_is_a_timeout() {
    let scale = 0.01;
    let emu = emulator(10, scale).await;
    let client = fast(&emu, scale).build().unwrap();
    emu.add_rule(Rule {
        submit_error: Some("ERROR_NO_SLOT_AVAILABLE".into()),
        ..Rule::default()
    });
    let e = client
        .solve_with(
            v2(),
            SolveOptions::new().timeout(Duration::from_millis(400)),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    // It names the last refusal (the first submit goes out at once; a deadline that came
    // first on a stalled machine would leave nothing to name, and no submit in the log).
    let times = emu.submit_times(KEY);
    if !times.is_empty() {
        assert!(e.message().contains("ERROR_NO_SLOT_AVAILABLE"), "{e}");
    }
    // Never a burst: each try waits the no-slot wait (50 ms) after the refusal of the one
    // before, and the emulator logged each submit before it replied, so arrivals are at
    // least 50 ms apart whatever the load (1 ms for the clocks' granularity). A slow machine
    // makes fewer tries, never more.
    assert!(times.len() <= 10, "{times:?}");
    for w in times.windows(2) {
        assert!(w[1] - w[0] >= Duration::from_millis(49), "{times:?}");
    }
}

#[tokio::test]
async fn batch_replies_that_do_not_match_fall_back_to_single_polls() {
    // Pending until all eight ride one batch poll; then answered together.
    let emu = emulator(3_600_000, 1.0).await;
    // Submits unspaced, so that the tasks fall due together and share batch polls.
    let provider = provider(&emu, 0.0).with_batch_polling(true);
    let client = Client::builder(provider, KEY)
        .initial_delay(Duration::from_millis(30))
        .poll_interval(Duration::from_millis(30))
        .build()
        .unwrap();
    // An image answer holding '|' breaks the batch reply's count.
    emu.add_rule(Rule {
        when: Match {
            kind: Some("ImageToText".into()),
            ..Match::default()
        },
        answer: Some("a|b".into()),
        times: Some(1),
        ..Rule::default()
    });
    emu.add_rule(Rule {
        when: Match {
            kind: Some("ImageToText".into()),
            ..Match::default()
        },
        answer: Some("ERROR_LOOKALIKE".into()),
        times: Some(1),
        ..Rule::default()
    });
    let mut handles = Vec::new();
    for _ in 0..2 {
        handles.push(tokio::spawn(
            client.solve(ImageToText::new(image("captcha.png"))),
        ));
    }
    for _ in 0..6 {
        handles.push(tokio::spawn(client.solve(v2())));
    }
    let control = emu.control();
    eventually("a batch poll carrying all eight", || {
        control
            .requests(100)
            .iter()
            .any(|r| ids_in(r.query.as_deref()) == 8)
    })
    .await;
    let batches = emu.counters().action("res:get_batch");
    let singles = emu.counters().action("res:get");
    // Released: the next batch reply holds "a|b" (one part too many) and a part that reads
    // like a code; both are confirmed by single polls.
    emu.finish_pending();
    let mut answers = Vec::new();
    for h in handles {
        answers.push(h.await.unwrap().unwrap().answer);
    }
    assert!(answers.contains(&"a|b".to_owned()));
    // A batch part that reads like a code was confirmed by a single poll, and is an answer.
    assert!(answers.contains(&"ERROR_LOOKALIKE".to_owned()));
    let c = emu.counters();
    assert!(
        c.action("res:get_batch") > batches,
        "the answers came in a batch"
    );
    assert!(
        c.action("res:get") >= singles + 2,
        "and were confirmed alone"
    );
}
