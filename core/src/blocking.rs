//! The blocking client: the same verbs, for code without an async runtime.
//!
//! It runs on capbridge's shared runtime and may be called from any number of threads at
//! once. Called from inside an async runtime it returns a `usage` error instead of blocking
//! that runtime's thread (use [`crate::Client`] there); that includes tokio's
//! `spawn_blocking` and `block_in_place`, whose threads tokio does not tell apart from its
//! workers: await the async client there. A solve is stopped by its deadline or by a
//! [`crate::CancelToken`] passed in [`SolveOptions`].

use crate::client::IntoProvider;
use crate::engine::SolveOptions;
use crate::engine::retry::RetryPolicy;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::money::Money;
use crate::provider::Provider;
use crate::provider::{Limits, Waits};
use crate::solution::Solution;
use crate::task::{Task, TaskKind};
use std::future::Future;
use std::time::Duration;

/// Options of a blocking client; the same as [`crate::ClientBuilder`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    inner: crate::ClientBuilder,
}

/// A blocking builder from an async one (such as [`crate::options::client_builder`] makes).
impl From<crate::ClientBuilder> for ClientBuilder {
    fn from(inner: crate::ClientBuilder) -> Self {
        ClientBuilder { inner }
    }
}

/// Forwards each option to the async builder. Every option of [`crate::ClientBuilder`] is
/// listed here (a test compares the two lists), except `runtime`: a blocking client always
/// runs on capbridge's shared runtime.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {$(
        #[doc = concat!("See [`crate::ClientBuilder::", stringify!($name), "`].")]
        pub fn $name(self, $($arg: $ty),*) -> Self {
            ClientBuilder { inner: self.inner.$name($($arg),*) }
        }
    )*};
}

impl ClientBuilder {
    forward!(
        base_url(url: impl Into<String>),
        fallback(provider: impl IntoProvider, api_key: impl Into<String>),
        failover(p: crate::FailoverPolicy),
        timeout(d: Duration),
        initial_delay(d: Duration),
        poll_interval(d: Duration),
        waits(kind: TaskKind, w: Waits),
        request_timeout(d: Duration),
        max_concurrent_requests(n: usize),
        retry(p: RetryPolicy),
        batch_polling(on: bool),
        soft_id(id: impl Into<String>),
        limits(l: Limits),
        shared_limits(redis: impl Into<crate::client::RedisNodes>),
        adaptive_waits(on: bool),
        callback_listen(address: impl Into<String>),
        callback_url(url: impl Into<String>),
        on_event(f: impl Fn(&Event) + Send + Sync + 'static),
        on_event_handler(f: crate::events::EventHandler),
    );

    /// Fails with the error [`build`](Self::build) would, without building (see
    /// [`crate::ClientBuilder::validate`]).
    pub fn validate(&self) -> Result<()> {
        self.inner.validate()
    }

    /// Builds the client on capbridge's shared runtime.
    pub fn build(self) -> Result<Client> {
        let rt = crate::runtime::shared()?;
        let inner = self.inner.runtime(rt.handle().clone()).build()?;
        Ok(Client { inner })
    }
}

/// The blocking client. Cheap to clone, safe to share between threads.
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
}

