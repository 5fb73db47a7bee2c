//! What the fuzz targets share: the input format of the reply targets, the providers whose
//! codecs are fuzzed, and the invariants every outcome and error must keep.
//!
//! A failed invariant panics with what was violated: libFuzzer records the input under
//! `artifacts/<target>/` and the run fails.

use capbridge::codec::{Accepted, Answer, BatchItem, BatchOutcome, Codec, Outcome, Reply};
use capbridge::{Error, ErrorKind, Money, Protocol, Provider};
use std::sync::Arc;
use std::time::Duration;

/// An API key for requests built in the fuzzers (never sent anywhere).
pub const KEY: &str = "1abc234de56fab7c89012d34e56fa7b8";

/// The reply targets' input: 2 bytes of HTTP status (big-endian `status - 100`, taken modulo
/// 500, so every input means a status from 100 to 599), 1 byte of extra (the id count of a
/// batch poll for the form protocol; the `Retry-After` seconds for the json protocol, 0 for
/// none), then the body. `seeds.py` writes seeds in this format.
pub struct ReplyInput<'a> {
    /// HTTP status, 100..=599.
    pub status: u16,
    /// The extra byte.
    pub extra: u8,
    /// The body.
    pub body: &'a [u8],
}

impl<'a> ReplyInput<'a> {
    /// Splits an input; `None` when it is shorter than the header.
    pub fn parse(data: &'a [u8]) -> Option<ReplyInput<'a>> {
        let [hi, lo, extra, body @ ..] = data else {
            return None;
        };
        Some(ReplyInput {
            status: 100 + u16::from_be_bytes([*hi, *lo]) % 500,
            extra: *extra,
            body,
        })
    }

    /// The reply, with a `Retry-After` of `retry_after_secs` when given.
    pub fn reply(&self, retry_after_secs: Option<u8>) -> Reply {
        Reply {
            status: self.status,
            body: self.body.to_vec(),
            retry_after: retry_after_secs.map(|s| Duration::from_secs(u64::from(s))),
        }
    }
}

/// The form protocol's codec and every json codec: each preset's dialect and the generic one.
pub fn codecs() -> Vec<(&'static str, Arc<dyn Codec>)> {
    let generic = Provider::custom_with("http://127.0.0.1:1/", Protocol::Json)
        .expect("a custom json provider");
    vec![
        (
            "2captcha",
            capbridge::codec::for_provider(&Provider::two_captcha()),
        ),
        (
            "anti-captcha",
            capbridge::codec::for_provider(&Provider::anti_captcha()),
        ),
        (
            "capmonster",
            capbridge::codec::for_provider(&Provider::capmonster()),
        ),
        (
            "capsolver",
            capbridge::codec::for_provider(&Provider::capsolver()),
        ),
        (
            "nextcaptcha",
            capbridge::codec::for_provider(&Provider::nextcaptcha()),
        ),
        (
            "2captcha-v2",
            capbridge::codec::for_provider(&Provider::two_captcha_v2()),
        ),
        ("generic", capbridge::codec::for_provider(&generic)),
    ]
}

/// The json codecs only (the json protocol's reply target).
pub fn json_codecs() -> Vec<(&'static str, Arc<dyn Codec>)> {
    codecs()
        .into_iter()
        .filter(|(n, _)| *n != "2captcha")
        .collect()
}

/// What every error keeps: a kind that round-trips through its name, a message, a code that
/// is not empty when present, `retry_after` only when retryable, and a `Display` that starts
/// with the kind.
pub fn check_error(where_: &str, e: &Error) {
    assert_eq!(
        ErrorKind::from_name(e.kind().as_str()),
        Some(e.kind()),
        "{where_}: a kind that does not round-trip: {e:?}"
    );
    assert!(
        !e.message().trim().is_empty(),
        "{where_}: an error without a message: {e:?}"
    );
    if let Some(code) = e.code() {
        assert!(!code.is_empty(), "{where_}: an empty code: {e:?}");
    }
    if e.retry_after().is_some() {
        assert!(
            e.retryable(),
            "{where_}: retry_after without retryable: {e:?}"
        );
    }
    let shown = e.to_string();
    assert!(
        shown.starts_with(e.kind().as_str()),
        "{where_}: Display does not start with the kind: {shown}"
    );
    let _ = format!("{e:?}");
}

/// A task id the engine's verbs accept (`result`, `report`, `wait` check it): 1 to 128
/// printable ASCII characters.
pub fn check_task_id(where_: &str, id: &str) {
    assert!(
        !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic()),
        "{where_}: a task id the verbs would refuse: {id:?}"
    );
}

