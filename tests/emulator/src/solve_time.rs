//! Solve-time distributions: how long the emulated workers take, so that a benchmark sees the
//! waits users see (a fixed time, a uniform range, or the long-tailed log-normal that real
//! token solves follow).
//!
//! Written as text everywhere (flag, library, admin API, config JSON): `fixed:MS`,
//! `uniform:MIN-MAX`, `lognormal:MEDIAN,SIGMA` (all in emulated milliseconds; `SIGMA` is the
//! standard deviation of the logarithm). Samples come from a generator seeded per task
//! ([`crate::Config::seed`] and the task's number), so runs repeat, and are multiplied by the
//! time scale like every other emulated duration.

use crate::answers::Rng;
use crate::config::Delay;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Longest solve time a distribution may give, in emulated milliseconds (one day): a
/// log-normal tail is cut here rather than overflow.
pub const MAX_SOLVE_MS: u64 = 86_400_000;

/// How long a task takes to be solved, in emulated milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SolveTime {
    /// Always this long.
    Fixed(u64),
    /// Uniform in `min_ms..=max_ms`.
    Uniform {
        /// Shortest.
        min_ms: u64,
        /// Longest.
        max_ms: u64,
    },
    /// `median_ms * exp(sigma * Z)` with `Z` standard normal: half the solves take less than
    /// the median, and the tail is long (sigma 0.35: p90 = 1.57 x median).
    LogNormal {
        /// The median, in milliseconds.
        median_ms: f64,
        /// The standard deviation of the natural logarithm.
        sigma: f64,
    },
}

impl SolveTime {
    /// Parses `fixed:MS`, `uniform:MIN-MAX` or `lognormal:MEDIAN,SIGMA`.
    pub fn parse(spec: &str) -> Result<SolveTime, String> {
        let spec = spec.trim();
        let (name, args) = spec.split_once(':').ok_or_else(|| {
            format!("{spec:?}: expected fixed:MS, uniform:MIN-MAX or lognormal:MEDIAN,SIGMA")
        })?;
        let ms = |s: &str| -> Result<u64, String> {
            let n: u64 = s
                .trim()
                .parse()
                .map_err(|_| format!("{spec:?}: {s:?} is not a whole number of milliseconds"))?;
            if n > MAX_SOLVE_MS {
                return Err(format!("{spec:?}: at most {MAX_SOLVE_MS} ms"));
            }
            Ok(n)
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "fixed" => Ok(SolveTime::Fixed(ms(args)?)),
            "uniform" => {
                let (lo, hi) = args
                    .split_once('-')
                    .ok_or_else(|| format!("{spec:?}: expected uniform:MIN-MAX"))?;
                let (lo, hi) = (ms(lo)?, ms(hi)?);
                if lo > hi {
                    return Err(format!("{spec:?}: MIN is above MAX"));
                }
                Ok(SolveTime::Uniform {
                    min_ms: lo,
                    max_ms: hi,
                })
            }
            "lognormal" | "log-normal" => {
                let (m, s) = args
                    .split_once(',')
                    .ok_or_else(|| format!("{spec:?}: expected lognormal:MEDIAN,SIGMA"))?;
                let median_ms: f64 = m
                    .trim()
                    .parse()
                    .map_err(|_| format!("{spec:?}: {m:?} is not a number"))?;
                let sigma: f64 = s
                    .trim()
                    .parse()
                    .map_err(|_| format!("{spec:?}: {s:?} is not a number"))?;
                SolveTime::log_normal(median_ms, sigma).ok_or_else(|| {
                    format!("{spec:?}: the median must be in 0..={MAX_SOLVE_MS} ms, sigma in 0..=5")
                })
            }
            other => Err(format!(
                "{spec:?}: unknown distribution {other:?} (fixed, uniform, lognormal)"
            )),
        }
    }

    /// A log-normal distribution; `None` for a median outside `0..=MAX_SOLVE_MS` or a sigma
    /// outside `0..=5`.
    pub fn log_normal(median_ms: f64, sigma: f64) -> Option<SolveTime> {
        let ok = median_ms.is_finite()
            && (0.0..=MAX_SOLVE_MS as f64).contains(&median_ms)
            && sigma.is_finite()
            && (0.0..=5.0).contains(&sigma);
        ok.then_some(SolveTime::LogNormal { median_ms, sigma })
    }

    /// The median, in milliseconds.
    pub fn median_ms(&self) -> f64 {
        match *self {
            SolveTime::Fixed(ms) => ms as f64,
            SolveTime::Uniform { min_ms, max_ms } => (min_ms as f64 + max_ms as f64) / 2.0,
            SolveTime::LogNormal { median_ms, .. } => median_ms,
        }
    }

    /// One sample, in milliseconds.
    pub(crate) fn sample(&self, rng: &mut Rng) -> u64 {
        match *self {
            SolveTime::Fixed(ms) => ms,
            SolveTime::Uniform { min_ms, max_ms } => rng.between(min_ms, max_ms),
            SolveTime::LogNormal { median_ms, sigma } => {
                let x = median_ms * (sigma * standard_normal(rng)).exp();
                // Rounded to the nearest millisecond; the tail is cut at a day.
                x.round().clamp(0.0, MAX_SOLVE_MS as f64) as u64
            }
        }
    }

