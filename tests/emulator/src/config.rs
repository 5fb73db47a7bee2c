//! The emulator's settings. Everything can be changed while it runs (library or admin API).

use crate::solve_time::SolveTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How long a task takes to be solved: uniform in `min_ms..=max_ms` (before time scaling).
/// The `--delay-ms` flag; [`SolveTime`] also gives fixed and log-normal times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delay {
    /// Shortest solve time, in milliseconds of emulated time.
    pub min_ms: u64,
    /// Longest solve time, in milliseconds of emulated time.
    pub max_ms: u64,
}

impl Delay {
    /// Always `ms`.
    pub fn fixed(ms: u64) -> Delay {
        Delay {
            min_ms: ms,
            max_ms: ms,
        }
    }

    /// Uniform between the two.
    pub fn range(min_ms: u64, max_ms: u64) -> Delay {
        Delay {
            min_ms: min_ms.min(max_ms),
            max_ms: max_ms.max(min_ms),
        }
    }
}

/// Emulator settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Multiplies every emulated duration: solve delays, the 3 s submit window, ban times,
    /// the 15-minute report window, the json profiles' poll intervals, retention and report
    /// windows. `0.001` runs the API documentation's 20 s in 20 ms.
    pub time_scale: f64,
    /// Enforce the API documentation's request limits (MAX_USER_TURN, ERROR: 1001..1005) and the json
    /// profiles' polling rules (polls per task, time between polls, time between balance
    /// requests). Benchmarks lift them, and say so.
    pub limits: bool,
    /// Treat every 32-character key as an existing account (created on first use).
    pub auto_accounts: bool,
    /// Balance of accounts created automatically.
    pub default_balance: f64,
    /// Solve delay of every kind without its own (`--delay-ms`), when `solve_time` is not
    /// set.
    pub default_delay: Delay,
    /// Solve-time distribution of every kind without its own (`--solve-time SPEC`); wins over
    /// `default_delay`.
    pub solve_time: Option<SolveTime>,
    /// Solve-time distribution by kind name (`--solve-time RecaptchaV2=SPEC`); wins over
    /// `solve_time`. Names that are not kinds are refused by the flag and the admin API and
    /// ignored here.
    pub solve_times: BTreeMap<String, SolveTime>,
    /// The 20 of the API documentation's `res.php` rule R > 20 x C + 1200.
    pub res_per_task: u64,
    /// The 1200 of the same rule.
    pub res_allowance: u64,
    /// Seed of the pseudo-random generator (answers, delays, fault shares): runs repeat.
    pub seed: u64,
    /// Price of one task by kind name (`"RecaptchaV2"`), in dollars; kinds not listed cost
    /// the API documentation's price table ([`crate::Kind::price`]).
    pub prices: BTreeMap<String, f64>,
    /// siteverify's site keys and their secrets, by site key (`--site SITEKEY=SECRET`): a
    /// secret given here verifies only tokens of its site keys, a site key's tokens verify
    /// only with its secret. A secret not given here is bound to the site key of the first
    /// token it verifies (without a `sitekey` field); see `src/siteverify.rs`.
    pub sites: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            time_scale: 1.0,
            limits: true,
            auto_accounts: true,
            default_balance: 10.0,
            default_delay: Delay::range(300, 1000),
            solve_time: None,
            solve_times: BTreeMap::new(),
            res_per_task: 20,
            res_allowance: 1200,
            seed: 0x5eed_cafe,
            prices: BTreeMap::new(),
            sites: BTreeMap::new(),
        }
    }
}
