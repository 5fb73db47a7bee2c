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

pub struct Http {
    pub client: reqwest::Client,
    pub base: String,
}

impl Http {
    pub fn new(emu: &Emulator) -> Http {
        Http {
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
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
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in params {
            form = form.text(k.to_string(), v.to_string());
        }
        if let Some((name, bytes)) = file {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            );
        }
        let r = self
            .client
            .post(format!("{}in.php", self.base))
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
