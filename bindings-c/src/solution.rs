//! Solutions and the strings handed to the caller.

use crate::boundary::ffi_boundary;
use crate::ffi;
use capbridge_core::Solution;
use std::ffi::{CString, c_char};

/// \brief A solved captcha: the answer, the task id, and what else the service returned.
///
/// Handed out by capbridge_solve(), capbridge_result() and capbridge_wait() (freed with
/// capbridge_solution_free()) or lent to a ::capbridge_solve_callback. Its strings are
/// borrowed from it.
#[derive(Clone)]
pub struct capbridge_solution {
    task_id: CString,
    answer: CString,
    user_agent: Option<CString>,
    resp_key: Option<CString>,
    cost: Option<CString>,
    provider: CString,
    data_json: CString,
    raw_json: CString,
}

impl From<Solution> for capbridge_solution {
    fn from(s: Solution) -> Self {
        capbridge_solution {
            task_id: ffi::c_string(&s.task_id),
            answer: ffi::c_string(&s.answer),
            user_agent: ffi::c_string_opt(s.user_agent.as_deref()),
            resp_key: ffi::c_string_opt(s.resp_key.as_deref()),
            cost: ffi::c_string_opt(s.cost.as_ref().map(|m| m.as_str())),
            provider: ffi::c_string(&s.provider),
            data_json: ffi::c_string(&serde_json::Value::Object(s.data).to_string()),
            raw_json: ffi::c_string(&s.raw.to_string()),
        }
    }
}

/// \brief Frees a solution. NULL is ignored.
///
/// \param solution a solution handed out by a blocking call or capbridge_solution_clone();
/// never one lent to a callback.
///
/// \code{.c}
/// capbridge_solution_free(solution);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_free(solution: *mut capbridge_solution) {
    ffi_boundary! { ffi::free(solution) }
}

/// \brief Copies a solution (to keep one lent to a callback).
///
/// \param solution the solution.
/// \return a new solution the caller frees with capbridge_solution_free(); NULL if `solution`
/// is NULL.
///
/// \code{.c}
/// state->solution = capbridge_solution_clone(solution);   // inside a completion callback
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_clone(
    solution: *const capbridge_solution,
) -> *mut capbridge_solution {
    ffi_boundary! {
        ffi::borrow_opt(solution).map_or(std::ptr::null_mut(), |s| ffi::to_c(s.clone()))
    }
}

/// \brief The answer: the text in the image, or the token to put in the page.
///
/// \param solution the solution.
/// \return a string borrowed from `solution`; NULL if `solution` is NULL.
///
/// \code{.c}
/// printf("g-recaptcha-response=%s\n", capbridge_solution_answer(solution));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_answer(solution: *const capbridge_solution) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(solution).map_or(std::ptr::null(), |s| s.answer.as_ptr()) }
}

/// \brief The service's task id (for capbridge_report()).
///
/// \param solution the solution.
/// \return a string borrowed from `solution`; NULL if `solution` is NULL.
///
/// \code{.c}
/// capbridge_report(client, capbridge_solution_task_id(solution), true, &err);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_task_id(solution: *const capbridge_solution) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(solution).map_or(std::ptr::null(), |s| s.task_id.as_ptr()) }
}

/// \brief The user agent the service's worker solved with (hCaptcha, Turnstile, and wherever
/// the service returns one): send it with the token.
///
/// \param solution the solution.
/// \return a string borrowed from `solution`, or NULL when the service gave none.
///
/// \code{.c}
/// const char *ua = capbridge_solution_user_agent(solution);
/// if (ua) set_header("User-Agent", ua);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_user_agent(
    solution: *const capbridge_solution,
) -> *const c_char {
    ffi_boundary! {
        ffi::borrow_opt(solution).map_or(std::ptr::null(), |s| ffi::ptr_of(&s.user_agent))
    }
}

/// \brief hCaptcha's respKey, when the site uses it.
///
/// \param solution the solution.
/// \return a string borrowed from `solution`, or NULL.
///
/// \code{.c}
/// const char *key = capbridge_solution_resp_key(solution);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_resp_key(
    solution: *const capbridge_solution,
) -> *const c_char {
    ffi_boundary! {
        ffi::borrow_opt(solution).map_or(std::ptr::null(), |s| ffi::ptr_of(&s.resp_key))
    }
}

/// \brief The price charged, as exact decimal text ("0.00299"), when the service says it
/// (the form protocol usually does not). Parse it with a decimal type, not a double, to add
/// costs up exactly.
///
/// \param solution the solution.
/// \return a string borrowed from `solution`, or NULL.
///
/// \code{.c}
/// const char *cost = capbridge_solution_cost(solution);
/// printf("cost: %s\n", cost ? cost : "unknown");
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_cost(solution: *const capbridge_solution) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(solution).map_or(std::ptr::null(), |s| ffi::ptr_of(&s.cost)) }
}

/// \brief The provider that solved it ("2captcha", "capsolver", "custom"): with several
/// providers in failover, the one that answered.
///
/// \param solution the solution.
/// \return a string borrowed from `solution`; NULL if `solution` is NULL.
///
/// \code{.c}
/// printf("solved by %s\n", capbridge_solution_provider(solution));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_provider(
    solution: *const capbridge_solution,
) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(solution).map_or(std::ptr::null(), |s| s.provider.as_ptr()) }
}

/// \brief The structured answer as a JSON object's text, with the same names on every
/// provider: GeeTest's "challenge", "validate", "seccode"; Amazon's "captcha_voucher" and
/// "existing_token"; "points" ([{"x":..,"y":..}]); "cells"; "angle"; "cookies";
/// "user_agent"; for a "Raw" task, the provider's solution as received. "{}" when the kind
/// has none.
///
/// \param solution the solution.
/// \return a string borrowed from `solution`; NULL if `solution` is NULL.
///
/// \code{.c}
/// puts(capbridge_solution_data_json(solution));   // {"challenge":"..","validate":"..",..}
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_data_json(
    solution: *const capbridge_solution,
) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(solution).map_or(std::ptr::null(), |s| s.data_json.as_ptr()) }
}

/// \brief The service's final reply as JSON text, as received, for fields capbridge does
/// not name.
///
/// \param solution the solution.
/// \return a string borrowed from `solution`; NULL if `solution` is NULL.
///
/// \code{.c}
/// puts(capbridge_solution_raw_json(solution));
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solution_raw_json(
    solution: *const capbridge_solution,
) -> *const c_char {
    ffi_boundary! { ffi::borrow_opt(solution).map_or(std::ptr::null(), |s| s.raw_json.as_ptr()) }
}

/// \brief Frees a string the library handed over through a `char **` out-parameter (a task
/// id from capbridge_submit(), a balance from capbridge_balance()). NULL is ignored. Never
/// pass it a `const char *` borrowed from an object, nor memory from malloc().
///
/// \param s the string.
///
/// \code{.c}
/// char *balance = NULL;
/// if (capbridge_balance(client, &balance, &err) == CAPBRIDGE_OK) puts(balance);
/// capbridge_string_free(balance);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_string_free(s: *mut c_char) {
    ffi_boundary! { ffi::free_string(s) }
}