/// An answer is never empty, and its cost is exact decimal text.
pub fn check_answer(where_: &str, a: &Answer) {
    check_answer_of(where_, a, false);
}

/// Whether a provider says "no tile matches" of a Grid as an answer (CapMonster's all-false
/// `answer`, CapSolver's empty `objects`): `""` with `cells: []` there, nowhere else.
pub fn no_tile_answers(codec: &str, kind: Option<capbridge::TaskKind>) -> bool {
    kind == Some(capbridge::TaskKind::Grid) && matches!(codec, "capmonster" | "capsolver")
}

/// [`check_answer`], where `no_tile` allows a grid's "no tile matches" (see
/// [`no_tile_answers`]).
pub fn check_answer_of(where_: &str, a: &Answer, no_tile: bool) {
    let none =
        a.text.is_empty() && a.data.get("cells") == Some(&serde_json::Value::Array(Vec::new()));
    assert!(
        !a.text.trim().is_empty() || (no_tile && none),
        "{where_}: an empty answer: {a:?}"
    );
    if let Some(ua) = &a.user_agent {
        assert!(
            !ua.trim().is_empty(),
            "{where_}: an empty user agent: {a:?}"
        );
    }
    if let Some(k) = &a.resp_key {
        assert!(!k.trim().is_empty(), "{where_}: an empty respKey: {a:?}");
    }
    if let Some(cost) = &a.cost {
        check_money(where_, cost);
    }
}

/// Money is normalised decimal text that parses back to itself.
pub fn check_money(where_: &str, m: &Money) {
    let t = m.as_str();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let well_formed = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    assert!(
        well_formed,
        "{where_}: money that is not normalised decimal text: {t:?}"
    );
    assert!(
        !(t.starts_with('-') && digits.bytes().all(|b| b == b'0' || b == b'.')),
        "{where_}: a negative zero: {t:?}"
    );
    assert_eq!(
        Money::parse(t).as_ref(),
        Some(m),
        "{where_}: money whose text does not parse back to it: {t:?}"
    );
    assert_eq!(m.to_string(), t, "{where_}: Display differs from as_str");
    assert!(
        m.as_f64().is_finite(),
        "{where_}: money that is not a finite number: {t:?}"
    );
}

/// What every outcome keeps, with `done` checking the success value.
pub fn check_outcome<T: std::fmt::Debug>(where_: &str, o: &Outcome<T>, done: impl Fn(&T)) {
    match o {
        Outcome::Done(v) => done(v),
        Outcome::Pending => {}
        Outcome::Busy { error, .. } => {
            check_error(where_, error);
            assert_eq!(
                error.kind(),
                ErrorKind::RateLimited,
                "{where_}: busy but not rate_limited: {error:?}"
            );
            assert!(
                error.retryable(),
                "{where_}: busy but not retryable: {error:?}"
            );
        }
        Outcome::Failed { error, .. } => {
            check_error(where_, error);
            // A reply means `usage` only through a code the table gives that kind (the
            // provider does not solve the kind: `ERROR_TASK_NOT_SUPPORTED`).
            let table_usage = error
                .code()
                .and_then(capbridge::error::lookup_code)
                .is_some_and(|c| c.kind == ErrorKind::Usage);
            assert!(
                !matches!(
                    error.kind(),
                    ErrorKind::Timeout | ErrorKind::Cancelled | ErrorKind::Network
                ) && (error.kind() != ErrorKind::Usage || table_usage),
                "{where_}: a reply cannot mean {}: {error:?}",
                error.kind()
            );
        }
        Outcome::Fault { error, .. } => {
            check_error(where_, error);
            assert_eq!(
                error.kind(),
                ErrorKind::Service,
                "{where_}: a fault that is not a service error: {error:?}"
            );
            assert!(
                error.retryable(),
                "{where_}: a fault that is not retryable: {error:?}"
            );
        }
    }
}

