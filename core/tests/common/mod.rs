//! Helpers for the engine's integration tests: a real emulator on 127.0.0.1 and clients with
//! waits in milliseconds.
//!
//! These tests run on small, busy machines (CI, the stress run in `tests/stress-rust`), so a
//! test decides from what happened, never from how fast: it waits for the emulator to show a
//! state ([`eventually`]) instead of sleeping a guess, holds tasks pending until it lets them
//! go (`Emulator::finish_pending`), and checks rates as invariants of the arrival times
//! ([`assert_spaced`]). The only clocks left are guards against a hang ([`HANG`]).
#![allow(dead_code, unused_imports)]

pub use capbridge::*;
pub use capbridge_emulator::{
    Config, Counters, Delay, Emulator, EndpointSel, Fault, FaultKind, Match, Rule,
};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
pub use std::time::Duration;

pub const KEY: &str = "1abc234de56fab7c89012d34e56fa7b8";
pub const SITEKEY: &str = "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-";
pub const PAGE: &str = "https://example.com/login";

/// How long a step may take before the test calls it hung. Far beyond what any load makes
/// of a step that takes milliseconds: it turns a hang into a failure with a name, and is
/// not a speed the test measures.
pub const HANG: Duration = Duration::from_secs(60);

/// How much later than it was sent a request may reach the emulator's log: two requests
/// granted 100 ms apart can arrive closer by this much when the first waits for a core.
/// Only in [`assert_spaced`], where it is one allowance over a whole run, not per gap.
pub const ARRIVAL_JITTER: Duration = Duration::from_millis(100);

/// Waits until `cond` holds, checking every 2 ms; fails naming `what` after [`HANG`].
pub async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let until = std::time::Instant::now() + HANG;
    while !cond() {
        assert!(
            std::time::Instant::now() < until,
            "not within {HANG:?}: {what}"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Blocking [`eventually`], for tests without a runtime.
pub fn eventually_blocking(what: &str, mut cond: impl FnMut() -> bool) {
    let until = std::time::Instant::now() + HANG;
    while !cond() {
        assert!(
            std::time::Instant::now() < until,
            "not within {HANG:?}: {what}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Arrival times (the emulator's, sorted) of requests a client may send at most one per
/// `gap`: any k + 1 consecutive ones span at least k gaps, less one [`ARRIVAL_JITTER`] for
/// the whole run. A load can delay requests and stretch the span; it cannot shorten it by
/// more than one request's lateness. (The governor's unit tests prove the exact spacing on
/// a paused clock; this is what the service sees.)
pub fn assert_spaced(times: &[Duration], gap: Duration, what: &str) {
    assert_spaced_within(times, gap, ARRIVAL_JITTER, what);
}

/// [`assert_spaced`] with another allowance for the whole run (a handover between two
/// governors may lose one spacing).
pub fn assert_spaced_within(times: &[Duration], gap: Duration, allowance: Duration, what: &str) {
    for i in 0..times.len() {
        for j in i + 1..times.len() {
            let span = times[j].saturating_sub(times[i]);
            let least = (gap * (j - i) as u32).saturating_sub(allowance);
            assert!(
                span >= least,
                "{what}: {} requests within {span:?}, at most one per {gap:?} allows no less than {least:?}",
                j - i + 1
            );
        }
    }
}

/// The number of task ids a logged poll carried: `ids=1,2,3` (a batch) or `id=1`.
pub fn ids_in(query: Option<&str>) -> usize {
    let Some(q) = query else { return 0 };
    for pair in q.split('&') {
        if let Some(ids) = pair.strip_prefix("ids=") {
            let ids = ids.replace("%2C", ",").replace("%2c", ",");
            return ids.split(',').filter(|s| !s.is_empty()).count();
        }
        if pair.starts_with("id=") {
            return 1;
        }
    }
    0
}

/// An emulator solving every task in `delay_ms` emulated milliseconds, on a clock scaled by
/// `scale`, with the API documentation's limits on.
pub async fn emulator(delay_ms: u64, scale: f64) -> Emulator {
    Emulator::start(Config {
        default_delay: Delay::fixed(delay_ms),
        time_scale: scale,
        ..Config::default()
    })
    .await
    .unwrap()
}

/// A provider for the emulator with the API documentation's limits scaled like the emulator's clock.
pub fn provider(emu: &Emulator, scale: f64) -> Provider {
    Provider::custom(emu.url())
        .unwrap()
        .with_limits(Limits::form_protocol().scaled(scale))
        .unwrap()
}

/// A client with millisecond waits and fast retries. Its deadline and request timeout are
/// guards (a test that means one sets its own): a loaded machine must not turn a slow reply
/// into a timeout, or a slow submit into a resubmit.
pub fn fast(emu: &Emulator, scale: f64) -> ClientBuilder {
    Client::builder(provider(emu, scale), KEY)
        .initial_delay(Duration::from_millis(20))
        .poll_interval(Duration::from_millis(20))
        .timeout(HANG)
        .request_timeout(Duration::from_secs(30))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(100),
            ..RetryPolicy::default()
        })
}

pub fn image(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/vectors/images")
            .join(name),
    )
    .unwrap()
}

pub fn v2() -> RecaptchaV2 {
    RecaptchaV2::new(PAGE, SITEKEY)
}

pub fn v2_key(sitekey: &str) -> RecaptchaV2 {
    RecaptchaV2::new(PAGE, sitekey)
}

/// Collects events.
#[derive(Clone, Default)]
pub struct Recorder(pub Arc<Mutex<Vec<Event>>>);

impl Recorder {
    pub fn handler(&self) -> EventHandler {
        let me = self.clone();
        Arc::new(move |e: &Event| me.0.lock().unwrap().push(e.clone()))
    }
    pub fn steps(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|e| e.step.name().to_owned())
            .collect()
    }
    pub fn events(&self) -> Vec<Event> {
        self.0.lock().unwrap().clone()
    }
}
