//! Python values to JSON values, generically: how keyword arguments (client options, solve
//! options, task fields) reach the core's constructors, which name, type and check each one.
//!
//! A value that JSON cannot hold fails with its path (`limits.submit_interval`,
//! `cookies.NID`) and the Python type it got, so that the caller can raise the core's own
//! error kind naming the option or field, never a bare `TypeError` or `OverflowError`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};

/// Why a value could not be converted, and where.
pub(crate) struct Unfit {
    pub(crate) path: String,
    pub(crate) reason: String,
}

/// Deep enough for any option or task; stops self-referencing containers.
const MAX_DEPTH: usize = 16;

static TIMEDELTA: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static PATHLIKE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static MAPPING: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    Ok(cell
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import(module)?.getattr(name)?.unbind())
        })?
        .bind(py))
}

pub(crate) fn is_pathlike(v: &Bound<'_, PyAny>) -> PyResult<bool> {
    v.is_instance(class(v.py(), &PATHLIKE, "os", "PathLike")?)
}

/// The Python type's name, for messages ("got a set").
pub(crate) fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Converts a Python value; `path` names it in errors.
pub(crate) fn to_json(v: &Bound<'_, PyAny>, path: &str) -> PyResult<Result<Value, Unfit>> {
    to_json_at(v, path, 0)
}

fn unfit(path: &str, reason: impl Into<String>) -> Result<Value, Unfit> {
    Err(Unfit {
        path: path.to_owned(),
        reason: reason.into(),
    })
}

fn to_json_at(v: &Bound<'_, PyAny>, path: &str, depth: usize) -> PyResult<Result<Value, Unfit>> {
    let py = v.py();
    if depth > MAX_DEPTH {
        return Ok(unfit(path, "is nested too deeply"));
    }
    if v.is_none() {
        return Ok(Ok(Value::Null));
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Ok(Value::Bool(b.is_true())));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(n) = v.extract::<i64>() {
            return Ok(Ok(Value::from(n)));
        }
        if let Ok(n) = v.extract::<u64>() {
            return Ok(Ok(Value::from(n)));
        }
        return Ok(unfit(path, "is too large a number"));
    }
    if v.is_instance_of::<PyFloat>() {
        let f: f64 = v.extract()?;
        return Ok(match Number::from_f64(f) {
            Some(n) => Ok(Value::Number(n)),
            None => unfit(path, "expected a finite number, got nan or infinity"),
        });
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Ok(Value::String(s.to_cow()?.into_owned())));
    }
    if v.is_instance_of::<PyBytes>() || v.is_instance_of::<PyByteArray>() {
        return Ok(unfit(path, format!("expected text, got {}", type_name(v))));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        return mapping(d.iter(), path, depth);
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, item) in v.try_iter()?.enumerate() {
            match to_json_at(&item?, &format!("{path}[{i}]"), depth + 1)? {
                Ok(x) => out.push(x),
                Err(e) => return Ok(Err(e)),
            }
        }
        return Ok(Ok(Value::Array(out)));
    }
    if v.is_instance(class(py, &TIMEDELTA, "datetime", "timedelta")?)? {
        let secs: f64 = v.call_method0("total_seconds")?.extract()?;
        return Ok(Ok(Number::from_f64(secs).map_or(Value::Null, Value::Number)));
    }
    if v.is_instance(class(py, &DECIMAL, "decimal", "Decimal")?)? {
        let f: f64 = v.call_method0("__float__")?.extract()?;
        return Ok(match Number::from_f64(f) {
            Some(n) => Ok(Value::Number(n)),
            None => unfit(path, "expected a finite number, got nan or infinity"),
        });
    }
    if is_pathlike(v)? {
        let s = py.import("os")?.getattr("fspath")?.call1((v,))?;
        return to_json_at(&s, path, depth + 1);
    }
    if v.is_instance(class(py, &MAPPING, "collections.abc", "Mapping")?)? {
        let items = v.call_method0("items")?;
        let mut pairs = Vec::new();
        for item in items.try_iter()? {
            let (k, val): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
            pairs.push((k, val));
        }
        return mapping(pairs.into_iter(), path, depth);
    }
    Ok(unfit(
        path,
        format!(
            "expected text, a number, True or False, a list or a dict; got {}",
            type_name(v)
        ),
    ))
}

fn mapping<'py>(
    items: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    path: &str,
    depth: usize,
) -> PyResult<Result<Value, Unfit>> {
    let mut m = Map::new();
    for (k, val) in items {
        let Ok(key) = k.cast::<PyString>() else {
            return Ok(unfit(
                path,
                format!("its keys must be text, got {}", type_name(&k)),
            ));
        };
        let key = key.to_cow()?.into_owned();
        match to_json_at(&val, &child(path, &key), depth + 1)? {
            Ok(x) => {
                m.insert(key, x);
            }
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(Value::Object(m)))
}

/// A dict of keyword arguments as a JSON object; `None` values are left out (unset).
pub(crate) fn kwargs(d: Option<&Bound<'_, PyDict>>) -> PyResult<Result<Map<String, Value>, Unfit>> {
    let mut m = Map::new();
    let Some(d) = d else { return Ok(Ok(m)) };
    for (k, v) in d.iter() {
        let Ok(key) = k.cast::<PyString>() else {
            return Ok(Err(Unfit {
                path: String::new(),
                reason: format!("option names must be text, got {}", type_name(&k)),
            }));
        };
        if v.is_none() {
            continue;
        }
        let key = key.to_cow()?.into_owned();
        match to_json(&v, &key)? {
            Ok(x) => {
                m.insert(key, x);
            }
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(m))
}

/// The bytes of a bytes-like object (`bytes`, `bytearray`, `memoryview`), if it is one.
pub(crate) fn bytes_of(v: &Bound<'_, PyAny>) -> PyResult<Option<Vec<u8>>> {
    if let Ok(b) = v.cast::<PyBytes>() {
        return Ok(Some(b.as_bytes().to_vec()));
    }
    if let Ok(b) = v.cast::<PyByteArray>() {
        return Ok(Some(b.to_vec()));
    }
    if v.hasattr("__buffer__")? || type_name(v) == "memoryview" {
        let b = v.py().import("builtins")?.getattr("bytes")?.call1((v,))?;
        return Ok(Some(b.cast::<PyBytes>()?.as_bytes().to_vec()));
    }
    Ok(None)
}
