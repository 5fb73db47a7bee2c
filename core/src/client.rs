//! The async client.
//!
//! ```no_run
//! # async fn demo() -> capbridge::Result<()> {
//! use capbridge::{Client, RecaptchaV2};
//! let client = Client::builder("2captcha", "YOUR_32_CHARACTER_API_KEY_HERE_0").build()?;
//! let solution = client
//!     .solve(RecaptchaV2::new("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-"))
//!     .await?;
//! println!("{}", solution.answer);
//! # Ok(()) }
//! ```
//!
//! A client is cheap to clone and safe to share between tasks and threads. Its work (HTTP,
//! timers, the polling scheduler) runs on the tokio runtime it was built in, or on capbridge's
//! shared runtime when built outside one, so its futures can be awaited from any executor.
//! Dropping a future returned by a client stops that operation at once.
//!
//! Several providers in failover order: `Client::builder("capsolver", key1).fallback("2captcha",
//! key2)`; see [`crate::FailoverPolicy`].

use crate::engine::account::account_for;
use crate::engine::callback::{CallbackSpec, Route};
use crate::engine::retry::RetryPolicy;
use crate::engine::shared::SharedSpec;
use crate::engine::{Backend, BackendParts, Engine, FailoverPolicy, SolveOptions, check_duration};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Event, EventHandler};
use crate::money::Money;
use crate::provider::waits::WaitTable;
use crate::provider::{
    Limits, MAX_POLL_WAIT, MAX_REQUEST_TIMEOUT, MAX_TIMEOUT, Protocol, Provider, Waits,
};
use crate::secret::Secret;
use crate::solution::Solution;
use crate::task::{Task, TaskKind};
use crate::transport::Transport;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

/// Something that names a provider: a [`Provider`], a preset name (`"2captcha"`) or a base URL.
pub trait IntoProvider {
    /// The provider, or a `usage` error for an unknown name.
    fn into_provider(self) -> Result<Provider>;
}

impl IntoProvider for Provider {
    fn into_provider(self) -> Result<Provider> {
        Ok(self)
    }
}
impl IntoProvider for &Provider {
    fn into_provider(self) -> Result<Provider> {
        Ok(self.clone())
    }
}
impl IntoProvider for &str {
    fn into_provider(self) -> Result<Provider> {
        Provider::from_name_or_url(self)
    }
}
impl IntoProvider for String {
    fn into_provider(self) -> Result<Provider> {
        Provider::from_name_or_url(&self)
    }
}
impl IntoProvider for &String {
    fn into_provider(self) -> Result<Provider> {
        Provider::from_name_or_url(self)
    }
}

/// Where [`ClientBuilder::shared_limits`] keeps a key's limits: one Redis server (a URL;
/// URLs separated by commas are a cluster's nodes) or the nodes of a Redis Cluster (a list of
/// URLs, even of one).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedisNodes {
    /// One server, or a primary (its URL); a string of URLs separated by commas names a
    /// cluster's nodes.
    Server(String),
    /// Nodes of a Redis Cluster.
    Cluster(Vec<String>),
}

impl From<&str> for RedisNodes {
    fn from(url: &str) -> Self {
        RedisNodes::Server(url.to_owned())
    }
}
impl From<String> for RedisNodes {
    fn from(url: String) -> Self {
        RedisNodes::Server(url)
    }
}
impl From<&String> for RedisNodes {
    fn from(url: &String) -> Self {
        RedisNodes::Server(url.clone())
    }
}
impl<S: AsRef<str>> From<Vec<S>> for RedisNodes {
    fn from(nodes: Vec<S>) -> Self {
        RedisNodes::Cluster(nodes.iter().map(|n| n.as_ref().to_owned()).collect())
    }
}
impl<S: AsRef<str>> From<&[S]> for RedisNodes {
    fn from(nodes: &[S]) -> Self {
        RedisNodes::Cluster(nodes.iter().map(|n| n.as_ref().to_owned()).collect())
    }
}
impl<S: AsRef<str>, const N: usize> From<[S; N]> for RedisNodes {
    fn from(nodes: [S; N]) -> Self {
        RedisNodes::Cluster(nodes.iter().map(|n| n.as_ref().to_owned()).collect())
    }
}

