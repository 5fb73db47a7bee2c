//! Client options and per-solve options: named values handed to the core's one options
//! constructor (`capbridge_core::options`), which names, types and checks them.

use crate::boundary::ffi_boundary;
use crate::cancel::capbridge_cancel_token;
use crate::error::capbridge_status;
use crate::events::{EventSink, capbridge_event_callback};
use crate::ffi;
use crate::fields::{self, Fields, Subject};
use capbridge_core::{CancelToken, Error, SolveOptions};
use serde_json::{Map, Value};
use std::ffi::{c_char, c_void};

/// \brief The options of a client, set by name, then given to capbridge_client_new().
///
/// Made by capbridge_options_new(), freed with capbridge_options_free() (a client keeps its own
/// copy). Names are snake_case, durations in milliseconds with the `_ms` suffix:
///
/// Options (generated from capbridge's table of options):
/// provider (a preset: "bigcaptcha", "captchaai", "2captcha", "rucaptcha", "nextcaptcha",
/// "anti-captcha", "capmonster", "capsolver", "2captcha-v2"; or a base URL), api_key, protocol
/// ("form" or "json"), base_url, providers (a list: capbridge_options_add_provider()),
/// failover.busy_for_ms, failover.outage_attempts, failover.on_unsolvable, timeout_ms,
/// initial_delay_ms, poll_interval_ms, request_timeout_ms, max_concurrent_requests,
/// batch_polling, json_replies, header_acao, debug_dump, soft_id, limits.submit_interval_ms,
/// limits.submit_window_ms, limits.submits_per_window, limits.polls_per_task,
/// limits.poll_allowance, limits.max_polls_per_task, limits.min_poll_interval_ms,
/// limits.balance_interval_ms, limits.no_slot_wait_ms, limits.rate_limit_wait_ms,
/// limits.zero_balance_wait_ms, retry.base_delay_ms, retry.max_delay_ms,
/// retry.unknown_submit_retries, retry.max_attempts, shared_limits (one text, or a list of
/// texts as JSON through capbridge_options_set_json()), adaptive_waits, callback_listen,
/// callback_url.
/// (end of the generated options)
///
/// A dotted name sets a nested option. Unknown names and bad values are refused by
/// capbridge_client_new() with CAPBRIDGE_ERR_USAGE naming the option.
pub struct capbridge_options {
    fields: Fields,
    on_event: Option<EventSink>,
}

impl capbridge_options {
    /// The map for the core, and the client-wide event sink.
    pub(crate) fn to_core(&self) -> Result<(Map<String, Value>, Option<EventSink>), Error> {
        Ok((self.fields.map()?, self.on_event))
    }
}

/// \brief Options of one solve (or submit, or wait): its deadline and waits, its request
/// timeout, a cancel token, an event callback.
///
/// Made by capbridge_solve_options_new(), freed with capbridge_solve_options_free(); a call
/// copies what it needs, so one options object may serve many calls. Names: timeout_ms,
/// initial_delay_ms, poll_interval_ms, request_timeout_ms (without the suffix: seconds).
/// request_timeout_ms bounds each submit of the solve and each poll that asks about its task
/// alone; a batch poll keeps the client's.
pub struct capbridge_solve_options {
    fields: Fields,
    cancel: Option<CancelToken>,
    on_event: Option<EventSink>,
}

impl capbridge_solve_options {
    /// The core's solve options.
    pub(crate) fn to_core(&self) -> Result<SolveOptions, Error> {
        let mut o = capbridge_core::options::solve_options(self.fields.map()?)?;
        o.cancel = self.cancel.clone();
        o.on_event = self.on_event.map(EventSink::handler);
        Ok(o)
    }

    /// The cancel token set by the caller, if any.
    pub(crate) fn cancel_token(&self) -> Option<CancelToken> {
        self.cancel.clone()
    }
}

/// The core's solve options for an optional C argument (NULL: the client's defaults).
pub(crate) fn solve_options_of(
    options: *const capbridge_solve_options,
) -> Result<SolveOptions, Error> {
    match ffi::borrow_opt(options) {
        Some(o) => o.to_core(),
        None => Ok(SolveOptions::default()),
    }
}

