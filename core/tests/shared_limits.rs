//! `shared_limits`: the key's limits kept in Redis, through the public API.
//!
//! Tests that need Redis read its URL from `CAPBRIDGE_REDIS_URL` (set by `tests/run-redis`)
//! and print a note and pass without it; the one that kills and restarts Redis also needs
//! `redis-server` on the PATH. The scripts themselves are tested inside the crate
//! (`engine::shared::tests`); fleets of processes in `examples/tests/fleet.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;

#[cfg(not(feature = "shared-limits"))]
#[test]
fn without_the_feature_shared_limits_is_refused_at_build() {
    let e = Client::builder("2captcha", KEY)
        .shared_limits("redis://127.0.0.1:6379/0")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage);
    assert_eq!(e.option(), Some("shared_limits"));
    assert!(e.message().contains("`shared-limits`"), "{e}");
    let mut m = serde_json::Map::new();
    m.insert("provider".into(), "2captcha".into());
    m.insert("api_key".into(), KEY.into());
    m.insert("shared_limits".into(), "redis://127.0.0.1:6379/0".into());
    let e = ClientBuilder::from_options(m).unwrap().build().unwrap_err();
    assert_eq!(e.option(), Some("shared_limits"));
}

#[cfg(feature = "shared-limits")]
mod with_the_feature {
    use super::*;
    use std::process::{Child, Command, Stdio};
    use std::sync::Arc;
    use std::time::Instant;

    fn redis_url() -> Option<String> {
        match std::env::var("CAPBRIDGE_REDIS_URL") {
            Ok(u) if !u.is_empty() => Some(u),
            _ => {
                eprintln!(
                    "note: CAPBRIDGE_REDIS_URL is not set; skipped (tests/run-redis sets it)"
                );
                None
            }
        }
    }