/// Timeout of each HTTP request unless [`ClientBuilder::request_timeout`] says otherwise.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Requests in flight at once unless [`ClientBuilder::max_concurrent_requests`] says otherwise.
pub(crate) const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 64;

/// Options of a client. Timing options left unset take the provider's documented waits per
/// task kind.
pub struct ClientBuilder {
    providers: Vec<(Result<Provider>, String)>,
    base_url: Option<String>,
    batch_polling: Option<bool>,
    timeout: Option<Duration>,
    initial_delay: Option<Duration>,
    poll_interval: Option<Duration>,
    per_kind: Vec<(TaskKind, Waits)>,
    request_timeout: Duration,
    max_concurrent_requests: usize,
    retry: RetryPolicy,
    soft_id: Option<String>,
    limits: Option<Limits>,
    failover: FailoverPolicy,
    shared_limits: Option<RedisNodes>,
    adaptive_waits: bool,
    callback_listen: Option<String>,
    callback_url: Option<String>,
    on_event: Option<EventHandler>,
    runtime: Option<tokio::runtime::Handle>,
}

/// A copy of the options, for making several clients that differ in one option.
impl Clone for ClientBuilder {
    fn clone(&self) -> Self {
        ClientBuilder {
            providers: self
                .providers
                .iter()
                .map(|(p, key)| {
                    let p = match p {
                        Ok(p) => Ok(p.clone()),
                        Err(e) => Err(e.clone_shallow()),
                    };
                    (p, key.clone())
                })
                .collect(),
            base_url: self.base_url.clone(),
            batch_polling: self.batch_polling,
            timeout: self.timeout,
            initial_delay: self.initial_delay,
            poll_interval: self.poll_interval,
            per_kind: self.per_kind.clone(),
            request_timeout: self.request_timeout,
            max_concurrent_requests: self.max_concurrent_requests,
            retry: self.retry,
            soft_id: self.soft_id.clone(),
            limits: self.limits.clone(),
            failover: self.failover,
            shared_limits: self.shared_limits.clone(),
            adaptive_waits: self.adaptive_waits,
            callback_listen: self.callback_listen.clone(),
            callback_url: self.callback_url.clone(),
            on_event: self.on_event.clone(),
            runtime: self.runtime.clone(),
        }
    }
}

/// The options, with every API key masked (`***`), the passwords of the URLs given (a Redis
/// URL's, a base URL's) masked by the core's redaction, and the event handler shown only as set.
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Entry<'a>(&'a Result<Provider>);
        impl fmt::Debug for Entry<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.0 {
                    Ok(p) => f.write_str(p.name()),
                    Err(e) => write!(f, "<{}>", e.message()),
                }
            }
        }
        struct Fields<'a>(&'a ClientBuilder);
        impl fmt::Debug for Fields<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let b = self.0;
                let providers: Vec<(Entry<'_>, &str)> =
                    b.providers.iter().map(|(p, _)| (Entry(p), "***")).collect();
                f.debug_struct("ClientBuilder")
                    .field("providers", &providers)
                    .field("base_url", &b.base_url)
                    .field("batch_polling", &b.batch_polling)
                    .field("timeout", &b.timeout)
                    .field("initial_delay", &b.initial_delay)
                    .field("poll_interval", &b.poll_interval)
                    .field("waits", &b.per_kind)
                    .field("request_timeout", &b.request_timeout)
                    .field("max_concurrent_requests", &b.max_concurrent_requests)
                    .field("retry", &b.retry)
                    .field("soft_id", &b.soft_id)
                    .field("limits", &b.limits)
                    .field("failover", &b.failover)
                    .field("shared_limits", &b.shared_limits)
                    .field("adaptive_waits", &b.adaptive_waits)
                    .field("callback_listen", &b.callback_listen)
                    .field("callback_url", &b.callback_url)
                    .field("on_event", &b.on_event.as_ref().map(|_| "set"))
                    .field("runtime", &b.runtime.as_ref().map(|_| "set"))
                    .finish()
            }
        }
        let mut secrets: Vec<String> = self.providers.iter().map(|(_, k)| k.clone()).collect();
        let urls = match &self.shared_limits {
            Some(RedisNodes::Server(u)) => vec![u.as_str()],
            Some(RedisNodes::Cluster(us)) => us.iter().map(String::as_str).collect(),
            None => Vec::new(),
        };
        for url in urls
            .into_iter()
            .chain(self.base_url.as_deref())
            .chain(self.callback_url.as_deref())
        {
            secrets.extend(crate::secret::url_passwords(url));
        }
        let text = if f.alternate() {
            format!("{:#?}", Fields(self))
        } else {
            format!("{:?}", Fields(self))
        };
        let redactor = crate::secret::Redactor::new(secrets.iter().map(String::as_str));
        f.write_str(&redactor.text(&text))
    }
}

