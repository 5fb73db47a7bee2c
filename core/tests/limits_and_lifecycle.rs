//! The request limits as the service sees them, deadlines against a stalled server,
//! cancellation, batching, and what events and errors may show.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// 300 solves submitted at once on one key, with the API documentation's real limits on both sides (no
/// time scaling): the governor must submit at the highest rate allowed (10/s: 100 ms apart)
/// and never above it. Takes about 30 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_300_submits_at_the_seed_rate_with_no_violation() {
    let emu = emulator(0, 1.0).await;
    let client = Client::builder(Provider::custom(emu.url()).unwrap(), KEY)
        .initial_delay(Duration::from_millis(50))
        .poll_interval(Duration::from_millis(200))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    assert_eq!(client.provider().limits(), &Limits::form_protocol());
    let handles: Vec<_> = (0..300).map(|_| tokio::spawn(client.solve(v2()))).collect();
    for h in handles {
        h.await.unwrap().unwrap();
    }
    let c = emu.counters();
    assert_eq!(c.violations_total(), 0, "{:?}", c.violations);
    assert_eq!(c.in_requests, 300);
    let times = emu.submit_times(KEY);
    assert_eq!(times.len(), 300);
    let span = (times[299] - times[0]).as_secs_f64();
    let rate = 299.0 / span;
    eprintln!("300 submits in {span:.2} s: {rate:.3} per second");
    // Never above the limit; below it only by what a loaded 2-core machine delays (the
    // benchmark measures the rate itself: 9.9/s).
    assert!(
        (9.0..=10.0).contains(&rate),
        "rate {rate:.3}/s is not within 10% of 10/s"
    );
    let min_gap = times.windows(2).map(|w| w[1] - w[0]).min().unwrap();
    // Sent at least 100 ms apart (the governor's unit test proves it on a paused clock);
    // arrivals bunch by scheduling jitter on a loaded machine, so this only catches gross
    // failures.
    assert!(min_gap >= Duration::from_millis(50), "{min_gap:?}");
    for w in times.windows(31) {
        assert!(
            w[30] - w[0] >= Duration::from_millis(2990),
            "31 submits within 3 s"
        );
    }
    // Submits with the governor were spread out; polls were too: the budget held.
    assert!(c.res_requests <= 20 * 300 + 1200);
}

#[tokio::test]
async fn a_stalled_server_cannot_hold_a_solve_past_its_deadline() {
    let emu = emulator(10, 1.0).await;
    emu.add_fault(Fault::new(FaultKind::Slow, EndpointSel::Any).delay_ms(3_600_000));
    let client = fast(&emu, 1.0)
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let t = Instant::now();
    let e = client
        .solve_with(
            v2(),
            SolveOptions::new().timeout(Duration::from_millis(700)),
        )
        .await
        .unwrap_err();
    let took = t.elapsed();
    // A submit, once sent, is not cut by the deadline (its reply may hold a task id), so the
    // solve ends within its deadline plus one request timeout: as a timeout, or as the
    // unknown-outcome error once the policy's resubmits are spent.
    assert!(
        matches!(e.kind(), ErrorKind::Timeout | ErrorKind::Network),
        "{e}"
    );
    assert!(took < Duration::from_millis(700 + 300 + 150), "{took:?}");
    assert!(e.message().contains("timed out"), "{e}");

    // Once a task id exists, a stall while polling is bounded the same way.
    emu.clear_faults();
    let id_emu = emulator(60_000, 1.0).await;
    let c2 = fast(&id_emu, 1.0)
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let rec = Recorder::default();
    let solve = c2.solve_with(
        v2(),
        SolveOptions {
            on_event: Some(rec.handler()),
            timeout: Some(Duration::from_millis(800)),
            ..SolveOptions::default()
        },
    );
    let stall = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        id_emu.add_fault(Fault::new(FaultKind::Slow, EndpointSel::Any).delay_ms(3_600_000));
    };
    let t = Instant::now();
    let (r, ()) = tokio::join!(solve, stall);
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.task_id().is_some());
    assert!(
        t.elapsed() < Duration::from_millis(800 + 300),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn dropping_a_solve_stops_its_polling_at_once() {
    let emu = emulator(60_000, 1.0).await;
    let client = fast(&emu, 1.0).build().unwrap();
    let solve = client.solve(v2());
    let _ = tokio::time::timeout(Duration::from_millis(150), solve).await;
    // A poll already on the wire may still land; after that, none.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let polls = emu.counters().polls;
    assert!(polls >= 2, "{polls}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        emu.counters().polls,
        polls,
        "no poll after the future was dropped"
    );

    // Aborting a task that awaits a solve does the same.
    let h = tokio::spawn(client.solve(v2()));
    tokio::time::sleep(Duration::from_millis(100)).await;
    h.abort();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let polls = emu.counters().polls;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(emu.counters().polls, polls);
}

/// A client's work runs on its runtime wherever its futures are awaited: on another runtime
/// the solve runs in a task on the client's (its events come from the client's threads); on
/// the client's own, in the caller's task. Both solve.
#[test]
fn solves_run_on_the_clients_runtime_wherever_they_are_awaited() {
    let emu = Emulator::start_background(Config::default(), 1).unwrap();
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("client-rt")
        .enable_all()
        .build()
        .unwrap();
    let threads: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = threads.clone();
    let client = Client::builder(Provider::custom(emu.url()).unwrap(), KEY)
        .initial_delay(Duration::from_millis(10))
        .poll_interval(Duration::from_millis(10))
        .on_event(move |_| {
            let name = std::thread::current().name().unwrap_or("").to_owned();
            seen.lock().unwrap().push(name);
        })
        .runtime(client_rt.handle().clone())
        .build()
        .unwrap();
    let other_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    other_rt.block_on(client.solve(v2())).unwrap();
    let names = std::mem::take(&mut *threads.lock().unwrap());
    assert!(names.len() >= 3, "{names:?}");
    assert!(names.iter().all(|n| n == "client-rt"), "{names:?}");

    let on_client_rt = client_rt.spawn(client.solve(v2()));
    client_rt.block_on(on_client_rt).unwrap().unwrap();
    let names = std::mem::take(&mut *threads.lock().unwrap());
    assert!(names.len() >= 3, "{names:?}");
    assert!(names.iter().all(|n| n == "client-rt"), "{names:?}");
    emu.stop();
}

#[test]
fn the_blocking_client_is_cancelled_by_its_token() {
    let emu = Emulator::start_background(
        Config {
            default_delay: Delay::fixed(60_000),
            ..Config::default()
        },
        1,
    )
    .unwrap();
    let client = blocking::Client::builder(Provider::custom(emu.url()).unwrap(), KEY)
        .initial_delay(Duration::from_millis(10))
        .poll_interval(Duration::from_millis(10))
        .build()
        .unwrap();
    let token = CancelToken::new();
    let t2 = token.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        t2.cancel();
    });
    let t = Instant::now();
    let e = client
        .solve_with(v2(), SolveOptions::new().cancel(token))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(e.task_id().is_some());
    assert!(t.elapsed() < Duration::from_millis(500));
    // A poll already on the wire may still land; after that, none.
    std::thread::sleep(Duration::from_millis(50));
    let polls = emu.counters().polls;
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(emu.counters().polls, polls);
    emu.stop();
}

