//! Progress events: each step of a solve, lent to a C callback.

use crate::boundary::ffi_boundary;
use crate::error::capbridge_status;
use crate::ffi::{self, UserData};
use capbridge_core::events::EventHandler;
use capbridge_core::{Event, Stage};
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::Arc;

/// \brief Receives the events of solves (set with capbridge_options_set_event_callback() for
/// every solve of a client, or capbridge_solve_options_set_event_callback() for some).
///
/// Called on a library thread (a capbridge runtime thread, never one of the caller's own
/// threads, even for a blocking solve), possibly on several threads at once. `event` is lent for the call only. The
/// callback must return quickly, must not block, must not call blocking capbridge functions
/// (they fail with CAPBRIDGE_ERR_USAGE there), and must not throw or longjmp. It may call the
/// event accessors, capbridge_solve_async() and the cancel functions.
///
/// \param user_data the pointer given with the callback, passed back untouched.
/// \param event the event, valid until the callback returns.
pub type capbridge_event_callback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, event: *const capbridge_event)>;

/// A C event callback with its user data.
#[derive(Clone, Copy)]
pub(crate) struct EventSink {
    callback: unsafe extern "C" fn(*mut c_void, *const capbridge_event),
    user_data: UserData,
}

impl EventSink {
    /// The sink for a callback, or none for a NULL callback (which turns events off).
    pub(crate) fn new(callback: capbridge_event_callback, user_data: *mut c_void) -> Option<Self> {
        callback.map(|callback| EventSink {
            callback,
            user_data: UserData(user_data),
        })
    }

    /// A core event handler calling the C callback.
    pub(crate) fn handler(self) -> EventHandler {
        Arc::new(move |e: &Event| {
            let event = capbridge_event::from(e);
            // SAFETY: the callback is a C function pointer given by the caller, called with
            // its own user data and an event that lives until it returns.
            unsafe { (self.callback)(self.user_data.get(), &event) };
        })
    }
}

/// \brief One step of a solve: "submitting", "submitted", "polled", "retrying",
/// "switched_provider", "solved" or "failed"; or "shared_limits", which belongs to no solve
/// (see capbridge_event_shared()). Lent to a ::capbridge_event_callback; its strings are valid
/// until the callback returns. Never holds the API key or a proxy password.
pub struct capbridge_event {
    solve_id: u64,
    provider: CString,
    task_kind: Option<CString>,
    task_id: Option<CString>,
    elapsed_ms: u64,
    step: CString,
    attempt: u32,
    /// `polled`: 1 ready, 0 not; -1 for other steps.
    ready: c_int,
    /// `polled`: 1 part of a batch poll, 0 alone; -1 for other steps.
    batch: c_int,
    /// `polled`: "documented", "learned" or "user" (where the first wait came from).
    first_wait: Option<CString>,
    /// `polled`: 1 pushed to the receiver (`callback_listen`), 0 polled; -1 for other steps.
    pushed: c_int,
    /// `retrying`: "submit" or "poll".
    stage: Option<&'static CStr>,
    /// `retrying`: milliseconds until the next attempt; -1 for other steps.
    delay_ms: i64,
    /// `switched_provider`: the provider the solve moves to.
    to: Option<CString>,
    error_kind: capbridge_status,
    code: Option<CString>,
    message: Option<CString>,
    /// `shared_limits`: 1 shared again, 0 kept in process; -1 for other steps.
    shared: c_int,
    text: CString,
}

/// -1 for none, else 0 or 1.
fn tristate(b: Option<bool>) -> c_int {
    b.map_or(-1, c_int::from)
}

impl From<&Event> for capbridge_event {
    fn from(e: &Event) -> Self {
        // The core's one view of an event: its step's details by name.
        let f = e.fields();
        capbridge_event {
            solve_id: e.solve_id,
            provider: ffi::c_string(&e.provider),
            task_kind: ffi::c_string_opt(e.task_kind.map(|k| k.as_str())),
            task_id: ffi::c_string_opt(e.task_id.as_deref()),
            elapsed_ms: u64::try_from(e.elapsed.as_millis()).unwrap_or(u64::MAX),
            step: ffi::c_string(e.step.name()),
            attempt: f.attempt.unwrap_or(0),
            ready: tristate(f.ready),
            batch: tristate(f.batch),
            first_wait: ffi::c_string_opt(f.first_wait.map(|w| w.as_str())),
            pushed: tristate(f.pushed),
            stage: f.stage.map(|s| match s {
                Stage::Submit => c"submit",
                Stage::Poll => c"poll",
            }),
            delay_ms: f
                .delay
                .map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            to: ffi::c_string_opt(f.to),
            error_kind: f
                .error_kind
                .map_or(capbridge_status::CAPBRIDGE_OK, capbridge_status::of_kind),
            code: ffi::c_string_opt(f.code),
            message: ffi::c_string_opt(f.message),
            shared: tristate(f.shared),
            text: ffi::c_string(&e.to_string()),
        }
    }
}

