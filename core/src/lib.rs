//! # capbridge
//!
//! One client for captcha-solving services. Hand it a task ("this reCAPTCHA on this page"); it
//! submits the task to the service you pay for, waits the way that service asks to be waited
//! on, and returns the answer or an [`Error`] that says what went wrong and whether to retry.
//!
//! ```no_run
//! use capbridge::{Client, RecaptchaV2};
//!
//! #[tokio::main]
//! async fn main() -> capbridge::Result<()> {
//!     let key = std::env::var("CAPTCHA_API_KEY").unwrap_or_default();
//!     let client = Client::new("2captcha", key)?;
//!     let task = RecaptchaV2::new("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-");
//!     let solution = client.solve(task).await?;
//!     println!("token: {}", solution.answer);
//!     Ok(())
//! }
//! ```
//!
//! Without an async runtime, [`blocking::Client`] has the same verbs. Options by name, as the
//! other languages pass them, are in [`options`]; progress events in [`events`].
//!
//! Both protocol families are supported: the form protocol (`in.php` / `res.php`:
//! BigCaptcha, CaptchaAI, 2captcha, rucaptcha, ...) and the json protocol (`createTask` /
//! `getTaskResult`: anti-captcha, CapMonster Cloud, CapSolver, NextCaptcha, 2captcha v2). The
//! crate is organised by responsibility:
//!
//! | module | holds |
//! |---|---|
//! | [`task`] | the task model and the catalogue of kinds (fields, answers, wire spellings), validation |
//! | [`catalogue`] | the catalogue as one description, with the presets that offer each kind |
//! | [`proxy`] | proxies parsed from URLs |
//! | [`provider`] | presets, custom providers, request limits, waits |
//! | [`codec`] | the protocol seam, and pure request encoders and reply parsers per family |
//! | [`money`] | exact decimal amounts (balances, costs) |
//! | [`options`] | client and solve options from a map: the constructor every binding feeds |
//! | [`secret`] | secrets and the one redaction step |
//! | [`error`] | the error type and the table of service codes |
//! | [`events`] | each solve's steps, for progress and logs |
//! | `engine` | the verbs, failover, the polling scheduler, the request governor and budget, retries |
//! | [`client`] and [`blocking`] | the async and blocking clients |
//! | [`runtime`] | the shared runtime used where the caller has none |

#![warn(missing_docs)]

pub mod blocking;
mod cancel;
pub mod catalogue;
pub mod client;
pub mod codec;
pub mod dialect;
mod engine;
pub mod error;
pub mod events;
pub mod money;
pub mod options;
pub mod provider;
pub mod proxy;
pub mod runtime;
pub mod secret;
mod solution;
pub mod task;
mod transport;

pub use cancel::CancelToken;
pub use client::{Client, ClientBuilder, IntoProvider, RedisNodes};
pub use engine::retry::RetryPolicy;
pub use engine::{FailoverPolicy, SolveOptions};
pub use error::{Error, ErrorKind, Result};
pub use events::{Event, EventHandler, Stage, Step, StepFields, WaitSource};
pub use money::Money;
pub use provider::{
    Family, FormDialect, FormOptions, JsonDialect, Limits, Protocol, Provider, Waits,
};
pub use proxy::{Proxy, ProxyType};
pub use solution::Solution;
pub use task::{
    AmazonWaf, Audio, CharacterSet, CloudflareChallenge, Coordinates, DataDome, FriendlyCaptcha,
    FunCaptcha, GeeTest, GeeTestV4, Grid, HCaptcha, ImageToText, ImageUpload, Lemin, MtCaptcha,
    Raw, RecaptchaV2, RecaptchaV3, Rotate, Task, TaskKind, TextCaptcha, Turnstile,
};