#[tokio::test]
async fn polls_stretch_and_stop_rather_than_break_the_res_budget() {
    // Both sides use a tiny budget: 2 polls per task + 5.
    let emu = emulator(60_000, 1.0).await;
    emu.update_config(|c| {
        c.res_per_task = 2;
        c.res_allowance = 5;
    });
    let limits = Limits {
        polls_per_task: 2,
        poll_allowance: 5,
        ..Limits::form_protocol().scaled(0.01)
    };
    let client = Client::builder(
        Provider::custom(emu.url())
            .unwrap()
            .with_limits(limits)
            .unwrap(),
        KEY,
    )
    .initial_delay(Duration::from_millis(5))
    .poll_interval(Duration::from_millis(5))
    .build()
    .unwrap();
    let e = client
        .solve_with(
            v2(),
            SolveOptions::new().timeout(Duration::from_millis(400)),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    let c = emu.counters();
    assert_eq!(c.res_requests, 7, "exactly the budget: 2 x 1 task + 5");
    assert_eq!(c.violations_total(), 0);
    // Outside a solve, a request that would break the rule is refused unsent.
    let e = client.balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert!(e.message().starts_with("not sent"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_polling_needs_far_fewer_requests() {
    async fn run(batch: bool) -> Counters {
        let emu = Emulator::start(Config {
            default_delay: Delay::range(20, 60),
            limits: false,
            ..Config::default()
        })
        .await
        .unwrap();
        let p = Provider::custom(emu.url())
            .unwrap()
            .with_limits(Limits::unlimited())
            .unwrap()
            .with_batch_polling(batch);
        let client = Client::builder(p, KEY)
            .initial_delay(Duration::from_millis(200))
            .poll_interval(Duration::from_millis(200))
            .build()
            .unwrap();
        let hs: Vec<_> = (0..200).map(|_| tokio::spawn(client.solve(v2()))).collect();
        for h in hs {
            h.await.unwrap().unwrap();
        }
        emu.counters()
    }
    let single = run(false).await;
    let batched = run(true).await;
    eprintln!(
        "res.php requests for 200 solves: single {}, batched {}",
        single.res_requests, batched.res_requests
    );
    assert!(single.res_requests >= 200);
    assert!(
        batched.res_requests * 5 < single.res_requests,
        "{} vs {}",
        batched.res_requests,
        single.res_requests
    );
}

#[tokio::test]
async fn events_tell_each_step_and_never_the_secrets() {
    let emu = emulator(30, 1.0).await;
    let rec = Recorder::default();
    let dumping = provider(&emu, 1.0)
        .with_form_switches(None, None, Some(true))
        .unwrap();
    let client = Client::builder(dumping, KEY)
        .initial_delay(Duration::from_millis(20))
        .poll_interval(Duration::from_millis(20))
        .on_event_handler(rec.handler())
        .build()
        .unwrap();
    emu.add_fault(Fault::new(FaultKind::Http500, EndpointSel::Res).times(1));
    let task = v2().proxy(Proxy::parse("socks5://user:hunter2pw@1.2.3.4:1080").unwrap());
    let s = client.solve(task.clone()).await.unwrap();
    let steps = rec.steps();
    assert_eq!(steps[0], "submitting");
    assert_eq!(steps[1], "submitted");
    assert!(steps.contains(&"retrying".to_owned()));
    assert!(steps.contains(&"polled".to_owned()));
    assert_eq!(steps.last().unwrap(), "solved");
    for e in rec.events() {
        if e.step.name() != "submitting" {
            assert_eq!(e.task_id.as_deref(), Some(s.task_id.as_str()), "{e}");
        }
        let text = format!("{e} {e:?}");
        assert!(!text.contains(KEY) && !text.contains("hunter2pw"), "{text}");
    }
    // Errors with echoed requests (a debug dump holds the key) do not leak either.
    emu.add_rule(Rule {
        submit_error: Some("ERROR_SOMETHING_NEW".into()),
        ..Rule::default()
    });
    let e = client.solve(task).await.unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(!text.contains(KEY) && !text.contains("hunter2pw"), "{text}");
    assert!(!format!("{client:?}").contains(KEY));
}
