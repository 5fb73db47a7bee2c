//! How long to wait before the first poll, between polls, and in all, per task kind.
//!
//! Defaults come from the seed, taking the upper end of each documented range (the safer
//! reading for the request limits): images 5 s; reCAPTCHA v2 20 s ("15-20 s", and "20 seconds
//! for reCAPTCHA" in the introduction); v3 15 s ("10-15 s"); FunCaptcha 20 s ("10-20 s").
//! hCaptcha and Turnstile have no documented wait; we use 10 s (the seed's speed table puts
//! hCaptcha at about 10.7 s). Every later poll: 5 s. The deadline is the service's own give-up
//! time (90 s, 300 s for reCAPTCHA v2, after which it answers `ERROR_CAPTCHA_UNSOLVABLE`)
//! plus 30 s, so that its verdict normally arrives before ours.

use crate::task::TaskKind;
use std::time::Duration;

/// The waits of one solve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waits {
    /// Wait after the submit before the first poll.
    pub initial_delay: Duration,
    /// Wait between polls.
    pub poll_interval: Duration,
    /// Overall deadline of the solve, from its start.
    pub timeout: Duration,
}

impl Waits {
    /// The seed's waits for a kind.
    pub const fn default_for(kind: TaskKind) -> Waits {
        let s = Duration::from_secs;
        let (initial, timeout) = match kind {
            TaskKind::ImageToText => (5, 120),
            TaskKind::RecaptchaV2 => (20, 330),
            TaskKind::RecaptchaV3 => (15, 120),
            TaskKind::HCaptcha | TaskKind::Turnstile => (10, 120),
            TaskKind::FunCaptcha => (20, 120),
        };
        Waits {
            initial_delay: s(initial),
            poll_interval: s(5),
            timeout: s(timeout),
        }
    }
}

/// The waits of every kind, as a client holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WaitTable([Waits; 6]);

fn index(kind: TaskKind) -> usize {
    match kind {
        TaskKind::ImageToText => 0,
        TaskKind::RecaptchaV2 => 1,
        TaskKind::RecaptchaV3 => 2,
        TaskKind::HCaptcha => 3,
        TaskKind::FunCaptcha => 4,
        TaskKind::Turnstile => 5,
    }
}

impl Default for WaitTable {
    fn default() -> Self {
        WaitTable(TaskKind::ALL.map(Waits::default_for))
    }
}

impl WaitTable {
    pub(crate) fn get(&self, kind: TaskKind) -> Waits {
        self.0[index(kind)]
    }

    pub(crate) fn set(&mut self, kind: TaskKind, w: Waits) {
        self.0[index(kind)] = w;
    }

    pub(crate) fn update_all(&mut self, f: impl Fn(&mut Waits)) {
        self.0.iter_mut().for_each(f);
    }
}