impl ClientBuilder {
    pub(crate) fn new(provider: impl IntoProvider, api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            providers: vec![(provider.into_provider(), api_key.into())],
            base_url: None,
            batch_polling: None,
            timeout: None,
            initial_delay: None,
            poll_interval: None,
            per_kind: Vec::new(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            retry: RetryPolicy::default(),
            soft_id: None,
            limits: None,
            failover: FailoverPolicy::default(),
            shared_limits: None,
            adaptive_waits: true,
            callback_listen: None,
            callback_url: None,
            on_event: None,
            runtime: None,
        }
    }

    /// Sends the first provider's requests to another base URL, keeping its behaviour (tests,
    /// proxies, on-premise mirrors).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Adds a provider to move a solve to when the ones before it fail (see
    /// [`FailoverPolicy`]). Each provider keeps its own key and limits.
    pub fn fallback(mut self, provider: impl IntoProvider, api_key: impl Into<String>) -> Self {
        self.providers
            .push((provider.into_provider(), api_key.into()));
        self
    }

    /// When a solve moves to the next provider.
    pub fn failover(mut self, policy: FailoverPolicy) -> Self {
        self.failover = policy;
        self
    }

    /// Overall deadline of every solve (all kinds; at most 7 days).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Wait before the first poll (all kinds; at most 1 day).
    pub fn initial_delay(mut self, d: Duration) -> Self {
        self.initial_delay = Some(d);
        self
    }

