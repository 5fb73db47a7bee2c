//! `Solution` and `Event`: native, immutable, cheap to create for every solve. Money
//! (`Solution.cost`, `balance()`) becomes `decimal.Decimal` from the core's exact text.

use crate::convert::to_json;
use crate::errors::to_py_err_in;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `decimal.Decimal(text)`.
pub(crate) fn decimal<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let cls = DECIMAL.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("decimal")?.getattr("Decimal")?.unbind())
    })?;
    cls.bind(py).call1((text,))
}

/// How much of an answer a `repr` shows before cutting it.
const REPR_ANSWER: usize = 24;

/// `json.loads(text)`.
fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let loads = JSON_LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.bind(py).call1((text,))
}

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
    /// The provider that solved it (`"2captcha"`, `"capsolver"`, `"custom"`).
    #[pyo3(get)]
    pub provider: String,
    cost: Option<String>,
    data_json: String,
    raw_json: String,
}

impl From<capbridge::Solution> for Solution {
    fn from(s: capbridge::Solution) -> Self {
        Solution {
            task_id: s.task_id,
            answer: s.answer,
            user_agent: s.user_agent,
            resp_key: s.resp_key,
            provider: s.provider,
            cost: s.cost.map(|m| m.as_str().to_owned()),
            data_json: serde_json::Value::Object(s.data).to_string(),
            raw_json: s.raw.to_string(),
        }
    }
}

#[pymethods]
impl Solution {
    /// A solution (for tests and mocks; solves make their own).
    #[new]
    #[allow(clippy::too_many_arguments)] // the fields, as Python passes them
    #[pyo3(
        signature = (task_id, answer, user_agent=None, resp_key=None, cost=None, provider="custom".to_owned(), raw=None, data=None),
        text_signature = "(task_id, answer, user_agent=None, resp_key=None, cost=None, provider='custom', raw=None, data=None)"
    )]
    fn new(
        py: Python<'_>,
        task_id: String,
        answer: String,
        user_agent: Option<String>,
        resp_key: Option<String>,
        cost: Option<Bound<'_, PyAny>>,
        provider: String,
        raw: Option<Bound<'_, PyAny>>,
        data: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let bad = |field: &str, reason: String| {
            to_py_err_in(
                py,
                capbridge::Error::usage(reason).with_option(field),
                "Solution(...)",
            )
        };
        let cost = match cost {
            None => None,
            Some(c) => {
                let text = c.str()?.to_cow()?.into_owned();
                match capbridge::Money::parse(&text) {
                    Some(m) => Some(m.as_str().to_owned()),
                    None => return Err(bad("cost", "expected a decimal amount".into())),
                }
            }
        };
        let raw_json = match raw {
            None => "{}".to_owned(),
            Some(r) => match to_json(&r, "raw")? {
                Ok(v) => v.to_string(),
                Err(u) => return Err(bad(&u.path, u.reason)),
            },
        };
        let data_json = match data {
            None => "{}".to_owned(),
            Some(d) => match to_json(&d, "data")? {
                Ok(v @ serde_json::Value::Object(_)) => v.to_string(),
                Ok(_) => return Err(bad("data", "expected a dict".into())),
                Err(u) => return Err(bad(&u.path, u.reason)),
            },
        };
        Ok(Solution {
            task_id,
            answer,
            user_agent,
            resp_key,
            provider,
            cost,
            data_json,
            raw_json,
        })
    }

    /// The structured answer, with the same names on every provider (GeeTest's `challenge`,
    /// `validate`, `seccode`; `points`; `cells`; `angle`; ...): a new dict on every access.
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.data_json)
    }

    /// The price charged, exactly as the service wrote it, when it says.
    #[getter]
    fn cost<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.cost.as_deref().map(|c| decimal(py, c)).transpose()
    }

    /// The whole final reply as a dict (a new dict on every access).
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.raw_json)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let s = slf.get();
        let args = (
            s.task_id.as_str(),
            s.answer.as_str(),
            s.user_agent.as_deref(),
            s.resp_key.as_deref(),
            s.cost(py)?,
            s.provider.as_str(),
            s.raw(py)?,
            s.data(py)?,
        );
        PyTuple::new(
            py,
            [
                slf.get_type().into_any(),
                args.into_pyobject(py)?.into_any(),
            ],
        )
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        // Python's own quoting and escapes for every text, as a dataclass's repr has.
        let quoted = |t: &str| -> PyResult<String> {
            Ok(pyo3::types::PyString::new(py, t).repr()?.to_string())
        };
        let answer = if self.answer.chars().count() > REPR_ANSWER {
            let head: String = self.answer.chars().take(REPR_ANSWER).collect();
            let mut q = quoted(&head)?;
            // `'03AGdBq2…'`: the mark goes inside the closing quote.
            let close = q.pop().unwrap_or('\'');
            format!("{q}…{close} ({} chars)", self.answer.chars().count())
        } else {
            quoted(&self.answer)?
        };
        let mut s = format!(
            "Solution(task_id={}, answer={answer}, provider={}",
            quoted(&self.task_id)?,
            quoted(self.provider.as_str())?
        );
        if let Some(c) = &self.cost {
            s.push_str(&format!(", cost=Decimal('{c}')"));
        }
        if self.user_agent.is_some() {
            s.push_str(", user_agent=…");
        }
        if self.resp_key.is_some() {
            s.push_str(", resp_key=…");
        }
        s.push(')');
        Ok(s)
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
                    && self.provider == o.provider
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
#[pyclass(frozen, module = "capbridge", name = "SolveEvent")]
pub struct Event {
    /// A number identifying the solve within the process.
    #[pyo3(get)]
    pub solve_id: u64,
    /// The provider the step happened at.
    #[pyo3(get)]
    pub provider: String,
    /// The task kind (`"RecaptchaV2"`); `None` when a task is waited for by id alone.
    #[pyo3(get)]
    pub task_kind: Option<&'static str>,
    /// The service's task id, once given.
    #[pyo3(get)]
    pub task_id: Option<String>,
    /// Seconds since the solve started.
    #[pyo3(get)]
    pub elapsed: f64,
    /// `submitting`, `submitted`, `polled`, `retrying`, `switched_provider`, `solved`,
    /// `failed`, or `shared_limits` (not part of a solve: the key's limits moved between
    /// Redis and this process).
    #[pyo3(get)]
    pub step: &'static str,
    /// Attempt number (`submitting`, `retrying`).
    #[pyo3(get)]
    pub attempt: Option<u32>,
    /// Whether the answer was ready (`polled`).
    #[pyo3(get)]
    pub ready: Option<bool>,
    /// Whether the poll was part of a batch (`polled`).
    #[pyo3(get)]
    pub batch: Option<bool>,
    /// Where the solve's first wait came from: `documented`, `learned` (`adaptive_waits`) or
    /// `user` (`initial_delay`) (`polled`).
    #[pyo3(get)]
    pub first_wait: Option<&'static str>,
    /// Whether the service pushed the answer to `callback_listen` instead of a poll (`polled`).
    #[pyo3(get)]
    pub pushed: Option<bool>,
    /// `submit` or `poll` (`retrying`).
    #[pyo3(get)]
    pub stage: Option<&'static str>,
    /// Seconds until the next attempt (`retrying`).
    #[pyo3(get)]
    pub delay: Option<f64>,
    /// The provider a solve moves to (`switched_provider`).
    #[pyo3(get)]
    pub to: Option<String>,
    /// Error kind (`retrying`, `switched_provider`, `failed`).
    #[pyo3(get)]
    pub error_kind: Option<&'static str>,
    /// Raw code (`retrying`, `switched_provider`, `failed`).
    #[pyo3(get)]
    pub code: Option<String>,
    /// What went wrong (`retrying`, `switched_provider`, `failed`), or what happened
    /// (`shared_limits`).
    #[pyo3(get)]
    pub message: Option<String>,
    /// Whether the fleet shares the key's limits through Redis again (`True`) or this
    /// process keeps them alone because Redis does not answer (`False`) (`shared_limits`).
    #[pyo3(get)]
    pub shared: Option<bool>,
    text: String,
}

