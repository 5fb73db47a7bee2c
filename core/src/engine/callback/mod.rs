//! Answers pushed by the service (`callback_listen`, `callback_url`): the form family's
//! `pingback` and the json family's `callbackUrl`, received by a small HTTP server of the
//! client's own, instead of polls.
//!
//! * **Per task, a secret URL.** Each task is sent with `callback_url` plus a token: a
//!   random nonce and its HMAC-SHA256 under the account's secret (random per account in a
//!   process; with `shared_limits`, derived from the API key and the service, so that every
//!   member of a fleet recognises the others' tasks). A request whose token does not verify
//!   is refused before its body is read; a verified token is only ever matched against the
//!   solves waiting for it, so nothing the client did not submit is accepted.
//! * **An answer pushed is an answer polled.** The body is read by the provider's codec as a
//!   poll's reply (`Codec::read_push`): the same decoding, the same errors, the same `polled`
//!   event (with `pushed`). A push naming another task id is ignored.
//! * **Polls wait for a safety net.** A solve whose task carries the URL is first polled at a
//!   third of its deadline ([`SAFETY_NET`]), or at its first wait if that is later; from
//!   then on it is polled as usual, and a push still ends it.
//! * **A fleet** (`shared_limits`): a member whose receiver gets a push for a task it does
//!   not await passes it through Redis to the member that does (one channel per account),
//!   and keeps it there for [`RETENTION`], so that `wait(task_id)` from any member finds it
//!   (see `shared/link.rs`). Members may send `callback_url` without listening themselves.
//!
//! `receiver.rs` is the HTTP server: bounded bodies, connections and times.

pub(crate) mod receiver;

use crate::error::{Error, Result};
use crate::secret::Secret;
use ring::hmac;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The share of a solve's deadline before which a task whose answer will be pushed is not
/// polled.
pub(crate) const SAFETY_NET: u32 = 3;
/// How long a fleet keeps a pushed answer for a member that is gone (CapSolver keeps
/// results 5 minutes, the form family's reports work for 15: the middle).
#[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
pub(crate) const RETENTION: Duration = Duration::from_secs(10 * 60);
/// The largest body a receiver reads (a token or a cookie set is a few kilobytes).
pub(crate) const MAX_BODY: usize = 64 * 1024;
/// Solves in flight waiting for pushes are bounded by the caller; pushes that arrive before
/// their solve is tracked are kept at most this many at once.
pub(crate) const MAX_EARLY: usize = 1024;

/// A task's nonce: 16 random bytes.
pub(crate) type Nonce = [u8; 16];

/// Where a client's tasks are pushed: the URL sent with each task (a token appended), and
/// the address its own receiver listens on, if it runs one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CallbackSpec {
    /// `callback_listen`: the address to bind (`0.0.0.0:8088`).
    pub(crate) listen: Option<String>,
    /// `callback_url`: the public URL of the receiver, ending in `/`.
    pub(crate) url: Option<String>,
}

impl CallbackSpec {
    /// Checks the two options; `shared` says whether a fleet can carry answers for a member
    /// that sends the URL without listening.
    pub(crate) fn new(
        listen: Option<String>,
        url: Option<String>,
        shared: bool,
    ) -> Result<Option<CallbackSpec>> {
        let listen = listen.map(|l| l.trim().to_owned());
        if let Some(l) = &listen
            && l.parse::<std::net::SocketAddr>().is_err()
        {
            return Err(Error::usage(format!(
                "is {l:?}; expected an address and a port to listen on, such as 0.0.0.0:8088 or 127.0.0.1:0"
            ))
            .with_option("callback_listen"));
        }
        let url = match url {
            None => None,
            Some(u) => Some(check_url(&u)?),
        };
        // Listening on every interface, the URL the service calls cannot be told from the
        // address: refused here, before anything is bound (`validate` finds it too).
        if url.is_none()
            && let Some(addr) = listen
                .as_deref()
                .and_then(|l| l.parse::<std::net::SocketAddr>().ok())
            && addr.ip().is_unspecified()
        {
            return Err(Error::usage(
                "is needed: callback_listen binds every interface, so the URL the service calls \
                 cannot be told from it",
            )
            .with_option("callback_url"));
        }
        match (&listen, &url) {
            (None, None) => Ok(None),
            (None, Some(_)) if !shared => Err(Error::usage(
                "needs callback_listen, or shared_limits (another member of the fleet then receives the \
                 answers and passes them on through Redis)",
            )
            .with_option("callback_url")),
            _ => Ok(Some(CallbackSpec { listen, url })),
        }
    }
}

