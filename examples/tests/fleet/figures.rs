//! What the driver makes of the submits' arrival times at the emulator.

/// The key's rule: one submit per 100 ms (10 per second), and no more than 60 in 3 s.
pub const SPACING_MS: f64 = 100.0;

/// Submits granted 100 ms apart (on Redis's clock, or by one process's governor) reach the
/// emulator late by however long their sender waited for a core: some ms on an idle machine,
/// more on a loaded one. One such lateness is allowed over any run of submits: k + 1
/// consecutive arrivals must span at least k spacings less this. A load delays submits; it
/// cannot make a run of them come faster than that.
pub const ALLOWANCE_MS: f64 = 100.0;

#[derive(Debug, Default, Clone, Copy)]
pub struct Figures {
    pub submits: usize,
    /// Submits per second over the run (shown: a loaded machine lowers it).
    pub rate: f64,
    /// Gaps under 100 ms (shown: arrivals bunch by the senders' jitter).
    pub too_close: usize,
    pub min_gap_ms: f64,
    /// Submits that arrived sooner than the rule allows after some earlier one, with the
    /// one allowance: what breaks the key's limits.
    pub crowded: usize,
    /// Submits that were the 61st within 3 s.
    pub over_60_in_3s: usize,
}

/// The figures of sorted arrival times, in ms.
pub fn figures(ms: &[f64]) -> Figures {
    let mut f = Figures {
        submits: ms.len(),
        min_gap_ms: f64::NAN,
        ..Figures::default()
    };
    if ms.len() >= 2 {
        let span = (ms[ms.len() - 1] - ms[0]) / 1000.0;
        f.rate = (ms.len() - 1) as f64 / span.max(1e-9);
        let gaps: Vec<f64> = ms.windows(2).map(|w| w[1] - w[0]).collect();
        f.too_close = gaps.iter().filter(|g| **g < SPACING_MS).count();
        f.min_gap_ms = gaps.iter().copied().fold(f64::MAX, f64::min);
    }
    f.crowded = (1..ms.len())
        .filter(|&j| (0..j).any(|i| ms[j] - ms[i] < (j - i) as f64 * SPACING_MS - ALLOWANCE_MS))
        .count();
    f.over_60_in_3s = ms.windows(61).filter(|w| w[60] - w[0] < 3000.0).count();
    f
}

pub fn show(label: &str, f: &Figures) {
    println!(
        "  {label:<34} {:>4} submits, {:>6.2}/s, {:>3} crowded, {:>3} over 60 in 3 s ({:>3} gaps < 100 ms, min {:.1} ms)",
        f.submits, f.rate, f.crowded, f.over_60_in_3s, f.too_close, f.min_gap_ms
    );
}

/// The check of a run with shared limits: what breaks the rule, never how fast it went.
pub fn check(f: &Figures, what: &str, bad: &mut Vec<String>) {
    if f.crowded > 0 || f.over_60_in_3s > 0 {
        bad.push(format!(
            "{what}: {} submits sooner than 100 ms apart allows (one {ALLOWANCE_MS} ms \
             allowance per run), {} submits over 60 in 3 s",
            f.crowded, f.over_60_in_3s
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_late_arrival_is_allowed_a_faster_run_is_not() {
        // 100 ms apart, one of them 90 ms late: the two gaps around it are 190 and 10 ms.
        let mut ms: Vec<f64> = (0..20).map(|i| f64::from(i) * 100.0).collect();
        ms[5] += 90.0;
        let f = figures(&ms);
        assert_eq!((f.crowded, f.too_close), (0, 1));
        // Two per 100 ms.
        let fast: Vec<f64> = (0..20).map(|i| f64::from(i) * 50.0).collect();
        assert!(figures(&fast).crowded > 0);
        // 61 in 3 s.
        let burst: Vec<f64> = (0..61).map(|i| f64::from(i) * 40.0).collect();
        assert_eq!(figures(&burst).over_60_in_3s, 1);
    }
}
