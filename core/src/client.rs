//! The async client.
//!
//! ```no_run
//! # async fn demo() -> capbridge::Result<()> {
//! use capbridge::{Client, RecaptchaV2};
//! let client = Client::builder("2captcha", "YOUR_32_CHARACTER_API_KEY_HERE_00").build()?;
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

use crate::codec::form::FormOptions;
use crate::engine::account::account_for;
use crate::engine::retry::RetryPolicy;
use crate::engine::scheduler::SchedulerHandle;
use crate::engine::waits::{WaitTable, Waits};
use crate::engine::{Core, Shared, SolveOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Event, EventHandler};
use crate::provider::Provider;
use crate::secret::Secret;
use crate::solution::Solution;
use crate::task::{Task, TaskKind};
use crate::transport::Transport;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
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

/// Options of a client. Every timing option has the seed's default per task kind.
pub struct ClientBuilder {
    provider: Result<Provider>,
    key: String,
    base_url: Option<String>,
    batch_poll: Option<bool>,
    waits: WaitTable,
    request_timeout: Duration,
    max_concurrent_requests: usize,
    retry: RetryPolicy,
    form: FormOptions,
    on_event: Option<EventHandler>,
    runtime: Option<tokio::runtime::Handle>,
}

impl ClientBuilder {
    pub(crate) fn new(provider: impl IntoProvider, api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            provider: provider.into_provider(),
            key: api_key.into(),
            base_url: None,
            batch_poll: None,
            waits: WaitTable::default(),
            request_timeout: Duration::from_secs(30),
            max_concurrent_requests: 64,
            retry: RetryPolicy::default(),
            form: FormOptions::default(),
            on_event: None,
            runtime: None,
        }
    }

    /// Sends requests to another base URL, keeping the provider's behaviour.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Overall deadline of every solve (all kinds).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.waits.update_all(|w| w.timeout = d);
        self
    }

    /// Wait before the first poll (all kinds).
    pub fn initial_delay(mut self, d: Duration) -> Self {
        self.waits.update_all(|w| w.initial_delay = d);
        self
    }

    /// Wait between polls (all kinds).
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.waits.update_all(|w| w.poll_interval = d);
        self
    }

    /// All waits of one kind.
    pub fn waits(mut self, kind: TaskKind, waits: Waits) -> Self {
        self.waits.set(kind, waits);
        self
    }

    /// Timeout of each HTTP request (default 30 s).
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

    /// Turns batch polls on or off (the provider's capability by default).
    pub fn batch_polling(mut self, on: bool) -> Self {
        self.batch_poll = Some(on);
        self
    }

    /// Asks for JSON replies (default on; some clones only speak plain text).
    pub fn json_replies(mut self, on: bool) -> Self {
        self.form.json = on;
        self
    }

    /// Sends `header_acao=1`.
    pub fn header_acao(mut self, on: bool) -> Self {
        self.form.header_acao = on;
        self
    }

    /// Sends `debug_dump=1` (the service prefixes replies with what it received).
    pub fn debug_dump(mut self, on: bool) -> Self {
        self.form.debug_dump = on;
        self
    }

    /// Sends the integrating software's id as `soft_id`.
    pub fn soft_id(mut self, id: u32) -> Self {
        self.form.soft_id = Some(id);
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

    /// Checks the options and starts the client's scheduler.
    pub fn build(self) -> Result<Client> {
        let mut provider = self.provider?;
        if let Some(url) = &self.base_url {
            provider = provider.with_base_url(url)?;
        }
        if let Some(on) = self.batch_poll {
            provider = provider.batch_poll(on);
        }
        if self.key.is_empty() {
            return Err(Error::usage("the API key is empty"));
        }
        if self
            .key
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Error::usage(
                "the API key contains whitespace or control characters",
            ));
        }
        if self.max_concurrent_requests == 0 {
            return Err(Error::usage("max_concurrent_requests must be at least 1"));
        }
        if self.request_timeout < Duration::from_millis(1) {
            return Err(Error::usage("request_timeout must be at least 1 ms"));
        }
        for kind in TaskKind::ALL {
            let w = self.waits.get(kind);
            if w.poll_interval < Duration::from_millis(1) {
                return Err(Error::usage("poll_interval must be at least 1 ms"));
            }
            if w.timeout.is_zero() {
                return Err(Error::usage("timeout must be more than 0"));
            }
        }
        let runtime = match self.runtime {
            Some(h) => h,
            None => crate::runtime::current_or_shared()?,
        };
        let key = Secret::new(self.key);
        let transport = Transport::new(
            &provider,
            self.request_timeout.min(Duration::from_secs(10)),
            self.max_concurrent_requests,
            vec![key.expose().to_owned()],
        )?;
        let shared = Arc::new(Shared {
            account: account_for(&provider, &key),
            provider,
            key,
            form: self.form,
            waits: self.waits,
            request_timeout: self.request_timeout,
            retry: self.retry,
            transport,
            on_event: self.on_event,
        });
        let scheduler = SchedulerHandle::start(shared.clone(), &runtime);
        Ok(Client {
            core: Arc::new(Core {
                shared,
                scheduler,
                runtime,
                pid: std::process::id(),
            }),
        })
    }
}

/// The async client. See the [module documentation](self).
#[derive(Clone)]
pub struct Client {
    core: Arc<Core>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("provider", &self.core.shared.provider.name())
            .field("base_url", &self.core.shared.provider.base_url())
            .field("api_key", &self.core.shared.key)
            .finish()
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
            Err(_) => Err(Error::new(
                ErrorKind::Service,
                "a capbridge task failed unexpectedly (this is a bug)",
            )),
        })
    }
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

    /// Runs `op(core)` on the client's runtime when the returned future is first polled; the
    /// operation stops when that future is dropped.
    fn run<T, F, Op>(&self, op: Op) -> impl Future<Output = Result<T>> + Send + 'static
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
        Op: FnOnce(Arc<Core>) -> F + Send + 'static,
    {
        let core = self.core.clone();
        async move { Spawned(core.runtime.clone().spawn(op(core))).await }
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
        let task = task.into();
        self.run(move |core| core.solve(task, opts))
    }

    /// Submits a task and returns its id, without polling.
    pub fn submit(
        &self,
        task: impl Into<Task>,
    ) -> impl Future<Output = Result<String>> + Send + 'static {
        let task = task.into();
        self.run(move |core| core.submit(task, SolveOptions::default()))
    }

    /// Asks once for a task's answer: `None` while it is not ready.
    pub fn result(
        &self,
        task_id: impl Into<String>,
    ) -> impl Future<Output = Result<Option<Solution>>> + Send + 'static {
        let id = task_id.into();
        self.run(move |core| core.result(id, false))
    }

    /// The account balance.
    pub fn balance(&self) -> impl Future<Output = Result<f64>> + Send + 'static {
        self.run(|core| core.balance())
    }

    /// Reports an answer as accepted by the site (`good = true`) or refused (`false`).
    pub fn report(
        &self,
        task_id: impl Into<String>,
        good: bool,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let id = task_id.into();
        self.run(move |core| core.report(id, good))
    }

    /// The provider.
    pub fn provider(&self) -> &Provider {
        &self.core.shared.provider
    }

    /// The waits a solve of `kind` uses without per-solve options.
    pub fn waits(&self, kind: TaskKind) -> Waits {
        self.core.shared.waits.get(kind)
    }

    pub(crate) fn runtime(&self) -> &tokio::runtime::Handle {
        &self.core.runtime
    }
}
