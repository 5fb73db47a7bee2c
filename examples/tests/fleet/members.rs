//! The member processes: started with their share of the solves, waited for, and their last
//! line (JSON) read.

use crate::args::{Args, repo, usage};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// When a member said its limits went local (Redis did not answer in time: killed, or too
/// slow on a busy machine), or came back: ms since the run's start, the member, and `true`
/// for back. Read from the members' warnings, which every member prints in the core's words.
pub type Handovers = Arc<Mutex<Vec<(f64, usize, bool)>>>;

/// Forwards a member's stderr to ours, noting its handovers.
fn watch(i: usize, stderr: std::process::ChildStderr, t0: Instant, handovers: Handovers) {
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = writeln!(std::io::stderr(), "{line}");
            // "... stopped answering (...); this process keeps the limits ... until it answers
            // again": a handover to local; "... answers again; the limits ... are shared":
            // back to Redis.
            let local = line.contains("does not answer") || line.contains("stopped answering");
            let back = !local && line.contains("answers again");
            if local || back {
                let at = t0.elapsed().as_secs_f64() * 1000.0;
                if let Ok(mut h) = handovers.lock() {
                    h.push((at, i, back));
                }
            }
        }
    });
}

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
pub fn start(
    a: &Args,
    url: &str,
    shared: Option<&str>,
    t0: Instant,
    handovers: &Handovers,
) -> Vec<(String, Child)> {
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
            .stderr(Stdio::piped());
        if let Some(u) = shared {
            c.args(["--shared-limits", u]);
        }
        let mut child = c
            .spawn()
            .unwrap_or_else(|e| usage(&format!("cannot start the {kind} member: {e}")));
        if let Some(err) = child.stderr.take() {
            watch(i, err, t0, handovers.clone());
        }
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
