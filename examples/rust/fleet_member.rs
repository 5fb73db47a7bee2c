//! One member of a fleet sharing one API key: `clients` clients in this process, `solves`
//! reCAPTCHA v2 solves at once, spread over them. Run by the fleet driver (`fleet`), beside
//! the Python (`examples/python/fleet_member.py`) and Node (`examples/node/fleet_member.js`)
//! members, which take the same arguments and print the same last line.
//!
//! ```text
//! fleet-member --provider 2captcha --base-url http://127.0.0.1:PORT/ --api-key KEY \
//!     --solves 100 --clients 2 [--shared-limits redis://127.0.0.1:6379/0] [--timeout-s 300] [--name m1]
//!     [--callback-listen 127.0.0.1:0] [--callback-url http://127.0.0.1:PORT/] [--events] [--then-wait]
//! ```
//!
//! Prints one JSON line on stdout when done: `{"member", "lang", "solved", "failed",
//! "errors": {kind: count}, "elapsed_s", "pushed"}`; warnings (Redis away and back) go to
//! stderr. With `--callback-listen` it first prints `{"callback_url": URL}` (its receiver's);
//! with `--events`, a line per task submitted (`{"submitted": ID}`) and per answer
//! (`{"answered": ID, "pushed": true}`), so that a driver that kills it knows what it left.
//! With `--then-wait`, after its last line it stays (its receiver serving the fleet) and
//! reads task ids from stdin, one a line: it collects each with `wait(task_id)` and prints
//! `{"waited": ID, "answer": TEXT, "pushed": BOOL}` (or `"error"`), until stdin closes: the
//! way a survivor collects the answers of a member that is gone.

use capbridge::{Client, RecaptchaV2, SolveOptions, Step};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

struct Args {
    provider: String,
    base_url: Option<String>,
    api_key: String,
    solves: usize,
    clients: usize,
    shared_limits: Option<String>,
    timeout_s: f64,
    name: String,
    callback_listen: Option<String>,
    callback_url: Option<String>,
    events: bool,
    then_wait: bool,
}

fn usage(msg: &str) -> ! {
    eprintln!(
        "fleet-member: {msg}\nusage: fleet-member --provider NAME_OR_URL [--base-url URL] --api-key KEY \
         --solves N [--clients 2] [--shared-limits REDIS_URL] [--timeout-s 300] [--name NAME] \
         [--callback-listen ADDR] [--callback-url URL] [--events] [--then-wait]"
    );
    std::process::exit(2)
}

fn args() -> Args {
    let mut a = Args {
        provider: String::new(),
        base_url: None,
        api_key: String::new(),
        solves: 0,
        clients: 2,
        shared_limits: None,
        timeout_s: 300.0,
        name: format!("rust-{}", std::process::id()),
        callback_listen: None,
        callback_url: None,
        events: false,
        then_wait: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--provider" => a.provider = value(),
            "--base-url" => a.base_url = Some(value()).filter(|s| !s.is_empty()),
            "--api-key" => a.api_key = value(),
            "--solves" => a.solves = value().parse().unwrap_or_else(|_| usage("bad --solves")),
            "--clients" => a.clients = value().parse().unwrap_or_else(|_| usage("bad --clients")),
            "--shared-limits" => a.shared_limits = Some(value()).filter(|s| !s.is_empty()),
            "--timeout-s" => {
                a.timeout_s = value().parse().unwrap_or_else(|_| usage("bad --timeout-s"))
            }
            "--name" => a.name = value(),
            "--callback-listen" => a.callback_listen = Some(value()),
            "--callback-url" => a.callback_url = Some(value()),
            "--events" => a.events = true,
            "--then-wait" => a.then_wait = true,
            _ => usage(&format!("unknown argument {flag}")),
        }
    }
    if a.provider.is_empty() || a.api_key.is_empty() || a.clients == 0 {
        usage("--provider, --api-key and a positive --clients are required");
    }
    a
}

