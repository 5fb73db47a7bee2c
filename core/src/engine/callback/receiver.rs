//! The callback receiver: one small HTTP/1.1 server per listening address in a process,
//! shared by the clients that listen there (each account it serves has its own secret).
//!
//! It trusts nothing it is sent:
//!
//! * a request's path must end in a token that verifies under one of its accounts' secrets
//!   (else `404`, before a byte of the body is read);
//! * bodies are read up to [`MAX_BODY`] (else `413`), within [`BODY_TIME`];
//! * at most [`MAX_CONNECTIONS`] connections are open at once: at the limit a new one takes
//!   the place of the oldest that has not sent its headers yet (so idle connections, which
//!   need no secret, cannot shut pushes out), else it is closed at once; headers must arrive
//!   within [`HEADER_TIME`], and a connection lives at most [`CONNECTION_TIME`]: a flood
//!   costs time, never memory;
//! * a verified push is only handed to the solve waiting for that token (or, in a fleet, to
//!   Redis for the member that waits for it); nothing is logged of its body or its URL;
//! * a solve's pushes are read one at a time: a push waits at the receiver (up to
//!   [`BODY_TIME`], else `503`) until the solve's scheduler has read the one before, so a
//!   flood for one token holds at most one body in the scheduler's queue, and the others in
//!   the connections the limit above bounds.

use super::{Delivery, MAX_BODY, parse_token};
use crate::engine::account::Account;
use crate::error::{Error, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{Method, Request, Response, StatusCode};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;
use tokio::sync::Notify;

/// Connections open at once.
pub(crate) const MAX_CONNECTIONS: usize = 256;
/// Time for a request's headers.
pub(crate) const HEADER_TIME: Duration = Duration::from_secs(5);
/// Time for a request's body.
pub(crate) const BODY_TIME: Duration = Duration::from_secs(10);
/// The longest a connection stays open.
pub(crate) const CONNECTION_TIME: Duration = Duration::from_secs(60);

/// A listening receiver; it stops when the last client using it is gone.
pub(crate) struct Receiver {
    addr: SocketAddr,
    shared: Arc<ReceiverState>,
}

/// What the accepting task and the receiver share: the accounts whose tasks it answers, and the
/// signal to stop.
struct ReceiverState {
    accounts: Mutex<Vec<Weak<Account>>>,
    stop: Notify,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.shared.stop.notify_one();
    }
}

type Registry = Mutex<HashMap<(u32, String), Weak<Receiver>>>;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| Mutex::new(HashMap::new()))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The receiver listening on `listen` in this process, started if there is none.
pub(crate) fn receiver_for(listen: &str) -> Result<Arc<Receiver>> {
    let mut map = lock(registry());
    map.retain(|_, w| w.strong_count() > 0);
    let id = (std::process::id(), listen.to_owned());
    if let Some(r) = map.get(&id).and_then(Weak::upgrade) {
        return Ok(r);
    }
    let runtime = crate::runtime::shared()?;
    let std_listener = std::net::TcpListener::bind(listen)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| {
            Error::usage(format!("cannot listen on {listen}: {e}")).with_option("callback_listen")
        })?;
    let addr = std_listener.local_addr().map_err(|e| {
        Error::usage(format!("cannot listen on {listen}: {e}")).with_option("callback_listen")
    })?;
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(std_listener).map_err(|e| {
            Error::usage(format!("cannot listen on {listen}: {e}")).with_option("callback_listen")
        })?
    };
    let shared = Arc::new(ReceiverState {
        accounts: Mutex::new(Vec::new()),
        stop: Notify::new(),
    });
    runtime.spawn(accept(listener, shared.clone()));
    let r = Arc::new(Receiver { addr, shared });
    map.insert(id, Arc::downgrade(&r));
    Ok(r)
}

impl Receiver {
    /// The address it listens on (with the port the system chose for port 0).
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Receives pushes for `account`'s tasks from now on.
    pub(crate) fn serve(&self, account: &Arc<Account>) {
        let mut l = lock(&self.shared.accounts);
        l.retain(|w| w.strong_count() > 0);
        if !l.iter().any(|w| w.as_ptr() == Arc::as_ptr(account)) {
            l.push(Arc::downgrade(account));
        }
    }
}

/// Where a connection stands, for [`Open::room`]: its request's headers not arrived yet (it
/// may be closed to make room), arrived (it is never closed for room), or closed for room.
const WAITING: u8 = 0;
const HEARD: u8 = 1;
const EVICTED: u8 = 2;

/// The open connections, oldest first, each with where it stands.
#[derive(Default)]
struct Open {
    next: u64,
    conns: std::collections::VecDeque<(u64, tokio::task::AbortHandle, Arc<AtomicU8>)>,
}

