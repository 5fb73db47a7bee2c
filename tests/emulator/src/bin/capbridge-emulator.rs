//! `capbridge-emulator`: serve the local captcha service until SIGINT or SIGTERM.
//!
//! Prints its base URL as the first line of output. Its flags are the library's
//! [`capbridge_emulator::SETTINGS`], which the Python and Node packages take by name too.

use capbridge_emulator::{Emulator, Kind, SETTINGS, Settings};
use std::io::Write;

const ABOUT: &str =
    "capbridge-emulator: a local captcha service speaking the form protocol (in.php / res.php)
and the json protocol (createTask / getTaskResult / getBalance) of several providers

USAGE: capbridge-emulator [OPTIONS]";

const PATHS: &str =
    "Prints the base URL (http://127.0.0.1:PORT/) as its first line; exits on SIGINT or SIGTERM.

Paths: /in.php, /res.php (also under /bigcaptcha/, /captchaai/, /2captcha/, /rucaptcha/);
/createTask, /getTaskResult, /getBalance (tolerant generic json profile); the same under
/anti-captcha/, /capmonster/, /capsolver/, /nextcaptcha/, /2captcha-v2/ (each provider's dialect).
Admin API under /emulator/ (counters, config, accounts, rules, faults, delays, tasks, requests,
profiles).";

/// The help text: the settings, the paths, and the kinds' names (each dialect offers its
/// provider's; the README has the table).
fn help() -> String {
    let mut options = String::new();
    for (name, value, what) in SETTINGS {
        let flag = format!("--{name} {value}");
        let flag = flag.trim_end();
        if flag.len() < 22 {
            options.push_str(&format!("  {flag:<22}{what}\n"));
        } else {
            // A long flag gets a line of its own; its text starts where the others' do.
            options.push_str(&format!("  {flag}\n{:24}{what}\n", ""));
        }
    }
    options.push_str(&format!("  {:<22}this text\n", "-h, --help"));
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    format!(
        "{ABOUT}\n\nOPTIONS:\n{options}\n{PATHS}\n\nKINDS: {}",
        kinds.join(" ")
    )
}

fn fail(msg: &str) -> ! {
    eprintln!("capbridge-emulator: {msg}\n\n{}", help());
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{}", help());
        return;
    }
    let settings = Settings::from_args(args).unwrap_or_else(|e| fail(&e));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(&format!("cannot start a runtime: {e}")));
    rt.block_on(async move {
        let default_balance = settings.config.default_balance;
        let emu = Emulator::start(settings.config)
            .await
            .unwrap_or_else(|e| fail(&format!("cannot listen: {e}")));
        for (key, bal) in settings.accounts {
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
