//! The one mapping from `capbridge::Error` to a Python exception: the class for the error's
//! kind, from `capbridge._errors`, carrying kind, code, retryable, retry_after, task_id and
//! field.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

static CLASS_FOR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn build(py: Python<'_>, e: &capbridge::Error) -> PyResult<PyErr> {
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
    let exc = cls.call((e.to_string(),), Some(&kw))?;
    Ok(PyErr::from_value(exc))
}

/// Converts a core error into the matching `capbridge.*Error` instance.
pub(crate) fn to_py_err(py: Python<'_>, e: capbridge::Error) -> PyErr {
    match build(py, &e) {
        Ok(err) => err,
        // Only if the package's own Python layer is missing or broken.
        Err(inner) => PyRuntimeError::new_err(format!(
            "{e} (and the capbridge exception classes failed to load: {inner})"
        )),
    }
}

/// A `usage` error for bad arguments found in the binding.
pub(crate) fn usage(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_py_err(py, capbridge::Error::usage(message))
}