    /// Wait between polls (all kinds; 1 ms to 1 day).
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.poll_interval = Some(d);
        self
    }

    /// All waits of one kind (the all-kinds options above still apply on top).
    pub fn waits(mut self, kind: TaskKind, waits: Waits) -> Self {
        self.per_kind.push((kind, waits));
        self
    }

    /// Timeout of each HTTP request (default 30 s; 1 ms to 1 hour).
    pub fn request_timeout(mut self, d: Duration) -> Self {
        self.request_timeout = d;
        self
    }

    /// Most HTTP requests of this client in flight at once (default 64): with many solves in
    /// flight, the rest wait for a free slot instead of opening a socket each.
    pub fn max_concurrent_requests(mut self, n: usize) -> Self {
        self.max_concurrent_requests = n;
        self
    }

    /// Retry and backoff settings.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Turns batch polls on or off (the provider's capability by default; form protocol only).
    pub fn batch_polling(mut self, on: bool) -> Self {
        self.batch_polling = Some(on);
        self
    }

    /// The integrating software's id (`soft_id`, `softId` or `appId` on the wire).
    pub fn soft_id(mut self, id: impl Into<String>) -> Self {
        self.soft_id = Some(id.into());
        self
    }

    /// Declares the request limits of the first provider, which must be custom (a base URL).
    /// Presets refuse: their limits are what keeps the account from being blocked.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// Keeps the key's limits in Redis (`redis://[user:password@]host:port/db`), shared by
    /// every process and machine using the key, instead of in this process alone: the submit
    /// spacing and window, the poll budget, the pauses and the blocks (every provider of the
    /// client, each for its own key). Needs the `shared-limits` cargo feature; without it,
    /// [`ClientBuilder::build`] refuses with a `usage` error.
    ///
    /// A Redis Cluster is given by its nodes' URLs, as a list (`["redis://h1:7000/",
    /// "redis://h2:7001/"]`) or one string separated by commas; any node that answers tells
    /// the client the others. One key's Redis keys share a hash tag, so they live in one
    /// slot, and a failover of that slot's primary is followed to its replica.
    ///
    /// Redis is never in the way of a solve: every call has a short timeout, and while Redis
    /// does not answer, each process keeps the limits alone, as without this option (a fleet
    /// of N processes may then submit up to N times the key's rate), logs a warning, and goes
    /// back to the shared limits as soon as Redis answers again.
    pub fn shared_limits(mut self, redis: impl Into<RedisNodes>) -> Self {
        self.shared_limits = Some(redis.into());
        self
    }

    /// Learns each kind's first wait from the solves seen (on by default): a task's first
    /// poll comes when most tasks of its kind have been ready, never sooner than the
    /// provider's documented minimum; later polls keep the documented interval. Until enough
    /// solves were seen (and with this off) the documented first waits apply. A first wait
    /// given by the user ([`ClientBuilder::initial_delay`], [`ClientBuilder::waits`], per
    /// solve) wins. With [`ClientBuilder::shared_limits`] the fleet learns together. Every
    /// `polled` event says which wait the solve used.
    pub fn adaptive_waits(mut self, on: bool) -> Self {
        self.adaptive_waits = on;
        self
    }

    /// Runs a receiver for answers the service pushes (the form family's `pingback`, the json
    /// family's `callbackUrl`) on this address (`"0.0.0.0:8088"`; port 0 picks a free one):
    /// every task is then sent with a secret URL of its own, and is not polled until a third
    /// of its deadline has passed (a safety net: polls go on from then, and a push still ends
    /// the solve). An answer pushed is read like a polled one and told by the same `polled`
    /// event, with `pushed` set. The receiver accepts only tokens it issued, reads bodies up to
    /// 64 KB and logs nothing of them. Clients of a process that listen on one address share
    /// one receiver.
    pub fn callback_listen(mut self, address: impl Into<String>) -> Self {
        self.callback_listen = Some(address.into());
        self
    }

    /// The public URL the service calls to push answers (a proxy may forward it to
    /// [`ClientBuilder::callback_listen`]'s address; each task's token is appended to its
    /// path). Needed when the receiver listens on every interface (`0.0.0.0`). With
    /// [`ClientBuilder::shared_limits`], a member of a fleet may send the URL of another
    /// member's receiver without listening itself: that receiver passes its answers on
    /// through Redis.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// Receives every solve's events.
    pub fn on_event(mut self, f: impl Fn(&Event) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(f));
        self
    }

    /// Receives every solve's events (an already shared callback).
    pub fn on_event_handler(mut self, f: EventHandler) -> Self {
        self.on_event = Some(f);
        self
    }

    /// Runs the client's work on this runtime (default: the current one, else capbridge's).
    pub fn runtime(mut self, handle: tokio::runtime::Handle) -> Self {
        self.runtime = Some(handle);
        self
    }

    /// Fails with the error [`build`](Self::build) would, without building: nothing is
    /// started, bound or connected (a Redis URL is read, not dialled; a receiver's address
    /// is read, not bound, so an address already taken is found by `build` alone). For a caller that takes options early and builds later (a
    /// compatibility layer's constructor), so that a wrong option is named where it was given.
    pub fn validate(&self) -> Result<()> {
        self.checked().map(|_| ())
    }

    /// Everything `build` checks, and what it makes of the options on the way.
    fn checked(&self) -> Result<Checked> {
        self.check()?;
        let shared = match &self.shared_limits {
            Some(RedisNodes::Server(url)) => Some(SharedSpec::parse(url)?),
            Some(RedisNodes::Cluster(urls)) => Some(SharedSpec::cluster(urls)?),
            None => None,
        };
        let callback = CallbackSpec::new(
            self.callback_listen.clone(),
            self.callback_url.clone(),
            shared.is_some(),
        )?;
        let mut backends = Vec::with_capacity(self.providers.len());
        for (i, (provider, key)) in self.providers.iter().enumerate() {
            let provider = self.configure(
                provider.as_ref().map_err(Error::clone_shallow)?.clone(),
                i == 0,
            )?;
            // With several providers, which one's key is wrong.
            check_key(key).map_err(|e| match self.providers.len() {
                1 => e,
                _ => e.context(provider.name()),
            })?;
            let waits = self.wait_table(&provider);
            backends.push((provider, Secret::new(key.clone()), waits));
        }
        Ok(Checked {
            shared,
            callback,
            backends,
        })
    }

    fn check(&self) -> Result<()> {
        /// As the options table bounds it (a semaphore of more permits would panic).
        const MAX_CONCURRENT: usize = u32::MAX as usize;
        let ms = Duration::from_millis(1);
        check_duration("timeout", self.timeout, ms, MAX_TIMEOUT)?;
        check_duration(
            "initial_delay",
            self.initial_delay,
            Duration::ZERO,
            MAX_POLL_WAIT,
        )?;
        check_duration("poll_interval", self.poll_interval, ms, MAX_POLL_WAIT)?;
        check_duration(
            "request_timeout",
            Some(self.request_timeout),
            ms,
            MAX_REQUEST_TIMEOUT,
        )?;
        for (_, w) in &self.per_kind {
            check_duration("timeout", Some(w.timeout), ms, MAX_TIMEOUT)?;
            check_duration(
                "initial_delay",
                Some(w.initial_delay),
                Duration::ZERO,
                MAX_POLL_WAIT,
            )?;
            check_duration("poll_interval", Some(w.poll_interval), ms, MAX_POLL_WAIT)?;
        }
        if self.max_concurrent_requests == 0 || self.max_concurrent_requests > MAX_CONCURRENT {
            return Err(
                Error::usage(format!("must be between 1 and {MAX_CONCURRENT}"))
                    .with_option("max_concurrent_requests"),
            );
        }
        // The policies' waits, within the options table's bounds: backoff arithmetic on a
        // `Duration::MAX` would overflow in the middle of a solve.
        let longest = crate::provider::waits::LONGEST;
        for (name, d) in [
            ("retry.base_delay", self.retry.base_delay),
            ("retry.max_delay", self.retry.max_delay),
            ("failover.busy_for", self.failover.busy_for),
        ] {
            check_duration(name, Some(d), Duration::ZERO, longest)?;
        }
        Ok(())
    }

    /// The provider as configured for this client (the first one gets `base_url`).
    fn configure(&self, provider: Provider, first: bool) -> Result<Provider> {
        let mut p = provider;
        if first && let Some(url) = &self.base_url {
            p = p
                .with_base_url(url)
                .map_err(|e| e.with_option("base_url"))?;
        }
        if let Some(on) = self.batch_polling {
            if first && on && p.protocol() == Protocol::Json {
                return Err(Error::usage(format!(
                    "{} speaks the json protocol, which has no batch polls",
                    p.name()
                ))
                .with_option("batch_polling"));
            }
            p = p.with_batch_polling(on);
        }
        if let Some(id) = &self.soft_id {
            p = p.with_soft_id(id.clone());
        }
        if first && let Some(l) = &self.limits {
            p = p
                .with_limits(l.clone())
                .map_err(|e| e.with_option("limits"))?;
        }
        Ok(p)
    }

    fn wait_table(&self, provider: &Provider) -> WaitTable {
        let mut table = provider.wait_table().clone();
        for (kind, w) in &self.per_kind {
            table.set(*kind, *w);
        }
        table.update_all(|w| {
            if let Some(d) = self.timeout {
                w.timeout = d;
            }
            if let Some(d) = self.initial_delay {
                w.initial_delay = d;
            }
            if let Some(d) = self.poll_interval {
                w.poll_interval = d;
            }
        });
        table
    }

    /// Checks the options and starts the client's schedulers.
    pub fn build(self) -> Result<Client> {
        let Checked {
            shared,
            callback,
            backends,
        } = self.checked()?;
        let runtime = match &self.runtime {
            Some(h) => h.clone(),
            None => crate::runtime::current_or_shared()?,
        };
        let mut user_first = 0u64;
        if self.initial_delay.is_some() {
            user_first = u64::MAX;
        }
        for (kind, _) in &self.per_kind {
            user_first |= 1 << kind.index();
        }
        let recipe = Recipe {
            backends,
            adaptive: self.adaptive_waits,
            user_first,
            callback,
            request_timeout: self.request_timeout,
            max_concurrent_requests: self.max_concurrent_requests,
            retry: self.retry,
            failover: self.failover,
            on_event: self.on_event,
            shared,
        };
        let engine = recipe.start(runtime, true)?;
        Ok(Client {
            inner: Arc::new(Inner {
                recipe,
                engine: Mutex::new(Arc::new(engine)),
            }),
        })
    }
}

