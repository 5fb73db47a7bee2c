//! Part 2b: the floor under part 2's CPU per solve. The two HTTP exchanges a single-poll image
//! solve makes (the submit's form body with the image, then one `res.php` poll), 10,000 times
//! with 64 in flight as the client's request slots allow, with nothing of the engine around
//! them: once through reqwest configured as the core's transport (`core/src/transport.rs`),
//! once through hyper-util's client directly (what reqwest drives underneath). Each body is
//! encoded once beforehand, so neither encoding nor decoding is counted. Read beside part 2:
//! what the engine, the codecs and the events cost above the exchanges, and what leaving
//! reqwest would save. `BENCH=floor` runs only this part; `BENCH=cost` includes it.

use super::{Cpu, Emu, IMAGE, KEY, cpu_time, per_solve};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

const SOLVES: usize = 10_000;
const IN_FLIGHT: usize = 64;
const TIMEOUT: Duration = Duration::from_secs(30);

/// The figures of one HTTP stack.
pub(super) struct Floor {
    pub stack: &'static str,
    pub cpu: Cpu,
    pub solved: u64,
}

/// The submit's body as the form codec writes it for an image (`method=base64`, `json=1`).
fn submit_body() -> Bytes {
    use base64::Engine as _;
    let image = base64::engine::general_purpose::STANDARD.encode(IMAGE);
    Bytes::from(
        form_urlencoded::Serializer::new(String::new())
            .append_pair("key", KEY)
            .append_pair("method", "base64")
            .append_pair("body", &image)
            .append_pair("json", "1")
            .finish(),
    )
}

/// The task id in a `{"status":1,"request":"ID"}` reply.
fn task_id(reply: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(reply).ok()?;
    let rest = text.split_once("\"request\":\"")?.1;
    Some(rest.split_once('"')?.0.to_owned())
}

trait Stack: Send + Sync + 'static {
    fn exchange(
        &self,
        post: Option<Bytes>,
        url: String,
    ) -> impl std::future::Future<Output = Option<Vec<u8>>> + Send;
}

/// reqwest as the core builds it (plain HTTP here, so no TLS settings).
struct Reqwest(reqwest::Client);

impl Stack for Reqwest {
    async fn exchange(&self, post: Option<Bytes>, url: String) -> Option<Vec<u8>> {
        let req = match post {
            Some(body) => self
                .0
                .post(url)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(body),
            None => self.0.get(url),
        };
        let resp = req.timeout(TIMEOUT).send().await.ok()?;
        Some(resp.bytes().await.ok()?.to_vec())
    }
}

/// hyper-util's pooled client, with the same settings (no redirects followed: it follows none).
struct HyperUtil(
    hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        Full<Bytes>,
    >,
);

impl Stack for HyperUtil {
    async fn exchange(&self, post: Option<Bytes>, url: String) -> Option<Vec<u8>> {
        let builder = hyper::Request::builder()
            .uri(url)
            .header(hyper::header::USER_AGENT, "capbridge/0");
        let req = match post {
            Some(body) => builder
                .method(hyper::Method::POST)
                .header(
                    hyper::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(Full::new(body)),
            None => builder.body(Full::new(Bytes::new())),
        }
        .ok()?;
        let exchange = async {
            let resp = self.0.request(req).await.ok()?;
            Some(resp.into_body().collect().await.ok()?.to_bytes().to_vec())
        };
        tokio::time::timeout(TIMEOUT, exchange).await.ok()?
    }
}

async fn measure<S: Stack>(bin: &PathBuf, stack: S, name: &'static str) -> Floor {
    let emu = Emu::start(bin, &["--delay-ms", "0"]);
    let stack = Arc::new(stack);
    let slots = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let body = submit_body();
    let (submit_url, base) = (format!("{}in.php", emu.url), emu.url.clone());
    let cpu0 = cpu_time();
    let handles: Vec<_> = (0..SOLVES)
        .map(|_| {
            let (stack, slots, body) = (stack.clone(), slots.clone(), body.clone());
            let (submit_url, base) = (submit_url.clone(), base.clone());
            tokio::spawn(async move {
                let id = {
                    let _slot = slots.acquire().await.ok()?;
                    task_id(&stack.exchange(Some(body), submit_url).await?)?
                };
                let _slot = slots.acquire().await.ok()?;
                let poll = format!("{base}res.php?key={KEY}&action=get&id={id}&json=1");
                let reply = stack.exchange(None, poll).await?;
                // Ready at once (delay 0): status 1.
                reply.starts_with(b"{\"status\":1").then_some(())
            })
        })
        .collect();
    let mut solved = 0;
    for h in handles {
        if let Ok(Some(())) = h.await {
            solved += 1;
        }
    }
    Floor {
        stack: name,
        cpu: cpu_time() - cpu0,
        solved,
    }
}

pub(super) async fn run(bin: &PathBuf) -> Vec<Floor> {
    println!(
        "\n2b. The floor: the same two HTTP exchanges per solve (the image submit, one poll), 10,000 with 64 in flight, \
         bodies encoded beforehand, no engine"
    );
    // reqwest is built without a TLS provider of its own (the core hands it one).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let reqwest = reqwest::Client::builder()
        .user_agent("capbridge/0")
        .connect_timeout(Duration::from_secs(10))
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .build()
        .expect("reqwest client");
    let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
    connector.set_nodelay(true);
    connector.set_connect_timeout(Some(Duration::from_secs(10)));
    let hyper = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_timer(hyper_util::rt::TokioTimer::new())
        .build(connector);
    let floors = vec![
        measure(bin, Reqwest(reqwest), "reqwest").await,
        measure(bin, HyperUtil(hyper), "hyper-util").await,
    ];
    for f in &floors {
        println!(
            "   {:<10} {:>5.1} µs CPU per solve ({:.1} user + {:.1} system){}",
            f.stack,
            per_solve(f.cpu.total, f.solved),
            per_solve(f.cpu.user, f.solved),
            per_solve(f.cpu.system, f.solved),
            if f.solved < SOLVES as u64 {
                format!("  ({} of {SOLVES} completed)", f.solved)
            } else {
                String::new()
            }
        );
    }
    floors
}
