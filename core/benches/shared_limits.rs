//! The cost of a shared submit decision: what `shared_limits` adds to each submit against a
//! local `redis-server`.
//!
//! `CAPBRIDGE_REDIS_URL=redis://127.0.0.1:6379/0 cargo bench -p capbridge --features shared-limits --bench shared_limits`
//! (tests/run-redis runs it with a redis-server of its own). Without the variable it prints
//! a note and ends.
//!
//! Sequential submits (N = 2,000, `SUBMITS` to change it) against the emulator in this
//! process (limits lifted, answers at once), through a custom provider whose limits never
//! make a submit wait (no spacing, a 3 s window of 60,000: the decision script still does all
//! its work, window included), once with the limits in process and once in Redis. Prints:
//!
//! * the time from the start of a submit to the moment it is sent (the `submitting` event),
//!   p50 and p99, both ways, and the difference: the latency a shared decision adds;
//! * Redis script calls per submit (from `INFO commandstats`): one decision each, plus the
//!   background sync (one a second) and lease refills.
//!
//! With the form protocol's real limits a busy fleet needs about three calls per submit
//! (asking, waiting for its turn, taking it); `examples/rust/fleet.rs` prints that figure
//! for a fleet of processes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a failed unwrap is a failed run

use capbridge::{Client, Limits, Provider, RecaptchaV2, Step};
use capbridge_emulator::{Config, Delay, Emulator};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn redis_cmd(url: &str, args: &[&str]) -> Option<String> {
    let rest = url.strip_prefix("redis://")?;
    let host = rest.split('/').next()?.rsplit('@').next()?;
    let mut s = TcpStream::connect(host).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let mut req = format!("*{}\r\n", args.len());
    for a in args {
        req.push_str(&format!("${}\r\n{a}\r\n", a.len()));
    }
    s.write_all(req.as_bytes()).ok()?;
    let mut r = BufReader::new(s);
    let mut head = String::new();
    r.read_line(&mut head).ok()?;
    if !head.starts_with('$') {
        return Some(head.trim().to_owned());
    }
    let len: usize = head[1..].trim().parse().ok()?;
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(String::from_utf8_lossy(&body).into_owned())
}

fn script_calls(url: &str) -> u64 {
    let info = redis_cmd(url, &["INFO", "commandstats"]).unwrap_or_default();
    info.lines()
        .filter(|l| l.starts_with("cmdstat_evalsha:") || l.starts_with("cmdstat_eval:"))
        .filter_map(|l| {
            l.split("calls=")
                .nth(1)?
                .split(',')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Time to `submitting` of `n` sequential submits.
async fn run(emu: &Emulator, key: &str, shared: Option<&str>, n: usize) -> Vec<Duration> {
    let limits = Limits {
        submit_interval: Duration::ZERO,
        submit_window: Duration::from_secs(3),
        submits_per_window: 60_000,
        ..Limits::form_protocol()
    };
    let provider = Provider::custom(emu.url())
        .unwrap()
        .with_limits(limits)
        .unwrap();
    let seen: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let s = seen.clone();
    let mut b = Client::builder(provider, key).on_event(move |e| {
        if let Step::Submitting { .. } = e.step {
            s.lock().unwrap().push(e.elapsed);
        }
    });
    if let Some(url) = shared {
        b = b.shared_limits(url);
    }
    let client = b.build().unwrap();
    let task = RecaptchaV2::new(
        "https://example.com/login",
        "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
    );
    // Warm up: connections, the script cache, the first lease.
    for _ in 0..50 {
        client.submit(task.clone()).await.unwrap();
    }
    seen.lock().unwrap().clear();
    for _ in 0..n {
        client.submit(task.clone()).await.unwrap();
    }
    let mut v = seen.lock().unwrap().clone();
    v.sort();
    v
}

fn main() {
    let Some(url) = std::env::var("CAPBRIDGE_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        println!(
            "note: CAPBRIDGE_REDIS_URL is not set; nothing to measure (tests/run-redis sets it)"
        );
        return;
    };
    let n: usize = std::env::var("SUBMITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let emu = Emulator::start(Config {
            limits: false,
            default_delay: Delay::fixed(0),
            ..Config::default()
        })
        .await
        .unwrap();
        let local = run(&emu, "0123456789abcdef0123456789abcde0", None, n).await;
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let key = format!("{:032x}", t & u128::from(u64::MAX));
        let _ = redis_cmd(&url, &["CONFIG", "RESETSTAT"]);
        let before = script_calls(&url);
        let shared = run(&emu, &key, Some(&url), n).await;
        let calls = script_calls(&url).saturating_sub(before);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!("shared submit decisions against {url}, {n} sequential submits:");
        println!(
            "  start of a submit -> sent, limits in process:  p50 {:.3} ms, p99 {:.3} ms",
            ms(pct(&local, 0.5)),
            ms(pct(&local, 0.99))
        );
        println!(
            "  start of a submit -> sent, limits in Redis:    p50 {:.3} ms, p99 {:.3} ms",
            ms(pct(&shared, 0.5)),
            ms(pct(&shared, 0.99))
        );
        println!(
            "  latency a shared decision adds:                p50 {:.3} ms, p99 {:.3} ms",
            ms(pct(&shared, 0.5).saturating_sub(pct(&local, 0.5))),
            ms(pct(&shared, 0.99).saturating_sub(pct(&local, 0.99)))
        );
        println!(
            "  Redis script calls: {calls} for {} submits: {:.3} round trips per submit \
             (one decision each, plus the background sync and lease refills)",
            n + 50,
            calls as f64 / (n + 50) as f64
        );
    });
}
