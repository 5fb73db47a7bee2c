//! What a solve returns.

use crate::codec::Answer;
use crate::money::Money;
use serde_json::Value;

/// A solved captcha. Serializes with its field names (for a log line, a cache, a queue to
/// another process); `cost` as the exact decimal text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Solution {
    /// The service's task id (use it to report the answer good or bad).
    pub task_id: String,
    /// The answer: the one text a user pastes (the token to put in the page, the text in the
    /// image, a cookie's value; structured answers as compact JSON of `data`).
    pub answer: String,
    /// The structured answer, with the same names on every provider: GeeTest's `challenge`,
    /// `validate`, `seccode`; Amazon's `captcha_voucher` and `existing_token`; `points`,
    /// `cells`, `angle`, `cookies`, `user_agent`; for a [`crate::Raw`] task, the provider's
    /// solution as received. Each kind's entries are listed in its declaration
    /// (`TaskKind::spec().data`).
    pub data: serde_json::Map<String, Value>,
    /// The user agent the worker solved with; send it with the token (hCaptcha, Turnstile,
    /// and wherever the service returns one).
    pub user_agent: Option<String>,
    /// hCaptcha's `respKey`, when the site uses it.
    pub resp_key: Option<String>,
    /// The price charged, exactly as the service wrote it, when it says (the form protocol
    /// usually does not).
    pub cost: Option<Money>,
    /// The provider that solved it (`"2captcha"`, `"capsolver"`, `"custom"`): with several
    /// providers in failover, the one that answered.
    pub provider: String,
    /// The service's final reply as received, as JSON (its solution fields included).
    pub raw: Value,
}

impl Solution {
    /// The one place an answer becomes a solution.
    pub(crate) fn new(task_id: &str, provider: &str, answer: Answer) -> Solution {
        Solution {
            task_id: task_id.to_owned(),
            answer: answer.text,
            data: answer.data,
            user_agent: answer.user_agent,
            resp_key: answer.resp_key,
            cost: answer.cost,
            provider: provider.to_owned(),
            raw: answer.raw,
        }
    }
}