#[tokio::main]
async fn main() {
    let a = args();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("capbridge=warn")),
        )
        .init();
    let mut clients = Vec::new();
    for _ in 0..a.clients {
        let mut b = Client::builder(a.provider.as_str(), a.api_key.clone())
            .initial_delay(Duration::from_millis(500))
            .poll_interval(Duration::from_millis(500))
            .request_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs_f64(a.timeout_s));
        if let Some(url) = &a.base_url {
            b = b.base_url(url.clone());
        }
        if let Some(url) = &a.shared_limits {
            b = b.shared_limits(url.clone());
        }
        if let Some(addr) = &a.callback_listen {
            b = b.callback_listen(addr.clone());
        }
        if let Some(url) = &a.callback_url {
            b = b.callback_url(url.clone());
        }
        match b.build() {
            Ok(c) => clients.push(c),
            Err(e) => usage(&format!("cannot make a client: {e}")),
        }
    }
    if a.callback_listen.is_some()
        && let Some(url) = clients.first().and_then(Client::callback_url)
    {
        println!("{}", serde_json::json!({ "callback_url": url }));
    }
    let started = Instant::now();
    let task = RecaptchaV2::new(
        "https://example.com/login",
        "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
    );
    let pushed = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..a.solves)
        .map(|i| {
            let (events, pushed) = (a.events, pushed.clone());
            let opts = SolveOptions::new().on_event(move |e| match e.step {
                Step::Submitted if events => {
                    println!("{}", serde_json::json!({ "submitted": e.task_id }));
                }
                Step::Polled {
                    ready: true,
                    pushed: p,
                    ..
                } => {
                    if p {
                        pushed.fetch_add(1, Ordering::Relaxed);
                    }
                    if events {
                        println!(
                            "{}",
                            serde_json::json!({ "answered": e.task_id, "pushed": p })
                        );
                    }
                }
                _ => {}
            });
            tokio::spawn(clients[i % clients.len()].solve_with(task.clone(), opts))
        })
        .collect();
    let (mut solved, mut failed) = (0u64, 0u64);
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    for h in handles {
        match h.await {
            Ok(Ok(_)) => solved += 1,
            Ok(Err(e)) => {
                failed += 1;
                eprintln!("{}: {e}", a.name);
                *errors.entry(e.kind().to_string()).or_default() += 1;
            }
            Err(_) => {
                failed += 1;
                *errors.entry("panic".into()).or_default() += 1;
            }
        }
    }
    let line = serde_json::json!({
        "member": a.name,
        "lang": "rust",
        "solved": solved,
        "failed": failed,
        "errors": errors,
        "elapsed_s": started.elapsed().as_secs_f64(),
        "pushed": pushed.load(Ordering::Relaxed),
    });
    println!("{line}");
    if a.then_wait {
        then_wait(&clients[0]).await;
    }
}

/// Collects the answers of the task ids read from stdin (a line each) until it closes.
async fn then_wait(client: &Client) {
    // Read on a thread of its own: a blocking read would hold a worker of the runtime.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(16);
    std::thread::spawn(move || {
        for line in std::io::stdin().lines().map_while(Result::ok) {
            if tx.blocking_send(line).is_err() {
                break;
            }
        }
    });
    while let Some(line) = rx.recv().await {
        let id = line.trim().to_owned();
        if id.is_empty() {
            continue;
        }
        let pushed = Arc::new(AtomicU64::new(0));
        let p = pushed.clone();
        let opts = SolveOptions::new().on_event(move |e| {
            if matches!(e.step, Step::Polled { pushed: true, .. }) {
                p.fetch_add(1, Ordering::Relaxed);
            }
        });
        let out = match client.wait(id.clone(), opts).await {
            Ok(s) => serde_json::json!({
                "waited": id,
                "answer": s.answer,
                "pushed": pushed.load(Ordering::Relaxed) > 0,
            }),
            Err(e) => serde_json::json!({ "waited": id, "error": e.to_string() }),
        };
        println!("{out}");
    }
}
