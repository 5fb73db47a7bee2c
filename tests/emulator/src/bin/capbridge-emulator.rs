//! `capbridge-emulator`: serve the local captcha service until SIGINT or SIGTERM.
//!
//! Prints its base URL as the first line of output.

use capbridge_emulator::{Config, Delay, Emulator, Kind, SolveTime};
use std::io::Write;

const HELP: &str =
    "capbridge-emulator: a local captcha service speaking the form protocol (in.php / res.php)
and the json protocol (createTask / getTaskResult / getBalance) of several providers

USAGE: capbridge-emulator [OPTIONS]

OPTIONS:
  --port N              port on 127.0.0.1 (default 0: a free one)
  --time-scale F        multiply every emulated duration by F (default 1; 0.01 runs 20 s in 200 ms)
  --delay-ms MIN[-MAX]  solve delay of every kind, in emulated ms (default 300-1000)
  --solve-time [KIND=]DIST
                        solve-time distribution of every kind, or of one kind (repeatable;
                        a kind's wins, and either wins over --delay-ms), in emulated ms:
                          fixed:MS               always MS
                          uniform:MIN-MAX        uniform between MIN and MAX
                          lognormal:MEDIAN,SIGMA median MEDIAN, log standard deviation SIGMA
                        e.g. --solve-time lognormal:12000,0.35
                             --solve-time RecaptchaV2=lognormal:12000,0.35
                        Seeded per task (--seed): runs repeat. Scaled by --time-scale.
  --no-limits           do not enforce the request limits (for benchmarks)
  --strict-accounts     only keys given with --account exist
  --account KEY[:BAL]   create an account (repeatable); balance defaults to --balance
  --balance F           balance of accounts created automatically (default 10)
  --seed N              seed of answers, delays and fault shares
  -h, --help            this text

Prints the base URL (http://127.0.0.1:PORT/) as its first line; exits on SIGINT or SIGTERM.

Paths: /in.php, /res.php (also under /bigcaptcha/, /captchaai/, /2captcha/, /rucaptcha/);
/createTask, /getTaskResult, /getBalance (tolerant generic json profile); the same under
/anti-captcha/, /capmonster/, /capsolver/, /nextcaptcha/, /2captcha-v2/ (each provider's dialect).
Admin API under /emulator/ (counters, config, accounts, rules, faults, delays, tasks, requests,
profiles).";

/// The help text, with the kinds' names (each dialect offers its provider's; the README has
/// the table).
fn help() -> String {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    format!("{HELP}\n\nKINDS: {}", kinds.join(" "))
}

fn fail(msg: &str) -> ! {
    eprintln!("capbridge-emulator: {msg}\n\n{}", help());
    std::process::exit(2);
}

fn parse_args() -> (Config, Vec<(String, Option<f64>)>) {
    let mut config = Config::default();
    let mut accounts = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| -> String {
            inline
                .clone()
                .or_else(|| args.next())
                .unwrap_or_else(|| fail(&format!("{name} needs {what}")))
        };
        match name.as_str() {
            "-h" | "--help" => {
                println!("{}", help());
                std::process::exit(0);
            }
            "--port" => {
                config.port = value("a port")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --port"))
            }
            "--time-scale" => {
                config.time_scale = value("a factor")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --time-scale"));
                if !(config.time_scale.is_finite() && config.time_scale >= 0.0) {
                    fail("--time-scale must be a non-negative number");
                }
            }
            "--delay-ms" => {
                let v = value("MIN[-MAX]");
                let (lo, hi) = v.split_once('-').unwrap_or((&v, &v));
                let lo = lo.parse().unwrap_or_else(|_| fail("bad --delay-ms"));
                let hi = hi.parse().unwrap_or_else(|_| fail("bad --delay-ms"));
                config.default_delay = Delay::range(lo, hi);
            }
            "--solve-time" => {
                let v = value("[KIND=]DIST");
                let (kind, spec) = match v.split_once('=') {
                    Some((k, spec)) => match Kind::from_name(k) {
                        Some(kind) => (Some(kind), spec),
                        None => fail(&format!("--solve-time: {k:?} is not a kind")),
                    },
                    None => (None, v.as_str()),
                };
                let time = SolveTime::parse(spec)
                    .unwrap_or_else(|e| fail(&format!("bad --solve-time: {e}")));
                match kind {
                    Some(k) => {
                        config.solve_times.insert(k.name().to_owned(), time);
                    }
                    None => config.solve_time = Some(time),
                }
            }
            "--no-limits" => config.limits = false,
            "--strict-accounts" => config.auto_accounts = false,
            "--balance" => {
                config.default_balance = value("an amount")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --balance"))
            }
            "--seed" => {
                config.seed = value("a number")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --seed"))
            }
            "--account" => {
                let v = value("KEY[:BALANCE]");
                let (key, bal) = match v.split_once(':') {
                    Some((k, b)) => (
                        k.to_owned(),
                        Some(b.parse().unwrap_or_else(|_| fail("bad --account balance"))),
                    ),
                    None => (v, None),
                };
                accounts.push((key, bal));
            }
            other => fail(&format!("unknown option {other}")),
        }
    }
    (config, accounts)
}

fn main() {
    let (config, accounts) = parse_args();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(&format!("cannot start a runtime: {e}")));
    rt.block_on(async move {
        let default_balance = config.default_balance;
        let emu = Emulator::start(config)
            .await
            .unwrap_or_else(|e| fail(&format!("cannot listen: {e}")));
        for (key, bal) in accounts {
            emu.set_account(&key, bal.unwrap_or(default_balance));
        }
        println!("{}", emu.url());
        let _ = std::io::stdout().flush();
        wait_for_signal().await;
        emu.shutdown().await;
    });
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
