//! The one mapping from a core error to a JavaScript error: [`to_js_error`].
//!
//! The error is an instance of the package's `CaptchaError` class (defined in JavaScript, in
//! `errors.js`, so that it truly `extends Error`; the package's entry registers it here once
//! per JavaScript environment: the main thread and each worker have their own). It carries
//! `kind`, `code`, `retryable`, `retryAfter` (milliseconds), `taskId`, and the `field` or
//! `option` at fault spelled for JavaScript by [`crate::convert::js_name`]. Errors leave the
//! core redacted (no API key, no proxy password); this module only rearranges them.

use crate::convert::{WalkError, js_name};
use crate::raw;
use napi::bindgen_prelude::*;
use napi::{Env, sys};
use napi_derive::napi;

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
/// for JavaScript.
fn text(e: &capbridge::Error) -> String {
    e.to_string_in(&JS)
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
                Walked::Core(capbridge::Error::usage(r.reason).with_option(path))
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

/// Every error kind's name, in the core's order (`ERROR_KINDS` in JavaScript).
#[napi(js_name = "__errorKinds", skip_typescript)]
pub fn error_kinds() -> Vec<&'static str> {
    capbridge::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect()
}
