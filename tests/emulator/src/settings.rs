//! The emulator's settings by name: the binary's flags, in one place, so that the binary and
//! the packaged emulator (`capbridge.testing.emulator(time_scale=0.01)` in Python,
//! `startEmulator({ timeScale: 0.01 })` in Node) take the same names, values and checks, and a
//! flag added here reaches every language at once.
//!
//! A name may be spelled as the flag (`--time-scale`), in kebab case (`time-scale`), snake case
//! (`time_scale`) or camel case (`timeScale`). Values are text, as on a command line; a switch
//! (`no-limits`, `strict-accounts`) takes no value, or `true` / `false` from a binding.

use crate::Emulator;
use crate::config::{Config, Delay};
use crate::{Kind, SolveTime};

/// Every setting: its flag name, what its value is (empty for a switch), and what it does.
/// The binary's `--help` lists these.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    ("port", "N", "port on 127.0.0.1 (default 0: a free one)"),
    (
        "time-scale",
        "F",
        "multiply every emulated duration by F (default 1; 0.01 runs 20 s in 200 ms)",
    ),
    (
        "delay-ms",
        "MIN[-MAX]",
        "solve delay of every kind, in emulated ms (default 300-1000)",
    ),
    (
        "solve-time",
        "[KIND=]DIST",
        "solve-time distribution of every kind, or of one kind (repeatable;
                        a kind's wins, and either wins over --delay-ms), in emulated ms:
                        fixed:MS, uniform:MIN-MAX or lognormal:MEDIAN,SIGMA
                        (e.g. lognormal:12000,0.35 or RecaptchaV2=lognormal:12000,0.35);
                        seeded per task (--seed), scaled by --time-scale",
    ),
    (
        "no-limits",
        "",
        "do not enforce the request limits (for benchmarks)",
    ),
    (
        "strict-accounts",
        "",
        "only keys given with --account exist",
    ),
    (
        "account",
        "KEY[:BAL]",
        "create an account (repeatable); balance defaults to --balance",
    ),
    (
        "balance",
        "F",
        "balance of accounts created automatically (default 10)",
    ),
    ("seed", "N", "seed of answers, delays and fault shares"),
    (
        "site",
        "SITEKEY=SECRET",
        "siteverify: SECRET verifies only SITEKEY's tokens (repeatable, or
                        pairs joined by commas; a secret may have several keys);
                        an undeclared secret is bound to the first site key it verifies",
    ),
];

/// A configuration and the accounts to create once the emulator runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// The emulator's configuration.
    pub config: Config,
    /// Accounts given with `account`: key, and balance (else the configuration's default).
    pub accounts: Vec<(String, Option<f64>)>,
}