fn set_client(
    options: *mut capbridge_options,
    f: impl FnOnce(&mut Fields) -> capbridge_status,
) -> capbridge_status {
    match ffi::borrow_mut(options, "options") {
        Ok(o) => f(&mut o.fields),
        Err(_) => capbridge_status::CAPBRIDGE_ERR_USAGE,
    }
}

fn set_solve(
    options: *mut capbridge_solve_options,
    f: impl FnOnce(&mut Fields) -> capbridge_status,
) -> capbridge_status {
    match ffi::borrow_mut(options, "options") {
        Ok(o) => f(&mut o.fields),
        Err(_) => capbridge_status::CAPBRIDGE_ERR_USAGE,
    }
}

/// \brief Starts a set of client options, empty.
///
/// \return new options the caller frees with capbridge_options_free().
///
/// \code{.c}
/// capbridge_options *opts = capbridge_options_new();
/// capbridge_options_set_string(opts, "provider", "2captcha");
/// capbridge_options_set_string(opts, "api_key", getenv("CAPBRIDGE_API_KEY"));
/// capbridge_options_set_int(opts, "timeout_ms", 120000);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_new() -> *mut capbridge_options {
    ffi_boundary! {
        ffi::to_c(capbridge_options {
            fields: Fields::new(Subject::Options),
            on_event: None,
        })
    }
}

/// \brief Frees client options. NULL is ignored. Clients made from them are not affected.
///
/// \param options the options.
///
/// \code{.c}
/// capbridge_options_free(opts);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_free(options: *mut capbridge_options) {
    ffi_boundary! { ffi::free(options) }
}

/// \brief Sets a text option ("provider", "api_key", "base_url", "protocol", "soft_id", ...).
///
/// \param options the options.
/// \param name the option's name (dotted for a nested one).
/// \param value its text (copied).
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL or non-UTF-8 argument. A failure
/// is also remembered: capbridge_client_new() then fails with it.
///
/// \code{.c}
/// capbridge_options_set_string(opts, "provider", "capsolver");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_set_string(
    options: *mut capbridge_options,
    name: *const c_char,
    value: *const c_char,
) -> capbridge_status {
    ffi_boundary! { set_client(options, |f| f.set_with(name, |_| fields::text_value(value))) }
}

/// \brief Sets a whole-number option ("timeout_ms", "poll_interval_ms",
/// "max_concurrent_requests", "retry.max_attempts", ...).
///
/// \param options the options.
/// \param name the option's name.
/// \param value the number (the core checks its range).
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL argument (remembered).
///
/// \code{.c}
/// capbridge_options_set_int(opts, "request_timeout_ms", 10000);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_set_int(
    options: *mut capbridge_options,
    name: *const c_char,
    value: i64,
) -> capbridge_status {
    ffi_boundary! { set_client(options, |f| f.set_with(name, |_| Ok(Value::from(value)))) }
}

/// \brief Sets a number option (durations may have a fraction: "poll_interval_ms" 2.5).
///
/// \param options the options.
/// \param name the option's name.
/// \param value the number; NaN and infinities are refused.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE (remembered).
///
/// \code{.c}
/// capbridge_options_set_double(opts, "initial_delay_ms", 1500.0);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_set_double(
    options: *mut capbridge_options,
    name: *const c_char,
    value: f64,
) -> capbridge_status {
    ffi_boundary! { set_client(options, |f| f.set_with(name, |_| fields::double_value(value))) }
}

/// \brief Sets a true/false option ("batch_polling", "json_replies", "header_acao",
/// "debug_dump", "failover.on_unsolvable").
///
/// \param options the options.
/// \param name the option's name.
/// \param value the flag.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL argument (remembered).
///
/// \code{.c}
/// capbridge_options_set_bool(opts, "batch_polling", false);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_set_bool(
    options: *mut capbridge_options,
    name: *const c_char,
    value: bool,
) -> capbridge_status {
    ffi_boundary! { set_client(options, |f| f.set_with(name, |_| Ok(Value::Bool(value)))) }
}

