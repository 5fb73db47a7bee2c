//! Reads typed values out of a map of options, each through its entry of the table
//! ([`super::spec`]): the entry gives the value's type and bounds, and only names the table
//! holds are read, so what the readers accept and what the table documents cannot drift.

use super::spec::{OptionSpec, ValueType};
use crate::engine::check_duration;
use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};
use std::mem::discriminant;
use std::time::Duration;

/// A `usage` error naming the option at fault.
pub(super) fn bad(option: &str, reason: impl Into<String>) -> Error {
    Error::usage(reason).with_option(option)
}

/// What [`Reader::text_or_list`] read.
pub(super) enum TextOrList {
    Text(String),
    List(Vec<String>),
}

/// Reads one object of options (the top level, `limits`, an entry of `providers`, ...),
/// remembering which were read so that the rest can be refused by name.
pub(super) struct Reader {
    prefix: String,
    map: Map<String, Value>,
    table: &'static [OptionSpec],
    /// Only the entries a solve takes (the per-call options).
    per_solve_only: bool,
}

impl Reader {
    pub(super) fn new(
        prefix: &str,
        map: Map<String, Value>,
        table: &'static [OptionSpec],
        per_solve_only: bool,
    ) -> Reader {
        Reader {
            prefix: prefix.to_owned(),
            map,
            table,
            per_solve_only,
        }
    }

    /// The option's full name as errors give it (`limits.submit_interval`).
    pub(super) fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    fn known(&self) -> impl Iterator<Item = &'static OptionSpec> + '_ {
        self.table
            .iter()
            .filter(move |s| s.per_solve || !self.per_solve_only)
    }

