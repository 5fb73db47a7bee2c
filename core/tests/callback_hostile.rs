//! The callback receiver takes nothing it did not issue: forged tokens, forged task ids,
//! oversized and malformed bodies, other methods, a flood of 10,000 posts with forged tokens
//! and one of 2,500 on a live task's own URL, after which it still works and the process has
//! not grown (measured in a test binary of its own, so
//! that no other test's memory is counted). Decided from the statuses, the answer, the
//! emulator's counters. About 15 s.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use std::io::{Read, Write};

/// One HTTP request over a fresh connection; the reply's status (0: no reply).
fn http(method: &str, url: &str, content_type: &str, body: &[u8]) -> u16 {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let Ok(mut s) = std::net::TcpStream::connect(host) else {
        return 0;
    };
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "{method} /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if s.write_all(head.as_bytes()).is_err() {
        return 0;
    }
    let _ = s.write_all(body);
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n])
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// `n` posts made by `post(thread, i)` from 4 threads at once; how many got each status.
fn posts_from_4_threads(
    n: u64,
    post: impl Fn(u64, u64) -> u16 + Clone + Send + 'static,
) -> std::collections::BTreeMap<u16, u32> {
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            let post = post.clone();
            std::thread::spawn(move || {
                let mut statuses = std::collections::BTreeMap::<u16, u32>::new();
                for i in 0..n / 4 {
                    *statuses.entry(post(t, i)).or_default() += 1;
                }
                statuses
            })
        })
        .collect();
    let mut statuses = std::collections::BTreeMap::<u16, u32>::new();
    for t in threads {
        for (k, v) in t.join().unwrap() {
            *statuses.entry(k).or_default() += v;
        }
    }
    statuses
}

