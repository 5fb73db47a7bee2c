//! Named values set one by one from C: the map behind client options, solve options and
//! tasks. It only converts C values into JSON values; every name and value is checked by the
//! core (`options::client_builder`, `options::solve_options`, `Task::from_value`), so the C
//! binding adds no rule of its own.
//!
//! A setter that fails (a NULL name, text that is not UTF-8, JSON that does not parse)
//! returns its status and is also remembered: the first such failure is the error of the
//! call that uses the map, so an unchecked setter cannot silently send less than was meant.

use crate::error::capbridge_status;
use crate::ffi::{self, BadText};
use capbridge_core::Error;
use serde_json::{Map, Value};
use std::ffi::c_char;

/// What the map describes; it decides how errors name an entry.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// Task fields: `invalid_task` errors naming the field. Names are used as given (extra
    /// fields may contain dots).
    Task,
    /// Client or solve options: `usage` errors naming the option. A dotted name
    /// (`limits.submit_interval_ms`) sets a nested option.
    Options,
}

#[derive(Clone)]
pub(crate) struct Fields {
    subject: Subject,
    map: Map<String, Value>,
    first_error: Option<ErrorSlot>,
}

/// The remembered setter failure (an `Error` is not `Clone`; this is).
#[derive(Clone)]
struct ErrorSlot {
    name: String,
    reason: String,
    usage: bool,
}

impl Fields {
    pub(crate) fn new(subject: Subject) -> Fields {
        Fields {
            subject,
            map: Map::new(),
            first_error: None,
        }
    }

    pub(crate) fn with_map(subject: Subject, map: Map<String, Value>) -> Fields {
        Fields {
            subject,
            map,
            first_error: None,
        }
    }

    /// The error about entry `name`.
    pub(crate) fn fault(&self, name: &str, reason: &str) -> Error {
        match self.subject {
            Subject::Task => Error::invalid_field(name, reason),
            Subject::Options => Error::usage(reason).with_option(name),
        }
    }

    /// The first setter failure, if any, else a copy of the map.
    pub(crate) fn map(&self) -> Result<Map<String, Value>, Error> {
        match &self.first_error {
            Some(slot) if slot.usage => Err(Error::usage(slot.reason.clone())),
            Some(slot) => Err(self.fault(&slot.name, &slot.reason)),
            None => Ok(self.map.clone()),
        }
    }

    /// Remembers the first failure and turns the outcome into a status.
    fn record(&mut self, outcome: Result<(), (String, String, bool)>) -> capbridge_status {
        match outcome {
            Ok(()) => capbridge_status::CAPBRIDGE_OK,
            Err((name, reason, usage)) => {
                let status = if usage || self.subject == Subject::Options {
                    capbridge_status::CAPBRIDGE_ERR_USAGE
                } else {
                    capbridge_status::CAPBRIDGE_ERR_INVALID_TASK
                };
                if self.first_error.is_none() {
                    self.first_error = Some(ErrorSlot {
                        name,
                        reason,
                        usage,
                    });
                }
                status
            }
        }
    }

    /// Sets entry `name` (a C string) to the value `make` builds, or records why not.
    /// `make` gets the entry's name (for its own errors) and returns the value or a reason.
    pub(crate) fn set_with(
        &mut self,
        name: *const c_char,
        make: impl FnOnce(&str) -> Result<Value, String>,
    ) -> capbridge_status {
        let outcome = self.try_set(name, make);
        self.record(outcome)
    }

    fn try_set(
        &mut self,
        name: *const c_char,
        make: impl FnOnce(&str) -> Result<Value, String>,
    ) -> Result<(), (String, String, bool)> {
        let name = match ffi::text(name) {
            Ok(n) => n,
            Err(e) => return Err((String::new(), format!("the name {}", e.reason()), true)),
        };
        let value = make(name).map_err(|reason| (name.to_owned(), reason, false))?;
        self.insert(name, value)
            .map_err(|reason| (name.to_owned(), reason, false))
    }

