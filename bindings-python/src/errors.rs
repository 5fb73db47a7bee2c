//! The one mapping from `capbridge::Error` to a Python exception: the class for the error's
//! kind, from `capbridge._errors`, carrying kind, code, retryable, retry_after, task_id,
//! field and option, with a message that names things the way a Python user wrote them.
//!
//! The core names a task field or option by its snake_case path (`website_key`,
//! `limits.submit_interval`, `providers[0].api_key`); Python spells nested keys as
//! subscripts (`limits["submit_interval"]`). Errors found while converting a call's
//! arguments start with the call (`RecaptchaV2(...)`, `Client(...)`); errors of an
//! operation start with their kind and the service's code, as in every language.

use crate::convert::Unfit;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

static CLASS_FOR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A core path in Python's spelling: `limits.submit_interval` -> `limits["submit_interval"]`.
pub(crate) fn py_path(path: &str) -> String {
    let split = path.find(['.', '[']).unwrap_or(path.len());
    let (head, mut rest) = path.split_at(split);
    let mut out = head.to_owned();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').map_or(r.len(), |i| i + 1);
            out.push('[');
            out.push_str(&r[..end]);
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            out.push_str(&format!("[{:?}]", &r[..end]));
            rest = &r[end..];
        } else {
            out.push_str(rest);
            break;
        }
    }
    out
}

/// JSON's words for values, as the core's reasons use them, and Python's.
const PY_WORDS: [(&str, &str); 3] = [
    ("true or false", "True or False"),
    ("an object", "a dict"),
    ("null", "None"),
];

/// A core reason in Python's words for values: `true or false` -> `True or False`, `an
/// object` -> `a dict`, `null` -> `None` (whole words only). The core words its reasons for
/// JSON, which every binding reads; this is where Python's spelling of them lives, beside
/// [`py_path`].
pub(crate) fn py_words(reason: &str) -> String {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = reason.to_owned();
    for (json, py) in PY_WORDS {
        let mut from = 0;
        while let Some(i) = out[from..].find(json).map(|i| i + from) {
            let end = i + json.len();
            let before = out[..i].chars().next_back().is_some_and(word);
            let after = out[end..].chars().next().is_some_and(word);
            if before || after {
                from = end;
                continue;
            }
            out.replace_range(i..end, py);
            from = i + py.len();
        }
    }
    out
}

/// How Python writes what an error cites: paths with subscripts ([`py_path`]), values in
/// Python's words ([`py_words`]).
pub(crate) const PYTHON: capbridge::error::Spelling = capbridge::error::Spelling {
    name: py_path,
    words: py_words,
};

/// The text of the exception: the core's one layout (`kind [code]: name: reason (task id)`)
/// in Python's spelling, led by the call instead of the kind for errors in a call's own
/// arguments (`RecaptchaV2(...): website_key: ...`).
fn text(e: &capbridge::Error, call: Option<&str>) -> String {
    match call {
        Some(c) => e.to_string_after(c, &PYTHON),
        None => e.to_string_in(&PYTHON),
    }
}

fn build(py: Python<'_>, e: &capbridge::Error, call: Option<&str>) -> PyResult<PyErr> {
    let class_for = CLASS_FOR.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py
            .import("capbridge._errors")?
            .getattr("_class_for")?
            .unbind())
    })?;
    let cls = class_for.bind(py).call1((e.kind().as_str(),))?;
    let kw = PyDict::new(py);
    kw.set_item("kind", e.kind().as_str())?;
    kw.set_item("code", e.code())?;
    kw.set_item("retryable", e.retryable())?;
    kw.set_item("retry_after", e.retry_after().map(|d| d.as_secs_f64()))?;
    kw.set_item("task_id", e.task_id())?;
    kw.set_item("field", e.field())?;
    kw.set_item("option", e.option())?;
    let exc = cls.call((text(e, call),), Some(&kw))?;
    Ok(PyErr::from_value(exc))
}

/// Converts a core error into the matching `capbridge.*Error` instance.
pub(crate) fn to_py_err(py: Python<'_>, e: capbridge::Error) -> PyErr {
    raise(py, e, None)
}

/// Converts a core error found while taking the arguments of `call` (`"RecaptchaV2(...)"`).
pub(crate) fn to_py_err_in(py: Python<'_>, e: capbridge::Error, call: &str) -> PyErr {
    raise(py, e, Some(call))
}

fn raise(py: Python<'_>, e: capbridge::Error, call: Option<&str>) -> PyErr {
    match build(py, &e, call) {
        Ok(err) => err,
        // Only if the package's own Python layer is missing or broken.
        Err(inner) => PyRuntimeError::new_err(format!(
            "{e} (and the capbridge exception classes failed to load: {inner})"
        )),
    }
}

/// An option that could not be converted, as the core's `usage` error naming it.
pub(crate) fn unfit_option(u: Unfit) -> capbridge::Error {
    let e = capbridge::Error::usage(u.reason);
    if u.path.is_empty() {
        e
    } else {
        e.with_option(u.path)
    }
}

/// A task field that could not be converted, as the core's `invalid_task` error naming it.
pub(crate) fn unfit_field(u: Unfit) -> capbridge::Error {
    let path = if u.path.is_empty() { "task" } else { &u.path };
    capbridge::Error::invalid_field(path, u.reason)
}

#[cfg(test)]
mod tests {
    use super::{py_path, py_words};

    #[test]
    fn values_read_as_python() {
        assert_eq!(
            py_words("expected true or false, got text"),
            "expected True or False, got text"
        );
        assert_eq!(
            py_words("expected an object of names and values, or an object"),
            "expected a dict of names and values, or a dict"
        );
        assert_eq!(
            py_words("an extra field's value may not be null (leave it out)"),
            "an extra field's value may not be None (leave it out)"
        );
        assert_eq!(py_words("nullable an objective"), "nullable an objective");
    }

    #[test]
    fn paths_read_as_python() {
        assert_eq!(py_path("timeout"), "timeout");
        assert_eq!(
            py_path("limits.submit_interval"),
            r#"limits["submit_interval"]"#
        );
        assert_eq!(
            py_path("providers[0].api_key"),
            r#"providers[0]["api_key"]"#
        );
        assert_eq!(py_path("cookies[0]"), "cookies[0]");
        assert_eq!(py_path("data.a b"), r#"data["a b"]"#);
    }
}