impl Open {
    /// Makes room for one more connection: at the limit, the oldest connection that has not
    /// sent its headers yet gives up its place (connections that sent nothing cannot hold
    /// every place: a push on its way gets in); its task is returned, to be stopped once the
    /// lock is let go. `None` when every connection is past its headers: no room.
    fn room(&mut self) -> Option<Option<tokio::task::AbortHandle>> {
        if self.conns.len() < MAX_CONNECTIONS {
            return Some(None);
        }
        // Claimed with a compare-and-swap: a connection whose headers arrive meanwhile keeps
        // its place.
        let i = self.conns.iter().position(|(_, _, stage)| {
            stage
                .compare_exchange(WAITING, EVICTED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        })?;
        Some(self.conns.remove(i).map(|(_, abort, _)| abort))
    }

    fn close(&mut self, id: u64) {
        self.conns.retain(|(i, _, _)| *i != id);
    }
}

/// A connection's place in [`Open`], given back when its task ends in any way: done, timed
/// out, stopped for room, or panicked.
struct Place {
    open: Arc<Mutex<Open>>,
    id: u64,
}

impl Drop for Place {
    fn drop(&mut self) {
        lock(&self.open).close(self.id);
    }
}

async fn accept(listener: tokio::net::TcpListener, shared: Arc<ReceiverState>) {
    let open = Arc::new(Mutex::new(Open::default()));
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shared.stop.notified() => return,
        };
        let Ok((stream, _)) = accepted else {
            // Out of descriptors, or the like: wait a moment rather than spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let mut o = lock(&open);
        // Over the limit, every connection busy with a request: closed unread.
        let Some(evicted) = o.room() else {
            continue;
        };
        let id = o.next;
        o.next = o.next.wrapping_add(1);
        let stage = Arc::new(AtomicU8::new(WAITING));
        let shared = shared.clone();
        let place = Place {
            open: open.clone(),
            id,
        };
        let heard = stage.clone();
        // Spawned and listed under the lock, so that it is listed before it can unlist itself.
        let task = tokio::spawn(async move {
            let _place = place;
            let service = hyper::service::service_fn(move |req| {
                // Evicted meanwhile: its task is being stopped, whatever this says.
                let _ = heard.compare_exchange(WAITING, HEARD, Ordering::AcqRel, Ordering::Acquire);
                let shared = shared.clone();
                async move { Ok::<_, std::convert::Infallible>(handle(&shared, req).await) }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIME)
                // One push per connection: an idle connection never holds a place.
                .keep_alive(false)
                .max_buf_size(16 * 1024)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_TIME, conn).await;
        });
        o.conns.push_back((id, task.abort_handle(), stage));
        drop(o);
        if let Some(abort) = evicted {
            abort.abort();
        }
    }
}

fn reply(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *r.status_mut() = status;
    r
}

async fn handle(
    shared: &ReceiverState,
    req: Request<hyper::body::Incoming>,
) -> Response<Full<Bytes>> {
    if req.method() != Method::POST && req.method() != Method::GET {
        return reply(StatusCode::METHOD_NOT_ALLOWED, "POST or GET\n");
    }
    // The token is the path's last segment (a proxy in front may add a prefix).
    let token = req
        .uri()
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let Some((nonce, tag)) = parse_token(token.as_bytes()) else {
        return reply(StatusCode::NOT_FOUND, "not found\n");
    };
    let account = {
        let l = lock(&shared.accounts);
        l.iter()
            .filter_map(Weak::upgrade)
            .find(|a| a.pushes.verifies(&nonce, &tag))
    };
    let Some(account) = account else {
        return reply(StatusCode::NOT_FOUND, "not found\n");
    };
    let body = if req.method() == Method::GET {
        // A pingback by GET: `id` and `code` in the query.
        match req.uri().query() {
            Some(q) if q.len() <= MAX_BODY => q.as_bytes().to_vec(),
            Some(_) => return reply(StatusCode::PAYLOAD_TOO_LARGE, "too large\n"),
            None => return reply(StatusCode::BAD_REQUEST, "nothing pushed\n"),
        }
    } else {
        let read =
            tokio::time::timeout(BODY_TIME, Limited::new(req.into_body(), MAX_BODY).collect())
                .await;
        match read {
            Ok(Ok(b)) => b.to_bytes().to_vec(),
            Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
                return reply(StatusCode::PAYLOAD_TOO_LARGE, "too large\n");
            }
            _ => return reply(StatusCode::BAD_REQUEST, "unreadable body\n"),
        }
    };
    match account.receive(nonce, body, BODY_TIME).await {
        Delivery::Taken => reply(StatusCode::OK, "OK\n"),
        Delivery::Busy => reply(StatusCode::SERVICE_UNAVAILABLE, "busy\n"),
        Delivery::Unknown => reply(StatusCode::NOT_FOUND, "not found\n"),
    }
}