    /// Inserts at `name`; for options a dotted name walks (and makes) nested objects.
    fn insert(&mut self, name: &str, value: Value) -> Result<(), String> {
        if self.subject == Subject::Task || !name.contains('.') {
            self.map.insert(name.to_owned(), value);
            return Ok(());
        }
        let mut parts = name.split('.').peekable();
        let mut map = &mut self.map;
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                map.insert(part.to_owned(), value);
                return Ok(());
            }
            let slot = map
                .entry(part.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            map = match slot {
                Value::Object(m) => m,
                _ => {
                    return Err(format!(
                        "cannot set a nested option: {part} is not an object"
                    ));
                }
            };
        }
        Ok(())
    }

    /// Removes entry `name`.
    pub(crate) fn unset(&mut self, name: *const c_char) -> capbridge_status {
        let outcome = match ffi::text(name) {
            Ok(n) => {
                if self.subject == Subject::Options && n.contains('.') {
                    let (parent, last) = n.rsplit_once('.').unwrap_or(("", n));
                    let mut map = Some(&mut self.map);
                    for part in parent.split('.') {
                        map = map.and_then(|m| match m.get_mut(part) {
                            Some(Value::Object(inner)) => Some(inner),
                            _ => None,
                        });
                    }
                    if let Some(m) = map {
                        m.remove(last);
                    }
                } else {
                    self.map.remove(n);
                }
                Ok(())
            }
            Err(e) => Err((String::new(), format!("the name {}", e.reason()), true)),
        };
        self.record(outcome)
    }

    /// Changes the object at `name` (made if absent) with `edit`. A value of another type set
    /// there earlier is refused, never replaced: an unchecked setter cannot silently send less
    /// than was meant.
    pub(crate) fn edit_object(
        &mut self,
        name: &str,
        edit: impl FnOnce(&mut Map<String, Value>) -> Result<(), String>,
    ) -> capbridge_status {
        let slot = self
            .map
            .entry(name.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        let outcome = match slot {
            Value::Object(m) => edit(m),
            other => Err(set_otherwise(other)),
        };
        self.record(outcome.map_err(|reason| (name.to_owned(), reason, false)))
    }

    /// Appends a `[name, value]` pair to the list at `name` (made if absent). An object set
    /// there earlier (`{"NID": "abc"}`) becomes the list of its pairs first; a value of another
    /// type (cookies as one text, `"A:1;B:2"`) is refused, never replaced.
    pub(crate) fn push(&mut self, name: &str, value: Result<Value, String>) -> capbridge_status {
        let outcome = value.and_then(|v| {
            let slot = self
                .map
                .entry(name.to_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Object(m) = slot {
                let pairs = std::mem::take(m)
                    .into_iter()
                    .map(|(k, v)| Value::Array(vec![Value::String(k), v]))
                    .collect();
                *slot = Value::Array(pairs);
            }
            match slot {
                Value::Array(list) => {
                    list.push(v);
                    Ok(())
                }
                other => Err(set_otherwise(other)),
            }
        });
        self.record(outcome.map_err(|reason| (name.to_owned(), reason, false)))
    }

    /// Records a failure that is not about one entry (a NULL handle has nowhere to record).
    pub(crate) fn fail(&mut self, name: &str, reason: String) -> capbridge_status {
        self.record(Err((name.to_owned(), reason, false)))
    }
}

/// Why an entry cannot be added to `v`, a value of another type set earlier.
fn set_otherwise(v: &Value) -> String {
    let kind = match v {
        Value::String(_) => "a text",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    format!("holds {kind} set earlier, which an entry cannot be added to; set every entry one way")
}

/// A text value from C, or the reason it is refused.
pub(crate) fn text_value(ptr: *const c_char) -> Result<Value, String> {
    ffi::text(ptr)
        .map(|s| Value::String(s.to_owned()))
        .map_err(|e| e.reason().to_owned())
}

/// Text from C for a part of a value (a cookie's name, a data key): `what` says which part.
pub(crate) fn text_part(ptr: *const c_char, what: &str) -> Result<String, String> {
    ffi::text(ptr).map(str::to_owned).map_err(|e| match e {
        BadText::Null => format!("{what} is NULL"),
        BadText::NotUtf8 => format!("{what} is not valid UTF-8"),
    })
}

/// A floating-point value from C (JSON has no NaN or infinity).
pub(crate) fn double_value(v: f64) -> Result<Value, String> {
    serde_json::Number::from_f64(v)
        .map(Value::Number)
        .ok_or_else(|| "is not a finite number".to_owned())
}

/// A JSON value from C text.
pub(crate) fn json_value(ptr: *const c_char) -> Result<Value, String> {
    let text = ffi::text(ptr).map_err(|e| format!("the JSON text {}", e.reason()))?;
    serde_json::from_str(text).map_err(|e| {
        format!(
            "is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })
}
