//! HTTP: sends a [`FormRequest`] with a timeout and reads the reply, bounded in size.
//!
//! Transport failures are split by what they mean for a submit: [`SendError::NotSent`] (the
//! connection was never made: safe to resend) and [`SendError::Unknown`] (the request may have
//! reached the service: a resent submit may create a second task). Messages come from the
//! error chain without the URL, which holds the API key.

use crate::codec::form::{FormRequest, HttpMethod};
use crate::error::{Error, ErrorKind};
use crate::provider::Provider;
use crate::secret::redact;
use std::time::Duration;

/// Largest reply body read; anything longer is not a reply of this protocol.
const MAX_REPLY: usize = 1024 * 1024;

/// A reply: status and body.
#[derive(Debug, Clone)]
pub(crate) struct HttpReply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// A request that got no reply.
#[derive(Debug, Clone)]
pub(crate) enum SendError {
    /// Not sent: no connection could be made.
    NotSent(String),
    /// Perhaps received: timed out or cut off after the request started.
    Unknown(String),
}

impl SendError {
    pub(crate) fn to_error(&self) -> Error {
        match self {
            SendError::NotSent(m) => {
                Error::new(ErrorKind::Network, format!("could not connect: {m}"))
            }
            SendError::Unknown(m) => Error::new(ErrorKind::Network, m.clone()),
        }
    }
}

#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    /// Bounds the requests in flight (and so the sockets open) per client.
    slots: std::sync::Arc<tokio::sync::Semaphore>,
    in_url: String,
    res_url: String,
    secrets: Vec<String>,
}

impl Transport {
    pub(crate) fn new(
        provider: &Provider,
        connect_timeout: Duration,
        max_concurrent: usize,
        secrets: Vec<String>,
    ) -> crate::Result<Transport> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("capbridge/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(connect_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| {
                Error::usage(format!("cannot build the HTTP client: {}", e.without_url()))
            })?;
        Ok(Transport {
            http,
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(max_concurrent.max(1))),
            in_url: provider.endpoint_url("in.php"),
            res_url: provider.endpoint_url("res.php"),
            secrets,
        })
    }

    fn describe(&self, e: &reqwest::Error) -> String {
        use std::error::Error as _;
        let mut msg = if e.is_timeout() {
            "the request timed out".to_owned()
        } else {
            "the request failed".to_owned()
        };
        let mut source = e.source();
        while let Some(s) = source {
            let text = s.to_string();
            if !msg.ends_with(&text) {
                msg.push_str(": ");
                msg.push_str(&text);
            }
            source = s.source();
        }
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        redact(&msg, &secrets)
    }

    /// Waits for a free request slot. Holding it, a caller may build its request (callers
    /// queued for a slot then hold no encoded request) and send it with [`Transport::send_in`].
    pub(crate) async fn slot(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        // The semaphore is never closed, so acquiring only waits.
        self.slots.acquire().await.ok()
    }

    /// Sends a request and reads its reply (waiting first for a free request slot; the
    /// timeout starts when the request does).
    pub(crate) async fn send(
        &self,
        req: &FormRequest,
        timeout: Duration,
    ) -> Result<HttpReply, SendError> {
        let _slot = self.slot().await;
        self.send_in(req, timeout).await
    }

    /// Sends a request in a slot the caller already holds.
    pub(crate) async fn send_in(
        &self,
        req: &FormRequest,
        timeout: Duration,
    ) -> Result<HttpReply, SendError> {
        let url = match req.endpoint {
            crate::codec::form::Endpoint::In => &self.in_url,
            crate::codec::form::Endpoint::Res => &self.res_url,
        };
        let builder = match (req.method, &req.file) {
            (HttpMethod::Get, _) => self.http.get(url).query(&req.fields),
            (HttpMethod::Post, None) => self.http.post(url).form(&req.fields),
            (HttpMethod::Post, Some(file)) => {
                let mut form = reqwest::multipart::Form::new();
                for (k, v) in &req.fields {
                    form = form.text(k.clone(), v.clone());
                }
                let part = reqwest::multipart::Part::bytes(file.bytes.clone())
                    .file_name(file.filename.clone())
                    .mime_str(file.mime)
                    .map_err(|e| SendError::NotSent(self.describe(&e)))?;
                self.http.post(url).multipart(form.part(file.field, part))
            }
        };
        let mut resp = builder.timeout(timeout).send().await.map_err(|e| {
            if e.is_connect() && !e.is_timeout() {
                SendError::NotSent(self.describe(&e))
            } else {
                SendError::Unknown(self.describe(&e))
            }
        })?;
        let status = resp.status().as_u16();
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_REPLY {
                        return Err(SendError::Unknown("the reply is larger than 1 MiB".into()));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(SendError::Unknown(format!(
                        "the reply was cut off: {}",
                        self.describe(&e)
                    )));
                }
            }
        }
        Ok(HttpReply { status, body })
    }
}