fn form_client(emu: &Emulator) -> Client {
    let provider = Provider::two_captcha().with_base_url(emu.url()).unwrap();
    Client::builder(provider, KEY)
        .callback_listen("127.0.0.1:0")
        // Its safety net (a third of the deadline) far beyond the floods: the task is polled
        // only if no push came by then, and the test checks that none was needed.
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap()
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
async fn the_receiver_takes_nothing_it_did_not_issue() {
    // Tasks take 4 s: time to send hostile pushes to a real task's URL first.
    let emu = emulator(4000, 1.0).await;
    let client = form_client(&emu);
    let base = client.callback_url().unwrap();

    // A flood of 10,000 posts with forged tokens, from 4 threads: each refused, unread.
    let rss = || -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    };
    let flood = |n: u64| {
        let base = base.clone();
        posts_from_4_threads(n, move |t, i| {
            let token = format!("{:032x}{:064x}", t * 1_000_000 + i, i * 7919);
            http(
                "POST",
                &format!("{base}{token}"),
                "application/x-www-form-urlencoded",
                b"id=1&code=FORGED",
            )
        })
    };
    // 2,000 first (the runtime's threads and the allocator settle), then 8,000 more: what
    // the process holds must not grow with the number of posts.
    let first = flood(2_000);
    let settled = rss();
    let rest = flood(8_000);
    let grown_kb = rss().saturating_sub(settled);
    eprintln!(
        "flood of 10,000 forged posts: {first:?} then {rest:?}; resident memory after the first 2,000: {settled} KB, \
         then grew {grown_kb} KB"
    );
    for statuses in [&first, &rest] {
        assert!(
            statuses.keys().all(|s| *s == 404 || *s == 0),
            "{statuses:?}"
        );
    }
    assert!(rest.get(&404).copied().unwrap_or(0) > 7_000, "{rest:?}");
    assert!(grown_kb < 16 * 1024, "grew {grown_kb} KB");

    // A real task: its URL's token verifies, and only what the service sends for that task
    // ends its solve. Held at the emulator until the hostile posts are done, then let go (its
    // pingback goes then): whatever the machine's speed, every hostile post meets a live task.
    emu.control().add_rule(Rule {
        delay_ms: Some(3_600_000),
        ..Rule::default()
    });
    let rec = Recorder::default();
    let opts = SolveOptions {
        on_event: Some(rec.handler()),
        ..SolveOptions::default()
    };
    let solve = tokio::spawn(client.solve_with(v2(), opts));
    let mut task_id = None;
    for _ in 0..400 {
        task_id = rec.events().iter().find_map(|e| e.task_id.clone());
        if task_id.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let task_id = task_id.expect("submitted");
    let info = emu.control().task_by_id(&task_id).unwrap();
    let url = info.params["pingback"].clone();
    let token = url.rsplit('/').next().unwrap().to_owned();
    let form = "application/x-www-form-urlencoded";
    let other_id = format!("id={}1&code=FORGED-OTHER-ID", task_id);
    let mut flipped = token.clone().into_bytes();
    flipped[40] = if flipped[40] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    let hostile = [
        // Another task's id under this task's token: ignored by the solve.
        ("POST", url.clone(), form, other_id.into_bytes(), 200),
        // No code, a code-less GET, garbage: nothing to read.
        ("POST", url.clone(), form, b"id=&nothing=here".to_vec(), 200),
        (
            "POST",
            url.clone(),
            "application/octet-stream",
            vec![0xff, 0xfe, 0x00, 0x01],
            200,
        ),
        ("GET", url.clone(), form, Vec::new(), 400),
        // This task's id with a code that is not UTF-8 once decoded (by POST, raw and
        // percent-encoded, and by GET): taken, and ignored, never an answer with U+FFFD.
        (
            "POST",
            url.clone(),
            form,
            [format!("id={task_id}&code=tok").as_bytes(), b"\xff\xfeen"].concat(),
            200,
        ),
        (
            "POST",
            url.clone(),
            form,
            format!("id={task_id}&code=tok%FF%FEen").into_bytes(),
            200,
        ),
        (
            "GET",
            format!("{url}?id={task_id}&code=tok%FF%FEen"),
            form,
            Vec::new(),
            200,
        ),
        // Oversized: refused before it is read whole.
        ("POST", url.clone(), form, vec![b'a'; 100 * 1024], 413),
        // A forged MAC, a path that is no token, a method that is not taken.
        (
            "POST",
            format!("{base}{flipped}"),
            form,
            format!("id={task_id}&code=FORGED").into_bytes(),
            404,
        ),
        ("POST", format!("{base}../in.php"), form, b"x".to_vec(), 404),
        (
            "PUT",
            url.clone(),
            form,
            format!("id={task_id}&code=FORGED").into_bytes(),
            405,
        ),
    ];
    for (method, u, ct, body, want) in hostile {
        let got = tokio::task::spawn_blocking(move || http(method, &u, ct, &body))
            .await
            .unwrap();
        assert_eq!(got, want, "{method} {}", String::from_utf8_lossy(&[]));
    }

    // A flood on the live task's own URL, from 4 threads: bodies for another task, each taken
    // (or refused as busy while the solve reads the one before) and ignored; the process does
    // not grow with their number (one body waits in the solve's queue at most).
    let valid_flood = {
        let (url, task_id) = (url.clone(), task_id.clone());
        move |n: u64| {
            let (url, task_id) = (url.clone(), task_id.clone());
            posts_from_4_threads(n, move |t, _| {
                http(
                    "POST",
                    &url,
                    form,
                    format!("id={task_id}{t}&code=FLOOD").as_bytes(),
                )
            })
        }
    };
    let first = tokio::task::spawn_blocking({
        let f = valid_flood.clone();
        move || f(500)
    })
    .await
    .unwrap();
    let settled = rss();
    let rest = tokio::task::spawn_blocking(move || valid_flood(2_000))
        .await
        .unwrap();
    let grown_kb = rss().saturating_sub(settled);
    eprintln!(
        "flood of 2,500 posts on a live task's URL: {first:?} then {rest:?}; grew {grown_kb} KB"
    );
    for statuses in [&first, &rest] {
        assert!(
            statuses.keys().all(|s| *s == 200 || *s == 503),
            "{statuses:?}"
        );
    }
    assert!(rest.get(&200).copied().unwrap_or(0) > 0, "{rest:?}");
    assert!(grown_kb < 16 * 1024, "grew {grown_kb} KB");
    assert!(!solve.is_finished(), "the task is held: no answer yet");

    // Let go: the service's own push ends the solve, through what the flood left.
    assert_eq!(emu.control().finish_pending(), 1);
    let s = solve.await.unwrap().unwrap();
    assert_eq!(s.task_id, task_id);
    assert!(
        !s.answer.contains("FORGED") && !s.answer.contains("FLOOD"),
        "{}",
        s.answer
    );
    assert_eq!(
        s.answer,
        emu.control().task_by_id(&task_id).unwrap().answer.unwrap()
    );
    assert!(pushed(&rec.events()));
    assert_eq!(emu.counters().keys[KEY].res_requests, 0, "no poll");
}