impl Client {
    /// Starts building a client; see [`crate::Client::builder`].
    pub fn builder(provider: impl IntoProvider, api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            inner: crate::Client::builder(provider, api_key),
        }
    }

    /// A client with default options.
    pub fn new(provider: impl IntoProvider, api_key: impl Into<String>) -> Result<Client> {
        Client::builder(provider, api_key).build()
    }

    /// Runs one call on the shared runtime's threads and waits for it. The call runs there,
    /// not on the calling thread, so that events and everything else the call does happen on
    /// capbridge's threads whether the caller blocks or awaits: a C caller that holds a lock
    /// around a blocking solve and takes it again in its event callback does not deadlock, and
    /// thread-local state of the caller is never touched from inside a callback. A panic
    /// inside the call is raised again here, for the caller's boundary to catch.
    fn run<T, F>(&self, call: impl FnOnce(crate::Client) -> F) -> Result<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
    {
        if tokio::runtime::Handle::try_current().is_ok() {
            // capbridge's own threads run the callbacks of every language; any other runtime
            // thread is a Rust caller's tokio.
            let ours = std::thread::current().name() == Some(crate::runtime::THREAD_NAME);
            return Err(Error::usage(if ours {
                "a blocking call was made inside a callback capbridge runs (an event callback), \
                 where it would hold up the solves it reports on: make it from a thread of your \
                 own, after the callback returns"
            } else {
                "a blocking call was made on a thread of an async runtime (an async task), \
                 where it would block that thread: make it from a thread of your own, or use \
                 the async API there (capbridge::Client; inside tokio's spawn_blocking or \
                 block_in_place too, which tokio does not tell apart from its workers)"
            }));
        }
        let runtime = self.inner.runtime()?;
        let running = runtime.spawn(call(self.inner.clone()));
        match runtime.block_on(running) {
            Ok(outcome) => outcome,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(Error::new(
                crate::error::ErrorKind::Cancelled,
                "the call was stopped: capbridge's runtime shut down",
            )),
        }
    }

    /// See [`crate::Client::callback_url`].
    pub fn callback_url(&self) -> Option<String> {
        self.inner.callback_url()
    }

    /// Solves a task; see [`crate::Client::solve`].
    pub fn solve(&self, task: impl Into<Task>) -> Result<Solution> {
        let task = task.into();
        self.run(move |c| async move { c.solve(task).await })
    }

    /// Solves with per-solve options (deadline, cancel token, events).
    pub fn solve_with(&self, task: impl Into<Task>, opts: SolveOptions) -> Result<Solution> {
        let task = task.into();
        self.run(move |c| async move { c.solve_with(task, opts).await })
    }

    /// Submits a task and returns its id.
    pub fn submit(&self, task: impl Into<Task>) -> Result<String> {
        let task = task.into();
        self.run(move |c| async move { c.submit(task).await })
    }

    /// Submits with per-call options.
    pub fn submit_with(&self, task: impl Into<Task>, opts: SolveOptions) -> Result<String> {
        let task = task.into();
        self.run(move |c| async move { c.submit_with(task, opts).await })
    }

    /// Asks once for a task's answer.
    pub fn result(&self, task_id: impl Into<String>) -> Result<Option<Solution>> {
        let task_id = task_id.into();
        self.run(move |c| async move { c.result(task_id).await })
    }

    /// Waits for the answer of a task submitted earlier; see [`crate::Client::wait`].
    pub fn wait(&self, task_id: impl Into<String>, opts: SolveOptions) -> Result<Solution> {
        let task_id = task_id.into();
        self.run(move |c| async move { c.wait(task_id, opts).await })
    }

    /// The account balance at the first provider (see [`crate::Client::balance`]).
    pub fn balance(&self) -> Result<Money> {
        self.run(move |c| async move { c.balance().await })
    }

    /// Reports an answer good or bad.
    pub fn report(&self, task_id: impl Into<String>, good: bool) -> Result<()> {
        let task_id = task_id.into();
        self.run(move |c| async move { c.report(task_id, good).await })
    }

    /// The provider.
    pub fn provider(&self) -> &Provider {
        self.inner.provider()
    }

    /// The async client underneath (sharing the same engine).
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }
}

#[cfg(test)]
mod tests {
    /// The names of the `pub fn`s in the first `impl ClientBuilder {` block of `source`.
    fn async_options(source: &str) -> Vec<String> {
        let start = source
            .find("\nimpl ClientBuilder {")
            .expect("client.rs has `impl ClientBuilder {`");
        let body = &source[start..];
        let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
        body.lines()
            .filter_map(|l| l.strip_prefix("    pub fn "))
            .map(|l| l.split(['(', '<']).next().unwrap_or(l).to_owned())
            .collect()
    }

    /// The names listed in `forward!(...)`.
    fn forwarded(source: &str) -> Vec<String> {
        let start = source
            .find("    forward!(\n")
            .expect("blocking.rs calls `forward!(`");
        let body = &source[start + "    forward!(\n".len()..];
        let body = &body[..body.find("    );").unwrap_or(body.len())];
        body.lines()
            .map(|l| l.trim().split('(').next().unwrap_or("").to_owned())
            .filter(|n| !n.is_empty())
            .collect()
    }

    /// Every option of the async builder exists on the blocking one (issue 19: it lacked
    /// `shared_limits`), so the next option added to one and not the other fails here.
    #[test]
    fn the_blocking_builder_has_every_option_of_the_async_one() {
        let mut async_side = async_options(include_str!("client.rs"));
        // Not options: `build` and `validate` are each builder's own, and a blocking client
        // always runs on capbridge's shared runtime.
        async_side.retain(|n| n != "build" && n != "validate" && n != "runtime");
        async_side.sort();
        let mut blocking_side = forwarded(include_str!("blocking.rs"));
        blocking_side.sort();
        assert!(
            async_side.len() > 15,
            "read only {async_side:?} from client.rs"
        );
        assert_eq!(blocking_side, async_side);
    }
}
