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
use crate::provider::{Family, FormDialect, Provider};
use crate::secret::Secret;
use crate::task::spec::{Decode, FormPoll};
use crate::task::{Task, TaskKind};

/// The form protocol's [`Codec`] for one provider.
#[derive(Debug, Clone)]
pub struct FormCodec {
    caps: Capabilities,
    options: FormOptions,
    dialect: FormDialect,
    name: String,
    soft_id: Option<String>,
}

impl FormCodec {
    /// The codec of a form-protocol provider (its dialect, batch setting, form options and
    /// soft id). A json provider given by mistake gets the family's defaults.
    pub fn new(provider: &Provider) -> FormCodec {
        let (dialect, options) = match provider.family() {
            Family::Form { dialect, options } => (*dialect, options.clone()),
            Family::Json(_) => (FormDialect::Generic, FormOptions::default()),
        };
        FormCodec {
            caps: Capabilities {
                kinds: TaskKind::ALL
                    .into_iter()
                    .filter(|k| k.spec().wire.form(dialect).is_some())
                    .collect(),
                batch_polling: provider.batch_polling(),
                batch_size: provider.batch_size(),
                report_good: true,
                report_bad: true,
            },
            options,
            dialect,
            name: provider.name().to_owned(),
            soft_id: provider.soft_id().map(str::to_owned),
        }
    }

    /// How answers of `kind` are read here; a task of unknown kind (collected by id) is read
    /// as the provider sent it.
    fn rule(&self, kind: Option<TaskKind>) -> Decode {
        kind.and_then(|k| k.spec().wire.form(self.dialect))
            .map_or(Decode::Raw, |w| w.decode)
    }

    /// Whether single polls of `kind` ask for a JSON reply: solutions with fields beside the
    /// answer (a user agent, a respKey, structured values) come only there; a task of unknown
    /// kind might be one of them.
    fn needs_json(&self, kind: Option<TaskKind>) -> bool {
        kind.and_then(|k| k.spec().wire.form(self.dialect))
            .is_none_or(|w| w.poll == FormPoll::AloneJson)
    }
}

impl Codec for FormCodec {
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn polled_alone(&self, kind: Option<TaskKind>) -> bool {
        // Batch replies are plain text joined by `|`: answers that may hold `|` (FunCaptcha
        // tokens) or need fields beside them are polled alone, as JSON.
        self.needs_json(kind)
    }

    fn submit(&self, task: &Task, key: &Secret) -> Result<Request> {
        submit_request(
            task,
            key,
            &self.options,
            self.soft_id.as_deref(),
            self.dialect,
            &self.name,
        )
    }

    fn read_submit(&self, reply: &Reply, _kind: TaskKind) -> Outcome<Accepted> {
        read_submit(reply)
    }

    fn poll(&self, task_id: &str, kind: Option<TaskKind>, key: &Secret) -> Request {
        poll_request(task_id, key, &self.options, self.needs_json(kind))
    }

    fn read_poll(&self, reply: &Reply, kind: Option<TaskKind>) -> Outcome<Answer> {
        read_poll(reply, self.rule(kind))
    }

    /// A pingback carries `id` and `code` (the answer, or the error code a poll would
    /// have answered), form-encoded; other fields (a user agent, a `respKey`) are kept as
    /// a JSON poll reply would carry them. Read as the `json=1` reply `{"status":1,
    /// "request":code, ...}`, or `{"status":0, "request":code}` for a code the protocol
    /// defines (an error, `CAPCHA_NOT_READY`).
    ///
    /// Names and values must decode to UTF-8, as a polled reply must: bytes that do not are
    /// a `NOT_UTF8` fault (the push is ignored), never an answer with replacement characters.
    fn read_push(&self, body: &[u8], kind: Option<TaskKind>) -> (Option<String>, Outcome<Answer>) {
        let mut claim = None;
        let mut code = None;
        let mut reply = serde_json::Map::new();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let (k, v) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &[][..]),
            };
            let (Some(k), Some(v)) = (form_text(k), form_text(v)) else {
                return (None, reply::Fault::NotUtf8 { status: 200 }.outcome());
            };
            match k.as_str() {
                "id" => claim = Some(v),
                "code" => code = Some(v),
                "status" | "request" => {}
                _ => {
                    reply.insert(k, serde_json::Value::from(v));
                }
            }
        }
        let Some(code) = code else {
            let fault = reply::Fault::Unrecognized {
                excerpt: "a pingback without a code".into(),
            };
            return (claim, fault.outcome());
        };
        let defined = matches!(
            reply::parse_reply(200, code.as_bytes()),
            reply::Parsed::NotReady | reply::Parsed::Code(_)
        );
        reply.insert("status".into(), serde_json::Value::from(u8::from(!defined)));
        reply.insert("request".into(), serde_json::Value::from(code));
        let body = serde_json::Value::Object(reply).to_string();
        (claim, read_poll(&Reply::new(200, body), self.rule(kind)))
    }

    fn poll_batch(&self, task_ids: &[&str], key: &Secret) -> Request {
        batch_poll_request(task_ids, key, &self.options)
    }

    fn read_batch(&self, reply: &Reply, kinds: &[Option<TaskKind>]) -> BatchOutcome {
        let rules: Vec<Decode> = kinds.iter().map(|k| self.rule(*k)).collect();
        read_batch(reply, &rules)
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

/// One name or value of a form body: `+` is a space, `%XX` a byte; `None` if the bytes are
/// not UTF-8.
fn form_text(raw: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .ok()
        .map(|t| t.into_owned())
}
