//! Tasks: the Python task classes hand their keyword arguments here, and the core parses and
//! validates them (`capbridge::task::from_json`), once, when the task is made. The parsed
//! task is kept in a [`NativeTask`] that every solve clones, so nothing is converted again.
//!
//! Images are the one field converted here first, because Python has forms JSON lacks:
//! bytes-like objects and file objects are read to bytes, `os.PathLike` objects are read
//! as files by the core, and text goes to the core as it is (a path, base64 or a `data:`
//! URL, told apart by `ImageToText::from_text`). A map of images (`Raw`'s `files`) has each
//! of its values converted so.

use crate::convert::{bytes_of, is_pathlike, to_json, type_name};
use crate::errors::{to_py_err_in, unfit_field};
use base64::Engine as _;
use capbridge::task::field::FieldRef;
use capbridge::task::spec::FieldType;
use capbridge::{Task, TaskKind};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use serde_json::{Map, Value};

/// A task parsed and validated by the core.
#[pyclass(frozen, module = "capbridge._native")]
pub struct NativeTask {
    pub(crate) task: Task,
}

#[pymethods]
impl NativeTask {
    /// The task kind (`"RecaptchaV2"`).
    #[getter]
    fn kind(&self) -> &'static str {
        self.task.kind().as_str()
    }

    /// The bytes of a media field (an image, a recording) as the core read them; of a map of
    /// images, a dict of their bytes by name.
    fn media<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(match self.task.get(name) {
            FieldRef::Bytes(b) => Some(PyBytes::new(py, b).into_any()),
            FieldRef::Images(m) => {
                let d = PyDict::new(py);
                for (part, bytes) in m {
                    d.set_item(part, PyBytes::new(py, bytes))?;
                }
                Some(d.into_any())
            }
            _ => None,
        })
    }

    /// The proxy as the core shows it, password masked (`http://user:***@1.2.3.4:3128`).
    #[getter]
    fn proxy(&self) -> Option<String> {
        self.task.proxy().map(ToString::to_string)
    }
}

/// The call a task error names: `RecaptchaV2(...)`.
fn call_of(kind: &str) -> String {
    format!("{kind}(...)")
}

/// The fields of a kind that hold bytes (images, recordings, maps of images) and their types:
/// Python gives them in forms JSON lacks, converted here first.
fn media_fields(kind: Option<&str>) -> Vec<(&'static str, FieldType)> {
    kind.and_then(TaskKind::from_name)
        .map(|k| {
            k.spec()
                .fields
                .iter()
                .filter(|f| {
                    matches!(
                        f.ty,
                        FieldType::Image | FieldType::Audio | FieldType::ImageMap
                    )
                })
                .map(|f| (f.name, f.ty))
                .collect()
        })
        .unwrap_or_default()
}

/// A map of images (`Raw`'s `files`) in the form the core reads: each value as
/// [`image_value`] converts it, a failure naming the entry. Anything but a dict goes to the
/// core as it is, which says what it expected.
fn image_map_value(v: &Bound<'_, PyAny>, field: &str) -> PyResult<Result<Value, capbridge::Error>> {
    let Ok(d) = v.cast::<PyDict>() else {
        return Ok(to_json(v, field)?.map_err(unfit_field));
    };
    let mut m = Map::new();
    for (k, item) in d.iter() {
        let Ok(name) = k.cast::<PyString>() else {
            return Ok(Err(capbridge::Error::invalid_field(
                field,
                format!("names must be text, got {}", type_name(&k)),
            )));
        };
        let name = name.to_cow()?.into_owned();
        match image_value(&item, field)? {
            Ok(x) => {
                m.insert(name, x);
            }
            Err(e) => {
                return Ok(Err(capbridge::Error::invalid_field(
                    field,
                    format!("{name}: {}", e.message()),
                )));
            }
        }
    }
    Ok(Ok(Value::Object(m)))
}

