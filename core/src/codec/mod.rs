//! Protocol codecs: pure functions, no I/O. One module per protocol family.
//!
//! This file is the seam between the engine and the families. The engine asks a [`Codec`] for
//! "the request that submits this task / polls these ids / reads the balance / reports this
//! answer", hands each reply back, and acts on protocol-neutral outcomes ([`Outcome`],
//! [`BatchOutcome`]) and capabilities ([`Capabilities`]). It never sees `in.php`,
//! `createTask`, form fields, JSON or a service's code strings: each family owns its wire
//! format and its error classification, as OpenDAL's services own theirs.
//!
//! | module | family |
//! |---|---|
//! | [`form`] | `in.php` / `res.php` (BigCaptcha, CaptchaAI, 2captcha, rucaptcha) |
//! | [`json`] | `createTask` / `getTaskResult` (anti-captcha, CapMonster, CapSolver, NextCaptcha, 2captcha v2) |
//!
//! Adding a family means one new module here, its arm in [`for_provider`], and its presets.

pub(crate) mod b64;
mod decode;
mod fields;
pub mod form;
pub mod json;
mod outcome;
pub(crate) mod urlencoded;
mod wire;

pub use outcome::{
    Accepted, Answer, BatchItem, BatchOutcome, Block, BlockLength, BlockScope, FaultClass, Outcome,
    Pause,
};
pub use wire::{Body, FilePart, Method, Reply, Request};

use crate::error::Result;
use crate::money::Money;
use crate::provider::{Protocol, Provider};
use crate::secret::Secret;
use crate::task::{Task, TaskKind};
use std::sync::Arc;

/// What a provider's protocol can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// Task kinds the provider solves.
    pub kinds: Vec<TaskKind>,
    /// Whether many tasks are polled with one request (batch polling).
    pub batch_polling: bool,
    /// Most ids in one batch poll.
    pub batch_size: usize,
    /// Whether answers can be reported as accepted by the site.
    pub report_good: bool,
    /// Whether answers can be reported as refused by the site.
    pub report_bad: bool,
}

impl Capabilities {
    /// Whether `kind` is solved.
    pub fn solves(&self, kind: TaskKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// One protocol family's wire format and error classification, for one provider.
///
/// Every method is pure. Request builders take the API key because the protocols carry it in
/// the request; the returned [`Request`] must never be printed with its values.
pub trait Codec: Send + Sync + std::fmt::Debug {
    /// What the provider can do.
    fn capabilities(&self) -> &Capabilities;

    /// Whether tasks of `kind` must be polled one by one even where batches exist (answers
    /// that may hold the batch separator, solutions with fields only single replies carry).
    /// `None`: a task whose kind is unknown (collected by id).
    fn polled_alone(&self, kind: Option<TaskKind>) -> bool;

    /// The request that submits `task`. Validates the task first (an invalid task never
    /// becomes a request) and refuses a kind the provider does not solve (`usage`).
    fn submit(&self, task: &Task, key: &Secret) -> Result<Request>;

    /// What a submit reply means for a task of `kind` (some services answer at once).
    fn read_submit(&self, reply: &Reply, kind: TaskKind) -> Outcome<Accepted>;

    /// The request that asks for one task's answer.
    fn poll(&self, task_id: &str, kind: Option<TaskKind>, key: &Secret) -> Request;

    /// What a poll reply means.
    fn read_poll(&self, reply: &Reply, kind: Option<TaskKind>) -> Outcome<Answer>;

    /// What the service pushed to a callback receiver for a task of `kind` (the form
    /// family's `pingback`: `id` and `code` form-encoded; the json family's `callbackUrl`:
    /// the getTaskResult reply), read as a poll's reply: the same decoding and errors. Also
    /// the task id the push names, if it names one (a push naming another task is ignored).
    fn read_push(&self, body: &[u8], kind: Option<TaskKind>) -> (Option<String>, Outcome<Answer>);

    /// The request that asks for many tasks' answers (only called when
    /// [`Capabilities::batch_polling`] is set, with at most [`Capabilities::batch_size`] ids).
    fn poll_batch(&self, task_ids: &[&str], key: &Secret) -> Request;

    /// What a batch poll reply means for tasks of these kinds, in id order.
    fn read_batch(&self, reply: &Reply, kinds: &[Option<TaskKind>]) -> BatchOutcome;

    /// The request that reads the balance.
    fn balance(&self, key: &Secret) -> Request;

    /// What a balance reply means.
    fn read_balance(&self, reply: &Reply) -> Outcome<Money>;

    /// The request that reports an answer as accepted (`good`) or refused by the site. Fails
    /// with `usage` when the provider takes no such report.
    fn report(
        &self,
        task_id: &str,
        kind: Option<TaskKind>,
        good: bool,
        key: &Secret,
    ) -> Result<Request>;

    /// What a report reply means.
    fn read_report(&self, reply: &Reply) -> Outcome<()>;

    /// Whether a refusal says the request was carried out already (a duplicate report): after
    /// an attempt whose reply was lost, such a refusal means the lost attempt succeeded.
    fn already_done(&self, _error: &crate::error::Error) -> bool {
        false
    }
}

/// The codec of a provider's protocol family, with the provider's dialect and options.
pub fn for_provider(provider: &Provider) -> Arc<dyn Codec> {
    match provider.protocol() {
        Protocol::Form => Arc::new(form::FormCodec::new(provider)),
        Protocol::Json => Arc::new(json::JsonCodec::new(provider)),
    }
}
