//! What a solve returns.

use serde_json::Value;

/// A solved captcha.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The service's task id (use it to report the answer good or bad).
    pub task_id: String,
    /// The answer: the text in the image, or the token to put in the page.
    pub answer: String,
    /// The user agent the worker solved with; send it with the token (hCaptcha, Turnstile).
    pub user_agent: Option<String>,
    /// hCaptcha's `respKey`, when the site uses it.
    pub resp_key: Option<String>,
    /// The price charged, when the service says it (the form protocol usually does not).
    pub cost: Option<f64>,
    /// The whole final reply as JSON.
    pub raw: Value,
}
