//! # capbridge-emulator
//!
//! A local captcha service that speaks both protocol families on one port.
//!
//! * The **form protocol** (`in.php` / `res.php`) the way the service document describes it:
//!   every task type's required parameters and error codes, plain and JSON replies,
//!   `header_acao`, `debug_dump`, reports, balance, the 2captcha-style batch poll
//!   (`action=get&ids=1,2,3`), pingbacks, and the request limits (`MAX_USER_TURN`,
//!   `ERROR: 1001`..`1005`). Served at the root and under `/bigcaptcha/`, `/captchaai/`,
//!   `/2captcha/`, `/rucaptcha/`.
//! * The **json protocol** (`createTask`, `getTaskResult`, `getBalance`, report methods) in
//!   the dialect of each provider: `/<profile>/createTask` for the profiles of
//!   [`JSON_PROFILES`] (type names, field spellings, id formats, statuses, money as strings,
//!   HTTP statuses, error codes, polling rules), and a tolerant `generic` profile at the root.
//!
//! Each provider's dialect offers that provider's kinds ([`Kind`]: the six of the form
//! protocol's document and twelve more, from GeeTest to audio) in its own spelling, with its
//! own error codes and solution shapes; the README has the table.
//!
//! It can be scripted (accounts, solve times, outcome rules and exact answers, faults, time
//! scale), counts
//! every request, logs the latest ones, and records what each task received. It is written
//! from the service documents, not from the `capbridge` crate, so that it cannot share the
//! client's mistakes.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use capbridge_emulator::{Config, Emulator};
//! let emu = Emulator::start(Config { time_scale: 0.01, ..Config::default() }).await?;
//! println!("serving on {}", emu.url()); // http://127.0.0.1:PORT/
//! let counters = emu.counters();
//! assert_eq!(counters.violations_total(), 0);
//! emu.shutdown().await;
//! # Ok(()) }
//! ```

mod admin;
mod answers;
mod callback;
mod config;
mod control;
mod counters;
mod faults;
mod image;
mod json;
mod kind;
mod limits;
mod protocol;
mod reply;
mod reqlog;
mod scripting;
mod server;
mod settings;
mod siteverify;
mod solve_time;
mod state;
mod widgets;

pub use config::{Config, Delay};
pub use control::Shared;
pub use counters::{Counters, KeyCounters};
pub use json::profile::{FORM_PREFIXES, JSON_PROFILES};
pub use kind::Kind;
pub use reqlog::{REQUEST_LOG_MAX, RequestRecord};
pub use scripting::{EndpointSel, Fault, FaultKind, Match, Rule};
pub use settings::{SETTINGS, Settings, respelled};
pub use solve_time::{MAX_SOLVE_MS, SolveTime};
pub use state::{FileInfo, TaskId, TaskInfo};

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

enum Running {
    Task(tokio::task::JoinHandle<()>),
    Thread(std::thread::JoinHandle<()>),
}

/// A running emulator. Dereferences to [`Shared`] for scripting and counters. Dropping it
/// stops the server.
pub struct Emulator {
    addr: SocketAddr,
    url: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    running: Option<Running>,
}

impl Emulator {
    /// Starts serving on 127.0.0.1 (port from the config; 0 picks a free one) on the current
    /// tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Shared::new(Config {
            port: addr.port(),
            ..config
        });
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
        Ok(Emulator::handle(addr, shared, stop, Running::Task(task)))
    }

    /// Starts serving on a thread of its own with its own runtime (`worker_threads` threads),
    /// for callers without a runtime: blocking tests, benchmarks, examples.
    pub fn start_background(config: Config, worker_threads: usize) -> std::io::Result<Emulator> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("capbridge-emulator".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(worker_threads.max(1))
                    .thread_name("capbridge-emulator")
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    let bound = async {
                        let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
                        let addr = listener.local_addr()?;
                        Ok::<_, std::io::Error>((listener, addr))
                    }
                    .await;
                    match bound {
                        Ok((listener, addr)) => {
                            let shared = Shared::new(Config {
                                port: addr.port(),
                                ..config
                            });
                            let _ = ready_tx.send(Ok((addr, shared.clone())));
                            server::serve(listener, shared, stopped).await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let (addr, shared) = ready_rx
            .recv()
            .map_err(|_| std::io::Error::other("the emulator thread stopped before binding"))??;
        Ok(Emulator::handle(
            addr,
            shared,
            stop,
            Running::Thread(thread),
        ))
    }

    fn handle(
        addr: SocketAddr,
        shared: Arc<Shared>,
        stop: oneshot::Sender<()>,
        running: Running,
    ) -> Emulator {
        Emulator {
            url: format!("http://{addr}/"),
            addr,
            shared,
            stop: Some(stop),
            running: Some(running),
        }
    }

    /// The base URL, `http://127.0.0.1:PORT/` (the folder holding `in.php` and `res.php`,
    /// and the json protocol's `generic` profile).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The base URL of a path prefix: `url_for("capsolver")` is
    /// `http://127.0.0.1:PORT/capsolver/` (a json profile of [`JSON_PROFILES`], or a form
    /// preset of [`FORM_PREFIXES`]); `url_for("")` is [`Emulator::url`].
    pub fn url_for(&self, prefix: &str) -> String {
        let prefix = prefix.trim_matches('/');
        if prefix.is_empty() {
            self.url.clone()
        } else {
            format!("{}{prefix}/", self.url)
        }
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A handle on the shared state that outlives borrows of the emulator.
    pub fn control(&self) -> Arc<Shared> {
        self.shared.clone()
    }

    /// Stops serving and waits for the server to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.running.take() {
            Some(Running::Task(t)) => {
                let _ = t.await;
            }
            Some(Running::Thread(t)) => {
                let _ = tokio::task::spawn_blocking(move || t.join()).await;
            }
            None => {}
        }
    }

    /// Stops serving and waits, from synchronous code.
    pub fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(Running::Thread(t)) = self.running.take() {
            let _ = t.join();
        }
    }
}

impl Deref for Emulator {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.shared
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
