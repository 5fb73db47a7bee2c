//! What the client hands back: [`Solution`] and [`SolveEvent`], plain objects in JavaScript
//! (printable, spreadable, `JSON.stringify`-able), built on the JavaScript thread.

use crate::convert::Json;
use napi_derive::napi;

/// A solved captcha.
#[napi(object, object_from_js = false)]
pub struct Solution {
    /// The service's task id (pass it to `report`). Always a string, whatever the service's
    /// id format (numbers beyond 2^53 and UUIDs stay exact).
    pub task_id: String,
    /// The answer: the text in the image, or the token to put in the page.
    pub answer: String,
    /// The user agent the worker solved with: send it with the token (hCaptcha, Turnstile,
    /// and wherever the service returns one).
    pub user_agent: Option<String>,
    /// hCaptcha's `respKey`, when the site uses it.
    pub resp_key: Option<String>,
    /// The price charged, as exact decimal text such as `"0.00299"` (a string, not a number:
    /// a float would turn sums of prices inexact; feed it to a decimal library to do sums).
    /// Absent when the service does not say (the form protocol usually does not).
    pub cost: Option<String>,
    /// The provider that solved it (`"2captcha"`, `"capsolver"`, `"custom"`; with failover,
    /// the one that answered).
    pub provider: String,
    /// The structured answer, with the same names on every provider and in every language
    /// (GeeTest's `challenge`, `validate`, `seccode`; `points`; `cells`; `angle`;
    /// `user_agent`; ...: snake_case, as the sites that check them spell them). A `Raw`
    /// task's data is the provider's solution as received.
    #[napi(ts_type = "Record<string, unknown>")]
    pub data: Json,
    /// The service's final reply as received, as `JSON.parse` would give it.
    #[napi(ts_type = "unknown")]
    pub raw: Json,
}

impl From<capbridge::Solution> for Solution {
    fn from(s: capbridge::Solution) -> Self {
        Solution {
            task_id: s.task_id,
            answer: s.answer,
            user_agent: s.user_agent,
            resp_key: s.resp_key,
            cost: s.cost.map(|m| m.as_str().to_owned()),
            provider: s.provider,
            data: Json(serde_json::Value::Object(s.data)),
            raw: Json(s.raw),
        }
    }
}

/// One step of a solve, as the engine reports it. Never holds the API key or a proxy
/// password (the core redacts every event before handing it out).
#[napi(object, object_from_js = false)]
pub struct SolveEvent {
    /// A number identifying the solve within the process (before a task id exists).
    pub solve_id: f64,
    /// The provider the step happened at.
    pub provider: String,
    /// The task's kind (`"RecaptchaV2"`); absent when a task is collected by id alone.
    #[napi(ts_type = "TaskType")]
    pub task_kind: Option<String>,
    /// The service's task id, once given.
    pub task_id: Option<String>,
    /// Milliseconds since the solve started.
    pub elapsed_ms: f64,
    /// What happened.
    #[napi(
        ts_type = "'submitting' | 'submitted' | 'polled' | 'retrying' | 'switched_provider' | 'shared_limits' | 'solved' | 'failed'"
    )]
    pub step: String,
    /// Attempt number (`submitting`, `retrying`).
    pub attempt: Option<u32>,
    /// Whether the answer was ready (`polled`).
    pub ready: Option<bool>,
    /// Whether the poll was part of a batch poll (`polled`).
    pub batch: Option<bool>,
    /// Where the solve's first wait came from (`polled`): the provider's documented wait, one
    /// learned from the solves seen (`adaptiveWaits`), or the user's `initialDelayMs`.
    #[napi(ts_type = "'documented' | 'learned' | 'user'")]
    pub first_wait: Option<String>,
    /// Whether the service pushed the answer to `callbackListen` instead of a poll (`polled`).
    pub pushed: Option<bool>,
    /// Which request failed (`retrying`).
    #[napi(ts_type = "'submit' | 'poll'")]
    pub stage: Option<String>,
    /// Milliseconds until the next attempt (`retrying`).
    pub delay_ms: Option<f64>,
    /// The provider the solve moves to (`switched_provider`).
    pub to: Option<String>,
    /// Kind of the failure (`retrying`, `switched_provider`, `failed`).
    #[napi(ts_type = "ErrorKind")]
    pub error_kind: Option<String>,
    /// The service's raw code, if any (`retrying`, `switched_provider`, `failed`).
    pub code: Option<String>,
    /// What went wrong (`retrying`, `switched_provider`, `failed`), or what happened to the
    /// shared limits (`shared_limits`: the Redis address without credentials, the reason).
    pub message: Option<String>,
    /// `shared_limits` only: `false` when Redis stopped answering and this process keeps the
    /// key's limits alone (the fleet may then submit up to N times the key's rate), `true`
    /// once the fleet shares them again. This step is not part of a solve: it reaches only a
    /// client-wide `onEvent`, with `solveId` 0 and no task.
    pub shared: Option<bool>,
    /// The whole event as one line of text, for logs.
    pub text: String,
}

impl From<&capbridge::Event> for SolveEvent {
    fn from(e: &capbridge::Event) -> Self {
        // The core's one view of an event: its step's details by name.
        let f = e.fields();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        SolveEvent {
            // Solve ids count up from 1 per process; 2^53 solves are out of reach.
            solve_id: e.solve_id as f64,
            provider: e.provider.clone(),
            task_kind: e.task_kind.map(|k| k.as_str().to_owned()),
            task_id: e.task_id.clone(),
            elapsed_ms: ms(e.elapsed),
            step: e.step.name().to_owned(),
            attempt: f.attempt,
            ready: f.ready,
            batch: f.batch,
            first_wait: f.first_wait.map(|w| w.as_str().to_owned()),
            pushed: f.pushed,
            stage: f.stage.map(|s| s.as_str().to_owned()),
            delay_ms: f.delay.map(ms),
            to: f.to.map(str::to_owned),
            error_kind: f.error_kind.map(|k| k.as_str().to_owned()),
            code: f.code.map(str::to_owned),
            message: f.message.map(|m| crate::errors::JS.names_in(m)),
            shared: f.shared,
            text: crate::errors::JS.names_in(&e.to_string()),
        }
    }
}
