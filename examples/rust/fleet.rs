//! A fleet of processes on one API key, against the local emulator with its limits on: do
//! they keep the key's limits together (`shared_limits`), and how fast do they go?
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
//! in 3 s), submits closer than 100 ms, the fleet's submit rate.
//!
//! Members: `rust` (the `fleet-member` binary beside this one, or `$CAPBRIDGE_FLEET_RUST`),
//! `python` (`examples/python/fleet_member.py` with `$CAPBRIDGE_PYTHON`, else the
//! repository's `.venv`, else `python3`), `node` (`examples/node/fleet_member.js` with
//! `node`). The list comes from `--members` or `$CAPBRIDGE_FLEET_MEMBERS`.
//!
//! `--own-redis` starts a `redis-server` on a free port for the run; with
//! `--kill-redis-at S` it is killed S seconds into the run and started again
//! `--redis-down` seconds later: the figures are then given before, during and after.
//! `--check` exits 1 unless every solve succeeded and (with shared limits) the limits held at
//! about the key's rate: no emulator violation, no 61st submit in 3 s, no two arrivals closer
//! than 75 ms (granted 100 ms apart; arrivals bunch by the senders' scheduling jitter, which
//! a loaded machine makes tens of ms: one process alone shows it too), a rate within 10% of
//! 10 per second.

use capbridge_emulator::{Config, Delay, Emulator};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SPACING_MS: f64 = 100.0;
/// Submits granted 100 ms apart (on Redis's clock, or by one process's governor) arrive
/// bunched by the senders' scheduling jitter: some ms on an idle machine, tens on a loaded
/// one (a single process keeping the limits alone shows it too). Closer than this at the
/// emulator counts as breaking the rule; closer than 100 ms is reported beside it.
const TOLERATED_MS: f64 = 75.0;
const RATE: f64 = 10.0;

struct Args {
    members: Vec<String>,
    solves: usize,
    clients: usize,
    shared: Option<String>,
    own_redis: bool,
    kill_at: Option<f64>,
    down_for: f64,
    emulator_url: Option<String>,
    key: String,
    check: bool,
    timeout_s: f64,
}

fn usage(msg: &str) -> ! {
    eprintln!("fleet: {msg}\n(see the documentation at the top of examples/rust/fleet.rs)");
    std::process::exit(2)
}

fn fresh_key() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:024x}{:08x}", t & ((1u128 << 96) - 1), std::process::id())
}

fn args() -> Args {
    let members = std::env::var("CAPBRIDGE_FLEET_MEMBERS")
        .ok()
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "rust,rust,rust,rust".into());
    let mut a = Args {
        members: members.split(',').map(|s| s.trim().to_owned()).collect(),
        solves: 400,
        clients: 2,
        shared: std::env::var("CAPBRIDGE_REDIS_URL")
            .ok()
            .filter(|u| !u.is_empty()),
        own_redis: false,
        kill_at: None,
        down_for: 1.5,
        emulator_url: None,
        key: fresh_key(),
        check: false,
        timeout_s: 300.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        let num = |v: String| -> f64 { v.parse().unwrap_or_else(|_| usage("bad number")) };
        match flag.as_str() {
            "--members" => a.members = value().split(',').map(|s| s.trim().to_owned()).collect(),
            "--solves" => a.solves = num(value()) as usize,
            "--clients" => a.clients = num(value()) as usize,
            "--shared-limits" => a.shared = Some(value()),
            "--no-shared" => a.shared = None,
            "--own-redis" => a.own_redis = true,
            "--kill-redis-at" => a.kill_at = Some(num(value())),
            "--redis-down" => a.down_for = num(value()),
            "--emulator-url" => a.emulator_url = Some(value()),
            "--key" => a.key = value(),
            "--check" => a.check = true,
            "--timeout-s" => a.timeout_s = num(value()),
            _ => usage(&format!("unknown argument {flag}")),
        }
    }
    for m in &a.members {
        if !["rust", "python", "node"].contains(&m.as_str()) {
            usage(&format!("unknown member {m:?} (rust, python or node)"));
        }
    }
    if a.kill_at.is_some() && !a.own_redis {
        usage("--kill-redis-at needs --own-redis");
    }
    if a.kill_at.is_some() && a.emulator_url.is_some() {
        usage("--kill-redis-at needs the emulator of this run (its clock is ours)");
    }
    a
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn member_command(kind: &str) -> Command {
    match kind {
        "rust" => {
            let exe = std::env::var_os("CAPBRIDGE_FLEET_RUST")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    let me = std::env::current_exe().unwrap_or_default();
                    me.with_file_name(format!("fleet-member{}", std::env::consts::EXE_SUFFIX))
                });
            Command::new(exe)
        }
        "python" => {
            let venv = repo().join(".venv/bin/python");
            let py = std::env::var_os("CAPBRIDGE_PYTHON")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    if venv.exists() {
                        venv
                    } else {
                        PathBuf::from("python3")
                    }
                });
            let mut c = Command::new(py);
            c.arg(repo().join("examples/python/fleet_member.py"));
            c
        }
        _ => {
            let mut c = Command::new("node");
            c.arg(repo().join("examples/node/fleet_member.js"));
            c
        }
    }
}

