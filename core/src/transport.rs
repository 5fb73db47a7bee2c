//! HTTP: sends a protocol-neutral [`Request`] to the provider's base URL with a timeout and
//! reads the reply, bounded in size.
//!
//! Failures are split by what they mean for a submit ([`SendError::outcome`]): the connection
//! was never made (safe to resend), or the request may have reached the service (a resent
//! submit may create a second task). No redirect is followed and no `Referer` is sent: a 3xx
//! could carry the key (in the query or, for a 307, in the re-posted body) to another host or
//! from HTTPS to HTTP, so it ends the request as a `service` error naming the status and the
//! target's host, never its query. Messages come from the error chain without the URL, and
//! pass the redaction step before they leave the core.

use crate::codec::{Body, FaultClass, Method, Outcome, Reply, Request, urlencoded};
use crate::error::{Error, ErrorKind};
use std::time::Duration;

/// Largest reply body read; anything longer is not a reply of either protocol.
const MAX_REPLY: usize = 1024 * 1024;

/// A request that got no reply.
#[derive(Debug, Clone)]
pub(crate) enum SendError {
    /// Not sent: no connection could be made (refused, or not made in time), or the request
    /// could not be built. The text says which.
    NotSent(String),
    /// Perhaps received: timed out or cut off after the request started.
    Unknown(String),
    /// The reply was larger than any protocol reply.
    TooLarge,
    /// The service answered with a redirect, which is never followed.
    Redirect {
        /// The 3xx status.
        status: u16,
        /// The host of the `Location` target, if it names one.
        host: Option<String>,
    },
}

impl SendError {
    /// What the failure means, in the codecs' terms.
    pub(crate) fn outcome<T>(&self) -> Outcome<T> {
        let fault = |error, class| Outcome::Fault { error, class };
        match self {
            SendError::NotSent(m) => fault(
                Error::new(ErrorKind::Network, m.clone()),
                FaultClass::NotProcessed,
            ),
            SendError::Unknown(m) => fault(
                Error::new(ErrorKind::Network, m.clone()),
                FaultClass::Unknown,
            ),
            SendError::TooLarge => fault(
                Error::new(
                    ErrorKind::Service,
                    "the reply is larger than 1 MiB, which no reply of the protocol is",
                )
                .with_code("TOO_LARGE"),
                FaultClass::Malformed,
            ),
            SendError::Redirect { status, host } => {
                let target = host
                    .as_deref()
                    .map_or_else(|| "elsewhere".to_owned(), |h| format!("to {h}"));
                Outcome::Failed {
                    error: Error::new(
                        ErrorKind::Service,
                        format!(
                            "the service answered HTTP {status}, a redirect {target}; capbridge follows no \
                             redirects (one could carry the API key to another host): check the base URL"
                        ),
                    )
                    .with_code(format!("HTTP {status}"))
                    .with_retryable(false),
                    block: None,
                }
            }
        }
    }
}

#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    /// Bounds the requests in flight (and so the sockets open) per client.
    slots: std::sync::Arc<tokio::sync::Semaphore>,
    base_url: String,
    /// Each path's URL, parsed once: parsing it for every request (its host through IDNA)
    /// cost more than encoding the request.
    urls: std::sync::Arc<std::sync::Mutex<Vec<(&'static str, reqwest::Url)>>>,
}

/// A failed request in a user's words: what failed, and the innermost cause ("Connection
/// refused"). The layers in between (`client error (Connect)`, `tcp connect error`) and the
/// OS error number say nothing more to a user.
fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let what = if e.is_connect() && e.is_timeout() {
        "could not connect to the service in time"
    } else if e.is_timeout() {
        "the request timed out"
    } else if e.is_connect() {
        "could not connect to the service"
    } else {
        "the request failed"
    };
    let mut root: Option<&dyn std::error::Error> = None;
    let mut source = e.source();
    while let Some(s) = source {
        root = Some(s);
        source = s.source();
    }
    match root.map(|s| crate::error::plain_cause(&s.to_string())) {
        Some(why) if !why.is_empty() && !what.ends_with(&why) => format!("{what}: {why}"),
        _ => what.to_owned(),
    }
}

/// The host of a `Location` header, never its path or query (which may hold the key).
fn location_host(resp: &reqwest::Response) -> Option<String> {
    let loc = resp
        .headers()
        .get(reqwest::header::LOCATION)?
        .to_str()
        .ok()?;
    let url = resp.url().join(loc).ok()?;
    url.host_str().map(str::to_owned)
}

/// `Retry-After` in seconds (the HTTP-date form is rare from APIs and ignored).
fn retry_after(resp: &reqwest::Response) -> Option<Duration> {
    let v = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    let secs: u64 = v.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(24 * 3600)))
}