impl From<&capbridge::Event> for Event {
    fn from(e: &capbridge::Event) -> Self {
        // The core's one view of an event: its step's details by name.
        let f = e.fields();
        Event {
            solve_id: e.solve_id,
            provider: e.provider.clone(),
            task_kind: e.task_kind.map(|k| k.as_str()),
            task_id: e.task_id.clone(),
            elapsed: e.elapsed.as_secs_f64(),
            step: e.step.name(),
            attempt: f.attempt,
            ready: f.ready,
            batch: f.batch,
            first_wait: f.first_wait.map(|w| w.as_str()),
            pushed: f.pushed,
            stage: f.stage.map(|s| s.as_str()),
            delay: f.delay.map(|d| d.as_secs_f64()),
            to: f.to.map(str::to_owned),
            error_kind: f.error_kind.map(|k| k.as_str()),
            code: f.code.map(str::to_owned),
            message: f.message.map(|m| crate::errors::PYTHON.names_in(m)),
            shared: f.shared,
            text: crate::errors::PYTHON.names_in(&e.to_string()),
        }
    }
}

#[pymethods]
impl Event {
    fn __str__(&self) -> &str {
        &self.text
    }

    /// Every field by name (those a step does not have as `None`): what a JSON log line or a
    /// queue to another process takes.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let d = pyo3::types::PyDict::new(py);
        d.set_item("solve_id", self.solve_id)?;
        d.set_item("provider", &self.provider)?;
        d.set_item("task_kind", self.task_kind)?;
        d.set_item("task_id", &self.task_id)?;
        d.set_item("elapsed", self.elapsed)?;
        d.set_item("step", self.step)?;
        d.set_item("attempt", self.attempt)?;
        d.set_item("ready", self.ready)?;
        d.set_item("batch", self.batch)?;
        d.set_item("first_wait", self.first_wait)?;
        d.set_item("pushed", self.pushed)?;
        d.set_item("stage", self.stage)?;
        d.set_item("delay", self.delay)?;
        d.set_item("to", &self.to)?;
        d.set_item("error_kind", self.error_kind)?;
        d.set_item("code", &self.code)?;
        d.set_item("message", &self.message)?;
        d.set_item("shared", self.shared)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!("<SolveEvent {}>", self.text)
    }
}