/// A `redis-server` of this run, on a fixed port so that it can be started again.
struct Redis {
    child: Option<Child>,
    port: u16,
}

impl Redis {
    fn start(port: u16) -> Redis {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| usage(&format!("cannot start redis-server: {e}")));
        let r = Redis {
            child: Some(child),
            port,
        };
        let t = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if t.elapsed() > Duration::from_secs(5) {
                usage("redis-server did not start");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        r
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

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

/// One Redis command over a plain connection (RESP); the reply's text. Only for the
/// statistics of the run: `CONFIG RESETSTAT`, `INFO commandstats`.
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
    match head.chars().next()? {
        '$' => {
            let len: usize = head[1..].trim().parse().ok()?;
            let mut body = vec![0; len];
            r.read_exact(&mut body).ok()?;
            Some(String::from_utf8_lossy(&body).into_owned())
        }
        _ => Some(head.trim().to_owned()),
    }
}

/// Script calls (`EVALSHA` and `EVAL`) Redis counted since its statistics were reset.
fn script_calls(url: &str) -> Option<u64> {
    let info = redis_cmd(url, &["INFO", "commandstats"])?;
    let mut n = 0;
    for line in info.lines() {
        if line.starts_with("cmdstat_evalsha:") || line.starts_with("cmdstat_eval:") {
            let calls = line.split("calls=").nth(1)?.split(',').next()?;
            n += calls.parse::<u64>().ok()?;
        }
    }
    Some(n)
}

#[derive(Debug, Default, Clone, Copy)]
struct Figures {
    submits: usize,
    rate: f64,
    too_close: usize,
    far_too_close: usize,
    min_gap_ms: f64,
    over_60_in_3s: usize,
}

fn figures(ms: &[f64]) -> Figures {
    let mut f = Figures {
        submits: ms.len(),
        min_gap_ms: f64::NAN,
        ..Figures::default()
    };
    if ms.len() >= 2 {
        let span = (ms[ms.len() - 1] - ms[0]) / 1000.0;
        f.rate = (ms.len() - 1) as f64 / span.max(1e-9);
        let gaps: Vec<f64> = ms.windows(2).map(|w| w[1] - w[0]).collect();
        f.too_close = gaps.iter().filter(|g| **g < SPACING_MS).count();
        f.far_too_close = gaps.iter().filter(|g| **g < TOLERATED_MS).count();
        f.min_gap_ms = gaps.iter().copied().fold(f64::MAX, f64::min);
    }
    f.over_60_in_3s = ms.windows(61).filter(|w| w[60] - w[0] < 3000.0).count();
    f
}

fn show(label: &str, f: &Figures) {
    println!(
        "  {label:<34} {:>4} submits, {:>6.2}/s, {:>3} gaps < 100 ms, {:>3} < 75 ms (min {:.1} ms), {:>3} submits over 60 in 3 s",
        f.submits, f.rate, f.too_close, f.far_too_close, f.min_gap_ms, f.over_60_in_3s
    );
}

#[tokio::main]
async fn main() {
    let a = args();
    let mut redis = None;
    let mut shared = a.shared.clone();
    if a.own_redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| usage(&format!("no free port: {e}")));
        let r = Redis::start(port);
        shared = Some(r.url());
        redis = Some(r);
    }
    let t0 = Instant::now();
    let (emu, url) = match &a.emulator_url {
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
    };
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
        let _ = redis_cmd(u, &["CONFIG", "RESETSTAT"]);
    }
    let n = a.members.len().max(1);
    let mut children = Vec::new();
    for (i, kind) in a.members.iter().enumerate() {
        let solves = a.solves / n + usize::from(i < a.solves % n);
        let mut c = member_command(kind);
        // The 2captcha preset (its limits, batch polls) pointed at the emulator.
        c.args([
            "--provider",
            "2captcha",
            "--base-url",
            &url,
            "--api-key",
            &a.key,
        ])
        .args(["--solves", &solves.to_string()])
        .args(["--clients", &a.clients.to_string()])
        .args(["--timeout-s", &a.timeout_s.to_string()])
        .args(["--name", &format!("{kind}-{i}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
        if let Some(u) = &shared {
            c.args(["--shared-limits", u]);
        }
        let child = c
            .spawn()
            .unwrap_or_else(|e| usage(&format!("cannot start the {kind} member: {e}")));
        children.push((kind.clone(), child));
    }
    // Kill and restart Redis on schedule, while the members run.
    let mut kill_times = None;
    if let (Some(at), Some(r)) = (a.kill_at, redis.as_mut()) {
        tokio::time::sleep(Duration::from_secs_f64(at)).await;
        r.kill();
        let killed = t0.elapsed().as_secs_f64();
        println!("  redis-server killed at {killed:.1} s");
        tokio::time::sleep(Duration::from_secs_f64(a.down_for)).await;
        let port = r.port;
        *r = Redis::start(port);
        let back = t0.elapsed().as_secs_f64();
        println!("  redis-server started again at {back:.1} s");
        kill_times = Some((killed, back));
    }
    let waited = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for (kind, mut child) in children {
            let mut last = String::new();
            if let Some(stdout) = child.stdout.take() {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if line.trim_start().starts_with('{') {
                        last = line;
                    }
                }
            }
            let status = child.wait();
            let ok = status.as_ref().is_ok_and(|s| s.success());
            out.push((
                kind,
                ok,
                serde_json::from_str::<Value>(&last).unwrap_or(Value::Null),
            ));
        }
        out
    })
    .await
    .unwrap_or_default();
    let elapsed = t0.elapsed().as_secs_f64();
    let (mut solved, mut failed) = (0u64, 0u64);
    let mut members_ok = true;
    for (kind, ok, r) in &waited {
        let s = r["solved"].as_u64().unwrap_or(0);
        let f = r["failed"].as_u64().unwrap_or(0);
        solved += s;
        failed += f;
        members_ok &= *ok && !r.is_null();
        println!(
            "  member {:<8} {:<6} solved {s:>4}, failed {f}{}{}",
            r["member"].as_str().unwrap_or("?"),
            kind,
            if r["errors"].as_object().is_some_and(|m| !m.is_empty()) {
                format!(" {}", r["errors"])
            } else {
                String::new()
            },
            if *ok { "" } else { " (exited with an error)" }
        );
    }
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
        (Some(u), None) => script_calls(u),
        _ => None,
    };
    if let Some(c) = calls {
        println!(
            "  Redis script calls: {c} ({:.2} per submit, with the budget syncs: one a second per process)",
            c as f64 / all.submits.max(1) as f64
        );
    }
    let mut after = None;
    if let Some((killed, back)) = kill_times {
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
        let mut rest: Vec<f64> = ms.iter().copied().filter(|t| *t >= settle).collect();
        // Leave out what comes before the end of a pause (a MAX_USER_TURN met in the
        // fallback pauses the key for 10 s): the rate is that of the stream after it.
        if let Some(i) = rest.windows(2).rposition(|w| w[1] - w[0] > 2000.0) {
            rest.drain(..=i);
        }
        show("before the kill", &figures(&before));
        show("Redis away, and 3 s after restart", &figures(&during));
        let f = figures(&rest);
        show("after (shared again)", &f);
        after = Some(f);
    }
    let line = serde_json::json!({
        "members": a.members,
        "shared": shared.is_some(),
        "solves": a.solves,
        "solved": solved,
        "failed": failed,
        "violations": violation_total,
        "submits": all.submits,
        "rate": all.rate,
        "gaps_under_100ms": all.too_close,
        "gaps_under_75ms": all.far_too_close,
        "min_gap_ms": all.min_gap_ms,
        "over_60_in_3s": all.over_60_in_3s,
        "redis_script_calls": calls,
        "after": after.map(|f| serde_json::json!({
            "submits": f.submits, "rate": f.rate, "gaps_under_100ms": f.too_close,
            "gaps_under_75ms": f.far_too_close, "min_gap_ms": f.min_gap_ms,
        })),
        "elapsed_s": elapsed,
    });
    println!("{line}");
    drop(emu);
    drop(redis);
    if a.check {
        let mut bad = Vec::new();
        if !members_ok || solved != a.solves as u64 || failed != 0 {
            bad.push(format!("{solved} of {} solved, {failed} failed", a.solves));
        }
        if shared.is_some() {
            let goal = |f: &Figures, what: &str, bad: &mut Vec<String>| {
                if f.far_too_close > 0 || f.over_60_in_3s > 0 {
                    bad.push(format!(
                        "{what}: {} gaps under 75 ms, {} submits over 60 in 3 s",
                        f.far_too_close, f.over_60_in_3s
                    ));
                }
                if (f.rate - RATE).abs() > RATE * 0.1 {
                    bad.push(format!(
                        "{what}: {:.2} submits/s, not within 10% of 10/s",
                        f.rate
                    ));
                }
            };
            match after {
                None => {
                    if violation_total > 0 {
                        bad.push(format!("{violation_total} emulator limit violations"));
                    }
                    goal(&all, "all submits", &mut bad);
                }
                Some(f) => goal(&f, "after the restart", &mut bad),
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
}