    /// `redis-cli -u URL args...`, its output lines.
    fn cli(url: &str, args: &[&str]) -> Vec<String> {
        let out = Command::new("redis-cli")
            .arg("-u")
            .arg(url)
            .args(args)
            .output()
            .expect("redis-cli (installed with redis-server)");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// A fresh 32-character key, so that tests never share Redis state.
    fn fresh_key() -> String {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        format!("{:024x}{:08x}", t & ((1u128 << 96) - 1), std::process::id())
    }

    /// Counts the `shared_limits` events (the key's limits going local, and coming back to
    /// Redis): besides the ones a test provokes, a machine too busy to run Redis in time makes
    /// calls time out, and for a while the process keeps the limits alone. What a test checks
    /// on Redis's side holds while there were none.
    fn handovers() -> (Arc<std::sync::atomic::AtomicU64>, EventHandler) {
        let n = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let seen = n.clone();
        let handler: EventHandler = Arc::new(move |e: &Event| {
            if matches!(e.step, Step::SharedLimits { .. }) {
                seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
        (n, handler)
    }

    fn keys_of(url: &str) -> Vec<String> {
        cli(url, &["--scan", "--pattern", "capbridge:v1:*"])
    }

    #[test]
    fn a_bad_url_is_a_usage_error_naming_the_option() {
        for url in ["http://127.0.0.1:6379", "", "redis://[::1"] {
            let e = Client::builder("2captcha", KEY)
                .shared_limits(url)
                .build()
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Usage, "{url}: {e}");
            assert_eq!(e.option(), Some("shared_limits"), "{url}");
        }
        let e = Client::builder("2captcha", KEY)
            .shared_limits("redis://:hunter2-pw@[::1")
            .build()
            .unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    /// Redis does not answer: every solve still succeeds, under the limits in process.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unreachable_redis_loses_no_solve() {
        let emu = emulator(0, 1.0).await;
        let mut m = serde_json::Map::new();
        m.insert("provider".into(), emu.url().into());
        m.insert("api_key".into(), KEY.into());
        // Port 1 on loopback: nothing listens there.
        m.insert("shared_limits".into(), "redis://127.0.0.1:1/0".into());
        m.insert("initial_delay_ms".into(), 20.into());
        m.insert("poll_interval_ms".into(), 50.into());
        let rec = Recorder::default();
        let client = ClientBuilder::from_options(m)
            .unwrap()
            .on_event_handler(rec.handler())
            .build()
            .unwrap();
        let all: Vec<_> = (0..15).map(|_| tokio::spawn(client.solve(v2()))).collect();
        for h in all {
            h.await.unwrap().unwrap();
        }
        // The callbacks heard that the limits went local.
        let warned = rec.events().into_iter().find_map(|e| match e.step {
            Step::SharedLimits { shared, message } => Some((shared, message)),
            _ => None,
        });
        let (shared, message) = warned.expect("a shared_limits event");
        assert!(!shared && message.contains("127.0.0.1:1"), "{message}");
        let times = emu.submit_times(KEY);
        assert_eq!(times.len(), 15);
        // The governor in process kept the rate: 100 ms apart.
        assert_spaced(&times, Duration::from_millis(100), "submits");
        assert_eq!(emu.counters().violations_total(), 0);
    }

    /// Solves through Redis leave only keys named by a hash, each with an expiry.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn redis_holds_hashed_keys_that_expire() {
        let Some(url) = redis_url() else { return };
        let emu = emulator(0, 1.0).await;
        let key = fresh_key();
        let before = keys_of(&url);
        let (went_local, handler) = handovers();
        let client = Client::builder(Provider::custom(emu.url()).unwrap(), key.clone())
            .initial_delay(Duration::from_millis(20))
            .poll_interval(Duration::from_millis(50))
            .shared_limits(url.clone())
            .on_event_handler(handler)
            .build()
            .unwrap();
        let local = || went_local.load(std::sync::atomic::Ordering::Relaxed) > 0;
        for _ in 0..3 {
            client.solve(v2()).await.unwrap();
        }
        let times = emu.submit_times(&key);
        assert_spaced(&times, Duration::from_millis(100), "submits");
        // The budget's tasks reach Redis with the next sync (once a second).
        let new_keys = || -> Vec<String> {
            keys_of(&url)
                .into_iter()
                .filter(|k| !before.contains(k))
                .collect()
        };
        let synced = || {
            new_keys()
                .iter()
                .filter(|k| k.ends_with(":budget"))
                .any(|k| cli(&url, &["HGET", k, "tasks"]) == ["3"])
        };
        let t = Instant::now();
        while !synced() {
            if local() {
                eprintln!("the limits went local (Redis too slow to answer): not checked");
                return;
            }
            assert!(t.elapsed() < HANG, "the budget's tasks never reached Redis");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let new = new_keys();
        assert!(new.len() >= 3, "{new:?}");
        let tag = new[0].split(':').nth(2).unwrap().to_owned();
        for k in &new {
            assert!(!k.contains(&key), "{k}");
            assert!(k.starts_with("capbridge:v1:{"), "{k}");
            assert!(
                k.contains(&tag),
                "one hash tag for the whole account: {new:?}"
            );
            let ttl: i64 = cli(&url, &["PTTL", k])[0].parse().unwrap();
            assert!(ttl > 0, "{k} has no expiry ({ttl})");
        }
        let budget = format!("capbridge:v1:{tag}:budget");
        let tasks = cli(&url, &["HGET", &budget, "tasks"]);
        assert_eq!(tasks, ["3"], "{new:?}");
        for line in cli(&url, &["--scan", "--pattern", "*"]) {
            assert!(!line.contains(&key));
        }
    }

    /// A zero balance one process meets stops the submits of the next process at once,
    /// before anything is sent.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_zero_balance_met_elsewhere_stops_submits_unsent() {
        let Some(url) = redis_url() else { return };
        let emu = emulator(0, 1.0).await;
        let key = fresh_key();
        emu.set_account(&key, 0.0);
        let (went_local, handler) = handovers();
        let make = |runtime: Option<tokio::runtime::Handle>| {
            let mut b = Client::builder(Provider::custom(emu.url()).unwrap(), key.clone())
                .initial_delay(Duration::from_millis(20))
                .shared_limits(url.clone())
                .on_event_handler(handler.clone());
            if let Some(rt) = runtime {
                b = b.runtime(rt);
            }
            b.build().unwrap()
        };
        // The first "process": a client on a runtime of its own.
        let process = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let first = make(Some(process.handle().clone()));
        let e = first.solve(v2()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Balance);
        // The block reaches Redis...
        let blocked = || {
            keys_of(&url)
                .iter()
                .filter(|k| k.ends_with(":blocks"))
                .any(|k| {
                    cli(&url, &["HGETALL", k])
                        .iter()
                        .any(|l| l.contains("ERROR_ZERO_BALANCE"))
                })
        };
        let t = Instant::now();
        while !blocked() {
            assert!(t.elapsed() < HANG, "the block never reached Redis");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // ... and the process exits: its client, its runtime and every task on it (the
        // account and its in-process block with them). A new "process" reads the block
        // from Redis.
        drop(first);
        tokio::task::spawn_blocking(move || drop(process))
            .await
            .unwrap();
        let sent = emu.counters().in_requests;
        let second = make(None);
        let e = second.solve(v2()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Balance, "{e}");
        assert_eq!(e.code(), Some("ERROR_ZERO_BALANCE"));
        // Read from Redis, so nothing was sent: unless the second process's decision was its
        // own (Redis too slow to answer it on a busy machine), when the service says it again.
        if went_local.load(std::sync::atomic::Ordering::Relaxed) == 0 {
            assert!(
                e.message().contains("another process sharing this key"),
                "{e}"
            );
            assert_eq!(emu.counters().in_requests, sent, "nothing was sent");
        }
    }

    struct Server {
        child: Child,
        port: u16,
    }

    impl Server {
        fn start(port: u16) -> Option<Server> {
            let child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .ok()?;
            let s = Server { child, port };
            let t = Instant::now();
            while cli(&s.url(), &["PING"]) != ["PONG"] {
                if t.elapsed() > HANG {
                    return None;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Some(s)
        }

        fn url(&self) -> String {
            format!("redis://127.0.0.1:{}/0", self.port)
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    /// Redis killed mid-run: no solve is lost; restarted, the shared limits come back.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn killing_redis_loses_no_solve_and_restarting_it_shares_again() {
        if redis_url().is_none() {
            return;
        }
        let port = free_port();
        let Some(server) = Server::start(port) else {
            eprintln!("note: redis-server could not be started; skipped");
            return;
        };
        let url = server.url();
        let emu = emulator(0, 1.0).await;
        let key = fresh_key();
        let (switches, handler) = handovers();
        let client = Client::builder(Provider::custom(emu.url()).unwrap(), key.clone())
            .initial_delay(Duration::from_millis(20))
            .poll_interval(Duration::from_millis(100))
            .timeout(HANG)
            .shared_limits(url.clone())
            .on_event_handler(handler)
            .build()
            .unwrap();
        let all: Vec<_> = (0..60).map(|_| tokio::spawn(client.solve(v2()))).collect();
        let submits = || emu.submit_times(&key).len();
        let t = Instant::now();
        while keys_of(&url).is_empty() {
            assert!(t.elapsed() < HANG, "the limits never reached Redis");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        drop(server);
        // Submits go on while Redis is away (five of them seen by the service)...
        let away = submits();
        let t = Instant::now();
        while submits() < away + 5 && submits() < 60 {
            assert!(t.elapsed() < HANG, "submits stopped while Redis was away");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // A new server without persistence: it starts empty, so any key it holds from here
        // on was written by the client. (Asking whether it is empty would race the client,
        // which may be back before the question.)
        let server = Server::start(port).expect("redis-server restarts");
        // ... and come back to Redis once it answers. A decision of the client reaches it:
        // should the 60 be done by then, more solves give it decisions to take.
        let t = Instant::now();
        let mut more = 0;
        while keys_of(&url).is_empty() {
            assert!(t.elapsed() < HANG, "the client did not come back to Redis");
            if submits() >= 60 + more {
                client.solve(v2()).await.unwrap();
                more += 1;
            } else {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        eprintln!(
            "back to the shared limits {} ms after Redis restarted ({more} solves more)",
            t.elapsed().as_millis()
        );
        for h in all {
            h.await.unwrap().unwrap();
        }
        let times = emu.submit_times(&key);
        assert_eq!(times.len(), 60 + more, "every task was submitted once");
        assert_eq!(emu.counters().violations_total(), 0);
        // 100 ms apart on either side; each handover (to the limits in process and back to
        // Redis: the kill's two, and any a busy machine adds) may lose one spacing.
        let n = switches.load(std::sync::atomic::Ordering::Relaxed).max(2) as u32;
        assert_spaced_within(
            &times,
            Duration::from_millis(100),
            ARRIVAL_JITTER + Duration::from_millis(100) * n,
            "submits",
        );
        drop(server);
    }
}