/// A media field's value in the form the core reads (text), from any Python form.
fn image_value(v: &Bound<'_, PyAny>, field: &str) -> PyResult<Result<Value, capbridge::Error>> {
    let data_url = |b: &[u8]| {
        Value::String(format!(
            "data:;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(b)
        ))
    };
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Ok(Value::String(s.to_cow()?.into_owned())));
    }
    if let Some(b) = bytes_of(v)? {
        return Ok(Ok(data_url(&b)));
    }
    if is_pathlike(v)? {
        let path: std::path::PathBuf = v.extract()?;
        // A huge file is refused unread (no media field takes more than 1 MB).
        if let Ok(meta) = std::fs::metadata(&path)
            && meta.is_file()
            && meta.len() > capbridge::task::MAX_AUDIO_BYTES as u64
        {
            return Ok(Err(capbridge::Error::invalid_field(
                field,
                format!(
                    "{} is {} bytes; the service accepts at most {}",
                    path.display(),
                    meta.len(),
                    capbridge::task::MAX_AUDIO_BYTES
                ),
            )));
        }
        return Ok(match std::fs::read(&path) {
            Ok(b) => Ok(data_url(&b)),
            Err(e) => Err(capbridge::Error::invalid_field(
                field,
                format!("cannot read the file {}: {e}", path.display()),
            )),
        });
    }
    if v.hasattr("read")? {
        let got = v.call_method0("read")?;
        return Ok(match bytes_of(&got)? {
            Some(b) => Ok(data_url(&b)),
            None => Err(capbridge::Error::invalid_field(
                field,
                format!(
                    "the file object gave {} instead of bytes; open the file in binary mode (\"rb\")",
                    type_name(&got)
                ),
            )),
        });
    }
    Ok(Err(capbridge::Error::invalid_field(
        field,
        format!(
            "expected bytes, a path, base64 text, a data: URL or a binary file object; got {}",
            type_name(v)
        ),
    )))
}

/// A task's fields as a JSON object, converting media fields first.
fn fields_of(
    fields: &Bound<'_, PyDict>,
    kind: Option<&str>,
) -> PyResult<Result<Map<String, Value>, capbridge::Error>> {
    let media = media_fields(kind);
    let mut m = Map::new();
    for (k, v) in fields.iter() {
        let key: String = match k.cast::<PyString>() {
            Ok(s) => s.to_cow()?.into_owned(),
            Err(_) => {
                return Ok(Err(capbridge::Error::invalid_field(
                    "task",
                    format!("field names must be text, got {}", type_name(&k)),
                )));
            }
        };
        if v.is_none() {
            continue;
        }
        let ty = media.iter().find(|(n, _)| *n == key).map(|(_, t)| *t);
        let value = if let Some(ty) = ty {
            let converted = if ty == FieldType::ImageMap {
                image_map_value(&v, &key)?
            } else {
                image_value(&v, &key)?
            };
            match converted {
                Ok(x) => x,
                Err(e) => return Ok(Err(e)),
            }
        } else {
            match to_json(&v, &key)? {
                Ok(x) => x,
                Err(u) => return Ok(Err(unfit_field(u))),
            }
        };
        m.insert(key, value);
    }
    Ok(Ok(m))
}

fn parse(py: Python<'_>, kind: &str, fields: &Bound<'_, PyDict>) -> PyResult<Task> {
    let call = call_of(kind);
    let map = fields_of(fields, Some(kind))?.map_err(|e| to_py_err_in(py, e, &call))?;
    // The core parses and validates with the GIL released: images are decoded and checked.
    py.detach(|| capbridge::task::from_json::task_from_fields(kind, map))
        .map_err(|e| to_py_err_in(py, e, &call))
}

/// Parses and validates a task of `kind` from its keyword arguments.
#[pyfunction]
pub fn parse_task(py: Python<'_>, kind: &str, fields: &Bound<'_, PyDict>) -> PyResult<NativeTask> {
    if TaskKind::from_name(kind).is_none() {
        // The Python classes only pass their own kind; this guards the private API.
        return Err(to_py_err_in(
            py,
            capbridge::Error::invalid_field("type", format!("is not a task type: {kind:?}")),
            "CaptchaTask(...)",
        ));
    }
    Ok(NativeTask {
        task: parse(py, kind, fields)?,
    })
}

/// Parses and validates a task from its dict form (`{"type": "RecaptchaV2", ...}`);
/// returns the kind and the parsed task.
#[pyfunction]
pub fn task_from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<NativeTask> {
    let call = "CaptchaTask.from_dict(...)";
    let Ok(d) = data.cast::<PyDict>() else {
        return Err(to_py_err_in(
            py,
            capbridge::Error::invalid_field(
                "task",
                format!(
                    "expected a dict such as {{\"type\": \"RecaptchaV2\", ...}}, got {}",
                    type_name(data)
                ),
            ),
            call,
        ));
    };
    let named: Option<String> = match d.get_item("type")? {
        Some(t) => t.extract().ok(),
        None => None,
    };
    let mut map = fields_of(d, named.as_deref())?.map_err(|e| to_py_err_in(py, e, call))?;
    let kind = map.get("type").and_then(Value::as_str).map(str::to_owned);
    if let Some(k) = &kind
        && TaskKind::from_name(k).is_some()
    {
        map.remove("type");
        return Ok(NativeTask {
            task: py
                .detach(|| capbridge::task::from_json::task_from_fields(k, map))
                .map_err(|e| to_py_err_in(py, e, &call_of(k)))?,
        });
    }
    // No or an unknown type: the core says which types there are.
    let e = match py.detach(|| Task::from_value(Value::Object(map))) {
        Ok(task) => return Ok(NativeTask { task }),
        Err(e) => e,
    };
    Err(to_py_err_in(py, e, call))
}