/// A public base URL: `http(s)://host[:port]/path/`, no query, no credentials.
fn check_url(u: &str) -> Result<String> {
    let bad = |why: &str| Error::usage(why.to_owned()).with_option("callback_url");
    let parsed = url::Url::parse(u.trim())
        .map_err(|_| bad("is not a URL; expected the receiver's public http:// or https:// URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(bad(
            "expected the receiver's public http:// or https:// URL",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad(
            "has a query or a fragment; each task's token is appended to its path",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "holds credentials; the token in the path is the receiver's secret",
        ));
    }
    let mut s = parsed.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

/// A client's callback route: the base URL its tasks are sent with, and its receiver (if it
/// listens itself; a fleet member may leave listening to another).
pub(crate) struct Route {
    pub(crate) url: String,
    pub(crate) receiver: Option<Arc<receiver::Receiver>>,
}

impl Route {
    /// Starts (or joins) the receiver of `spec` and names the URL tasks are sent with: the
    /// given one, or the receiver's own address when it listens on a specific one.
    pub(crate) fn start(spec: &CallbackSpec) -> Result<Route> {
        let receiver = match &spec.listen {
            Some(l) => Some(receiver::receiver_for(l)?),
            None => None,
        };
        let url = match (&spec.url, &receiver) {
            (Some(u), _) => u.clone(),
            (None, Some(r)) if !r.addr().ip().is_unspecified() => format!("http://{}/", r.addr()),
            _ => {
                return Err(Error::usage(
                    "is needed: callback_listen binds every interface, so the URL the service calls \
                     cannot be told from it",
                )
                .with_option("callback_url"));
            }
        };
        Ok(Route { url, receiver })
    }
}

/// The solves of one account waiting for pushes, and the account's secret.
#[derive(Default)]
pub(crate) struct Book {
    key: OnceLock<hmac::Key>,
    waiting: Mutex<HashMap<Nonce, Waiter>>,
}

/// A solve waiting for its push: its scheduler and its number there.
#[derive(Clone)]
pub(crate) struct Waiter {
    scheduler: super::scheduler::SchedulerHandle,
    solve_id: u64,
    /// One place in the scheduler's queue: a push holds it until the scheduler has read it,
    /// so however many pushes arrive for one token, at most one body waits in the queue
    /// (the others wait at the receiver, each holding one of its bounded connections).
    queue: Arc<tokio::sync::Semaphore>,
}

impl Waiter {
    pub(crate) fn new(scheduler: super::scheduler::SchedulerHandle, solve_id: u64) -> Waiter {
        Waiter {
            scheduler,
            solve_id,
            queue: Arc::new(tokio::sync::Semaphore::new(1)),
        }
    }

    /// Queues a push for the solve, holding its place until the scheduler has read it.
    fn hand(&self, body: Vec<u8>, place: tokio::sync::OwnedSemaphorePermit) -> Delivery {
        self.scheduler.push(self.solve_id, body, Some(place));
        Delivery::Taken
    }
}

/// What became of a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// Handed to the solve waiting for it (or to the fleet).
    Taken,
    /// A solve waits for it, but its earlier pushes were not read in time: not taken.
    Busy,
    /// No solve waits for it.
    Unknown,
}