/// \brief A number identifying the solve within the process (the same for all its events).
///
/// \param event the event.
/// \return the number; 0 if `event` is NULL.
///
/// \code{.c}
/// printf("solve %llu\n", (unsigned long long)capbridge_event_solve_id(event));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_solve_id(event: *const capbridge_event) -> u64 {
    ffi_boundary! { ffi::borrow_opt(event).map_or(0, |e| e.solve_id) }
}

/// \brief The step: "submitting", "submitted", "polled", "retrying", "switched_provider",
/// "solved" or "failed"; or "shared_limits" (with the `shared_limits` option: the key's limits
/// moved between Redis and this process, see capbridge_event_shared()).
///
/// A "shared_limits" event belongs to no solve: it reaches only the client-wide callback
/// (capbridge_options_set_event_callback()), with solve id 0, no task kind and no task id.
///
/// \param event the event.
/// \return a string lent with the event; NULL if `event` is NULL.
///
/// \code{.c}
/// if (strcmp(capbridge_event_step(event), "submitted") == 0) count_submits++;
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_step(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(event).map_or(std::ptr::null(), |e| e.step.as_ptr()) }
}

/// \brief The provider the step happened at ("2captcha", "capsolver", "custom").
///
/// \param event the event.
/// \return a string lent with the event; NULL if `event` is NULL.
///
/// \code{.c}
/// printf("at %s\n", capbridge_event_provider(event));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_provider(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(event).map_or(std::ptr::null(), |e| e.provider.as_ptr()) }
}

/// \brief The task's kind ("RecaptchaV2", ...).
///
/// \param event the event.
/// \return a string lent with the event, or NULL when unknown (a task collected by id).
///
/// \code{.c}
/// const char *kind = capbridge_event_task_kind(event);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_task_kind(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(event).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.task_kind)) }
}

/// \brief The service's task id, from the "submitted" step on.
///
/// \param event the event.
/// \return a string lent with the event, or NULL before the service gave an id.
///
/// \code{.c}
/// if (capbridge_event_task_id(event)) remember(capbridge_event_task_id(event));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_task_id(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(event).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.task_id)) }
}

/// \brief Milliseconds since the solve started.
///
/// \param event the event.
/// \return the time; 0 if `event` is NULL.
///
/// \code{.c}
/// printf("+%llu ms\n", (unsigned long long)capbridge_event_elapsed_ms(event));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_elapsed_ms(event: *const capbridge_event) -> u64 {
    ffi_boundary! { ffi::borrow_opt(event).map_or(0, |e| e.elapsed_ms) }
}

/// \brief The attempt number of a "submitting" or "retrying" step.
///
/// \param event the event.
/// \return 1, 2, ...; 0 for other steps (and if `event` is NULL).
///
/// \code{.c}
/// if (capbridge_event_attempt(event) > 1) puts("resubmitting");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_attempt(event: *const capbridge_event) -> u32 {
    ffi_boundary! { ffi::borrow_opt(event).map_or(0, |e| e.attempt) }
}

/// \brief Whether the answer was ready, for a "polled" step.
///
/// \param event the event.
/// \return 1 when the answer was ready, 0 when not; -1 for other steps (and if `event` is
/// NULL).
///
/// \code{.c}
/// if (capbridge_event_ready(event) == 0) polls_not_ready++;
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_ready(event: *const capbridge_event) -> c_int {
    ffi_boundary! { ffi::borrow_opt(event).map_or(-1, |e| e.ready) }
}

/// \brief Whether a "polled" step's poll was part of a batch poll (one request asking for
/// the answers of many tasks; form protocol).
///
/// \param event the event.
/// \return 1 for a batch poll, 0 for a poll of this task alone; -1 for other steps (and if
/// `event` is NULL).
///
/// \code{.c}
/// if (capbridge_event_batch(event) == 1) batched_polls++;
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_batch(event: *const capbridge_event) -> c_int {
    ffi_boundary! { ffi::borrow_opt(event).map_or(-1, |e| e.batch) }
}

/// \brief Whether a "polled" step's answer was pushed by the service to the client's
/// receiver (`callback_listen`) rather than polled.
///
/// \param event the event.
/// \return 1 for a pushed answer, 0 for a poll; -1 for other steps (and if `event` is NULL).
///
/// \code{.c}
/// if (capbridge_event_pushed(event) == 1) pushed_answers++;
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_pushed(event: *const capbridge_event) -> c_int {
    ffi_boundary! { ffi::borrow_opt(event).map_or(-1, |e| e.pushed) }
}

