//! The status enum and the error handle, mapped from the core's error in one place
//! (`impl From<capbridge_core::Error> for capbridge_error`).

use crate::boundary::ffi_boundary;
use crate::ffi;
use capbridge_core::{Error, ErrorKind};
use std::ffi::{CStr, CString, c_char, c_int};

/// \brief The outcome of a call: CAPBRIDGE_OK, or the kind of the error.
///
/// The kinds are the same words in every language capbridge speaks (capbridge_status_name()
/// gives them: "invalid_task", "auth", ...). Switch on the status to decide what to do; read
/// the error handle for the details.
///
/// \code{.c}
/// capbridge_status st = capbridge_solve(client, task, NULL, &solution, &err);
/// if (st == CAPBRIDGE_ERR_TIMEOUT) puts(capbridge_error_task_id(err));
/// \endcode
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum capbridge_status {
    /// Success.
    CAPBRIDGE_OK = 0,
    /// `invalid_task`: the task was refused before or by the service (a missing or malformed
    /// field, a bad image); capbridge_error_field() names the field.
    CAPBRIDGE_ERR_INVALID_TASK = 1,
    /// `auth`: the API key is malformed, unknown, or not allowed from this IP.
    CAPBRIDGE_ERR_AUTH = 2,
    /// `balance`: the account has no money left.
    CAPBRIDGE_ERR_BALANCE = 3,
    /// `rate_limited`: a request limit of the service was hit; see
    /// capbridge_error_retry_after_ms().
    CAPBRIDGE_ERR_RATE_LIMITED = 4,
    /// `proxy`: the service refused the proxy given with the task, or could not use it (a
    /// malformed proxy is refused before anything is sent, as CAPBRIDGE_ERR_INVALID_TASK with
    /// capbridge_error_field() "proxy").
    CAPBRIDGE_ERR_PROXY = 5,
    /// `unsolvable`: the service could not solve the captcha (not charged).
    CAPBRIDGE_ERR_UNSOLVABLE = 6,
    /// `not_found`: the task id is unknown to the service.
    CAPBRIDGE_ERR_NOT_FOUND = 7,
    /// `report`: a good/bad report was not recorded.
    CAPBRIDGE_ERR_REPORT = 8,
    /// `timeout`: the solve's deadline passed; capbridge_error_task_id() still names the task,
    /// whose answer capbridge_result() or capbridge_wait() can collect later.
    CAPBRIDGE_ERR_TIMEOUT = 9,
    /// `network`: a transport failure that survived the retry policy.
    CAPBRIDGE_ERR_NETWORK = 10,
    /// `service`: anything else the service said (HTML pages, 5xx, unknown codes, malformed
    /// replies).
    CAPBRIDGE_ERR_SERVICE = 11,
    /// `cancelled`: the caller cancelled the operation.
    CAPBRIDGE_ERR_CANCELLED = 12,
    /// `usage`: the library was called in a way it does not support: a NULL or non-UTF-8
    /// argument, an unknown provider, a bad option (capbridge_error_option() names it), a
    /// blocking call from a callback.
    CAPBRIDGE_ERR_USAGE = 13,
    /// `panic`: a bug inside the library (a Rust panic), caught at the C boundary before it
    /// could cross into C. Nothing the caller did or the service said; please report it. The
    /// library stays usable, but the call's outcome is unknown (a solve may have been sent).
    CAPBRIDGE_ERR_PANIC = 14,
}

use capbridge_status::*;

