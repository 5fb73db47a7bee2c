//! The member processes: started with their share of the solves, waited for, and their last
//! line (JSON) read.

use crate::args::{Args, repo, usage};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The command of a member: `rust` (the `fleet-member` binary beside the driver, or
/// `$CAPBRIDGE_FLEET_RUST`), `python` (`examples/python/fleet_member.py`), `node`
/// (`examples/node/fleet_member.js`).
fn command(kind: &str) -> Command {
    match kind {
        "rust" => {
            let exe = std::env::var_os("CAPBRIDGE_FLEET_RUST")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    let me = std::env::current_exe().unwrap_or_default();
                    me.with_file_name(format!("fleet-member{}", std::env::consts::EXE_SUFFIX))
                });
            Command::new(exe)
        }
        "python" => {
            let venv = repo().join(".venv/bin/python");
            let py = std::env::var_os("CAPBRIDGE_PYTHON")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    if venv.exists() {
                        venv
                    } else {
                        PathBuf::from("python3")
                    }
                });
            let mut c = Command::new(py);
            c.arg(repo().join("examples/python/fleet_member.py"));
            c
        }
        _ => {
            let mut c = Command::new("node");
            c.arg(repo().join("examples/node/fleet_member.js"));
            c
        }
    }
}

/// Starts every member on the 2captcha preset pointed at the emulator (its limits, its
/// batch polls), the solves split evenly between them.
pub fn start(a: &Args, url: &str, shared: Option<&str>) -> Vec<(String, Child)> {
    let n = a.members.len().max(1);
    let mut children = Vec::new();
    for (i, kind) in a.members.iter().enumerate() {
        let solves = a.solves / n + usize::from(i < a.solves % n);
        let mut c = command(kind);
        c.args(["--provider", "2captcha", "--base-url", url])
            .args(["--api-key", &a.key])
            .args(["--solves", &solves.to_string()])
            .args(["--clients", &a.clients.to_string()])
            .args(["--timeout-s", &a.timeout_s.to_string()])
            .args(["--name", &format!("{kind}-{i}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(u) = shared {
            c.args(["--shared-limits", u]);
        }
        let child = c
            .spawn()
            .unwrap_or_else(|e| usage(&format!("cannot start the {kind} member: {e}")));
        children.push((kind.clone(), child));
    }
    children
}

/// What one member reported.
pub struct Report {
    pub kind: String,
    /// It exited with success.
    pub ok: bool,
    /// Its last JSON line (`Null` if it printed none).
    pub line: Value,
}

/// Waits for every member (blocking) and reads its last JSON line.
pub fn wait(children: Vec<(String, Child)>) -> Vec<Report> {
    let mut out = Vec::new();
    for (kind, mut child) in children {
        let mut last = String::new();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.trim_start().starts_with('{') {
                    last = line;
                }
            }
        }
        let ok = child.wait().is_ok_and(|s| s.success());
        out.push(Report {
            kind,
            ok,
            line: serde_json::from_str::<Value>(&last).unwrap_or(Value::Null),
        });
    }
    out
}
