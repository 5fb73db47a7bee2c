//! A `redis-server` of the run, and the two statistics the driver reads from Redis.

use crate::args::usage;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `redis-server` of this run, on a fixed port so that it can be started again.
pub struct Redis {
    child: Option<Child>,
    pub port: u16,
}

impl Redis {
    /// Starts one on a free port.
    pub fn start_anywhere() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| usage(&format!("no free port: {e}")));
        Redis::start(port)
    }

    pub fn start(port: u16) -> Redis {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| usage(&format!("cannot start redis-server: {e}")));
        let r = Redis {
            child: Some(child),
            port,
        };
        // Waits for it to listen (a minute is a guard against a hang, not a speed).
        let t = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if t.elapsed() > Duration::from_secs(60) {
                usage("redis-server did not start");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        r
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One Redis command over a plain connection (RESP); the reply's text. Only for the
/// statistics of the run: `CONFIG RESETSTAT`, `INFO commandstats`.
pub fn command(url: &str, args: &[&str]) -> Option<String> {
    let rest = url.strip_prefix("redis://")?;
    let host = rest.split('/').next()?.rsplit('@').next()?;
    let mut s = TcpStream::connect(host).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let mut req = format!("*{}\r\n", args.len());
    for a in args {
        req.push_str(&format!("${}\r\n{a}\r\n", a.len()));
    }
    s.write_all(req.as_bytes()).ok()?;
    let mut r = BufReader::new(s);
    let mut head = String::new();
    r.read_line(&mut head).ok()?;
    match head.chars().next()? {
        '$' => {
            let len: usize = head[1..].trim().parse().ok()?;
            let mut body = vec![0; len];
            r.read_exact(&mut body).ok()?;
            Some(String::from_utf8_lossy(&body).into_owned())
        }
        _ => Some(head.trim().to_owned()),
    }
}

/// Script calls (`EVALSHA` and `EVAL`) Redis counted since its statistics were reset.
pub fn script_calls(url: &str) -> Option<u64> {
    let info = command(url, &["INFO", "commandstats"])?;
    let mut n = 0;
    for line in info.lines() {
        if line.starts_with("cmdstat_evalsha:") || line.starts_with("cmdstat_eval:") {
            let calls = line.split("calls=").nth(1)?.split(',').next()?;
            n += calls.parse::<u64>().ok()?;
        }
    }
    Some(n)
}