/// TLS with rustls's `ring` provider and the platform's certificate verifier (the system's
/// trust store), made once per process.
///
/// A machine without CA certificates (a minimal or `scratch` container) cannot make that
/// verifier. A client whose base URL is plain `http://` (the packaged emulator, a local
/// service) makes no TLS connection it needs roots for: no redirect is followed, so nothing
/// leads it to an `https://` URL. It gets a configuration that trusts no certificate at all,
/// so it still works there, and any TLS connection it were ever to make would fail closed.
/// An `https://` base URL gets the error, saying what to install.
fn tls_config(plain_http: bool) -> crate::Result<rustls::ClientConfig> {
    use rustls_platform_verifier::BuilderVerifierExt;
    type Made = Result<rustls::ClientConfig, String>;
    static SYSTEM: std::sync::OnceLock<Made> = std::sync::OnceLock::new();
    static NOTHING: std::sync::OnceLock<Made> = std::sync::OnceLock::new();
    let make = |trust_system: bool| -> Made {
        let builder = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
        let builder = if trust_system {
            builder
                .with_platform_verifier()
                .map_err(|e| e.to_string())?
        } else {
            builder.with_root_certificates(rustls::RootCertStore::empty())
        };
        let mut cfg = builder.with_no_client_auth();
        cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(cfg)
    };
    match SYSTEM.get_or_init(|| make(true)) {
        Ok(cfg) => Ok(cfg.clone()),
        Err(_) if plain_http => NOTHING
            .get_or_init(|| make(false))
            .clone()
            .map_err(|e| Error::usage(format!("cannot set up TLS: {e}"))),
        Err(e) => Err(Error::usage(format!(
            "cannot set up TLS: {e}: install the system's CA certificates (Debian and Alpine: the \
             ca-certificates package) or point SSL_CERT_FILE at a PEM bundle"
        ))),
    }
}

impl Transport {
    pub(crate) fn new(
        base_url: &str,
        connect_timeout: Duration,
        max_concurrent: usize,
    ) -> crate::Result<Transport> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("capbridge/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(connect_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            // Never follow a redirect, never send a Referer: both could carry the key away.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .tls_backend_preconfigured(tls_config(base_url.starts_with("http://"))?)
            .build()
            .map_err(|e| {
                Error::usage(format!("cannot build the HTTP client: {}", e.without_url()))
            })?;
        Ok(Transport {
            http,
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(max_concurrent.max(1))),
            base_url: base_url.to_owned(),
            urls: Default::default(),
        })
    }

    /// The URL of `path` under the base URL (a handful of paths per provider).
    fn url(&self, path: &'static str) -> Result<reqwest::Url, SendError> {
        let mut urls = self.urls.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, url)) = urls.iter().find(|(p, _)| *p == path) {
            return Ok(url.clone());
        }
        let url = reqwest::Url::parse(&format!("{}{path}", self.base_url))
            .map_err(|e| SendError::NotSent(format!("the request URL is not valid: {e}")))?;
        urls.push((path, url.clone()));
        Ok(url)
    }

    /// Waits for a free request slot. Holding it, a caller may build its request (callers
    /// queued for a slot then hold no encoded request) and send it with [`Transport::send_in`].
    pub(crate) async fn slot(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        // The semaphore is never closed, so acquiring only waits.
        self.slots.acquire().await.ok()
    }

    /// Sends a request and reads its reply (waiting first for a free request slot; the
    /// timeout starts when the request does).
    pub(crate) async fn send(&self, req: &Request, timeout: Duration) -> Result<Reply, SendError> {
        let _slot = self.slot().await;
        self.send_in(req, timeout).await
    }

    /// Sends a request in a slot the caller already holds. `timeout` bounds the whole
    /// exchange, the body included.
    pub(crate) async fn send_in(
        &self,
        req: &Request,
        timeout: Duration,
    ) -> Result<Reply, SendError> {
        let mut url = self.url(req.path)?;
        let builder = match (req.method, &req.body) {
            (Method::Get, Body::Fields(fields)) => {
                // A base URL holds no query (`Provider` refuses one): the fields are all of it.
                let query = urlencoded::encode(fields);
                url.set_query((!query.is_empty()).then_some(query.as_str()));
                self.http.get(url)
            }
            (Method::Get, _) => self.http.get(url),
            (Method::Post, Body::Fields(fields)) => self
                .http
                .post(url)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
                )
                .body(urlencoded::encode(fields)),
            (Method::Post, Body::Json(v)) => self.http.post(url).json(v),
            (Method::Post, Body::Multipart { fields, files }) => {
                let mut form = reqwest::multipart::Form::new();
                for (k, v) in fields {
                    form = form.text(k.clone(), v.clone());
                }
                for file in files {
                    let part = reqwest::multipart::Part::bytes(file.bytes.clone())
                        .file_name(file.filename.clone())
                        .mime_str(file.mime)
                        .map_err(|e| SendError::NotSent(describe(&e)))?;
                    form = form.part(file.field.clone(), part);
                }
                self.http.post(url).multipart(form)
            }
        };
        let mut resp = builder.timeout(timeout).send().await.map_err(|e| {
            // A connection that was never made, refused or timed out (a host that drops
            // connection attempts), carried no request: no task can exist, and the solve may
            // move on. Any other failure may come after the service read the request.
            if e.is_connect() {
                SendError::NotSent(describe(&e))
            } else {
                SendError::Unknown(describe(&e))
            }
        })?;
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            return Err(SendError::Redirect {
                status,
                host: location_host(&resp),
            });
        }
        let retry_after = retry_after(&resp);
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_REPLY {
                        return Err(SendError::TooLarge);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(SendError::Unknown(format!(
                        "the reply was cut off: {}",
                        describe(&e)
                    )));
                }
            }
        }
        Ok(Reply {
            status,
            body,
            retry_after,
        })
    }
}
