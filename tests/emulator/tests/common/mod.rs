//! Raw HTTP helpers for the emulator's own tests (no capbridge client on purpose).
#![allow(dead_code)]

use base64::Engine as _;
pub use capbridge_emulator::*;
use std::path::PathBuf;

pub const KEY: &str = "1abc234de56fab7c89012d34e56fa7b8";
pub const KEY2: &str = "2abc234de56fab7c89012d34e56fa7b8";
pub const GOOGLEKEY: &str = "6Le-wvkSVVABCPBMRTvw0Q4Muexq1bi0DJwx_mJ-";
pub const PAGEURL: &str = "http://mysite.com/page/with/recaptcha/";

/// An emulator with fast solves (every kind solved 10 ms after submit, at real time scale).
pub async fn fast() -> Emulator {
    Emulator::start(Config {
        default_delay: Delay::fixed(10),
        ..Config::default()
    })
    .await
    .unwrap()
}

pub fn image(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../vectors/images")
            .join(name),
    )
    .unwrap()
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A reqwest client builder for the tests: plain HTTP to 127.0.0.1, with ring as rustls's
/// provider (reqwest is built without one of its own, see the emulator's Cargo.toml).
pub fn http_client() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

pub struct Http {
    pub client: reqwest::Client,
    pub base: String,
}

impl Http {
    pub fn new(emu: &Emulator) -> Http {
        Http {
            client: http_client().pool_max_idle_per_host(0).build().unwrap(),
            base: emu.url().to_owned(),
        }
    }

    async fn finish(r: reqwest::Response) -> Reply {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.text().await.unwrap();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, script: &str, params: &[(&str, &str)]) -> Reply {
        let r = self
            .client
            .get(format!("{}{script}", self.base))
            .query(params)
            .send()
            .await
            .unwrap();
        Http::finish(r).await
    }

    pub async fn post(&self, script: &str, params: &[(&str, &str)]) -> Reply {
        let r = self
            .client
            .post(format!("{}{script}", self.base))
            .form(params)
            .send()
            .await
            .unwrap();
        Http::finish(r).await
    }

