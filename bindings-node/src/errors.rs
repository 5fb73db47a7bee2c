//! The one mapping from a core error to a JavaScript error: [`to_js_error`].
//!
//! The error is an instance of the package's `CaptchaError` class (defined in JavaScript, in
//! `errors.js`, so that it truly `extends Error`; the package's entry registers it here once
//! per JavaScript environment: the main thread and each worker have their own). It carries
//! `kind`, `code`, `retryable`, `retryAfter` (milliseconds), `taskId`, and the `field` or
//! `option` at fault spelled for JavaScript by [`crate::convert::js_name`], as are the option
//! names a `usage` message cites in its text ([`option_names_in`]). Errors leave the core
//! redacted (no API key, no proxy password); this module only rearranges them.

use crate::convert::{WalkError, js_name};
use crate::raw;
use capbridge::options::{CLIENT_OPTIONS, OptionSpec, ValueType};
use napi::bindgen_prelude::*;
use napi::{Env, sys};
use napi_derive::napi;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Registers the `CaptchaError` class for this environment (called once by `capbridge.js`).
#[napi(js_name = "__registerErrorClass", skip_typescript, catch_unwind)]
pub fn register_error_class(env: Env, class: Function) -> Result<()> {
    let reference = raw::reference(env.raw(), class.raw())?;
    crate::env::state(&env)?.error_class = Some(reference);
    Ok(())
}

/// How JavaScript writes what an error cites: names in camelCase ([`js_name`]), values in
/// JSON's words (the core's own).
pub(crate) const JS: capbridge::error::Spelling = capbridge::error::Spelling {
    name: js_name,
    words: str::to_owned,
};

/// The error's text: the core's one layout (`kind [code]: name: message (task id)`), spelled
/// for JavaScript, the option names a `usage` message cites included.
fn text(e: &capbridge::Error) -> String {
    let text = e.to_string_in(&JS);
    match e.kind() {
        capbridge::ErrorKind::Usage => option_names_in(&text),
        _ => text,
    }
}

/// Every option name of the core's table (nested ones too, and each duration's `_ms` name),
/// in the core's spelling.
fn option_names() -> &'static HashSet<String> {
    fn add(table: &'static [OptionSpec], names: &mut HashSet<String>) {
        for spec in table {
            names.insert(spec.name.to_owned());
            match spec.value {
                ValueType::Duration { .. } => {
                    names.insert(format!("{}_ms", spec.name));
                }
                ValueType::Group(fields) | ValueType::List(fields) => add(fields, names),
                _ => {}
            }
        }
    }
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = HashSet::new();
        add(CLIENT_OPTIONS, &mut names);
        names
    })
}