/// What [`ClientBuilder::checked`] makes of the options.
struct Checked {
    shared: Option<Arc<SharedSpec>>,
    callback: Option<CallbackSpec>,
    backends: Vec<(Provider, Secret, WaitTable)>,
}

/// Everything needed to start a client's engine: kept so that a client used in a process
/// forked after it was made (gunicorn workers, `multiprocessing`, Celery) starts a fresh
/// engine there, on a fresh runtime, with fresh connections, instead of using the parent's
/// (whose threads do not exist in the child, and whose sockets the parent still uses).
struct Recipe {
    backends: Vec<(Provider, Secret, WaitTable)>,
    request_timeout: Duration,
    max_concurrent_requests: usize,
    retry: RetryPolicy,
    failover: FailoverPolicy,
    on_event: Option<EventHandler>,
    /// Where the keys' limits are kept with the fleet (`shared_limits`).
    shared: Option<Arc<SharedSpec>>,
    /// Whether first waits are learned, and the kinds whose first wait the user gave.
    adaptive: bool,
    user_first: u64,
    /// Where answers are pushed (`callback_listen`, `callback_url`).
    callback: Option<CallbackSpec>,
}

/// How long connecting may take: 10 s, or half the client's request timeout when that is
/// shorter (never under 1 s). A connection not made in time carried no request, so the solve
/// may move on; the connect timeout must fire before the request's own timeout (which would
/// leave it unknown whether the service read the request). Each request's timeout (the
/// client's, or a solve's `request_timeout`) still bounds the whole exchange.
fn connect_timeout(request_timeout: Duration) -> Duration {
    (request_timeout / 2)
        .max(Duration::from_secs(1))
        .min(Duration::from_secs(10))
}

