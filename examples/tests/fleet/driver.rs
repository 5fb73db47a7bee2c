//! The fleet driver (a test driver, run by `examples/tests/fleet.rs`): a fleet of processes
//! on one API key, against the local emulator with its limits on. Do they keep the key's
//! limits together (`shared_limits`), and how fast do they go?
//!
//! ```text
//! cargo run -p capbridge-examples --features shared-limits --bin fleet -- \
//!     --members rust,rust,rust,rust --solves 400 --shared-limits redis://127.0.0.1:6379/0 --check
//! cargo run -p capbridge-examples --features shared-limits --bin fleet -- --no-shared
//! ```
//!
//! Starts the emulator (or uses `--emulator-url`), starts the members (each `--clients`
//! clients on the one key, the solves split evenly between members), waits for them, reads
//! the emulator's counters and every submit's arrival time (`GET /emulator/submits?key=KEY`),
//! and prints: solves, the emulator's limit violations (`MAX_USER_TURN`: more than 60 submits
//! in 3 s), submits that came sooner than 100 ms apart allows, the fleet's submit rate.
//!
//! Members: `rust` (the `fleet-member` binary beside this one, or `$CAPBRIDGE_FLEET_RUST`),
//! `python` (`examples/python/fleet_member.py` with `$CAPBRIDGE_PYTHON`, else the
//! repository's `.venv`, else `python3`), `node` (`examples/node/fleet_member.js` with
//! `node`). The list comes from `--members` or `$CAPBRIDGE_FLEET_MEMBERS`.
//!
//! `--own-redis` starts a `redis-server` on a free port for the run; with
//! `--kill-redis-at S` it is killed S seconds into the run and started again
//! `--redis-down` seconds later: the figures are then given before, during and after.
//! `--check` exits 1 unless every solve succeeded and (with shared limits) the limits held:
//! no emulator violation, no 61st submit in 3 s, and no run of submits faster than 100 ms
//! apart, less one submit's lateness (100 ms) for the whole run (granted 100 ms apart, the
//! submits arrive late by their senders' wait for a core, which a loaded machine makes tens
//! of ms). The rate is shown, not checked: a busy machine can only lower it. While a member
//! keeps the limits alone (it says so on stderr: Redis killed, or too slow to answer on a
//! busy machine), the fleet may go up to N times the rate, as documented: the submits from a
//! second before such a handover to 3 s after Redis answers again are left out of the check
//! (and the emulator's violations, which have no time, are then not checked).

mod args;
mod figures;
mod members;
mod redis;

use args::{Args, usage};
use capbridge_emulator::{Config, Delay, Emulator};
use figures::{Figures, figures, show};
use redis::Redis;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A GET on the emulator's admin API (blocking, `Connection: close`).
fn get(base: &str, path: &str) -> Value {
    let rest = base.trim_start_matches("http://");
    let host = rest.split('/').next().unwrap_or(rest);
    let mut s = TcpStream::connect(host).unwrap_or_else(|e| usage(&format!("{base}: {e}")));
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let req = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let _ = s.write_all(req.as_bytes());
    let mut body = String::new();
    let _ = s.read_to_string(&mut body);
    let json = body.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(json).unwrap_or(Value::Null)
}

/// The emulator of the run (or none, with `--emulator-url`) and its base URL.
async fn emulator(a: &Args) -> (Option<Emulator>, String) {
    match &a.emulator_url {
        Some(u) => (None, u.clone()),
        None => {
            let emu = Emulator::start(Config {
                default_delay: Delay::range(300, 1000),
                ..Config::default()
            })
            .await
            .unwrap_or_else(|e| usage(&format!("cannot start the emulator: {e}")));
            let u = emu.url().to_owned();
            (Some(emu), u)
        }
    }
}

/// Kills Redis `at` seconds into the run and starts it again `down_for` seconds later, on
/// the same port; the two moments, in seconds since `t0`.
async fn kill_and_restart(r: &mut Redis, at: f64, down_for: f64, t0: Instant) -> (f64, f64) {
    tokio::time::sleep(Duration::from_secs_f64(at)).await;
    r.kill();
    let killed = t0.elapsed().as_secs_f64();
    println!("  redis-server killed at {killed:.1} s");
    tokio::time::sleep(Duration::from_secs_f64(down_for)).await;
    let port = r.port;
    *r = Redis::start(port);
    let back = t0.elapsed().as_secs_f64();
    println!("  redis-server started again at {back:.1} s");
    (killed, back)
}