/// \brief Where a "polled" step's solve took its first wait from: "documented" (the
/// service's documented wait), "learned" (`adaptive_waits`, from the solves seen) or "user"
/// (`initial_delay_ms`).
///
/// \param event the event.
/// \return a string owned by the event (valid during the callback), or NULL for other steps
/// (and if `event` is NULL).
///
/// \code{.c}
/// const char *w = capbridge_event_first_wait(event);
/// if (w && strcmp(w, "learned") == 0) learned++;
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_first_wait(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(event).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.first_wait)) }
}

/// \brief Which request failed, for a "retrying" step: "submit" or "poll".
///
/// \param event the event.
/// \return a static string (never free it), or NULL for other steps (and if `event` is NULL).
///
/// \code{.c}
/// const char *stage = capbridge_event_stage(event);
/// if (stage && strcmp(stage, "submit") == 0) resubmits++;
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_stage(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! {
        ffi::borrow_opt(event)
            .and_then(|e| e.stage)
            .map_or(std::ptr::null(), ffi::static_ptr)
    }
}

/// \brief Milliseconds until the next attempt, for a "retrying" step.
///
/// \param event the event.
/// \return milliseconds (0 or more); -1 for other steps (and if `event` is NULL).
///
/// \code{.c}
/// int64_t ms = capbridge_event_delay_ms(event);
/// if (ms >= 0) printf("next try in %lld ms\n", (long long)ms);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_delay_ms(event: *const capbridge_event) -> i64 {
    ffi_boundary! { ffi::borrow_opt(event).map_or(-1, |e| e.delay_ms) }
}

/// \brief The provider the solve moves to, for a "switched_provider" step
/// (capbridge_event_provider() names the one it leaves).
///
/// \param event the event.
/// \return a string lent with the event, or NULL for other steps.
///
/// \code{.c}
/// if (capbridge_event_to(event)) printf("moving to %s\n", capbridge_event_to(event));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_to(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(event).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.to)) }
}

/// \brief The kind of the failure of a "retrying", "switched_provider" or "failed" step.
///
/// \param event the event.
/// \return its ::capbridge_status; CAPBRIDGE_OK for other steps (and if `event` is NULL).
///
/// \code{.c}
/// if (capbridge_event_error_kind(event) == CAPBRIDGE_ERR_NETWORK) network_trouble++;
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_error_kind(event: *const capbridge_event) -> capbridge_status {
    ffi_boundary! {
        ffi::borrow_opt(event).map_or(capbridge_status::CAPBRIDGE_OK, |e| e.error_kind)
    }
}

/// \brief The service's raw code of a failure step, if any.
///
/// \param event the event.
/// \return a string lent with the event, or NULL.
///
/// \code{.c}
/// const char *code = capbridge_event_code(event);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_code(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(event).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.code)) }
}

/// \brief What went wrong, for a failure step; what happened, for a "shared_limits" step (the
/// Redis address without credentials, and the reason).
///
/// \param event the event.
/// \return a string lent with the event, or NULL for other steps.
///
/// \code{.c}
/// if (capbridge_event_message(event)) log_line(capbridge_event_message(event));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_message(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(event).map_or(std::ptr::null(), |e| ffi::ptr_of(&e.message)) }
}

/// \brief Where the key's limits are kept, for a "shared_limits" step.
///
/// With the `shared_limits` option, a client tells its client-wide event callback when Redis
/// stops answering (the process then keeps the key's limits alone, and the fleet may submit up
/// to N times the key's rate until Redis answers) and when the fleet shares the limits again.
///
/// \param event the event.
/// \return 0 when Redis does not answer and this process keeps the limits alone; 1 when the
/// fleet shares them again; -1 for other steps (and if `event` is NULL).
///
/// \code{.c}
/// if (capbridge_event_shared(event) == 0) warn("%s", capbridge_event_message(event));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_shared(event: *const capbridge_event) -> c_int {
    ffi_boundary! { ffi::borrow_opt(event).map_or(-1, |e| e.shared) }
}

/// \brief The whole event as one log line ("[solve 3 custom RecaptchaV2 task 72000000001
/// +0.412s] polled: ready").
///
/// \param event the event.
/// \return a string lent with the event; NULL if `event` is NULL.
///
/// \code{.c}
/// static void on_event(void *user_data, const capbridge_event *event) {
///   (void)user_data;
///   fprintf(stderr, "%s\n", capbridge_event_to_string(event));
/// }
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_event_to_string(event: *const capbridge_event) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(event).map_or(std::ptr::null(), |e| e.text.as_ptr()) }
}