/// Every error status with the core's name for it, in the core's order.
const KINDS: [(capbridge_status, &CStr); 13] = [
    (CAPBRIDGE_ERR_INVALID_TASK, c"invalid_task"),
    (CAPBRIDGE_ERR_AUTH, c"auth"),
    (CAPBRIDGE_ERR_BALANCE, c"balance"),
    (CAPBRIDGE_ERR_RATE_LIMITED, c"rate_limited"),
    (CAPBRIDGE_ERR_PROXY, c"proxy"),
    (CAPBRIDGE_ERR_UNSOLVABLE, c"unsolvable"),
    (CAPBRIDGE_ERR_NOT_FOUND, c"not_found"),
    (CAPBRIDGE_ERR_REPORT, c"report"),
    (CAPBRIDGE_ERR_TIMEOUT, c"timeout"),
    (CAPBRIDGE_ERR_NETWORK, c"network"),
    (CAPBRIDGE_ERR_SERVICE, c"service"),
    (CAPBRIDGE_ERR_CANCELLED, c"cancelled"),
    (CAPBRIDGE_ERR_USAGE, c"usage"),
];

// A new kind in the core changes the length of `ErrorKind::ALL` and stops this build until
// the C enum, `KINDS` and `of_kind` have it. `ErrorKind` is `#[non_exhaustive]`, so this crate
// cannot match it exhaustively; instead the unit tests (run by tests/run-c) check that `ALL`
// lists every variant declared in core/src/error/mod.rs, and that each kind of `ALL` has its
// own status and name here: a kind missing from `ALL` or from `of_kind` fails a test.
const _: () = assert!(ErrorKind::ALL.len() == KINDS.len());

impl capbridge_status {
    /// The status of an error kind.
    pub(crate) const fn of_kind(kind: ErrorKind) -> capbridge_status {
        match kind {
            ErrorKind::InvalidTask => CAPBRIDGE_ERR_INVALID_TASK,
            ErrorKind::Auth => CAPBRIDGE_ERR_AUTH,
            ErrorKind::Balance => CAPBRIDGE_ERR_BALANCE,
            ErrorKind::RateLimited => CAPBRIDGE_ERR_RATE_LIMITED,
            ErrorKind::Proxy => CAPBRIDGE_ERR_PROXY,
            ErrorKind::Unsolvable => CAPBRIDGE_ERR_UNSOLVABLE,
            ErrorKind::NotFound => CAPBRIDGE_ERR_NOT_FOUND,
            ErrorKind::Report => CAPBRIDGE_ERR_REPORT,
            ErrorKind::Timeout => CAPBRIDGE_ERR_TIMEOUT,
            ErrorKind::Network => CAPBRIDGE_ERR_NETWORK,
            ErrorKind::Service => CAPBRIDGE_ERR_SERVICE,
            ErrorKind::Cancelled => CAPBRIDGE_ERR_CANCELLED,
            ErrorKind::Usage => CAPBRIDGE_ERR_USAGE,
            // The core's kinds are `#[non_exhaustive]`, so an arm for "any other" is required.
            // The unit tests keep it unreachable: `every_declared_kind_is_in_all` (the core's
            // `ALL` lists every variant) and `every_core_kind_has_its_own_status_and_name`
            // (no kind of `ALL` lands here).
            _ => CAPBRIDGE_ERR_SERVICE,
        }
    }

    /// The status with this number, if there is one.
    fn from_number(n: c_int) -> Option<capbridge_status> {
        match n {
            0 => Some(CAPBRIDGE_OK),
            14 => Some(CAPBRIDGE_ERR_PANIC),
            _ => KINDS.iter().map(|(s, _)| *s).find(|s| *s as c_int == n),
        }
    }

    /// The stable name: "ok", the core's kind name, or "panic" (the C boundary's own).
    pub(crate) fn name(self) -> &'static CStr {
        match self {
            CAPBRIDGE_OK => c"ok",
            CAPBRIDGE_ERR_PANIC => c"panic",
            _ => KINDS
                .iter()
                .find(|(s, _)| *s == self)
                .map_or(c"ok", |(_, name)| name),
        }
    }
}

/// \brief The name of a status: "ok", "invalid_task", "auth", "balance", "rate_limited",
/// "proxy", "unsolvable", "not_found", "report", "timeout", "network", "service", "cancelled",
/// "usage", "panic".
///
/// \param status a ::capbridge_status value (an int, so that any number is safe to pass).
/// \return a static string (never free it); "unknown" for a number that is no status.
///
/// \code{.c}
/// printf("failed: %s\n", capbridge_status_name(st));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_status_name(status: c_int) -> *const c_char {
    ffi_boundary! {
        ffi::static_ptr(capbridge_status::from_number(status).map_or(c"unknown", |s| s.name()))
    }
}