fn random<const N: usize>() -> [u8; N] {
    use ring::rand::SecureRandom;
    let mut b = [0u8; N];
    if ring::rand::SystemRandom::new().fill(&mut b).is_err() {
        // No system randomness: a hash of the time and an address stands in, the token's MAC
        // still binds it to the account's secret.
        use std::hash::{BuildHasher, Hasher};
        for (i, chunk) in b.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            let v = h.finish().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
    b
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}

fn unhex(s: &[u8], out: &mut [u8]) -> bool {
    if s.len() != out.len() * 2 {
        return false;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    for (i, pair) in s.chunks(2).enumerate() {
        match (digit(pair[0]), digit(pair[1])) {
            (Some(h), Some(l)) => out[i] = h << 4 | l,
            _ => return false,
        }
    }
    true
}

/// A token's length in the URL: the nonce and its MAC, in hex.
pub(crate) const TOKEN_LEN: usize = 2 * (16 + 32);

/// The nonce a token carries, if it is a token at all (not yet verified).
pub(crate) fn parse_token(token: &[u8]) -> Option<(Nonce, [u8; 32])> {
    if token.len() != TOKEN_LEN {
        return None;
    }
    let mut nonce = [0u8; 16];
    let mut tag = [0u8; 32];
    (unhex(&token[..32], &mut nonce) && unhex(&token[32..], &mut tag)).then_some((nonce, tag))
}

/// Text form of a nonce (Redis keys and messages).
#[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
pub(crate) fn nonce_hex(nonce: &Nonce) -> String {
    hex(nonce)
}

/// A nonce from its text form.
#[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
pub(crate) fn nonce_of(text: &[u8]) -> Option<Nonce> {
    let mut n = [0u8; 16];
    unhex(text, &mut n).then_some(n)
}

impl Book {
    /// Sets the account's secret: derived from the API key and the service for a fleet, so
    /// that every member's receiver verifies every member's tokens; else random (on first
    /// use).
    pub(crate) fn share_secret(&self, canonical_url: &str, key: &Secret) {
        let derive = hmac::Key::new(hmac::HMAC_SHA256, key.expose().as_bytes());
        let seed = hmac::sign(
            &derive,
            format!("capbridge callback v1\n{canonical_url}").as_bytes(),
        );
        let _ = self
            .key
            .set(hmac::Key::new(hmac::HMAC_SHA256, seed.as_ref()));
    }

    fn key(&self) -> &hmac::Key {
        self.key
            .get_or_init(|| hmac::Key::new(hmac::HMAC_SHA256, &random::<32>()))
    }

    /// A new task's nonce and its token for the URL.
    pub(crate) fn mint(&self) -> (Nonce, String) {
        let nonce: Nonce = random();
        let tag = hmac::sign(self.key(), &nonce);
        (nonce, format!("{}{}", hex(&nonce), hex(tag.as_ref())))
    }

    /// Whether a token's MAC is this account's (in constant time).
    pub(crate) fn verifies(&self, nonce: &Nonce, tag: &[u8; 32]) -> bool {
        hmac::verify(self.key(), nonce, tag).is_ok()
    }

    /// A solve now waits for the push of `nonce`; it stops waiting when the guard drops.
    pub(crate) fn wait(self: &std::sync::Arc<Self>, nonce: Nonce, w: Waiter) -> Registration {
        self.lock().insert(nonce, w);
        Registration {
            book: self.clone(),
            nonce,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Nonce, Waiter>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a solve of this process waits for `nonce`.
    pub(crate) fn waits_for(&self, nonce: &Nonce) -> bool {
        self.lock().contains_key(nonce)
    }

    /// Hands a push to the solve waiting for it in this process, once the solve's earlier
    /// push has been read, waiting at most `patience` for that.
    pub(crate) async fn deliver(
        &self,
        nonce: &Nonce,
        body: Vec<u8>,
        patience: Duration,
    ) -> Delivery {
        let Some(w) = self.lock().get(nonce).cloned() else {
            return Delivery::Unknown;
        };
        match tokio::time::timeout(patience, w.queue.clone().acquire_owned()).await {
            // The solve may have ended while this push waited (its registration gone): it
            // must not sit in the scheduler's early pushes for a solve that will never come.
            Ok(Ok(_)) if !self.waits_for(nonce) => Delivery::Unknown,
            Ok(Ok(place)) => w.hand(body, place),
            _ => Delivery::Busy,
        }
    }

    /// [`Book::deliver`] without waiting: a push that finds the solve's place taken is
    /// dropped (the fleet's channel, whose reader must not stall on one solve).
    #[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
    pub(crate) fn try_deliver(&self, nonce: &Nonce, body: &[u8]) -> Delivery {
        let Some(w) = self.lock().get(nonce).cloned() else {
            return Delivery::Unknown;
        };
        match w.queue.clone().try_acquire_owned() {
            Ok(place) => w.hand(body.to_vec(), place),
            Err(_) => Delivery::Busy,
        }
    }

    /// The nonces solves wait for.
    #[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
    pub(crate) fn nonces(&self) -> Vec<Nonce> {
        self.lock().keys().copied().collect()
    }
}

/// A solve's place in the [`Book`], given up when the solve ends.
pub(crate) struct Registration {
    book: std::sync::Arc<Book>,
    nonce: Nonce,
}

impl Registration {
    pub(crate) fn nonce(&self) -> &Nonce {
        &self.nonce
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.book.lock().remove(&self.nonce);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scheduler::{Cmd, SchedulerHandle};

    /// However many pushes arrive for one token, one body at a time waits in the scheduler's
    /// queue; the next is taken once that one is read, or refused after its patience.
    #[tokio::test]
    async fn a_solve_s_pushes_are_queued_one_at_a_time() {
        let (handle, mut rx) = SchedulerHandle::detached();
        let book = Arc::new(Book::default());
        let (nonce, _) = book.mint();
        let _waiting = book.wait(nonce, Waiter::new(handle, 7));
        let deliver = |body: &'static [u8], patience: u64| {
            let book = book.clone();
            async move {
                book.deliver(&nonce, body.to_vec(), Duration::from_millis(patience))
                    .await
            }
        };
        assert_eq!(deliver(b"a", 0).await, Delivery::Taken);
        assert_eq!(deliver(b"b", 10).await, Delivery::Busy);
        assert_eq!(book.try_deliver(&nonce, b"c"), Delivery::Busy);
        let Some(Cmd::Pushed(7, body, place)) = rx.recv().await else {
            panic!("the first push is queued");
        };
        assert_eq!(body, b"a");
        assert!(rx.try_recv().is_err(), "one body in the queue");
        // A push waiting at the receiver is taken as soon as the one before is read.
        let waiting = tokio::spawn(deliver(b"d", 3_600_000));
        tokio::task::yield_now().await;
        drop(place);
        assert_eq!(waiting.await.unwrap(), Delivery::Taken);
        let Some(Cmd::Pushed(7, body, _)) = rx.recv().await else {
            panic!("the waiting push is queued");
        };
        assert_eq!(body, b"d");
        // A token no solve waits for.
        let (other, _) = book.mint();
        assert_eq!(book.try_deliver(&other, b"e"), Delivery::Unknown);
        assert!(!book.waits_for(&other) && book.waits_for(&nonce));
    }

    #[test]
    fn tokens_verify_only_under_their_account_s_secret() {
        let a = Book::default();
        let b = Book::default();
        let (nonce, token) = a.mint();
        assert_eq!(token.len(), TOKEN_LEN);
        let (n, tag) = parse_token(token.as_bytes()).unwrap();
        assert_eq!(n, nonce);
        assert!(a.verifies(&n, &tag));
        assert!(!b.verifies(&n, &tag), "another account's secret");
        let mut forged = tag;
        forged[0] ^= 1;
        assert!(!a.verifies(&n, &forged));
        for bad in ["", "zz", &token[1..], &token.to_uppercase()] {
            assert!(parse_token(bad.as_bytes()).is_none(), "{bad}");
        }
        // A fleet's members derive one secret from the key and the service.
        let (c, d) = (Book::default(), Book::default());
        let key = Secret::new("0123456789abcdef0123456789abcdef");
        c.share_secret("https://2captcha.com/", &key);
        d.share_secret("https://2captcha.com/", &key);
        let (n, t) = c.mint();
        let (n, tag) = parse_token(t.as_bytes()).map(|(_, tag)| (n, tag)).unwrap();
        assert!(d.verifies(&n, &tag));
        let e = Book::default();
        e.share_secret("https://rucaptcha.com/", &key);
        assert!(!e.verifies(&n, &tag));
        assert_eq!(nonce_of(nonce_hex(&n).as_bytes()), Some(n));
    }

    #[test]
    fn options_are_checked() {
        let s = |l: Option<&str>, u: Option<&str>, shared| {
            CallbackSpec::new(l.map(Into::into), u.map(Into::into), shared)
        };
        assert_eq!(s(None, None, false).unwrap(), None);
        let spec = s(
            Some("127.0.0.1:0"),
            Some("https://cb.example.com/capbridge"),
            false,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            spec.url.as_deref(),
            Some("https://cb.example.com/capbridge/")
        );
        assert!(s(Some("127.0.0.1:8088"), None, false).unwrap().is_some());
        for (l, u, shared, option) in [
            (Some("0.0.0.0:8088"), None, false, "callback_url"),
            (Some("[::]:8088"), None, true, "callback_url"),
            (Some("nope"), None, false, "callback_listen"),
            (Some("127.0.0.1"), None, false, "callback_listen"),
            (None, Some("https://cb.example.com/"), false, "callback_url"),
            (None, Some("ftp://cb.example.com/"), true, "callback_url"),
            (
                None,
                Some("https://cb.example.com/?a=1"),
                true,
                "callback_url",
            ),
            (
                None,
                Some("https://u:p@cb.example.com/"),
                true,
                "callback_url",
            ),
        ] {
            let e = s(l, u, shared).unwrap_err();
            assert_eq!(e.option(), Some(option), "{e}");
        }
        assert!(
            s(None, Some("https://cb.example.com/"), true)
                .unwrap()
                .is_some()
        );
    }
}
