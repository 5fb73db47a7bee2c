//! The form protocol (`in.php` / `res.php`), as the BigCaptcha / 2captcha family speaks it.
//!
//! * `encode`: task -> [`Request`] (urlencoded fields or a multipart upload), and the
//!   `res.php` requests: poll, batch poll, balance, report.
//! * `reply`: bytes -> what they mean for each call, including which codes pause or block
//!   the key.
//!
//! Replies are matched as whole tokens only: `OK|ERROR_X` is the answer `ERROR_X`, and a body
//! is an error code only when the whole (trimmed) body is that code.

mod encode;
mod reply;

pub use encode::{
    FormOptions, IN, RES, balance_request, batch_poll_request, poll_request, report_request,
    submit_request,
};
pub use reply::{
    Fault, OkReply, Parsed, parse_reply, read_balance, read_batch, read_poll, read_report,
    read_submit, split_debug_dump,
};

use crate::codec::{Accepted, Answer, BatchOutcome, Capabilities, Codec, Outcome, Reply, Request};
use crate::error::Result;
use crate::money::Money;
use crate::provider::Provider;
use crate::secret::Secret;
use crate::task::{Task, TaskKind};

/// The form protocol's [`Codec`] for one provider.
#[derive(Debug, Clone)]
pub struct FormCodec {
    caps: Capabilities,
    options: FormOptions,
    soft_id: Option<String>,
}

impl FormCodec {
    /// The codec of a form-protocol provider (its batch setting, form options and soft id).
    pub fn new(provider: &Provider) -> FormCodec {
        FormCodec {
            caps: Capabilities {
                kinds: TaskKind::ALL.to_vec(),
                batch_poll: provider.supports_batch_poll(),
                max_batch: provider.batch_size(),
                report_good: true,
                report_bad: true,
            },
            options: provider.form_options().clone(),
            soft_id: provider.soft_id().map(str::to_owned),
        }
    }
}

/// Whether single polls of `kind` ask for a JSON reply: hCaptcha and Turnstile answers carry
/// the worker's user agent (and hCaptcha a `respKey`) only there; a task of unknown kind
/// might be one of them.
fn needs_json(kind: Option<TaskKind>) -> bool {
    !matches!(
        kind,
        Some(
            TaskKind::ImageToText
                | TaskKind::RecaptchaV2
                | TaskKind::RecaptchaV3
                | TaskKind::FunCaptcha
        )
    )
}

impl Codec for FormCodec {
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn polled_alone(&self, kind: Option<TaskKind>) -> bool {
        // FunCaptcha tokens contain `|`, the separator of batch replies; batch replies are
        // plain text, which lacks the fields hCaptcha and Turnstile answers carry.
        needs_json(kind) || kind == Some(TaskKind::FunCaptcha)
    }

    fn submit(&self, task: &Task, key: &Secret) -> Result<Request> {
        submit_request(task, key, &self.options, self.soft_id.as_deref())
    }

    fn read_submit(&self, reply: &Reply) -> Outcome<Accepted> {
        read_submit(reply)
    }

    fn poll(&self, task_id: &str, kind: Option<TaskKind>, key: &Secret) -> Request {
        poll_request(task_id, key, &self.options, needs_json(kind))
    }

    fn read_poll(&self, reply: &Reply, _kind: Option<TaskKind>) -> Outcome<Answer> {
        read_poll(reply)
    }

    fn poll_batch(&self, task_ids: &[&str], key: &Secret) -> Request {
        batch_poll_request(task_ids, key, &self.options)
    }

    fn read_batch(&self, reply: &Reply, count: usize) -> BatchOutcome {
        read_batch(reply, count)
    }

    fn balance(&self, key: &Secret) -> Request {
        balance_request(key, &self.options)
    }

    fn read_balance(&self, reply: &Reply) -> Outcome<Money> {
        read_balance(reply)
    }

    fn report(
        &self,
        task_id: &str,
        _kind: Option<TaskKind>,
        good: bool,
        key: &Secret,
    ) -> Result<Request> {
        Ok(report_request(task_id, good, key, &self.options))
    }

    fn read_report(&self, reply: &Reply) -> Outcome<()> {
        read_report(reply)
    }

    fn already_done(&self, error: &crate::error::Error) -> bool {
        error.code() == Some("ERROR_DUPLICATE_REPORT")
    }
}