/// \brief An error: its kind, the service's raw code, a message, and the task, field or
/// option it concerns.
///
/// Made by the library (through an `err` out-parameter, or lent to a completion callback);
/// freed with capbridge_error_free(). Its strings are borrowed from it. Messages never hold
/// the API key or a proxy password.
pub struct capbridge_error {
    status: capbridge_status,
    code: Option<CString>,
    message: CString,
    field: Option<CString>,
    option: Option<CString>,
    task_id: Option<CString>,
    retryable: bool,
    retry_after_ms: i64,
    text: CString,
}

/// What a caught panic says. The payload is not repeated: it was not redacted.
const PANIC_MESSAGE: &str =
    "an internal error (a Rust panic) was caught at the C boundary; this is a bug in capbridge";

impl capbridge_error {
    /// The error a panic caught at the C boundary becomes (CAPBRIDGE_ERR_PANIC).
    pub(crate) fn panic() -> capbridge_error {
        capbridge_error {
            status: CAPBRIDGE_ERR_PANIC,
            code: None,
            message: ffi::c_string(PANIC_MESSAGE),
            field: None,
            option: None,
            task_id: None,
            retryable: false,
            retry_after_ms: -1,
            text: ffi::c_string(&format!("panic: {PANIC_MESSAGE}")),
        }
    }

    pub(crate) fn status(&self) -> capbridge_status {
        self.status
    }
}

/// The one mapping from the core's error to the C error.
impl From<Error> for capbridge_error {
    fn from(e: Error) -> Self {
        capbridge_error {
            status: capbridge_status::of_kind(e.kind()),
            code: ffi::c_string_opt(e.code()),
            message: ffi::c_string(e.message()),
            field: ffi::c_string_opt(e.field()),
            option: ffi::c_string_opt(e.option()),
            task_id: ffi::c_string_opt(e.task_id()),
            retryable: e.retryable(),
            retry_after_ms: e
                .retry_after()
                .map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            text: ffi::c_string(&e.to_string()),
        }
    }
}

impl Clone for capbridge_error {
    fn clone(&self) -> Self {
        capbridge_error {
            status: self.status,
            code: self.code.clone(),
            message: self.message.clone(),
            field: self.field.clone(),
            option: self.option.clone(),
            task_id: self.task_id.clone(),
            retryable: self.retryable,
            retry_after_ms: self.retry_after_ms,
            text: self.text.clone(),
        }
    }
}

/// \brief Frees an error. NULL is ignored.
///
/// \param err an error from an `err` out-parameter or capbridge_error_clone(); never one lent
/// to a callback.
///
/// \code{.c}
/// capbridge_error_free(err);
/// err = NULL;
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_free(err: *mut capbridge_error) {
    ffi_boundary! { ffi::free(err) }
}

/// \brief Copies an error (to keep one lent to a callback).
///
/// \param err the error.
/// \return a new error the caller frees with capbridge_error_free(); NULL if `err` is NULL.
///
/// \code{.c}
/// state->error = capbridge_error_clone(error);   // inside a completion callback
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_clone(err: *const capbridge_error) -> *mut capbridge_error {
    ffi_boundary! {
        ffi::borrow_opt(err).map_or(std::ptr::null_mut(), |e| ffi::to_c(e.clone()))
    }
}

/// \brief The kind of the error.
///
/// \param err the error.
/// \return its ::capbridge_status (never CAPBRIDGE_OK for an error); CAPBRIDGE_OK if `err` is
/// NULL (no error).
///
/// \code{.c}
/// if (capbridge_error_kind(err) == CAPBRIDGE_ERR_BALANCE) top_up();
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_kind(err: *const capbridge_error) -> capbridge_status {
    ffi_boundary! { ffi::borrow_opt(err).map_or(CAPBRIDGE_OK, |e| e.status) }
}