/// The canonical (kebab-case, no dashes in front) form of a setting's name.
fn canonical(name: &str) -> String {
    let bare = name.trim_start_matches('-');
    let mut out = String::with_capacity(bare.len() + 4);
    for c in bare.chars() {
        if c == '_' {
            out.push('-');
        } else if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `message` (an error of [`Settings::set`]) in a binding's spelling of setting names: each
/// `--flag` and each kebab-case name passed through `spell` (Python's `time_scale`, Node's
/// `timeScale`), and the name the caller gave (`given`) shown as given.
pub fn respelled(message: &str, given: &str, spell: impl Fn(&str) -> String) -> String {
    let mut names: Vec<&str> = SETTINGS.iter().map(|(n, _, _)| *n).collect();
    // Longest first: `delay-ms` before a name it might hold.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut out = message.replace(&format!("{:?}", canonical(given)), &format!("{given:?}"));
    for n in names {
        out = out.replace(&format!("--{n}"), &spell(n));
        if n.contains('-') {
            out = out.replace(n, &spell(n));
        }
    }
    out
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("bad --{name}: {value:?}"))
}

impl Settings {
    /// The binary's defaults.
    pub fn new() -> Settings {
        Settings::default()
    }

    /// Whether a name (in any spelling) is a switch, which takes no value on a command line.
    pub fn is_switch(name: &str) -> bool {
        let name = canonical(name);
        SETTINGS.iter().any(|(n, v, _)| *n == name && v.is_empty())
    }

    /// Applies one setting. `value` is `None` for a switch on a command line; a binding passes
    /// `Some("true")` or `Some("false")`. `account` may be applied several times.
    pub fn set(&mut self, name: &str, value: Option<&str>) -> Result<(), String> {
        let name = canonical(name);
        if Settings::is_switch(&name) {
            let on = match value.map(str::trim) {
                None | Some("true") | Some("1") => true,
                Some("false") | Some("0") => false,
                Some(v) => return Err(format!("--{name} is a switch: true or false, not {v:?}")),
            };
            match name.as_str() {
                "no-limits" => self.config.limits = !on,
                _ => self.config.auto_accounts = !on,
            }
            return Ok(());
        }
        let Some(known) = SETTINGS.iter().find(|(n, _, _)| *n == name) else {
            let names: Vec<&str> = SETTINGS.iter().map(|(n, _, _)| *n).collect();
            return Err(format!(
                "unknown setting {name:?} (known: {})",
                names.join(", ")
            ));
        };
        let Some(value) = value else {
            return Err(format!("--{name} needs {}", known.1));
        };
        match name.as_str() {
            "port" => self.config.port = number(&name, value)?,
            "time-scale" => {
                let f: f64 = number(&name, value)?;
                if !(f.is_finite() && f >= 0.0) {
                    return Err("--time-scale must be a non-negative number".into());
                }
                self.config.time_scale = f;
            }
            "delay-ms" => {
                let (lo, hi) = value.split_once('-').unwrap_or((value, value));
                let (lo, hi) = (number(&name, lo)?, number(&name, hi)?);
                if lo > hi {
                    return Err(format!("--{name} {value}: MIN is above MAX"));
                }
                self.config.default_delay = Delay::range(lo, hi);
            }
            "solve-time" => {
                let (kind, spec) = match value.split_once('=') {
                    Some((k, spec)) => match Kind::from_name(k) {
                        Some(kind) => (Some(kind), spec),
                        None => return Err(format!("--solve-time: {k:?} is not a kind")),
                    },
                    None => (None, value),
                };
                let time = SolveTime::parse(spec).map_err(|e| format!("bad --solve-time: {e}"))?;
                match kind {
                    Some(k) => {
                        self.config.solve_times.insert(k.name().to_owned(), time);
                    }
                    None => self.config.solve_time = Some(time),
                }
            }
            "balance" => {
                let f: f64 = number(&name, value)?;
                if !f.is_finite() {
                    return Err("--balance must be a number".into());
                }
                self.config.default_balance = f;
            }
            "seed" => self.config.seed = number(&name, value)?,
            "account" => {
                let (key, balance) = match value.split_once(':') {
                    Some((k, b)) => (k, Some(number::<f64>("account balance", b)?)),
                    None => (value, None),
                };
                if key.is_empty() {
                    return Err("--account needs a key".into());
                }
                self.accounts.push((key.to_owned(), balance));
            }
            "site" => {
                for (key, secret) in crate::siteverify::parse_sites(value)? {
                    // A site key has one secret: a second one is a mistake in the flags.
                    match self.config.sites.get(&key) {
                        Some(had) if *had != secret => {
                            return Err(format!(
                                "--site {key} is given two secrets; a site key has one"
                            ));
                        }
                        _ => {
                            self.config.sites.insert(key, secret);
                        }
                    }
                }
            }
            _ => return Err(format!("setting {name:?} is listed but not handled")),
        }
        Ok(())
    }

    /// Reads command-line arguments (`--name VALUE`, `--name=VALUE`, switches alone).
    /// `-h` / `--help` is the caller's to handle before.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Settings, String> {
        let mut settings = Settings::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if !arg.starts_with("--") {
                return Err(format!("unexpected argument {arg:?}"));
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                None => (arg.clone(), None),
            };
            let value = if inline.is_some() || Settings::is_switch(&name) {
                inline
            } else {
                args.next()
            };
            settings.set(&name, value.as_deref())?;
        }
        Ok(settings)
    }

    /// Starts the emulator on a thread of its own ([`Emulator::start_background`]) and
    /// creates the accounts.
    pub fn start_background(self, worker_threads: usize) -> std::io::Result<Emulator> {
        let default_balance = self.config.default_balance;
        let emu = Emulator::start_background(self.config, worker_threads)?;
        for (key, balance) in self.accounts {
            emu.set_account(&key, balance.unwrap_or(default_balance));
        }
        Ok(emu)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_names_the_same_setting() {
        for name in ["--time-scale", "time-scale", "time_scale", "timeScale"] {
            let mut s = Settings::new();
            s.set(name, Some("0.5")).unwrap();
            assert_eq!(s.config.time_scale, 0.5, "{name}");
        }
    }

    #[test]
    fn reads_a_command_line() {
        let args = [
            "--port=0",
            "--delay-ms",
            "5-10",
            "--no-limits",
            "--account",
            "k:2.5",
            "--account=j",
            "--strict-accounts",
            "--seed",
            "7",
            "--site",
            "6LcA=secret-a",
            "--site=0x4AAB=secret-b,10000000-ffff=secret-a",
        ];
        let s = Settings::from_args(args.iter().map(|a| a.to_string())).unwrap();
        assert_eq!(s.config.default_delay, Delay::range(5, 10));
        assert!(!s.config.limits && !s.config.auto_accounts);
        assert_eq!(s.config.seed, 7);
        let sites: Vec<(&str, &str)> = s
            .config
            .sites
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            sites,
            [
                ("0x4AAB", "secret-b"),
                ("10000000-ffff", "secret-a"),
                ("6LcA", "secret-a")
            ]
        );
        assert!(Settings::from_args(["--site".into(), "6LcA".into()]).is_err());
        assert!(Settings::from_args(["--site=6LcA=".into()]).is_err());
        let twice = Settings::from_args(["--site=6LcA=s1".into(), "--site=6LcA=s2".into()]);
        assert!(twice.is_err_and(|e| e.contains("two secrets")));
        assert!(Settings::from_args(["--site=6LcA=s1,6LcA=s1".into()]).is_ok());
        assert_eq!(
            s.accounts,
            vec![("k".to_owned(), Some(2.5)), ("j".to_owned(), None)]
        );
    }

    #[test]
    fn reads_solve_times_of_every_kind_and_of_one() {
        let args = [
            "--solve-time",
            "lognormal:12000,0.35",
            "--solve-time=RecaptchaV2=fixed:5000",
        ];
        let s = Settings::from_args(args.iter().map(|a| a.to_string())).unwrap();
        assert_eq!(
            s.config.solve_time,
            Some(SolveTime::parse("lognormal:12000,0.35").unwrap())
        );
        assert_eq!(
            s.config.solve_times.get("RecaptchaV2"),
            Some(&SolveTime::parse("fixed:5000").unwrap())
        );
        assert!(Settings::from_args(["--solve-time".into(), "Nope=fixed:1".into()]).is_err());
        assert!(Settings::from_args(["--solve-time".into(), "weibull:1".into()]).is_err());
    }

    #[test]
    fn switches_take_true_or_false_from_bindings() {
        let mut s = Settings::new();
        s.set("noLimits", Some("true")).unwrap();
        assert!(!s.config.limits);
        s.set("no_limits", Some("false")).unwrap();
        assert!(s.config.limits);
        assert!(s.set("no_limits", Some("maybe")).is_err());
    }

    #[test]
    fn refuses_unknown_names_and_bad_values_by_name() {
        let mut s = Settings::new();
        let e = s.set("time_scael", Some("1")).unwrap_err();
        assert!(e.contains("time-scael") && e.contains("time-scale"), "{e}");
        let e = s.set("time_scale", Some("-1")).unwrap_err();
        assert!(e.contains("--time-scale"), "{e}");
        assert!(
            s.set("delay_ms", Some("a-b"))
                .unwrap_err()
                .contains("--delay-ms")
        );
        let e = s.set("delay_ms", Some("300-100")).unwrap_err();
        assert!(e.contains("MIN is above MAX"), "{e}");
        assert!(s.set("seed", None).unwrap_err().contains("needs"));
        assert!(Settings::from_args(["stray".to_owned()]).is_err());
    }
}
