//! Helpers for the engine's integration tests: a real emulator on 127.0.0.1 and clients with
//! waits in milliseconds.
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

/// A client with millisecond waits and fast retries.
pub fn fast(emu: &Emulator, scale: f64) -> ClientBuilder {
    Client::builder(provider(emu, scale), KEY)
        .initial_delay(Duration::from_millis(20))
        .poll_interval(Duration::from_millis(20))
        .timeout(Duration::from_secs(10))
        .request_timeout(Duration::from_secs(2))
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
