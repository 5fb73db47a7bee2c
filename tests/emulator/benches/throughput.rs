//! Emulator throughput on loopback: keep-alive connections send a mix of `in.php` submits
//! and `res.php` polls as fast as they can for a few seconds; the benchmark prints requests
//! per second and checks that the emulator's counters match what was sent.
//!
//! The load generator speaks HTTP/1.1 over raw TCP so that the client side costs as little
//! CPU as possible on the same 2 cores. The request limits are lifted (one key at this rate
//! would be blocked within a second), which the output says.
//!
//! `cargo bench -p capbridge-emulator --bench throughput` (env: SECONDS, CONNECTIONS).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

use capbridge_emulator::{Config, Delay, Emulator};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const KEY: &str = "1abc234de56fab7c89012d34e56fa7b8";

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Reads one response; returns false on EOF or a malformed reply.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            let total = end + 4 + len;
            while buf.len() < total {
                let mut chunk = [0u8; 8192];
                match s.read(&mut chunk).await {
                    Ok(0) | Err(_) => return false,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            buf.drain(..total);
            return true;
        }
        let mut chunk = [0u8; 8192];
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn connection(
    addr: std::net::SocketAddr,
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicU64>,
    submits: Arc<AtomicU64>,
    id_base: u64,
) {
    let Ok(mut s) = TcpStream::connect(addr).await else {
        return;
    };
    let _ = s.set_nodelay(true);
    let form = format!(
        "key={KEY}&method=userrecaptcha&googlekey=6Le-wvkSVVABCPBMRTvw0Q4Muexq1bi0DJwx_mJ-&pageurl=https%3A%2F%2Fexample.com%2F"
    );
    let submit = format!(
        "POST /in.php HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut i = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let req = if i.is_multiple_of(10) {
            submits.fetch_add(1, Ordering::Relaxed);
            submit.clone()
        } else {
            format!(
                "GET /res.php?key={KEY}&action=get&id={} HTTP/1.1\r\nHost: bench\r\n\r\n",
                id_base + i % 50
            )
        };
        if s.write_all(req.as_bytes()).await.is_err() || !read_response(&mut s, &mut buf).await {
            return;
        }
        sent.fetch_add(1, Ordering::Relaxed);
        i += 1;
    }
}

fn main() {
    let seconds = env("SECONDS", 5);
    let connections = env("CONNECTIONS", 32);
    let emu = Emulator::start_background(
        Config {
            limits: false,
            default_delay: Delay::fixed(0),
            default_balance: 1e12,
            ..Config::default()
        },
        2,
    )
    .expect("start the emulator");
    let addr = emu.addr();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let submits = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..connections {
            set.spawn(connection(
                addr,
                stop.clone(),
                sent.clone(),
                submits.clone(),
                72_000_000_001,
            ));
        }
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        while set.join_next().await.is_some() {}
    });
    let elapsed = started.elapsed().as_secs_f64();
    let sent = sent.load(Ordering::Relaxed);
    let c = emu.counters();
    let rps = sent as f64 / elapsed;
    println!(
        "emulator throughput (loopback, {connections} keep-alive connections, 1 submit : 9 polls, request limits lifted)"
    );
    println!("  requests answered : {sent} in {elapsed:.2} s");
    println!("  requests/second   : {rps:.0}");
    println!(
        "  counters          : requests={} in={} res={} tasks_accepted={} polls={}",
        c.requests, c.in_requests, c.res_requests, c.tasks_accepted, c.polls
    );
    let counted_ok = c.requests >= sent && c.requests <= sent + connections;
    println!(
        "  counters match    : {}",
        if counted_ok { "yes" } else { "NO" }
    );
    println!(
        "  target 20,000 req/s: {}",
        if rps >= 20_000.0 { "met" } else { "NOT met" }
    );
    emu.stop();
    if !counted_ok {
        std::process::exit(1);
    }
}