/// \brief The kind's name ("timeout", "auth", ...), as capbridge_status_name() spells it.
///
/// \param err the error.
/// \return a static string; "ok" if `err` is NULL.
///
/// \code{.c}
/// fprintf(stderr, "kind: %s\n", capbridge_error_kind_name(err));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_kind_name(err: *const capbridge_error) -> *const c_char {
    ffi_boundary! {
        ffi::static_ptr(ffi::borrow_opt(err).map_or(c"ok", |e| e.status.name()))
    }
}

/// \brief The service's raw code ("ERROR_ZERO_BALANCE", "ERROR: 1005", "HTTP 502"), if any.
///
/// \param err the error.
/// \return a string borrowed from `err`, or NULL when the error has no code (or `err` is NULL).
///
/// \code{.c}
/// const char *code = capbridge_error_code(err);
/// if (code) printf("service said %s\n", code);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_code(err: *const capbridge_error) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(err).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.code)) }
}

/// \brief The reason, in plain words, without the field or option name in front.
///
/// \param err the error.
/// \return a string borrowed from `err` (never NULL for an error); NULL if `err` is NULL.
///
/// \code{.c}
/// printf("%s: %s\n", capbridge_error_field(err), capbridge_error_message(err));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_message(err: *const capbridge_error) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(err).map_or(std::ptr::null(), |e| e.message.as_ptr()) }
}

/// \brief The whole error as one line: kind, code, field or option, message and task id
/// ("timeout: the solve's deadline passed (task 72000000001)").
///
/// \param err the error.
/// \return a string borrowed from `err`; NULL if `err` is NULL.
///
/// \code{.c}
/// fprintf(stderr, "capbridge: %s\n", capbridge_error_to_string(err));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_to_string(err: *const capbridge_error) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(err).map_or(std::ptr::null(), |e| e.text.as_ptr()) }
}

/// \brief The task field at fault, for CAPBRIDGE_ERR_INVALID_TASK (and proxy) errors: its
/// snake_case path, such as "website_key" or "cookies".
///
/// \param err the error.
/// \return a string borrowed from `err`, or NULL when no field is named.
///
/// \code{.c}
/// if (capbridge_error_field(err)) printf("fix %s\n", capbridge_error_field(err));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_field(err: *const capbridge_error) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(err).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.field)) }
}

/// \brief The client or solve option at fault, for CAPBRIDGE_ERR_USAGE errors ("timeout_ms",
/// "limits.submit_interval_ms", "providers[1].api_key"), or the argument ("task_id" for a task
/// id that is empty or not printable ASCII).
///
/// \param err the error.
/// \return a string borrowed from `err`, or NULL when no option is named.
///
/// \code{.c}
/// if (capbridge_error_option(err)) printf("bad option %s\n", capbridge_error_option(err));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_option(err: *const capbridge_error) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(err).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.option)) }
}

/// \brief The service's task id, once the service gave one for this operation (every error
/// after the submit has it: a timed-out solve can still be collected with capbridge_wait()).
///
/// \param err the error.
/// \return a string borrowed from `err`, or NULL before a task id existed.
///
/// \code{.c}
/// if (capbridge_error_task_id(err)) save_for_later(capbridge_error_task_id(err));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_task_id(err: *const capbridge_error) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(err).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.task_id)) }
}

/// \brief Whether repeating the same call later, unchanged, may succeed.
///
/// \param err the error.
/// \return true for rate limits, transport failures, service faults, deadlines and unsolvable
/// captchas; false otherwise (and if `err` is NULL).
///
/// \code{.c}
/// if (capbridge_error_retryable(err)) schedule_retry();
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_retryable(err: *const capbridge_error) -> bool {
    ffi_boundary! { ffi::borrow_opt(err).is_some_and(|e| e.retryable) }
}

