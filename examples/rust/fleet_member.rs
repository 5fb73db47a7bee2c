//! One member of a fleet sharing one API key: `clients` clients in this process, `solves`
//! reCAPTCHA v2 solves at once, spread over them. Run by the fleet driver (`fleet`), beside
//! the Python (`examples/python/fleet_member.py`) and Node (`examples/node/fleet_member.js`)
//! members, which take the same arguments and print the same last line.
//!
//! ```text
//! fleet-member --provider 2captcha --base-url http://127.0.0.1:PORT/ --api-key KEY \
//!     --solves 100 --clients 2 [--shared-limits redis://127.0.0.1:6379/0] [--timeout-s 300] [--name m1]
//! ```
//!
//! Prints one JSON line on stdout when done: `{"member", "lang", "solved", "failed",
//! "errors": {kind: count}, "elapsed_s"}`; warnings (Redis away and back) go to stderr.

use capbridge::{Client, RecaptchaV2};
use std::collections::BTreeMap;
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
}

fn usage(msg: &str) -> ! {
    eprintln!(
        "fleet-member: {msg}\nusage: fleet-member --provider NAME_OR_URL [--base-url URL] --api-key KEY \
         --solves N [--clients 2] [--shared-limits REDIS_URL] [--timeout-s 300] [--name NAME]"
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
        match b.build() {
            Ok(c) => clients.push(c),
            Err(e) => usage(&format!("cannot make a client: {e}")),
        }
    }
    let started = Instant::now();
    let task = RecaptchaV2::new(
        "https://example.com/login",
        "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
    );
    let handles: Vec<_> = (0..a.solves)
        .map(|i| tokio::spawn(clients[i % clients.len()].solve(task.clone())))
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
    });
    println!("{line}");
}
