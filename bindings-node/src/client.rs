//! The `Client` class: the core's verbs, each as a Promise method and a `*Sync` twin.
//!
//! One core client serves both halves (the blocking client and the async client it wraps
//! share one engine, so one key's limits and batches cover every call). Promise methods
//! never throw: bad arguments reject. `*Sync` methods block the calling thread (use them in
//! scripts and worker threads, not in a server's main thread).

use crate::call::{self, Mode};
use crate::errors::{Walked, to_js_error};
use crate::events::Collected;
use crate::promise::{self, Extras};
use crate::types::Solution;
use capbridge::Error as CoreError;
use napi::bindgen_prelude::{Object, ObjectFinalize, Unknown};
use napi::{Env, JsValue, Result, sys};
use napi_derive::napi;

/// A client of one captcha-solving service (or several, in failover order).
#[napi(custom_finalize)]
pub struct Client {
    inner: capbridge::blocking::Client,
    /// The client-wide `onEvent` callback's id in the environment's channel.
    on_event: Option<u64>,
}

/// Releases the client-wide callback when the client is collected (on the JavaScript thread);
/// calls still running keep it until they settle (see [`crate::channel::hold`]).
impl ObjectFinalize for Client {
    fn finalize(self, env: Env) -> Result<()> {
        if let Some(id) = self.on_event {
            crate::channel::unregister(&env, id);
        }
        Ok(())
    }
}

/// A `*Sync` call's ending: events first (the callback sees every step before the call
/// returns), then the value or the `CaptchaError`.
fn finish<T, J>(
    env: &Env,
    outcome: capbridge::Result<T>,
    collected: Option<Collected>,
    convert: fn(T) -> J,
) -> Result<J> {
    if let Some(c) = collected {
        c.deliver(env)?;
    }
    outcome.map(convert).map_err(|e| to_js_error(env, &e))
}

fn flag(env: &Env, v: Unknown, name: &str) -> std::result::Result<bool, Walked> {
    let raw = env.raw();
    if crate::raw::type_of(raw, v.raw())? != sys::ValueType::napi_boolean {
        return Err(CoreError::usage("expected true or false")
            .with_option(name)
            .into());
    }
    Ok(crate::raw::bool_of(raw, v.raw())?)
}

fn id(s: String) -> String {
    s
}

fn money(m: capbridge::Money) -> String {
    m.as_str().to_owned()
}

fn nothing(_: ()) {}

fn maybe(s: Option<capbridge::Solution>) -> Option<Solution> {
    s.map(Solution::from)
}

/// Checks client options as `new Client(options)` does, without making a client (no engine,
/// no receiver bound, no connection): for `capbridge/compat/2captcha`, whose `Solver` is
/// given its options in its constructor but makes its client at its first call, too late to
/// report a mistake where it was made. Throws the `CaptchaError` the constructor would throw,
/// but for what only starting a client finds (a callback address already taken).
#[napi(js_name = "__checkClientOptions", skip_typescript, catch_unwind)]
pub fn check_client_options(env: &Env, options: Unknown) -> Result<()> {
    (|| -> std::result::Result<(), Walked> {
        let (map, _on_event) = call::client_options(env, options)?;
        // Everything `new Client` would refuse, nothing started (no receiver, no Redis link).
        capbridge::options::client_builder(map)?.validate()?;
        Ok(())
    })()
    .map_err(|e| e.into_js(env))
}

/// The known name a misspelt `name` most likely meant, by the core's one rule (the other
/// spellings of a name, the providers' names for fields, then the nearest by Jaro-Winkler):
/// for the JavaScript helpers' own options (`capbridge/browser`), so that every language
/// suggests alike.
#[napi(js_name = "__nearest", skip_typescript)]
pub fn nearest(name: String, known: Vec<String>) -> Option<String> {
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    capbridge::error::nearest(&name, &known).map(str::to_owned)
}

