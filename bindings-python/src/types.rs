//! `Solution` and `Event`: native, immutable, cheap to create for every solve.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A solved captcha.
#[pyclass(frozen, module = "capbridge", name = "Solution")]
pub struct Solution {
    /// The service's task id (for `report`).
    #[pyo3(get)]
    pub task_id: String,
    /// The answer: text, or the token to put in the page.
    #[pyo3(get)]
    pub answer: String,
    /// The worker's user agent (hCaptcha, Turnstile); send it with the token.
    #[pyo3(get)]
    pub user_agent: Option<String>,
    /// hCaptcha's respKey.
    #[pyo3(get)]
    pub resp_key: Option<String>,
    /// Price charged, when the service says it.
    #[pyo3(get)]
    pub cost: Option<f64>,
    raw_json: String,
}

impl From<capbridge::Solution> for Solution {
    fn from(s: capbridge::Solution) -> Self {
        Solution {
            task_id: s.task_id,
            answer: s.answer,
            user_agent: s.user_agent,
            resp_key: s.resp_key,
            cost: s.cost,
            raw_json: s.raw.to_string(),
        }
    }
}

#[pymethods]
impl Solution {
    /// The whole final reply as a dict (a new dict on every access).
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let loads = JSON_LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("json")?.getattr("loads")?.unbind())
        })?;
        loads.bind(py).call1((self.raw_json.as_str(),))
    }

    fn __repr__(&self) -> String {
        fn opt(v: &Option<String>) -> String {
            v.as_ref()
                .map_or_else(|| "None".to_owned(), |s| format!("{s:?}"))
        }
        format!(
            "Solution(task_id={:?}, answer={:?}, user_agent={}, resp_key={}, cost={})",
            self.task_id,
            self.answer,
            opt(&self.user_agent),
            opt(&self.resp_key),
            self.cost
                .map_or_else(|| "None".to_owned(), |c| c.to_string()),
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<Solution>() {
            Ok(o) => {
                let o = o.get();
                self.task_id == o.task_id
                    && self.answer == o.answer
                    && self.user_agent == o.user_agent
                    && self.resp_key == o.resp_key
                    && self.cost == o.cost
                    && self.raw_json == o.raw_json
            }
            Err(_) => false,
        }
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.task_id.hash(&mut h);
        self.answer.hash(&mut h);
        h.finish()
    }
}

/// One step of a solve, as the engine reports it.
#[pyclass(frozen, module = "capbridge", name = "Event")]
pub struct Event {
    /// A number identifying the solve within the process.
    #[pyo3(get)]
    pub solve_id: u64,
    /// The task kind (`"RecaptchaV2"`).
    #[pyo3(get)]
    pub task_kind: String,
    /// The service's task id, once given.
    #[pyo3(get)]
    pub task_id: Option<String>,
    /// Seconds since the solve started.
    #[pyo3(get)]
    pub elapsed: f64,
    /// `submitting`, `submitted`, `polled`, `retrying`, `solved` or `failed`.
    #[pyo3(get)]
    pub step: String,
    /// Attempt number (`submitting`, `retrying`).
    #[pyo3(get)]
    pub attempt: Option<u32>,
    /// Whether the answer was ready (`polled`).
    #[pyo3(get)]
    pub ready: Option<bool>,
    /// Whether the poll was part of a batch (`polled`).
    #[pyo3(get)]
    pub batch: Option<bool>,
    /// `submit` or `poll` (`retrying`).
    #[pyo3(get)]
    pub stage: Option<String>,
    /// Seconds until the next attempt (`retrying`).
    #[pyo3(get)]
    pub delay: Option<f64>,
    /// Error kind (`retrying`, `failed`).
    #[pyo3(get)]
    pub error_kind: Option<String>,
    /// Raw code (`retrying`, `failed`).
    #[pyo3(get)]
    pub code: Option<String>,
    /// What went wrong (`retrying`, `failed`).
    #[pyo3(get)]
    pub message: Option<String>,
    text: String,
}

impl From<&capbridge::Event> for Event {
    fn from(e: &capbridge::Event) -> Self {
        use capbridge::{Stage, Step};
        let mut ev = Event {
            solve_id: e.solve_id,
            task_kind: e.task_kind.as_str().to_owned(),
            task_id: e.task_id.clone(),
            elapsed: e.elapsed.as_secs_f64(),
            step: e.step.name().to_owned(),
            attempt: None,
            ready: None,
            batch: None,
            stage: None,
            delay: None,
            error_kind: None,
            code: None,
            message: None,
            text: e.to_string(),
        };
        match &e.step {
            Step::Submitting { attempt } => ev.attempt = Some(*attempt),
            Step::Polled { ready, batch } => {
                ev.ready = Some(*ready);
                ev.batch = Some(*batch);
            }
            Step::Retrying {
                stage,
                attempt,
                delay,
                error_kind,
                code,
                message,
            } => {
                ev.stage = Some(match stage {
                    Stage::Submit => "submit".into(),
                    Stage::Poll => "poll".into(),
                });
                ev.attempt = Some(*attempt);
                ev.delay = Some(delay.as_secs_f64());
                ev.error_kind = Some(error_kind.as_str().into());
                ev.code = code.clone();
                ev.message = Some(message.clone());
            }
            Step::Failed {
                error_kind,
                code,
                message,
            } => {
                ev.error_kind = Some(error_kind.as_str().into());
                ev.code = code.clone();
                ev.message = Some(message.clone());
            }
            _ => {}
        }
        ev
    }
}

#[pymethods]
impl Event {
    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!("<Event {}>", self.text)
    }
}
