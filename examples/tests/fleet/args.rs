//! The driver's flags (documented at the top of `driver.rs`).

use std::path::PathBuf;

pub struct Args {
    pub members: Vec<String>,
    pub solves: usize,
    pub clients: usize,
    pub shared: Option<String>,
    pub own_redis: bool,
    pub kill_at: Option<f64>,
    pub down_for: f64,
    pub emulator_url: Option<String>,
    pub key: String,
    pub check: bool,
    pub timeout_s: f64,
}

/// Prints what is wrong and exits with status 2.
pub fn usage(msg: &str) -> ! {
    eprintln!("fleet: {msg}\n(see the documentation at the top of examples/tests/fleet/driver.rs)");
    std::process::exit(2)
}

fn fresh_key() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:024x}{:08x}", t & ((1u128 << 96) - 1), std::process::id())
}

/// The repository's root (the members' scripts are found from it).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The flags, with `$CAPBRIDGE_FLEET_MEMBERS` and `$CAPBRIDGE_REDIS_URL` as defaults.
pub fn parse() -> Args {
    let members = std::env::var("CAPBRIDGE_FLEET_MEMBERS")
        .ok()
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "rust,rust,rust,rust".into());
    let mut a = Args {
        members: members.split(',').map(|s| s.trim().to_owned()).collect(),
        solves: 400,
        clients: 2,
        shared: std::env::var("CAPBRIDGE_REDIS_URL")
            .ok()
            .filter(|u| !u.is_empty()),
        own_redis: false,
        kill_at: None,
        down_for: 1.5,
        emulator_url: None,
        key: fresh_key(),
        check: false,
        timeout_s: 300.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        let num = |v: String| -> f64 { v.parse().unwrap_or_else(|_| usage("bad number")) };
        match flag.as_str() {
            "--members" => a.members = value().split(',').map(|s| s.trim().to_owned()).collect(),
            "--solves" => a.solves = num(value()) as usize,
            "--clients" => a.clients = num(value()) as usize,
            "--shared-limits" => a.shared = Some(value()),
            "--no-shared" => a.shared = None,
            "--own-redis" => a.own_redis = true,
            "--kill-redis-at" => a.kill_at = Some(num(value())),
            "--redis-down" => a.down_for = num(value()),
            "--emulator-url" => a.emulator_url = Some(value()),
            "--key" => a.key = value(),
            "--check" => a.check = true,
            "--timeout-s" => a.timeout_s = num(value()),
            _ => usage(&format!("unknown argument {flag}")),
        }
    }
    for m in &a.members {
        if !["rust", "python", "node"].contains(&m.as_str()) {
            usage(&format!("unknown member {m:?} (rust, python or node)"));
        }
    }
    if a.kill_at.is_some() && !a.own_redis {
        usage("--kill-redis-at needs --own-redis");
    }
    if a.kill_at.is_some() && a.emulator_url.is_some() {
        usage("--kill-redis-at needs the emulator of this run (its clock is ours)");
    }
    a
}