#[napi]
impl Client {
    /// Makes a client: `new Client({ provider: "2captcha", apiKey })`. Options are checked
    /// here; a bad one throws a `CaptchaError` of kind `usage` naming it (`error.option`).
    #[napi(constructor, catch_unwind, ts_args_type = "options: ClientOptions")]
    pub fn new(env: &Env, options: Unknown) -> Result<Client> {
        let made = (|| -> std::result::Result<Client, Walked> {
            let (map, on_event) = call::client_options(env, options)?;
            let mut builder = capbridge::options::client_builder(map)?;
            let mut id = None;
            if let Some(f) = on_event {
                let sender = crate::channel::sender(env)?;
                let registered = crate::channel::register(env, f)?;
                builder =
                    builder.on_event_handler(crate::channel::event_handler(sender, registered));
                id = Some(registered);
            }
            match capbridge::blocking::ClientBuilder::from(builder).build() {
                Ok(inner) => Ok(Client {
                    inner,
                    on_event: id,
                }),
                Err(e) => {
                    if let Some(id) = id {
                        crate::channel::unregister(env, id);
                    }
                    Err(e.into())
                }
            }
        })();
        made.map_err(|e| e.into_js(env))
    }

    /// Solves a task: submits it, polls until the answer, a failure or the deadline.
    /// Rejects with a `CaptchaError`; errors after the submit carry `taskId`.
    #[napi(
        catch_unwind,
        ts_args_type = "task: Task, options?: SolveOptions",
        ts_return_type = "Promise<Solution>"
    )]
    pub fn solve<'env>(
        &self,
        env: &'env Env,
        task: Unknown,
        options: Option<Unknown>,
    ) -> Result<Object<'env>> {
        let client = self.inner.as_async().clone();
        promise::run(
            env,
            self.on_event,
            || {
                Ok((
                    call::task(env, task)?,
                    call::call_options(env, options, Mode::Promise)?,
                ))
            },
            move |(task, c)| {
                (
                    async move { client.solve_with(task, c.opts).await },
                    c.extras,
                )
            },
            Solution::from,
        )
    }

    /// `solve`, blocking the calling thread until the answer (events reach `onEvent` before
    /// it returns).
    #[napi(
        catch_unwind,
        ts_args_type = "task: Task, options?: SyncOptions",
        ts_return_type = "Solution"
    )]
    pub fn solve_sync(
        &self,
        env: &Env,
        task: Unknown,
        options: Option<Unknown>,
    ) -> Result<Solution> {
        let (task, c) = (|| {
            Ok((
                call::task(env, task)?,
                call::call_options(env, options, Mode::Sync)?,
            ))
        })()
        .map_err(|e: Walked| e.into_js(env))?;
        let outcome = self.inner.solve_with(task, c.opts);
        finish(env, outcome, c.collected, Solution::from)
    }

    /// Submits a task and resolves with its id, without waiting for the answer (collect it
    /// with `wait` or `result`).
    #[napi(
        catch_unwind,
        ts_args_type = "task: Task, options?: SolveOptions",
        ts_return_type = "Promise<string>"
    )]
    pub fn submit<'env>(
        &self,
        env: &'env Env,
        task: Unknown,
        options: Option<Unknown>,
    ) -> Result<Object<'env>> {
        let client = self.inner.as_async().clone();
        promise::run(
            env,
            self.on_event,
            || {
                Ok((
                    call::task(env, task)?,
                    call::call_options(env, options, Mode::Promise)?,
                ))
            },
            move |(task, c)| {
                (
                    async move { client.submit_with(task, c.opts).await },
                    c.extras,
                )
            },
            id,
        )
    }

    /// `submit`, blocking the calling thread.
    #[napi(
        catch_unwind,
        ts_args_type = "task: Task, options?: SyncOptions",
        ts_return_type = "string"
    )]
    pub fn submit_sync(
        &self,
        env: &Env,
        task: Unknown,
        options: Option<Unknown>,
    ) -> Result<String> {
        let (task, c) = (|| {
            Ok((
                call::task(env, task)?,
                call::call_options(env, options, Mode::Sync)?,
            ))
        })()
        .map_err(|e: Walked| e.into_js(env))?;
        let outcome = self.inner.submit_with(task, c.opts);
        finish(env, outcome, c.collected, id)
    }

    /// Asks once for a task's answer: resolves with the solution, or `null` while it is not
    /// ready.
    #[napi(
        catch_unwind,
        ts_args_type = "taskId: string",
        ts_return_type = "Promise<Solution | null>"
    )]
    pub fn result<'env>(&self, env: &'env Env, task_id: Unknown) -> Result<Object<'env>> {
        let client = self.inner.as_async().clone();
        promise::run(
            env,
            self.on_event,
            || call::task_id(env, task_id),
            move |id| (async move { client.result(id).await }, Extras::default()),
            maybe,
        )
    }

    /// `result`, blocking the calling thread.
    #[napi(
        catch_unwind,
        ts_args_type = "taskId: string",
        ts_return_type = "Solution | null"
    )]
    pub fn result_sync(&self, env: &Env, task_id: Unknown) -> Result<Option<Solution>> {
        let id = call::task_id(env, task_id).map_err(|e| e.into_js(env))?;
        finish(env, self.inner.result(id), None, maybe)
    }

    /// Waits for the answer of a task submitted earlier (by `submit`, by a solve that timed
    /// out, by another process), polling within the key's limits until the answer, a failure
    /// or the deadline (`timeoutMs`, else the default for the kind).
    #[napi(
        catch_unwind,
        ts_args_type = "taskId: string, options?: SolveOptions",
        ts_return_type = "Promise<Solution>"
    )]
    pub fn wait<'env>(
        &self,
        env: &'env Env,
        task_id: Unknown,
        options: Option<Unknown>,
    ) -> Result<Object<'env>> {
        let client = self.inner.as_async().clone();
        promise::run(
            env,
            self.on_event,
            || {
                Ok((
                    call::task_id(env, task_id)?,
                    call::call_options(env, options, Mode::Promise)?,
                ))
            },
            move |(id, c)| (async move { client.wait(id, c.opts).await }, c.extras),
            Solution::from,
        )
    }

    /// `wait`, blocking the calling thread.
    #[napi(
        catch_unwind,
        ts_args_type = "taskId: string, options?: SyncOptions",
        ts_return_type = "Solution"
    )]
    pub fn wait_sync(
        &self,
        env: &Env,
        task_id: Unknown,
        options: Option<Unknown>,
    ) -> Result<Solution> {
        let (id, c) = (|| {
            Ok((
                call::task_id(env, task_id)?,
                call::call_options(env, options, Mode::Sync)?,
            ))
        })()
        .map_err(|e: Walked| e.into_js(env))?;
        let outcome = self.inner.wait(id, c.opts);
        finish(env, outcome, c.collected, Solution::from)
    }

    /// The account balance, as exact decimal text (`"9.99915"`): a string, because a float
    /// would round it.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn balance<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        let client = self.inner.as_async().clone();
        promise::run(
            env,
            self.on_event,
            || Ok(()),
            move |()| (async move { client.balance().await }, Extras::default()),
            money,
        )
    }

    /// `balance`, blocking the calling thread.
    #[napi(catch_unwind)]
    pub fn balance_sync(&self, env: &Env) -> Result<String> {
        finish(env, self.inner.balance(), None, money)
    }

    /// Reports an answer as accepted by the site (`good = true`) or refused (`false`).
    #[napi(
        catch_unwind,
        ts_args_type = "taskId: string, good: boolean",
        ts_return_type = "Promise<void>"
    )]
    pub fn report<'env>(
        &self,
        env: &'env Env,
        task_id: Unknown,
        good: Unknown,
    ) -> Result<Object<'env>> {
        let client = self.inner.as_async().clone();
        promise::run(
            env,
            self.on_event,
            || Ok((call::task_id(env, task_id)?, flag(env, good, "good")?)),
            move |(id, good)| {
                (
                    async move { client.report(id, good).await },
                    Extras::default(),
                )
            },
            nothing,
        )
    }

    /// `report`, blocking the calling thread.
    #[napi(
        catch_unwind,
        ts_args_type = "taskId: string, good: boolean",
        ts_return_type = "void"
    )]
    pub fn report_sync(&self, env: &Env, task_id: Unknown, good: Unknown) -> Result<()> {
        let (id, good) = (|| Ok((call::task_id(env, task_id)?, flag(env, good, "good")?)))()
            .map_err(|e: Walked| e.into_js(env))?;
        finish(env, self.inner.report(id, good), None, nothing)
    }
}
