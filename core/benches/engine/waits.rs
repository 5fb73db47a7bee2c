//! Part 4: learned first waits (`adaptive_waits`) against the documented ones, in one run
//! against one emulator: two streams of 600 reCAPTCHA v2 solves, each started 20 per second,
//! solve times log-normal (median 12 s, sigma 0.35, seeded), through a json preset at its own
//! waits (no `initial_delay`), one client with `adaptive_waits` off and one with it on (each
//! its own key, so each learns alone). Real time, about 50 s (the two streams run side by
//! side). `BENCH=waits` runs only this part; `WAITS_PRESET` picks the preset (default
//! `nextcaptcha`: 3 s, then every 2 s).
//!
//! Prints each stream's HTTP requests per captcha (the emulator's count for the key), the
//! median and p90 from submit to answer of its last 300 solves, how many of them used a
//! learned first wait, and the three ratios the issue sets as targets (requests at most 60%,
//! median at most 5% above, p90 at most 10% above).

use super::{Emu, KEY};
use capbridge::{Client, Provider, RecaptchaV2, SolveOptions, Step, WaitSource};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SOLVES: usize = 600;
const PER_SECOND: u64 = 20;

/// The second key (the first is the engine benchmark's own).
const KEY2: &str = "fedcba9876543210fedcba9876543210";

struct Stream {
    /// The median time from submit to the first poll's reply, of the last 300 solves.
    first_poll: Duration,
    requests_per_captcha: f64,
    p50: Duration,
    p90: Duration,
    learned: usize,
    failed: usize,
}

async fn stream(emu: &Emu, preset: &str, key: &str, adaptive: bool) -> Stream {
    let provider = Provider::from_name(preset)
        .expect("preset")
        .with_base_url(&format!("{}{preset}/", emu.url))
        .expect("base url");
    let client = Client::builder(provider, key)
        .adaptive_waits(adaptive)
        .build()
        .expect("client");
    // Per solve: (submitted at, answered at, whether its first wait was learned, first poll
    // event at).
    type Times = Arc<Mutex<(Option<Duration>, Option<Duration>, bool, Option<Duration>)>>;
    let mut handles = Vec::with_capacity(SOLVES);
    let mut times: Vec<Times> = Vec::with_capacity(SOLVES);
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / PER_SECOND));
    for _ in 0..SOLVES {
        tick.tick().await;
        let t: Times = Arc::default();
        let seen = t.clone();
        let opts = SolveOptions::new().on_event(move |e| {
            let mut s = seen.lock().unwrap();
            match e.step {
                Step::Submitted => s.0 = Some(e.elapsed),
                Step::Solved => s.1 = Some(e.elapsed),
                Step::Polled { first_wait, .. } => {
                    s.2 |= first_wait == WaitSource::Learned;
                    s.3 = s.3.or(Some(e.elapsed));
                }
                _ => {}
            }
        });
        times.push(t);
        let task = RecaptchaV2::new(
            "https://example.com/login",
            "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
        );
        handles.push(tokio::spawn(client.solve_with(task, opts)));
    }
    let mut failed = 0;
    for h in handles {
        if !matches!(h.await, Ok(Ok(_))) {
            failed += 1;
        }
    }
    let c = emu.counters().await;
    let requests = c["keys"][key]["json_requests"].as_u64().unwrap_or(0);
    let mut took = Vec::new();
    let mut first = Vec::new();
    let mut learned = 0;
    for t in &times[SOLVES - 300..] {
        let s = t.lock().unwrap();
        if let (Some(a), Some(b)) = (s.0, s.1) {
            took.push(b.saturating_sub(a));
        }
        if let (Some(a), Some(f)) = (s.0, s.3) {
            first.push(f.saturating_sub(a));
        }
        learned += usize::from(s.2);
    }
    took.sort();
    first.sort();
    let pick = |q: f64| took[((took.len() as f64 * q) as usize).min(took.len() - 1)];
    Stream {
        first_poll: first.get(first.len() / 2).copied().unwrap_or_default(),
        requests_per_captcha: requests as f64 / (SOLVES - failed).max(1) as f64,
        p50: pick(0.5),
        p90: pick(0.9),
        learned,
        failed,
    }
}

pub(super) async fn run(bin: &PathBuf) {
    let preset = std::env::var("WAITS_PRESET").unwrap_or_else(|_| "nextcaptcha".into());
    println!(
        "\n4. Learned first waits: 2 x {SOLVES} reCAPTCHA v2 solves started {PER_SECOND}/s, solve times lognormal (median 12 s, sigma 0.35), \
         {preset} preset at its own waits, adaptive_waits off beside on (one emulator, a key each)"
    );
    let emu = Emu::start_with(
        bin,
        &["--solve-time", "lognormal:12000,0.35", "--seed", "20240601"],
    );
    let (fixed, learned) = tokio::join!(
        stream(&emu, &preset, KEY, false),
        stream(&emu, &preset, KEY2, true)
    );
    for (what, s) in [("documented waits", &fixed), ("learned waits", &learned)] {
        println!(
            "   {what:>16}: {:.2} requests per captcha; last 300: submit -> answer p50 {:.2} s, p90 {:.2} s; first poll (median) {:.2} s, {} of them learned{}",
            s.requests_per_captcha,
            s.p50.as_secs_f64(),
            s.p90.as_secs_f64(),
            s.first_poll.as_secs_f64(),
            s.learned,
            if s.failed > 0 {
                format!(" ({} failed)", s.failed)
            } else {
                String::new()
            }
        );
    }
    let r = learned.requests_per_captcha / fixed.requests_per_captcha;
    let m = learned.p50.as_secs_f64() / fixed.p50.as_secs_f64() - 1.0;
    let p = learned.p90.as_secs_f64() / fixed.p90.as_secs_f64() - 1.0;
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    println!(
        "   learned / documented: requests {:.0}% (target <= 60%: {}), p50 {:+.1}% (target <= +5%: {}), p90 {:+.1}% (target <= +10%: {})",
        r * 100.0,
        verdict(r <= 0.60),
        m * 100.0,
        verdict(m <= 0.05),
        p * 100.0,
        verdict(p <= 0.10)
    );
}