/// \brief How long to wait before repeating the call, in milliseconds (the service's block
/// time for limit codes).
///
/// \param err the error.
/// \return milliseconds, or -1 when the error gives no wait (only retryable errors have one).
///
/// \code{.c}
/// int64_t ms = capbridge_error_retry_after_ms(err);
/// if (ms >= 0) sleep_ms(ms);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_error_retry_after_ms(err: *const capbridge_error) -> i64 {
    ffi_boundary! { ffi::borrow_opt(err).map_or(-1, |e| e.retry_after_ms) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_kind_has_its_own_status_and_name() {
        let mut seen = std::collections::HashSet::new();
        for (i, kind) in ErrorKind::ALL.into_iter().enumerate() {
            let status = capbridge_status::of_kind(kind);
            assert_eq!(status.name().to_str(), Ok(kind.as_str()), "{kind:?}");
            assert_eq!(status as usize, i + 1, "{kind:?} keeps its number");
            assert!(seen.insert(status), "{kind:?} shares a status");
            assert_eq!(capbridge_status::from_number(status as c_int), Some(status));
        }
        assert_eq!(seen.len(), KINDS.len());
        // Only SERVICE itself maps to SERVICE: the fallback arm of `of_kind` is never taken.
        let to_service: Vec<_> = ErrorKind::ALL
            .into_iter()
            .filter(|k| capbridge_status::of_kind(*k) == CAPBRIDGE_ERR_SERVICE)
            .collect();
        assert_eq!(to_service, [ErrorKind::Service]);
        assert_eq!(capbridge_status::from_number(0), Some(CAPBRIDGE_OK));
        assert_eq!(capbridge_status::from_number(14), Some(CAPBRIDGE_ERR_PANIC));
        assert_eq!(CAPBRIDGE_ERR_PANIC.name(), c"panic");
        assert_eq!(capbridge_status::from_number(15), None);
        assert_eq!(capbridge_status::from_number(-1), None);
    }

    /// The variants of `ErrorKind` as declared in the core's source, in order.
    fn declared_kinds() -> Vec<String> {
        let source = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../core/src/error/mod.rs"
        ));
        let start = source
            .find("pub enum ErrorKind {")
            .expect("core/src/error/mod.rs declares `pub enum ErrorKind {`");
        let body = &source[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
        body.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#["))
            .map(|l| {
                let end = l
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(l.len());
                l[..end].to_owned()
            })
            .collect()
    }

    /// `ErrorKind` is `#[non_exhaustive]`, so `of_kind` needs a fallback arm and the compiler
    /// cannot tell when the core gains a kind. This test does: every variant declared in the
    /// core's source must be in `ErrorKind::ALL` (whose length the const assertion above ties
    /// to the C enum, and whose every member the test above maps to its own status).
    #[test]
    fn every_declared_kind_is_in_all() {
        let declared = declared_kinds();
        assert!(
            declared.len() >= 13,
            "read {declared:?} from core/src/error/mod.rs"
        );
        let listed: Vec<String> = ErrorKind::ALL.iter().map(|k| format!("{k:?}")).collect();
        assert_eq!(
            declared, listed,
            "ErrorKind::ALL must list every variant of ErrorKind, in order; then add the new \
             kind to capbridge_status, KINDS and of_kind"
        );
    }

    #[test]
    fn the_mapping_keeps_every_field() {
        let e = Error::from_code("ERROR: 1001").with_task_id("42");
        let c = capbridge_error::from(e);
        assert_eq!(c.status, CAPBRIDGE_ERR_RATE_LIMITED);
        assert_eq!(
            c.code.as_deref().map(CStr::to_bytes),
            Some(&b"ERROR: 1001"[..])
        );
        assert_eq!(c.task_id.as_deref().map(CStr::to_bytes), Some(&b"42"[..]));
        assert!(c.retryable && c.retry_after_ms > 0);
        let c = capbridge_error::from(Error::usage("bad\0value").with_option("timeout_ms"));
        assert_eq!(c.message.to_str(), Ok("bad\u{FFFD}value"));
        assert_eq!(c.retry_after_ms, -1);
    }
}
