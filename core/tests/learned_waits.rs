//! Learned first waits (`adaptive_waits`) against the emulator, in real seconds (the waits
//! learned are the provider's, which are whole seconds): a service slower than the documented
//! first wait costs every solve a poll that finds nothing until the engine has learned its
//! pace; then each solve is answered by its first poll, which every event says was learned.
//! A client with `adaptive_waits` off, and one whose user gave the first wait, keep theirs.
//! About 12 s.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;

const OTHER_KEY: &str = "2abc234de56fab7c89012d34e56fa7b8";
const THIRD_KEY: &str = "3abc234de56fab7c89012d34e56fa7b8";
const SOLVES: usize = 12;

/// `SOLVES` image solves at once; the polls they cost (the emulator's count for the key)
/// and the first waits their `polled` events name.
async fn round(emu: &Emulator, client: &Client, key: &str) -> (u64, Vec<WaitSource>) {
    let before = emu.counters().keys.get(key).map_or(0, |k| k.json_requests);
    let rec = Recorder::default();
    let solves: Vec<_> = (0..SOLVES)
        .map(|_| {
            let opts = SolveOptions {
                on_event: Some(rec.handler()),
                ..SolveOptions::default()
            };
            tokio::spawn(client.solve_with(ImageToText::new(image("captcha.png")), opts))
        })
        .collect();
    for s in solves {
        s.await.unwrap().unwrap();
    }
    let after = emu.counters().keys.get(key).map_or(0, |k| k.json_requests);
    let mut firsts = Vec::new();
    for e in rec.0.lock().unwrap().iter() {
        if let Step::Polled {
            first_wait, ready, ..
        } = e.step
            && ready
        {
            firsts.push(first_wait);
        }
    }
    // Each solve's submit is one request; the rest are its polls.
    (after - before - SOLVES as u64, firsts)
}

fn client(emu: &Emulator, key: &str) -> ClientBuilder {
    // A custom json service: its documented waits are the json family's, 3 s and then every
    // 3 s for images (and at least 1 s for a learned one).
    let provider = Provider::custom_with(emu.url(), Protocol::Json).unwrap();
    Client::builder(provider, key).timeout(Duration::from_secs(60))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_service_is_first_polled_when_its_tasks_are_ready() {
    // Every task is ready 3.5 s after its submit: the documented 3 s poll finds nothing.
    let emu = emulator(3500, 1.0).await;
    let learning = client(&emu, KEY).build().unwrap();
    let (polls, firsts) = round(&emu, &learning, KEY).await;
    assert_eq!(
        polls,
        2 * SOLVES as u64,
        "documented: 3 s (not ready), then 6 s"
    );
    assert!(
        firsts.iter().all(|f| *f == WaitSource::Documented),
        "{firsts:?}"
    );

    // The engine has seen twelve solves: the next ones are polled when ready, once each.
    let fixed = client(&emu, OTHER_KEY)
        .adaptive_waits(false)
        .build()
        .unwrap();
    let users = client(&emu, THIRD_KEY)
        .waits(
            TaskKind::ImageToText,
            Waits {
                initial_delay: Duration::from_secs(3),
                poll_interval: Duration::from_secs(3),
                timeout: Duration::from_secs(60),
            },
        )
        .build()
        .unwrap();
    let ((learned, l_firsts), (off, o_firsts), (user, u_firsts)) = tokio::join!(
        round(&emu, &learning, KEY),
        round(&emu, &fixed, OTHER_KEY),
        round(&emu, &users, THIRD_KEY),
    );
    assert_eq!(learned, SOLVES as u64, "learned: one poll per solve");
    assert!(
        l_firsts.iter().all(|f| *f == WaitSource::Learned),
        "{l_firsts:?}"
    );
    assert_eq!(
        off,
        2 * SOLVES as u64,
        "adaptive_waits off keeps the documented waits"
    );
    assert!(o_firsts.iter().all(|f| *f == WaitSource::Documented));
    assert_eq!(user, 2 * SOLVES as u64, "the user's first wait wins");
    assert!(u_firsts.iter().all(|f| *f == WaitSource::User));
    // The json presets ask for at least 2 s between polls of one task at CapMonster only;
    // this service has no limits of its own, and none was broken.
    assert_eq!(emu.counters().violations_total(), 0);
}

/// A fast service teaches the engine a first wait shorter than the least one the provider
/// documents: the learned wait stops there, so no first poll comes sooner after its submit
/// (the request log's times; a busy machine can only make the gaps longer). CapSolver: "retry
/// processing after 3 s", and tokens first polled after 3 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learned_wait_never_goes_under_the_documented_least_one() {
    let emu = emulator(10, 1.0).await; // ready 10 ms after the submit
    let client = Client::builder(Provider::capsolver(), KEY)
        .base_url(emu.url_for("capsolver"))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let turnstile = || Turnstile::new("https://example.com/", "0x4AAAAAAAC3DHQFLr1GavRN");
    // Twelve solves at once, each found ready by its documented first poll (3 s): enough to
    // learn, about 2 s, under the least wait.
    let learning: Vec<_> = (0..SOLVES)
        .map(|_| tokio::spawn(client.solve(turnstile())))
        .collect();
    for s in learning {
        s.await.unwrap().unwrap();
    }
    // Then one solve at a time, each first polled after a learned wait.
    let start = emu
        .control()
        .requests(usize::MAX)
        .last()
        .map_or(0, |r| r.seq);
    for _ in 0..3 {
        let rec = Recorder::default();
        let opts = SolveOptions {
            on_event: Some(rec.handler()),
            ..SolveOptions::default()
        };
        client.solve_with(turnstile(), opts).await.unwrap();
        let firsts: Vec<WaitSource> = rec
            .events()
            .iter()
            .filter_map(|e| match e.step {
                Step::Polled { first_wait, .. } => Some(first_wait),
                _ => None,
            })
            .collect();
        assert_eq!(
            firsts,
            [WaitSource::Learned],
            "one poll, after a learned wait"
        );
    }
    let log: Vec<_> = emu
        .control()
        .requests(usize::MAX)
        .into_iter()
        .filter(|r| r.seq > start && r.key.as_deref() == Some(KEY))
        .collect();
    let mut submitted = None;
    let mut gaps = Vec::new();
    for r in &log {
        match r.endpoint.as_str() {
            "create" => submitted = Some(r.at_ms),
            "result" => gaps.push(r.at_ms - submitted.take().expect("a poll after its submit")),
            _ => {}
        }
    }
    assert_eq!(gaps.len(), 3, "{log:?}");
    assert!(
        gaps.iter().all(|g| *g >= 3000),
        "first polls {gaps:?} ms after their submits"
    );
}
