//! Answers pushed to the client's own receiver (`callback_listen`), against the emulator,
//! which pushes the way each family documents (the form family's `pingback`: `id` and `code`
//! form-encoded; the json family's `callbackUrl`: the getTaskResult reply): a pushed answer
//! ends its solve with no poll, a pushed error is the polled error. Decided from the
//! emulator's counters, the events and the answers. About 3 s. Hostile pushes:
//! `callback_hostile.rs` (a process of its own, which measures its memory).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;

const JSON_KEY: &str = "4abc234de56fab7c89012d34e56fa7b8";

fn form_client(emu: &Emulator) -> Client {
    let provider = Provider::two_captcha().with_base_url(emu.url()).unwrap();
    Client::builder(provider, KEY)
        .callback_listen("127.0.0.1:0")
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Solves `n` reCAPTCHAs at once; each solve's events.
async fn solve_all(client: &Client, n: usize) -> Vec<(Result<Solution>, Vec<Event>)> {
    let mut handles = Vec::new();
    for _ in 0..n {
        let rec = Recorder::default();
        let opts = SolveOptions {
            on_event: Some(rec.handler()),
            ..SolveOptions::default()
        };
        handles.push((tokio::spawn(client.solve_with(v2(), opts)), rec));
    }
    let mut out = Vec::new();
    for (h, rec) in handles {
        out.push((h.await.unwrap(), rec.events()));
    }
    out
}

fn pushed(events: &[Event]) -> bool {
    events.iter().any(|e| {
        matches!(
            e.step,
            Step::Polled {
                pushed: true,
                ready: true,
                ..
            }
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushed_answers_end_solves_with_no_poll_in_both_families() {
    let emu = emulator(300, 1.0).await;
    let form = form_client(&emu);
    let url = form.callback_url().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "{url}"
    );
    let provider = Provider::anti_captcha()
        .with_base_url(&emu.url_for("anti-captcha"))
        .unwrap();
    let json = Client::builder(provider, JSON_KEY)
        .callback_listen("127.0.0.1:0")
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let (f, j) = tokio::join!(solve_all(&form, 10), solve_all(&json, 10));
    for (r, events) in f.iter().chain(j.iter()) {
        let s = r.as_ref().unwrap();
        assert!(!s.answer.is_empty());
        assert!(pushed(events), "{events:?}");
    }
    // The emulator counts a callback once the receiver has answered it (a guard against a
    // hang, not a bound).
    for _ in 0..200 {
        if emu.counters().callbacks_sent == 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let c = emu.counters();
    assert_eq!(c.keys[KEY].in_requests, 10);
    assert_eq!(c.keys[KEY].res_requests, 0, "no form poll");
    assert_eq!(c.keys[JSON_KEY].json_requests, 10, "only the json creates");
    assert_eq!(c.callbacks_sent, 20);
    // Each task was sent with a URL of its own under the client's.
    let info = emu
        .control()
        .task_by_id(f[0].0.as_ref().unwrap().task_id.as_str())
        .unwrap();
    let pingback = &info.params["pingback"];
    assert!(
        pingback.starts_with(&url) && pingback.len() == url.len() + 96,
        "{pingback}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pushed_error_is_the_polled_error() {
    let emu = emulator(200, 1.0).await;
    emu.add_rule(Rule {
        when: Match::default(),
        result_error: Some("ERROR_CAPTCHA_UNSOLVABLE".into()),
        ..Rule::default()
    });
    let client = form_client(&emu);
    let done = solve_all(&client, 1).await;
    let (r, events) = &done[0];
    let e = r.as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsolvable, "{e}");
    assert!(e.task_id().is_some());
    assert!(
        events.iter().any(|e| matches!(
            e.step,
            Step::Polled {
                pushed: true,
                ready: false,
                ..
            }
        )),
        "{events:?}"
    );
    assert_eq!(emu.counters().keys[KEY].res_requests, 0);
}

/// Connections that send nothing need no secret: 300 of them, held open, take every place
/// the receiver has, and the service's push still gets in (it takes the place of the oldest
/// idle one), so the solve ends pushed, with no poll.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_cannot_shut_pushes_out() {
    let emu = emulator(300, 1.0).await;
    let client = form_client(&emu);
    let url = client.callback_url().unwrap();
    let host = url
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_owned();
    let idle: Vec<std::net::TcpStream> = tokio::task::spawn_blocking(move || {
        (0..300)
            .filter_map(|_| std::net::TcpStream::connect(&host).ok())
            .collect()
    })
    .await
    .unwrap();
    assert!(idle.len() > 256, "{} idle connections", idle.len());
    let solved = solve_all(&client, 1).await;
    let (s, events) = &solved[0];
    assert!(s.as_ref().unwrap().answer.starts_with("03AG"));
    assert!(pushed(events), "the answer was pushed");
    assert_eq!(emu.counters().keys[KEY].res_requests, 0, "no poll");
    drop(idle);
}