    /// `n` samples from a generator seeded with `seed`: what a run with that seed draws,
    /// for checking a distribution without running tasks.
    pub fn samples(&self, seed: u64, n: usize) -> Vec<u64> {
        let mut rng = Rng::new(seed);
        (0..n).map(|_| self.sample(&mut rng)).collect()
    }
}

/// A standard normal deviate (Box-Muller; `1 - unit()` keeps the logarithm finite).
fn standard_normal(rng: &mut Rng) -> f64 {
    let u1 = 1.0 - rng.unit();
    let u2 = rng.unit();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

impl From<Delay> for SolveTime {
    fn from(d: Delay) -> SolveTime {
        if d.min_ms == d.max_ms {
            SolveTime::Fixed(d.min_ms)
        } else {
            SolveTime::Uniform {
                min_ms: d.min_ms,
                max_ms: d.max_ms,
            }
        }
    }
}

impl fmt::Display for SolveTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            SolveTime::Fixed(ms) => write!(f, "fixed:{ms}"),
            SolveTime::Uniform { min_ms, max_ms } => write!(f, "uniform:{min_ms}-{max_ms}"),
            SolveTime::LogNormal { median_ms, sigma } => write!(f, "lognormal:{median_ms},{sigma}"),
        }
    }
}

impl std::str::FromStr for SolveTime {
    type Err = String;
    fn from_str(s: &str) -> Result<SolveTime, String> {
        SolveTime::parse(s)
    }
}

// As text in JSON, the same text the flag takes.
impl Serialize for SolveTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SolveTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SolveTime, D::Error> {
        let text = String::deserialize(d)?;
        SolveTime::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn median(mut v: Vec<u64>) -> f64 {
        v.sort_unstable();
        let n = v.len();
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    }

    #[test]
    fn parses_and_prints_the_three_forms() {
        for (text, want) in [
            ("fixed:250", SolveTime::Fixed(250)),
            (
                "uniform:300-1000",
                SolveTime::Uniform {
                    min_ms: 300,
                    max_ms: 1000,
                },
            ),
            (
                "lognormal:12000,0.35",
                SolveTime::LogNormal {
                    median_ms: 12000.0,
                    sigma: 0.35,
                },
            ),
        ] {
            let got = SolveTime::parse(text).unwrap();
            assert_eq!(got, want);
            assert_eq!(got.to_string(), text);
            let json = serde_json::to_value(got).unwrap();
            assert_eq!(json, serde_json::json!(text));
            assert_eq!(serde_json::from_value::<SolveTime>(json).unwrap(), want);
        }
        for bad in [
            "",
            "fixed",
            "fixed:-1",
            "uniform:5",
            "uniform:9-3",
            "lognormal:12000",
            "lognormal:12000,-1",
            "lognormal:x,0.3",
            "gamma:1,2",
            "fixed:99999999999",
        ] {
            assert!(SolveTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn log_normal_samples_have_the_configured_median_and_spread() {
        let d = SolveTime::parse("lognormal:12000,0.35").unwrap();
        let s = d.samples(0x5eed_cafe, 2000);
        assert_eq!(s, d.samples(0x5eed_cafe, 2000), "seeded: runs repeat");
        let m = median(s.clone());
        assert!((m / 12000.0 - 1.0).abs() < 0.03, "median {m}");
        // The logarithms' standard deviation is sigma; p90 / median is exp(1.2816 sigma).
        let logs: Vec<f64> = s.iter().map(|&x| (x as f64).ln()).collect();
        let mean = logs.iter().sum::<f64>() / logs.len() as f64;
        let sd = (logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / logs.len() as f64).sqrt();
        assert!((sd / 0.35 - 1.0).abs() < 0.05, "sigma {sd}");
        let mut sorted = s;
        sorted.sort_unstable();
        let p90 = sorted[1800] as f64;
        let want = 12000.0 * (1.2816 * 0.35f64).exp();
        assert!((p90 / want - 1.0).abs() < 0.05, "p90 {p90} vs {want}");
    }

    #[test]
    fn uniform_and_fixed_samples() {
        let u = SolveTime::parse("uniform:100-300")
            .unwrap()
            .samples(7, 2000);
        assert!(u.iter().all(|&x| (100..=300).contains(&x)));
        assert!((median(u.clone()) / 200.0 - 1.0).abs() < 0.05);
        assert!(u.contains(&100) && u.contains(&300));
        assert!(
            SolveTime::Fixed(42)
                .samples(1, 100)
                .iter()
                .all(|&x| x == 42)
        );
        assert_eq!(
            SolveTime::from(Delay::range(5, 9)),
            SolveTime::Uniform {
                min_ms: 5,
                max_ms: 9
            }
        );
        assert_eq!(SolveTime::from(Delay::fixed(5)), SolveTime::Fixed(5));
    }
}