    pub async fn multipart(&self, params: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> Reply {
        let files: Vec<_> = file
            .into_iter()
            .map(|(name, bytes)| ("file", name, bytes))
            .collect();
        self.multipart_parts("in.php", params, &files).await
    }

    /// A multipart POST to `script`: the text fields, then the file parts `(part name, file
    /// name, bytes)` in order.
    pub async fn multipart_parts(
        &self,
        script: &str,
        params: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Reply {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in params {
            form = form.text(k.to_string(), v.to_string());
        }
        for (part, filename, bytes) in files {
            form = form.part(
                part.to_string(),
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(filename.to_string()),
            );
        }
        let r = self
            .client
            .post(format!("{}{script}", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        Http::finish(r).await
    }

    /// Submits and returns the id from `OK|id`.
    pub async fn submit(&self, params: &[(&str, &str)]) -> String {
        let r = self.post("in.php", params).await;
        r.body
            .strip_prefix("OK|")
            .unwrap_or_else(|| panic!("submit failed: {}", r.body))
            .to_owned()
    }

    pub async fn poll(&self, key: &str, id: &str, json: bool) -> Reply {
        let mut p = vec![("key", key), ("action", "get"), ("id", id)];
        if json {
            p.push(("json", "1"));
        }
        self.get("res.php", &p).await
    }

    /// Polls until the reply is not CAPCHA_NOT_READY (bounded).
    pub async fn wait(&self, key: &str, id: &str, json: bool) -> Reply {
        for _ in 0..500 {
            let r = self.poll(key, id, json).await;
            if !r.body.contains("CAPCHA_NOT_READY") {
                return r;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("task {id} never became ready");
    }

    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let mut req = self
            .client
            .request(method, format!("{}emulator/{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        assert!(r.status().is_success(), "admin {path}: {}", r.status());
        r.json().await.unwrap()
    }
}

pub fn recaptcha(key: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("key", key),
        ("method", "userrecaptcha"),
        ("googlekey", GOOGLEKEY),
        ("pageurl", PAGEURL),
    ]
}

// ---------------------------------------------------------------------------------------
// json protocol helpers
// ---------------------------------------------------------------------------------------

pub const SITEKEY: &str = "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-";
pub const HSITEKEY: &str = "10000000-ffff-ffff-ffff-000000000001";
pub const FUNKEY: &str = "12AB34CD-56F7-AB8C-9D01-2EF3456789A0";
pub const TSKEY: &str = "0x4AAAAAAABUYP0XeMJF0xoy";
pub const PAGE: &str = "https://example.com/login";

/// An emulator on a fast clock: every duration is multiplied by `scale`, every task takes
/// `delay_ms` emulated milliseconds.
pub async fn scaled(delay_ms: u64, scale: f64) -> Emulator {
    Emulator::start(Config {
        default_delay: Delay::fixed(delay_ms),
        time_scale: scale,
        ..Config::default()
    })
    .await
    .unwrap()
}

/// `prefix/` for a profile, `""` for the root.
pub fn base(profile: &str) -> String {
    if profile.is_empty() {
        String::new()
    } else {
        format!("{profile}/")
    }
}

impl Http {
    /// POSTs a JSON body to `path` (relative to the root).
    pub async fn json(&self, path: &str, body: serde_json::Value) -> Reply {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        Http::finish(r).await
    }

    /// POSTs raw bytes to `path`.
    pub async fn raw(&self, path: &str, body: &'static [u8]) -> Reply {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .body(body)
            .send()
            .await
            .unwrap();
        Http::finish(r).await
    }

    /// createTask at a profile (`""`: generic).
    pub async fn create(&self, profile: &str, key: &str, task: serde_json::Value) -> Reply {
        self.json(
            &format!("{}createTask", base(profile)),
            serde_json::json!({"clientKey": key, "task": task}),
        )
        .await
    }

    /// createTask that must succeed; the task id as sent.
    pub async fn create_ok(
        &self,
        profile: &str,
        key: &str,
        task: serde_json::Value,
    ) -> serde_json::Value {
        let r = self.create(profile, key, task).await;
        let v = r.json();
        assert_eq!(
            v["errorId"], 0,
            "createTask at {profile:?}: {} {}",
            r.status, r.body
        );
        v["taskId"].clone()
    }

    pub async fn result(&self, profile: &str, key: &str, id: &serde_json::Value) -> Reply {
        self.json(
            &format!("{}getTaskResult", base(profile)),
            serde_json::json!({"clientKey": key, "taskId": id}),
        )
        .await
    }

    /// Polls `gap_ms` apart until the reply is not a "not ready" one (bounded).
    pub async fn wait_result(
        &self,
        profile: &str,
        key: &str,
        id: &serde_json::Value,
        gap_ms: u64,
    ) -> Reply {
        for _ in 0..400 {
            let r = self.result(profile, key, id).await;
            let v = r.json();
            let pending = matches!(v["status"].as_str(), Some("processing" | "idle"))
                || v["errorCode"] == "CAPTCHA_NOT_READY";
            if !pending {
                return r;
            }
            tokio::time::sleep(std::time::Duration::from_millis(gap_ms)).await;
        }
        panic!("task {id} at {profile:?} never became ready");
    }
}

/// A tiny HTTP listener for callbacks: every request's head and body, as text.
pub struct Listener {
    pub url: String,
    pub rx: tokio::sync::mpsc::UnboundedReceiver<(String, Vec<u8>)>,
}

pub async fn listener() -> Listener {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hook?from=emu",
        l.local_addr().unwrap().port()
    );
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = l.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = s.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_string();
                        let len: usize = head
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            let body = buf[end + 4..end + 4 + len].to_vec();
                            let _ = s
                                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                                .await;
                            let _ = tx.send((head, body));
                            return;
                        }
                    }
                }
            });
        }
    });
    Listener { url, rx }
}

impl Listener {
    /// The next callback (bounded wait).
    pub async fn next(&mut self) -> (String, Vec<u8>) {
        tokio::time::timeout(std::time::Duration::from_secs(10), self.rx.recv())
            .await
            .expect("no callback within 10 s")
            .expect("listener closed")
    }
}