/// A submit's success: a usable id, and an answer when the reply carried one.
pub fn check_accepted(where_: &str, a: &Accepted) {
    check_accepted_of(where_, a, false);
}

/// [`check_accepted`], with a grid's "no tile matches" allowed where `no_tile`.
pub fn check_accepted_of(where_: &str, a: &Accepted, no_tile: bool) {
    match a {
        Accepted::Id(id) => check_task_id(where_, id),
        Accepted::Solved { task_id, answer } => {
            check_task_id(where_, task_id);
            check_answer_of(where_, answer, no_tile);
        }
    }
}

/// A batch reply answers each id once, or sends them all to single polls.
pub fn check_batch(where_: &str, b: &BatchOutcome, count: usize) {
    match b {
        BatchOutcome::Items(items) => {
            assert_eq!(
                items.len(),
                count,
                "{where_}: {} items for {count} ids",
                items.len()
            );
            for item in items {
                if let BatchItem::Ready(a) = item {
                    check_answer(where_, a);
                    assert!(
                        !a.text.contains('|'),
                        "{where_}: a batch answer holding the separator: {a:?}"
                    );
                    assert_ne!(
                        a.text, "CAPCHA_NOT_READY",
                        "{where_}: not-ready read as an answer"
                    );
                }
            }
        }
        BatchOutcome::Alone { refusal, .. } => {
            if let Some((e, _)) = refusal {
                check_error(where_, e);
            }
        }
        BatchOutcome::Fault { error, .. } => {
            check_error(where_, error);
            assert_eq!(
                error.kind(),
                ErrorKind::Service,
                "{where_}: a batch fault that is not a service error: {error:?}"
            );
        }
    }
}

/// Every reply reader of one codec on one reply.
pub fn check_codec_replies(name: &str, codec: &dyn Codec, reply: &Reply, batch_count: usize) {
    // Every kind's answer rule (structured answers, points, cells, cookies) on the same
    // bytes, and a task of unknown kind.
    for kind in capbridge::TaskKind::ALL {
        let no_tile = no_tile_answers(name, Some(kind));
        let submit = codec.read_submit(reply, kind);
        check_outcome(&format!("{name} read_submit {kind}"), &submit, |a| {
            check_accepted_of(name, a, no_tile)
        });
        let poll = codec.read_poll(reply, Some(kind));
        check_outcome(&format!("{name} read_poll {kind}"), &poll, |a| {
            check_answer_of(name, a, no_tile)
        });
    }
    let poll = codec.read_poll(reply, None);
    check_outcome(&format!("{name} read_poll"), &poll, |a| {
        check_answer(name, a)
    });
    let balance = codec.read_balance(reply);
    check_outcome(&format!("{name} read_balance"), &balance, |m| {
        check_money(name, m)
    });
    let report = codec.read_report(reply);
    check_outcome(&format!("{name} read_report"), &report, |_| {});
    if codec.capabilities().batch_polling {
        let kinds: Vec<_> = capbridge::TaskKind::ALL
            .into_iter()
            .cycle()
            .take(batch_count)
            .map(Some)
            .collect();
        let batch = codec.read_batch(reply, &kinds);
        check_batch(&format!("{name} read_batch"), &batch, batch_count);
    }
}

/// Runs of at least 16 letters or digits in `input`: text long enough that finding it in an
/// error means the error repeats the input.
pub fn long_tokens(input: &str) -> Vec<&str> {
    input
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| t.len() >= 16)
        .collect()
}