/// `text` with each option name it cites as a word (`expected an object with provider and
/// api_key`, `needs callback_listen, or shared_limits`) spelled for JavaScript (`apiKey`,
/// `callbackListen`). The core marks the names it cites only after `did you mean ` and
/// `(option ` ([`capbridge::error::Spelling`]), and writes the others plainly, in its own
/// spelling, which is Python's too; so in a `usage` message, a word that is an option's name
/// is that option. Quoted text is the caller's own value (`unknown provider "api_key"`) and
/// is kept.
pub(crate) fn option_names_in(text: &str) -> String {
    let names = option_names();
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut quoted = false;
    let mut escaped = false;
    let flush = |word: &mut String, out: &mut String| {
        if names.contains(word.as_str()) {
            out.push_str(&js_name(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if quoted {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
        } else if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
            quoted = c == '"';
        }
    }
    flush(&mut word, &mut out);
    out
}

fn opt_string(env: sys::napi_env, v: Option<&str>) -> Result<sys::napi_value> {
    match v {
        Some(s) => raw::string(env, s),
        None => raw::undefined(env),
    }
}

fn build(env: &Env, e: &capbridge::Error) -> Result<sys::napi_value> {
    let raw_env = env.raw();
    let details = raw::object(raw_env)?;
    let set = |name: &str, value: sys::napi_value| raw::set_named(raw_env, details, name, value);
    set("kind", raw::string(raw_env, e.kind().as_str())?)?;
    set("code", opt_string(raw_env, e.code())?)?;
    set("retryable", raw::boolean(raw_env, e.retryable())?)?;
    let retry_after = match e.retry_after() {
        Some(d) => raw::double(raw_env, d.as_secs_f64() * 1000.0)?,
        None => raw::undefined(raw_env)?,
    };
    set("retryAfter", retry_after)?;
    set("taskId", opt_string(raw_env, e.task_id())?)?;
    let field = e.field().map(js_name);
    set("field", opt_string(raw_env, field.as_deref())?)?;
    let option = e.option().map(js_name);
    set("option", opt_string(raw_env, option.as_deref())?)?;
    let message = raw::string(raw_env, &text(e))?;

    let class = crate::env::state(env).ok().and_then(|s| s.error_class);
    match class {
        Some(reference) => {
            let ctor = raw::reference_value(raw_env, reference)?;
            raw::new_instance(raw_env, ctor, &[message, details])
        }
        None => {
            // Loaded without the package's entry (`require('capbridge/index.js')`): a plain
            // Error with the same fields, so nothing is lost.
            let out = raw::error(raw_env, message)?;
            raw::set_named(raw_env, out, "name", raw::string(raw_env, "CaptchaError")?)?;
            for name in [
                "kind",
                "code",
                "retryable",
                "retryAfter",
                "taskId",
                "field",
                "option",
            ] {
                let value = raw::named(raw_env, details, name)?;
                raw::set_named(raw_env, out, name, value)?;
            }
            Ok(out)
        }
    }
}

/// The one mapping from a core error to the JavaScript error thrown or rejected with.
pub(crate) fn to_js_error(env: &Env, e: &capbridge::Error) -> Error {
    match build(env, e) {
        // An Error made from a JS value is thrown / rejected as that very value.
        Ok(value) => Error::from(unsafe { Unknown::from_raw_unchecked(env.raw(), value) }),
        Err(inner) => Error::new(
            Status::GenericFailure,
            format!("{} (building the CaptchaError failed: {inner})", text(e)),
        ),
    }
}

/// A failure while preparing a call: an error the user caused (a core error, shown as a
/// `CaptchaError`) or the JavaScript engine failing (passed on as it is).
pub(crate) enum Walked {
    Core(capbridge::Error),
    Napi(Error),
}

impl From<capbridge::Error> for Walked {
    fn from(e: capbridge::Error) -> Self {
        Walked::Core(e)
    }
}

impl From<Error> for Walked {
    fn from(e: Error) -> Self {
        Walked::Napi(e)
    }
}

impl Walked {
    /// A refused task value, as the core reports a bad field: `invalid_task` naming it.
    pub(crate) fn task(e: WalkError) -> Walked {
        match e {
            WalkError::Refused(r) => {
                let path = r.path_text();
                Walked::Core(capbridge::Error::invalid_field(&path, r.reason))
            }
            WalkError::Napi(e) => Walked::Napi(e),
        }
    }

    /// A refused option value, as the core reports a bad option: `usage` naming it.
    pub(crate) fn option(e: WalkError) -> Walked {
        match e {
            WalkError::Refused(r) => {
                let path = r.path_text();
                let reason = if r.binary {
                    bytes_refused(&path, r.reason)
                } else {
                    r.reason
                };
                Walked::Core(capbridge::Error::usage(reason).with_option(path))
            }
            WalkError::Napi(e) => Walked::Napi(e),
        }
    }

    /// The JavaScript error for it.
    pub(crate) fn into_js(self, env: &Env) -> Error {
        match self {
            Walked::Core(e) => to_js_error(env, &e),
            Walked::Napi(e) => e,
        }
    }
}

/// Why bytes are refused as the option at `path`: an option the table reads as text says it
/// expects text (a `Buffer` read from a key file is the likely mistake, and its base64 would
/// have been sent as the key); any other option takes no bytes either.
fn bytes_refused(path: &str, got: String) -> String {
    match capbridge::options::find(path).map(|s| s.value) {
        Some(
            ValueType::Text | ValueType::Choice(_) | ValueType::TextOrWhole | ValueType::TextOrList,
        ) => format!("expected text, {got}"),
        _ => format!("{got}, which no option takes"),
    }
}

/// Every error kind's name, in the core's order (`ERROR_KINDS` in JavaScript).
#[napi(js_name = "__errorKinds", skip_typescript)]
pub fn error_kinds() -> Vec<&'static str> {
    capbridge::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::option_names_in;

    #[test]
    fn option_names_in_messages_are_spelled_for_javascript() {
        for (core, js) in [
            (
                "providers[0]: expected an object with provider and api_key",
                "providers[0]: expected an object with provider and apiKey",
            ),
            (
                "needs callback_listen, or shared_limits (another member)",
                "needs callbackListen, or sharedLimits (another member)",
            ),
            (
                "give limits.submit_interval_ms",
                "give limits.submitIntervalMs",
            ),
            (
                "retry.unknown_submit_retries.",
                "retry.unknownSubmitRetries.",
            ),
            // Words that are no option's name, and the caller's quoted values, stay.
            ("the api_keys of a_b", "the api_keys of a_b"),
            (
                r#"unknown provider "api_key" (api_key)"#,
                r#"unknown provider "api_key" (apiKey)"#,
            ),
            (
                r#"is "a \"soft_id\" b" and soft_id"#,
                r#"is "a \"soft_id\" b" and softId"#,
            ),
            (r#"unclosed "soft_id"#, r#"unclosed "soft_id"#),
            ("", ""),
        ] {
            assert_eq!(option_names_in(core), js);
        }
    }
}
