//! The json protocol family (`createTask` / `getTaskResult` / `getBalance`), as anti-captcha,
//! CapMonster Cloud, CapSolver, NextCaptcha and 2captcha's API v2 speak it.
//!
//! * `dialect`: one table per provider of type names, field spellings and report methods
//!   (the only place that knows which provider is which).
//! * `encode`: task -> `createTask` body; polls, balance, reports.
//! * `reply`: bytes -> what they mean, including which codes pause or block the key.
//!
//! Requests are `POST <base>/<method>` with a JSON body. There are no batch polls: each task
//! is polled alone.

mod dialect;
mod encode;
mod reply;

pub use encode::{CREATE_TASK, GET_BALANCE, GET_TASK_RESULT};

use crate::codec::{Accepted, Answer, BatchOutcome, Capabilities, Codec, Outcome, Reply, Request};
use crate::error::Result;
use crate::money::Money;
use crate::provider::{Family, JsonDialect, Provider};
use crate::secret::Secret;
use crate::task::spec::Decode;
use crate::task::{Task, TaskKind};
use dialect::Dialect;

/// The json protocol's [`Codec`] for one provider.
#[derive(Debug, Clone)]
pub struct JsonCodec {
    dialect: &'static Dialect,
    caps: Capabilities,
    soft_id: Option<String>,
}

impl JsonCodec {
    /// The codec of a json-protocol provider: its dialect's table and its soft id.
    pub fn new(provider: &Provider) -> JsonCodec {
        let id = match provider.family() {
            Family::Json(d) => *d,
            Family::Form { .. } => JsonDialect::Generic,
        };
        let dialect = dialect::table(id);
        JsonCodec {
            dialect,
            caps: Capabilities {
                kinds: dialect.kinds(),
                batch_polling: false,
                batch_size: 1,
                report_good: dialect.reports.good.any(),
                report_bad: dialect.reports.bad.any(),
            },
            soft_id: provider.soft_id().map(str::to_owned),
        }
    }
}

impl JsonCodec {
    /// How answers of `kind` are read here (the first variant's rule: variants of one kind
    /// answer alike); a task of unknown kind (collected by id) is read as a token, else as
    /// the provider sent it.
    fn rule(&self, kind: Option<TaskKind>) -> Decode {
        match kind {
            Some(k) => k
                .spec()
                .wire
                .json(self.dialect.id)
                .next()
                .map_or(Decode::Raw, |w| w.decode),
            None => Decode::Raw,
        }
    }
}

impl Codec for JsonCodec {
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn polled_alone(&self, _kind: Option<TaskKind>) -> bool {
        true
    }

    fn submit(&self, task: &Task, key: &Secret) -> Result<Request> {
        encode::submit_request(self.dialect, task, key, self.soft_id.as_deref())
    }

    fn read_submit(&self, reply: &Reply, kind: TaskKind) -> Outcome<Accepted> {
        reply::read_submit(self.dialect, reply, self.rule(Some(kind)))
    }

    fn poll(&self, task_id: &str, _kind: Option<TaskKind>, key: &Secret) -> Request {
        encode::poll_request(task_id, key)
    }

    fn read_poll(&self, reply: &Reply, kind: Option<TaskKind>) -> Outcome<Answer> {
        reply::read_poll(self.dialect, reply, self.rule(kind))
    }

    /// A `callbackUrl` call carries the getTaskResult reply (CapMonster documents it; the
    /// others say nothing else), which some services extend with the task's id.
    fn read_push(&self, body: &[u8], kind: Option<TaskKind>) -> (Option<String>, Outcome<Answer>) {
        let claim = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| match v.get("taskId") {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            });
        (claim, self.read_poll(&Reply::new(200, body.to_vec()), kind))
    }

    /// Never called (batch polling is off); polls the first task, so that a call by mistake
    /// still sends a valid request.
    fn poll_batch(&self, task_ids: &[&str], key: &Secret) -> Request {
        encode::poll_request(task_ids.first().copied().unwrap_or_default(), key)
    }

    /// Never called (batch polling is off): "poll each task alone".
    fn read_batch(&self, _reply: &Reply, _kinds: &[Option<TaskKind>]) -> BatchOutcome {
        BatchOutcome::Alone {
            mismatch: true,
            refusal: None,
        }
    }

    fn balance(&self, key: &Secret) -> Request {
        encode::balance_request(key)
    }

    fn read_balance(&self, reply: &Reply) -> Outcome<Money> {
        reply::read_balance(self.dialect, reply)
    }

    fn report(
        &self,
        task_id: &str,
        kind: Option<TaskKind>,
        good: bool,
        key: &Secret,
    ) -> Result<Request> {
        encode::report_request(self.dialect, task_id, kind, good, key)
    }

    fn read_report(&self, reply: &Reply) -> Outcome<()> {
        reply::read_report(self.dialect, reply)
    }

    fn already_done(&self, error: &crate::error::Error) -> bool {
        error.code() == Some("ERROR_DUPLICATE_REPORT")
    }
}