/// \brief Sets an option to any JSON value (a whole "limits" or "retry" object, the
/// "providers" list, ...).
///
/// \param options the options.
/// \param name the option's name.
/// \param json the value as JSON text.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL argument or JSON that does not
/// parse (remembered).
///
/// \code{.c}
/// capbridge_options_set_json(opts, "retry", "{\"base_delay_ms\": 50, \"max_attempts\": 3}");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_set_json(
    options: *mut capbridge_options,
    name: *const c_char,
    json: *const c_char,
) -> capbridge_status {
    ffi_boundary! { set_client(options, |f| f.set_with(name, |_| fields::json_value(json))) }
}

/// \brief Removes an option (back to its default).
///
/// \param options the options.
/// \param name the option's name; removing an option that is not set does nothing.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL argument (remembered).
///
/// \code{.c}
/// capbridge_options_unset(opts, "timeout_ms");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_unset(
    options: *mut capbridge_options,
    name: *const c_char,
) -> capbridge_status {
    ffi_boundary! { set_client(options, |f| f.unset(name)) }
}

/// \brief Adds a provider to the failover list ("providers"): solves move to it when the ones
/// before it fail. The first provider may be given as "provider" and "api_key" instead.
///
/// \param options the options.
/// \param provider a preset name or a base URL.
/// \param api_key the account's key at that provider.
/// \param base_url another base URL for a preset, or NULL.
/// \param protocol "form" or "json" for a provider given as a base URL, or NULL.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL or non-UTF-8 argument
/// (remembered).
///
/// \code{.c}
/// capbridge_options_add_provider(opts, "capsolver", key1, NULL, NULL);
/// capbridge_options_add_provider(opts, "2captcha", key2, NULL, NULL);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_add_provider(
    options: *mut capbridge_options,
    provider: *const c_char,
    api_key: *const c_char,
    base_url: *const c_char,
    protocol: *const c_char,
) -> capbridge_status {
    ffi_boundary! {
        set_client(options, |f| {
            let entry = (|| -> Result<Value, String> {
                let mut m = Map::new();
                m.insert("provider".into(), Value::String(fields::text_part(provider, "the provider")?));
                m.insert("api_key".into(), Value::String(fields::text_part(api_key, "the API key")?));
                if !base_url.is_null() {
                    m.insert("base_url".into(), Value::String(fields::text_part(base_url, "the base URL")?));
                }
                if !protocol.is_null() {
                    m.insert("protocol".into(), Value::String(fields::text_part(protocol, "the protocol")?));
                }
                Ok(Value::Object(m))
            })();
            f.push("providers", entry)
        })
    }
}

/// \brief Sets a callback receiving the events of every solve of clients made from these
/// options (see ::capbridge_event_callback for the thread it runs on and what it may do).
///
/// \param options the options.
/// \param callback the callback; NULL turns events off.
/// \param user_data passed back to the callback untouched; it must stay valid until the
/// clients made from these options are freed and their solves have ended, and be safe to use
/// from other threads.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for NULL options.
///
/// \code{.c}
/// capbridge_options_set_event_callback(opts, on_event, NULL);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_options_set_event_callback(
    options: *mut capbridge_options,
    callback: capbridge_event_callback,
    user_data: *mut c_void,
) -> capbridge_status {
    ffi_boundary! {
        match ffi::borrow_mut(options, "options") {
            Ok(o) => {
                o.on_event = EventSink::new(callback, user_data);
                capbridge_status::CAPBRIDGE_OK
            }
            Err(_) => capbridge_status::CAPBRIDGE_ERR_USAGE,
        }
    }
}

/// \brief Starts a set of solve options, empty (the client's settings apply).
///
/// \return new solve options the caller frees with capbridge_solve_options_free().
///
/// \code{.c}
/// capbridge_solve_options *so = capbridge_solve_options_new();
/// capbridge_solve_options_set_int(so, "timeout_ms", 60000);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_options_new() -> *mut capbridge_solve_options {
    ffi_boundary! {
        ffi::to_c(capbridge_solve_options {
            fields: Fields::new(Subject::Options),
            cancel: None,
            on_event: None,
        })
    }
}

/// \brief Frees solve options. NULL is ignored. Calls already made are not affected.
///
/// \param options the solve options.
///
/// \code{.c}
/// capbridge_solve_options_free(so);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_options_free(options: *mut capbridge_solve_options) {
    ffi_boundary! { ffi::free(options) }
}