impl Recipe {
    /// Starts the engine; `first`: in the process the client was made in (a forked child
    /// that cannot listen where its parent does goes on without a receiver: its solves
    /// are polled after their safety net, or get their answers through the fleet).
    fn start(&self, runtime: tokio::runtime::Handle, first: bool) -> Result<Engine> {
        let route = match &self.callback {
            Some(spec) => match Route::start(spec) {
                Ok(r) => Some(Arc::new(r)),
                Err(e) if !first => {
                    tracing::warn!(target: "capbridge", "callback receiver: {e}; this process polls instead");
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        let mut backends = Vec::with_capacity(self.backends.len());
        for (provider, key, waits) in &self.backends {
            let transport = Transport::new(
                provider.base_url(),
                connect_timeout(self.request_timeout),
                self.max_concurrent_requests,
            )?;
            let account = account_for(provider, key, self.shared.as_ref())?;
            if let Some(h) = &self.on_event {
                account.listen(provider.name(), h);
            }
            if let Some(r) = &route {
                if let Some(receiver) = &r.receiver {
                    receiver.serve(&account);
                }
                if let Some(link) = account.link() {
                    link.subscribe_pushes(Arc::downgrade(&account.pushes));
                }
            }
            let parts = BackendParts {
                account,
                codec: crate::codec::for_provider(provider),
                waits: waits.clone(),
                provider: provider.clone(),
                key: key.clone(),
                request_timeout: self.request_timeout,
                retry: self.retry,
                transport,
                on_event: self.on_event.clone(),
                adaptive: self.adaptive,
                user_first: self.user_first,
                callback: route.clone(),
            };
            backends.push(Backend::start(parts, &runtime));
        }
        // Gathered in a list rather than a chain of iterators: the release build of a chain
        // (keys, then an optional password) branched on a stack slot valgrind saw as never
        // written, which failed the C suite's memcheck run although the code is safe Rust.
        let keys: Vec<&str> = backends.iter().map(|b| b.parts.key.expose()).collect();
        let keys = Arc::new(crate::secret::Redactor::new(keys));
        Ok(Engine {
            backends,
            keys,
            failover: self.failover,
            memory: Default::default(),
            runtime,
            pid: std::process::id(),
        })
    }
}

struct Inner {
    recipe: Recipe,
    engine: Mutex<Arc<Engine>>,
}

impl Inner {
    /// See [`Client::engine`]. This is where an engine is matched to the process it runs in:
    /// every operation asks here, at its first poll, so an engine never runs in another process.
    fn engine(&self) -> Result<Arc<Engine>> {
        let mut e = self.engine.lock().unwrap_or_else(|p| p.into_inner());
        if e.pid != std::process::id() {
            let runtime = crate::runtime::shared()?.handle().clone();
            *e = Arc::new(self.recipe.start(runtime, false)?);
        }
        Ok(e.clone())
    }
}

fn check_key(key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(Error::usage("the API key is empty").with_option("api_key"));
    }
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(
            Error::usage("the API key contains whitespace or control characters")
                .with_option("api_key"),
        );
    }
    Ok(())
}

/// The async client. See the [module documentation](self).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Client");
        for (p, key, _) in &self.inner.recipe.backends {
            let url = p.base_url();
            let passwords = crate::secret::url_passwords(url);
            let url = crate::secret::Redactor::new(passwords.iter().map(String::as_str)).text(url);
            d.field("provider", &p.name())
                .field("base_url", &url)
                .field("api_key", key);
        }
        d.finish()
    }
}