    /// Refuses to read an option this reader's table does not declare with this type: the
    /// readers would then accept a name or a value the documentation does not have. Never
    /// met by a user (the options table's tests read every entry); a `service` error, as
    /// for every bug, if it ever is.
    fn declared(&self, spec: &OptionSpec, expect: ValueType) -> Result<()> {
        let ok = self
            .known()
            .any(|s| s.name == spec.name && discriminant(&s.value) == discriminant(&expect));
        if ok {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Service,
                format!(
                    "capbridge reads the option {} in a way its table of options does not declare (this is a bug)",
                    self.name(spec.name)
                ),
            ))
        }
    }

    /// Takes a value; `null` counts as absent.
    fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    /// Text, or one of the words of a [`ValueType::Choice`] (as the caller wrote it).
    pub(super) fn text(&mut self, spec: &OptionSpec) -> Result<Option<String>> {
        let expect = match spec.value {
            ValueType::Choice(_) => spec.value,
            _ => ValueType::Text,
        };
        self.declared(spec, expect)?;
        match self.take(spec.name) {
            None => Ok(None),
            Some(Value::String(s)) => {
                if let ValueType::Choice(words) = spec.value {
                    let given = s.trim().to_ascii_lowercase();
                    if !words.contains(&given.as_str()) {
                        let quoted: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
                        return Err(bad(
                            &self.name(spec.name),
                            format!("is {s:?}; expected {}", quoted.join(" or ")),
                        ));
                    }
                }
                Ok(Some(s))
            }
            Some(_) => Err(bad(&self.name(spec.name), "expected text")),
        }
    }

    pub(super) fn text_or_whole(&mut self, spec: &OptionSpec) -> Result<Option<String>> {
        self.declared(spec, ValueType::TextOrWhole)?;
        match self.take(spec.name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(n)) if n.is_u64() => Ok(Some(n.to_string())),
            Some(_) => Err(bad(
                &self.name(spec.name),
                "expected text or a whole number",
            )),
        }
    }

    /// Text, or a list of texts (at least one).
    pub(super) fn text_or_list(&mut self, spec: &OptionSpec) -> Result<Option<TextOrList>> {
        self.declared(spec, ValueType::TextOrList)?;
        let name = self.name(spec.name);
        match self.take(spec.name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(TextOrList::Text(s))),
            Some(Value::Array(items)) if !items.is_empty() => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(bad(&format!("{name}[{i}]"), "expected text")),
                })
                .collect::<Result<Vec<_>>>()
                .map(|l| Some(TextOrList::List(l))),
            Some(_) => Err(bad(&name, "expected text or a list of texts")),
        }
    }

    pub(super) fn flag(&mut self, spec: &OptionSpec) -> Result<Option<bool>> {
        self.declared(spec, ValueType::Bool)?;
        match self.take(spec.name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(bad(&self.name(spec.name), "expected true or false")),
        }
    }

    /// A whole number within the entry's bounds, as `T`.
    pub(super) fn whole<T: TryFrom<u64>>(&mut self, spec: &OptionSpec) -> Result<Option<T>> {
        self.declared(spec, ValueType::Whole { min: 0, max: 0 })?;
        let ValueType::Whole { min, max } = spec.value else {
            return Ok(None);
        };
        let name = self.name(spec.name);
        let range = || match max {
            u64::MAX => "expected a whole number, not negative".to_owned(),
            _ => format!("expected a whole number from {min} to {max}"),
        };
        match self.take(spec.name) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                let n = n.as_u64().ok_or_else(|| bad(&name, range()))?;
                if n < min {
                    return Err(bad(&name, format!("must be at least {min}")));
                }
                if n > max {
                    return Err(bad(&name, range()));
                }
                T::try_from(n).map(Some).map_err(|_| bad(&name, range()))
            }
            Some(_) => Err(bad(&name, "expected a whole number")),
        }
    }

    /// A duration given as `name` (seconds) or `name_ms` (milliseconds), not both, within
    /// the entry's bounds; errors name the option as the caller spelled it
    /// (`request_timeout_ms`, not `request_timeout`).
    pub(super) fn duration(&mut self, spec: &OptionSpec) -> Result<Option<Duration>> {
        let any = Duration::ZERO;
        self.declared(spec, ValueType::Duration { min: any, max: any })?;
        let ValueType::Duration { min, max } = spec.value else {
            return Ok(None);
        };
        let key = spec.name;
        let ms_key = format!("{key}_ms");
        let (secs, ms) = (self.take(key), self.take(&ms_key));
        let (value, per_second, name) = match (secs, ms) {
            (None, None) => return Ok(None),
            (Some(_), Some(_)) => {
                return Err(bad(
                    &self.name(key),
                    format!("given twice, as {key} and as {ms_key}: give one"),
                ));
            }
            (Some(v), None) => (v, 1.0, self.name(key)),
            (None, Some(v)) => (v, 1000.0, self.name(&ms_key)),
        };
        let Some(n) = value.as_f64() else {
            return Err(bad(&name, "expected a number"));
        };
        let secs = n / per_second;
        if !secs.is_finite() || secs < 0.0 {
            return Err(bad(&name, "expected a finite number, not negative"));
        }
        // Compared as floats first: a huge number never reaches the Duration conversion.
        let d = if secs > max.as_secs_f64() {
            max.saturating_add(Duration::from_secs(1))
        } else {
            Duration::from_secs_f64(secs)
        };
        check_duration(&name, Some(d), min, max)?;
        Ok(Some(d))
    }

    /// An object of options: a reader of its fields.
    pub(super) fn group(&mut self, spec: &OptionSpec) -> Result<Option<Reader>> {
        self.declared(spec, ValueType::Group(&[]))?;
        let ValueType::Group(fields) = spec.value else {
            return Ok(None);
        };
        match self.take(spec.name) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(Reader::new(
                &format!("{}.", self.name(spec.name)),
                m,
                fields,
                false,
            ))),
            Some(_) => Err(bad(&self.name(spec.name), "expected an object of options")),
        }
    }

    /// A list of objects of options: a reader of each.
    pub(super) fn list(&mut self, spec: &OptionSpec) -> Result<Option<Vec<Reader>>> {
        self.declared(spec, ValueType::List(&[]))?;
        let ValueType::List(fields) = spec.value else {
            return Ok(None);
        };
        let name = self.name(spec.name);
        let required: Vec<&str> = fields
            .iter()
            .filter(|f| f.default == super::OptionDefault::Required)
            .map(|f| f.name)
            .collect();
        let expected = if required.is_empty() {
            "expected an object of options".to_owned()
        } else {
            format!("expected an object with {}", required.join(" and "))
        };
        match self.take(spec.name) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::Object(m) => Ok(Reader::new(&format!("{name}[{i}]."), m, fields, false)),
                    _ => Err(bad(&format!("{name}[{i}]"), expected.clone())),
                })
                .collect::<Result<Vec<_>>>()
                .map(Some),
            Some(_) => Err(bad(&name, "expected a list of objects of options")),
        }
    }

    /// Fails on any option not read, suggesting the nearest name the table holds.
    pub(super) fn finish(self) -> Result<()> {
        match self.map.keys().next() {
            Some(key) => Err(self.unknown(key)),
            None => Ok(()),
        }
    }

    /// Fails on a name the table does not hold, before anything is read: a misspelt
    /// `apikey` is named as such, not reported as a missing `api_key`.
    pub(super) fn refuse_unknown(&self) -> Result<()> {
        match self.map.keys().find(|k| !self.holds(self.known(), k)) {
            Some(key) => Err(self.unknown(key)),
            None => Ok(()),
        }
    }

    /// Whether one of `specs` is read under `key` (a duration also as `key_ms`).
    fn holds<'s>(&self, mut specs: impl Iterator<Item = &'s OptionSpec>, key: &str) -> bool {
        specs.any(|s| {
            s.name == key
                || matches!(s.value, ValueType::Duration { .. })
                    && key.strip_suffix("_ms") == Some(s.name)
        })
    }

    /// The error for an option the table does not hold, with the nearest name it does.
    fn unknown(&self, key: &str) -> Error {
        if self.per_solve_only && self.holds(self.table.iter(), key) {
            return bad(
                &self.name(key),
                "is a client option, not a per-call one: give it when making the client",
            );
        }
        // A misspelled `timout_ms` (or another library's `timeoutMs`) gets `timeout_ms`: a
        // duration in the unit the caller meant, never `timeout`, which takes seconds.
        let durations: Vec<&str> = self
            .known()
            .filter(|s| matches!(s.value, ValueType::Duration { .. }))
            .map(|s| s.name)
            .collect();
        let known: Vec<&str> = self.known().map(|s| s.name).collect();
        let near = match crate::error::millis_stem(key)
            .and_then(|stem| crate::error::nearest(stem, &durations))
        {
            Some(k) => Some((k, "_ms")),
            None => crate::error::nearest(key, &known).map(|k| (k, "")),
        };
        let reason = match near {
            Some((k, suffix)) => {
                format!("is not an option; did you mean {}{k}{suffix}?", self.prefix)
            }
            None => "is not an option".to_owned(),
        };
        bad(&self.name(key), reason)
    }
}