/// \brief Sets a whole-number solve option: "timeout_ms", "initial_delay_ms",
/// "poll_interval_ms", "request_timeout_ms".
///
/// \param options the solve options.
/// \param name the option's name.
/// \param value the number (checked by the core when the options are used).
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL argument (remembered: the call
/// using the options fails with it).
///
/// \code{.c}
/// capbridge_solve_options_set_int(so, "poll_interval_ms", 2000);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_options_set_int(
    options: *mut capbridge_solve_options,
    name: *const c_char,
    value: i64,
) -> capbridge_status {
    ffi_boundary! { set_solve(options, |f| f.set_with(name, |_| Ok(Value::from(value)))) }
}

/// \brief Sets a number solve option (a duration with a fraction).
///
/// \param options the solve options.
/// \param name the option's name.
/// \param value the number; NaN and infinities are refused.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE (remembered).
///
/// \code{.c}
/// capbridge_solve_options_set_double(so, "initial_delay_ms", 500.0);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_options_set_double(
    options: *mut capbridge_solve_options,
    name: *const c_char,
    value: f64,
) -> capbridge_status {
    ffi_boundary! { set_solve(options, |f| f.set_with(name, |_| fields::double_value(value))) }
}

/// \brief Sets a solve option to any JSON value.
///
/// \param options the solve options.
/// \param name the option's name.
/// \param json the value as JSON text.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE (remembered).
///
/// \code{.c}
/// capbridge_solve_options_set_json(so, "timeout_ms", "90000");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_options_set_json(
    options: *mut capbridge_solve_options,
    name: *const c_char,
    json: *const c_char,
) -> capbridge_status {
    ffi_boundary! { set_solve(options, |f| f.set_with(name, |_| fields::json_value(json))) }
}

/// \brief Removes a solve option.
///
/// \param options the solve options.
/// \param name the option's name.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL argument (remembered).
///
/// \code{.c}
/// capbridge_solve_options_unset(so, "timeout_ms");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_options_unset(
    options: *mut capbridge_solve_options,
    name: *const c_char,
) -> capbridge_status {
    ffi_boundary! { set_solve(options, |f| f.unset(name)) }
}

/// \brief Lets a cancel token stop the solves made with these options: capbridge_cancel()
/// from any thread makes them fail with CAPBRIDGE_ERR_CANCELLED at once.
///
/// \param options the solve options.
/// \param token the token (the options hold their own reference: the caller may free its
/// handle); NULL removes it.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for NULL options.
///
/// \code{.c}
/// capbridge_cancel_token *token = capbridge_cancel_token_new();
/// capbridge_solve_options_set_cancel_token(so, token);
/// // another thread: capbridge_cancel(token);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_options_set_cancel_token(
    options: *mut capbridge_solve_options,
    token: *const capbridge_cancel_token,
) -> capbridge_status {
    ffi_boundary! {
        match ffi::borrow_mut(options, "options") {
            Ok(o) => {
                o.cancel = ffi::borrow_opt(token).map(|t| t.token().clone());
                capbridge_status::CAPBRIDGE_OK
            }
            Err(_) => capbridge_status::CAPBRIDGE_ERR_USAGE,
        }
    }
}

/// \brief Sets a callback receiving the events of the solves made with these options (besides
/// the client's own callback); see ::capbridge_event_callback.
///
/// \param options the solve options.
/// \param callback the callback; NULL turns it off.
/// \param user_data passed back untouched; it must stay valid until those solves end.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for NULL options.
///
/// \code{.c}
/// capbridge_solve_options_set_event_callback(so, on_event, &progress);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_options_set_event_callback(
    options: *mut capbridge_solve_options,
    callback: capbridge_event_callback,
    user_data: *mut c_void,
) -> capbridge_status {
    ffi_boundary! {
        match ffi::borrow_mut(options, "options") {
            Ok(o) => {
                o.on_event = EventSink::new(callback, user_data);
                capbridge_status::CAPBRIDGE_OK
            }
            Err(_) => capbridge_status::CAPBRIDGE_ERR_USAGE,
        }
    }
}