/// Aborts a spawned operation when the caller drops its future.
struct Spawned<T>(tokio::task::JoinHandle<Result<T>>);

impl<T> Future for Spawned<T> {
    type Output = Result<T>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        Pin::new(&mut self.0).poll(cx).map(|r| match r {
            Ok(r) => r,
            Err(e) if e.is_cancelled() => Err(Error::new(
                ErrorKind::Cancelled,
                "the operation was cancelled",
            )),
            Err(_) => Err(panicked()),
        })
    }
}

/// The error of an operation that panicked (a bug).
fn panicked() -> Error {
    Error::new(
        ErrorKind::Service,
        "a capbridge task failed unexpectedly (this is a bug)",
    )
}

impl<T> Drop for Spawned<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Client {
    /// Starts building a client for a provider (a [`Provider`], a preset name such as
    /// `"2captcha"`, or a base URL) and an API key.
    pub fn builder(provider: impl IntoProvider, api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(provider, api_key)
    }

    /// A client with default options.
    pub fn new(provider: impl IntoProvider, api_key: impl Into<String>) -> Result<Client> {
        ClientBuilder::new(provider, api_key).build()
    }

    /// The engine of this process: in a process forked after the client was made, a fresh
    /// one (on capbridge's shared runtime, which is fresh there too).
    fn engine(&self) -> Result<Arc<Engine>> {
        self.inner.engine()
    }