/// Prints each member's line; the solves and failures of all, and whether every member
/// reported and exited well.
fn tally(reports: &[members::Report]) -> (u64, u64, bool) {
    let (mut solved, mut failed) = (0u64, 0u64);
    let mut all_ok = true;
    for m in reports {
        let r = &m.line;
        let s = r["solved"].as_u64().unwrap_or(0);
        let f = r["failed"].as_u64().unwrap_or(0);
        solved += s;
        failed += f;
        all_ok &= m.ok && !r.is_null();
        println!(
            "  member {:<8} {:<6} solved {s:>4}, failed {f}{}{}",
            r["member"].as_str().unwrap_or("?"),
            m.kind,
            if r["errors"].as_object().is_some_and(|e| !e.is_empty()) {
                format!(" {}", r["errors"])
            } else {
                String::new()
            },
            if m.ok { "" } else { " (exited with an error)" }
        );
    }
    (solved, failed, all_ok)
}

/// The submits of a kill run after Redis came back and the limits settled (3 s after the
/// restart, and after any pause of more than 2 s: a `MAX_USER_TURN` met in the fallback
/// pauses the key for 10 s); the figures before, during and after are printed.
/// `checked` are the submits outside every time a member kept the limits alone.
fn after_the_restart(ms: &[f64], checked: &[f64], killed: f64, back: f64) -> Figures {
    let before: Vec<f64> = ms
        .iter()
        .copied()
        .filter(|t| *t < killed * 1000.0)
        .collect();
    let settle = (back + 3.0) * 1000.0;
    let during: Vec<f64> = ms
        .iter()
        .copied()
        .filter(|t| *t >= killed * 1000.0 && *t < settle)
        .collect();
    let mut rest: Vec<f64> = checked.iter().copied().filter(|t| *t >= settle).collect();
    if let Some(i) = rest.windows(2).rposition(|w| w[1] - w[0] > 2000.0) {
        rest.drain(..=i);
    }
    show("before the kill", &figures(&before));
    show("Redis away, and 3 s after restart", &figures(&during));
    let f = figures(&rest);
    show("after (shared again)", &f);
    f
}

/// The times (emulator ms, with a second's margin before and 3 s after) in which some member
/// kept the limits alone: from its word that Redis did not answer to its word that it does
/// again (or the end of the run).
fn local_windows(handovers: &members::Handovers, members: usize, end: f64) -> Vec<(f64, f64)> {
    let mut events = handovers.lock().map(|h| h.clone()).unwrap_or_default();
    events.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut windows = Vec::new();
    for m in 0..members {
        let mut down: Option<f64> = None;
        for &(at, who, back) in &events {
            if who != m {
                continue;
            }
            match (back, down) {
                (false, None) => down = Some(at),
                (true, Some(from)) => {
                    windows.push((from - 1000.0, at + 3000.0));
                    down = None;
                }
                _ => {}
            }
        }
        if let Some(from) = down {
            windows.push((from - 1000.0, end));
        }
    }
    windows
}

fn figures_json(f: &Figures) -> Value {
    serde_json::json!({
        "submits": f.submits, "rate": f.rate, "crowded": f.crowded,
        "over_60_in_3s": f.over_60_in_3s, "gaps_under_100ms": f.too_close,
        "min_gap_ms": f.min_gap_ms,
    })
}

