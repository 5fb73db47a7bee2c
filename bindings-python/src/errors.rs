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

/// The text of the exception: `[call: ]` or `kind [code]: `, the name at fault, the reason,
/// and the task id.
fn text(e: &capbridge::Error, call: Option<&str>) -> String {
    let mut s = match call {
        Some(c) => format!("{c}: "),
        None => match e.code() {
            Some(code) => format!("{} [{code}]: ", e.kind()),
            None => format!("{}: ", e.kind()),
        },
    };
    if let Some(name) = e.field().or(e.option()) {
        s.push_str(&py_path(name));
        s.push_str(": ");
    }
    s.push_str(&e.message_spelled(py_path));
    if let Some(id) = e.task_id() {
        s.push_str(&format!(" (task {id})"));
    }
    s
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
    use super::py_path;

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