    /// Runs `op(engine)` on the client's runtime when the returned future is first polled;
    /// the operation stops when that future is dropped.
    ///
    /// Polled on that runtime already (the usual case: a solve awaited or spawned in the
    /// runtime the client was built in), the operation runs in the caller's own task: a second
    /// task per solve would cost its memory for the whole solve, and a spawn and a join of CPU.
    /// Polled anywhere else (another runtime, another executor), it runs in a task of its own
    /// on the client's runtime. Either way a panic in it fails the call, as a `service` error.
    fn run<T, F, Op>(&self, op: Op) -> impl Future<Output = Result<T>> + Send + 'static
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
        Op: FnOnce(Arc<Engine>) -> F + Send + 'static,
    {
        let inner = self.inner.clone();
        async move {
            // At the first poll, not when the future is made: a future made before a fork and
            // polled after it gets the child's engine.
            let engine = inner.engine()?;
            // A runtime that shut down runs nothing: say so rather than "cancelled".
            if !engine.alive() {
                return Err(crate::engine::stopped_error());
            }
            let here =
                tokio::runtime::Handle::try_current().is_ok_and(|h| h.id() == engine.runtime.id());
            if !here {
                return Spawned(engine.runtime.clone().spawn(op(engine))).await;
            }
            let mut fut = std::pin::pin!(op(engine));
            std::future::poll_fn(|cx| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fut.as_mut().poll(cx)))
                    .unwrap_or_else(|_| Poll::Ready(Err(panicked())))
            })
            .await
        }
    }

    /// Solves a task: validates it, submits it, polls until the answer, a failure, or the
    /// deadline. Errors after the submit carry the task id.
    pub fn solve(
        &self,
        task: impl Into<Task>,
    ) -> impl Future<Output = Result<Solution>> + Send + 'static {
        self.solve_with(task, SolveOptions::default())
    }

    /// [`Client::solve`] with per-solve options.
    pub fn solve_with(
        &self,
        task: impl Into<Task>,
        opts: SolveOptions,
    ) -> impl Future<Output = Result<Solution>> + Send + 'static {
        // Boxed: a solve holds its task only until the service has it.
        let task = Box::new(task.into());
        self.run(move |e| e.solve(task, opts))
    }

    /// Submits a task and returns its id, without polling.
    pub fn submit(
        &self,
        task: impl Into<Task>,
    ) -> impl Future<Output = Result<String>> + Send + 'static {
        self.submit_with(task, SolveOptions::default())
    }

    /// [`Client::submit`] with per-call options (deadline, cancel token, events).
    pub fn submit_with(
        &self,
        task: impl Into<Task>,
        opts: SolveOptions,
    ) -> impl Future<Output = Result<String>> + Send + 'static {
        let task = Box::new(task.into());
        self.run(move |e| e.submit(task, opts))
    }

    /// Asks once for a task's answer: `None` while it is not ready.
    pub fn result(
        &self,
        task_id: impl Into<String>,
    ) -> impl Future<Output = Result<Option<Solution>>> + Send + 'static {
        let id = task_id.into();
        self.run(move |e| e.result(id))
    }

    /// Waits for the answer of a task submitted earlier (by [`Client::submit`], a solve that
    /// timed out, another process), polling through the engine's limits and batches until
    /// the answer, a failure, or the deadline (`opts.timeout`, else the kind's default).
    pub fn wait(
        &self,
        task_id: impl Into<String>,
        opts: SolveOptions,
    ) -> impl Future<Output = Result<Solution>> + Send + 'static {
        let id = task_id.into();
        self.run(move |e| e.wait(id, opts))
    }

    /// The account balance at the first provider, exactly as the service wrote it (with
    /// failover, each fallback's balance is asked of a client of its own).
    pub fn balance(&self) -> impl Future<Output = Result<Money>> + Send + 'static {
        self.run(|e| e.balance())
    }

    /// Reports an answer as accepted by the site (`good = true`) or refused (`false`).
    pub fn report(
        &self,
        task_id: impl Into<String>,
        good: bool,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let id = task_id.into();
        self.run(move |e| e.report(id, good))
    }

    /// The (first) provider.
    pub fn provider(&self) -> &Provider {
        match self.inner.recipe.backends.first() {
            Some((p, _, _)) => p,
            None => unreachable_provider(),
        }
    }

    /// Every provider, in failover order.
    pub fn providers(&self) -> Vec<&Provider> {
        self.inner
            .recipe
            .backends
            .iter()
            .map(|(p, _, _)| p)
            .collect()
    }

    /// The waits a solve of `kind` uses at the first provider without per-solve options.
    pub fn waits(&self, kind: TaskKind) -> Waits {
        match self.engine().ok().as_ref().and_then(|e| e.backends.first()) {
            Some(c) => c.waits_for(Some(kind), &SolveOptions::default()),
            None => Waits::default_for(kind),
        }
    }

    /// The limits kept for the first provider's key (the strictest of its clients).
    pub fn limits(&self) -> Limits {
        match self.engine().ok().as_ref().and_then(|e| e.backends.first()) {
            Some(c) => c.parts.account.limits(),
            None => self.provider().limits().clone(),
        }
    }

    /// The URL its tasks ask the service to push answers to (each task's token appended),
    /// with `callback_listen` or `callback_url`: the receiver's own address when no URL was
    /// given (port 0 resolved).
    pub fn callback_url(&self) -> Option<String> {
        let engine = self.engine().ok()?;
        let b = engine.backends.first()?;
        b.parts.callback.as_ref().map(|r| r.url.clone())
    }

    /// The runtime the client's work runs on in this process.
    pub(crate) fn runtime(&self) -> Result<tokio::runtime::Handle> {
        Ok(self.engine()?.runtime.clone())
    }
}

/// A client always has a provider (the builder starts with one); this is never reached.
fn unreachable_provider() -> &'static Provider {
    static P: std::sync::OnceLock<Provider> = std::sync::OnceLock::new();
    P.get_or_init(Provider::bigcaptcha)
}
