//! How long to wait before the first poll, between polls, and in all, per task kind.
//!
//! The form protocol's defaults are each kind's declaration (`form_waits` in `task::kinds`),
//! from its API documentation, taking the upper end of each documented range (the safer
//! reading for the request limits): images 5 s; reCAPTCHA v2 20 s ("15-20 s", and "20
//! seconds for reCAPTCHA" in the introduction); v3 15 s ("10-15 s"); FunCaptcha 20 s ("10-20
//! s"); kinds without a documented wait 10-15 s. Every later poll: 5 s. The deadline is the
//! service's own give-up time (90 s, 300 s for reCAPTCHA v2, after which it answers
//! `ERROR_CAPTCHA_UNSOLVABLE`) plus 30 s, so that its verdict normally arrives before ours.
//! The json presets set their own (see [`crate::Provider`]).

use crate::task::TaskKind;
use std::time::Duration;

/// The longest deadline a solve may have (7 days): longer values are refused where they enter.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

/// The longest duration the options that have no bound of their own take, 255 days (keeps
/// the seconds -> duration conversion exact and in range): the options table's bound, and the
/// builder's for the retry and failover policies' waits.
pub(crate) const LONGEST: Duration = Duration::from_secs(255 * 86_400);
/// The longest wait before a first poll, or between two polls (1 day).
pub const MAX_POLL_WAIT: Duration = Duration::from_secs(24 * 3600);
/// The longest timeout of one HTTP request (1 hour).
pub const MAX_REQUEST_TIMEOUT: Duration = Duration::from_secs(3600);

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
    /// The form protocol's documented waits for a kind.
    pub fn default_for(kind: TaskKind) -> Waits {
        let s = Duration::from_secs;
        let (initial, timeout) = kind.spec().form_waits;
        Waits {
            initial_delay: s(initial),
            poll_interval: s(5),
            timeout: s(timeout),
        }
    }
}

/// The waits of every kind, as a provider and a client hold them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WaitTable([Waits; TaskKind::ALL.len()]);

fn index(kind: TaskKind) -> usize {
    kind.index()
}

impl Default for WaitTable {
    fn default() -> Self {
        WaitTable(TaskKind::ALL.map(Waits::default_for))
    }
}

impl WaitTable {
    pub(crate) fn from_fn(f: impl Fn(TaskKind) -> Waits) -> WaitTable {
        WaitTable(TaskKind::ALL.map(f))
    }

    pub(crate) fn get(&self, kind: TaskKind) -> Waits {
        self.0[index(kind)]
    }

    pub(crate) fn set(&mut self, kind: TaskKind, w: Waits) {
        self.0[index(kind)] = w;
    }

    pub(crate) fn update_all(&mut self, f: impl Fn(&mut Waits)) {
        self.0.iter_mut().for_each(f);
    }

    /// The shortest poll interval of any kind (the rhythm of batch polls).
    pub(crate) fn shortest_interval(&self) -> Duration {
        self.0
            .iter()
            .map(|w| w.poll_interval)
            .min()
            .unwrap_or(Duration::from_secs(5))
    }
}