#[tokio::main]
async fn main() {
    let a = args::parse();
    let mut redis = a.own_redis.then(Redis::start_anywhere);
    let shared = redis.as_ref().map(Redis::url).or_else(|| a.shared.clone());
    let t0 = Instant::now();
    let (emu, url) = emulator(&a).await;
    println!(
        "fleet: {} members ({}), {} clients each, {} solves on one key; limits {}",
        a.members.len(),
        a.members.join(", "),
        a.clients,
        a.solves,
        match &shared {
            Some(u) => format!("shared in Redis ({u})"),
            None => "kept by each process alone".into(),
        }
    );
    if let Some(u) = &shared {
        let _ = redis::command(u, &["CONFIG", "RESETSTAT"]);
    }
    let handovers: members::Handovers = Default::default();
    let children = members::start(&a, &url, shared.as_deref(), t0, &handovers);
    let kill_times = match (a.kill_at, redis.as_mut()) {
        (Some(at), Some(r)) => Some(kill_and_restart(r, at, a.down_for, t0).await),
        _ => None,
    };
    let reports = tokio::task::spawn_blocking(move || members::wait(children))
        .await
        .unwrap_or_default();
    let elapsed = t0.elapsed().as_secs_f64();
    let (solved, failed, members_ok) = tally(&reports);

    let counters = get(&url, "emulator/counters");
    let violations = counters["violations"].clone();
    let violation_total: u64 = violations
        .as_object()
        .map_or(0, |m| m.values().filter_map(Value::as_u64).sum());
    let mut ms: Vec<f64> = get(&url, &format!("emulator/submits?key={}", a.key))["ms"]
        .as_array()
        .map(|v| v.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    ms.sort_by(f64::total_cmp);
    let all = figures(&ms);
    println!(
        "  solved {solved} of {}, failed {failed}, in {elapsed:.1} s",
        a.solves
    );
    println!("  emulator limit violations: {violation_total} {violations}");
    show("all submits", &all);
    let calls = match (&shared, kill_times) {
        (Some(u), None) => redis::script_calls(u),
        _ => None,
    };
    if let Some(c) = calls {
        println!(
            "  Redis script calls: {c} ({:.2} per submit, with the budget syncs: one a second per process)",
            c as f64 / all.submits.max(1) as f64
        );
    }
    let windows = local_windows(
        &handovers,
        a.members.len(),
        t0.elapsed().as_secs_f64() * 1000.0,
    );
    let checked: Vec<f64> = ms
        .iter()
        .copied()
        .filter(|t| !windows.iter().any(|(from, to)| t >= from && t <= to))
        .collect();
    if !windows.is_empty() {
        println!(
            "  limits kept in process at times ({} windows): {} of {} submits left out of the check",
            windows.len(),
            ms.len() - checked.len(),
            ms.len()
        );
    }
    let after = kill_times.map(|(killed, back)| after_the_restart(&ms, &checked, killed, back));
    let mut line = serde_json::json!({
        "members": a.members,
        "shared": shared.is_some(),
        "solves": a.solves,
        "solved": solved,
        "failed": failed,
        "violations": violation_total,
        "fallbacks": windows.len(),
        "unchecked_submits": ms.len() - checked.len(),
        "redis_script_calls": calls,
        "after": after.as_ref().map(figures_json),
        "elapsed_s": elapsed,
    });
    if let (Some(o), Value::Object(f)) = (line.as_object_mut(), figures_json(&all)) {
        o.extend(f);
    }
    println!("{line}");
    drop(emu);
    drop(redis);
    if a.check {
        let violations = if windows.is_empty() {
            violation_total
        } else {
            0
        };
        check(
            &a,
            shared.is_some(),
            (solved, failed, members_ok),
            violations,
            &figures(&checked),
            after.as_ref(),
        );
    }
}

/// `--check`: exits 1 unless every solve succeeded and, with shared limits, the limits held.
fn check(
    a: &Args,
    shared: bool,
    (solved, failed, members_ok): (u64, u64, bool),
    violations: u64,
    all: &Figures,
    after: Option<&Figures>,
) {
    let mut bad = Vec::new();
    if !members_ok || solved != a.solves as u64 || failed != 0 {
        bad.push(format!("{solved} of {} solved, {failed} failed", a.solves));
    }
    if shared {
        match after {
            None => {
                if violations > 0 {
                    bad.push(format!("{violations} emulator limit violations"));
                }
                figures::check(all, "all submits", &mut bad);
            }
            Some(f) => figures::check(f, "after the restart", &mut bad),
        }
    }
    if !bad.is_empty() {
        for b in &bad {
            eprintln!("fleet: check failed: {b}");
        }
        std::process::exit(1);
    }
    println!("fleet: check passed");
}
