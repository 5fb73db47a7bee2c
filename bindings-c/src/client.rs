//! The client and its blocking verbs.

use crate::boundary::{ffi_boundary, with_error};
use crate::error::{capbridge_error, capbridge_status};
use crate::ffi;
use crate::options::{capbridge_options, capbridge_solve_options, solve_options_of};
use crate::solution::capbridge_solution;
use crate::task::capbridge_task;
use capbridge_core::blocking;
use std::ffi::c_char;

/// \brief A client of one captcha service (or a failover list of them).
///
/// Made by capbridge_client_new(), freed with capbridge_client_free(). Safe to use from any
/// number of threads at once: every solve in flight shares one engine, which keeps the
/// service's request limits. A process that forks may keep using the client in the child
/// (it starts a fresh engine there). Blocking calls must not be made from a callback.
pub struct capbridge_client {
    client: blocking::Client,
}

impl capbridge_client {
    pub(crate) fn inner(&self) -> &blocking::Client {
        &self.client
    }
}

/// \brief Makes a client from options.
///
/// \param options the options (copied: free them whenever you like).
/// \param err receives the error on failure (CAPBRIDGE_ERR_USAGE naming the option:
/// capbridge_error_option()); may be NULL.
/// \return a new client the caller frees with capbridge_client_free(); NULL on failure.
///
/// \code{.c}
/// capbridge_options *opts = capbridge_options_new();
/// capbridge_options_set_string(opts, "provider", "2captcha");
/// capbridge_options_set_string(opts, "api_key", key);
/// capbridge_error *err = NULL;
/// capbridge_client *client = capbridge_client_new(opts, &err);
/// capbridge_options_free(opts);
/// if (!client) {
///   fprintf(stderr, "%s\n", capbridge_error_to_string(err));
///   capbridge_error_free(err);
/// }
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_client_new(
    options: *const capbridge_options,
    err: *mut *mut capbridge_error,
) -> *mut capbridge_client {
    with_error(err, || {
        let (map, on_event) = ffi::borrow(options, "options")?.to_core()?;
        let mut builder = capbridge_core::options::client_builder(map)?;
        if let Some(sink) = on_event {
            builder = builder.on_event_handler(sink.handler());
        }
        let client = blocking::ClientBuilder::from(builder).build()?;
        Ok(ffi::to_c(capbridge_client { client }))
    })
}

/// \brief Frees a client. NULL is ignored. Asynchronous solves still in flight finish (and
/// call their callbacks); no other call may use the client afterwards.
///
/// \param client the client.
///
/// \code{.c}
/// capbridge_client_free(client);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_client_free(client: *mut capbridge_client) {
    ffi_boundary! { ffi::free(client) }
}

/// \brief Solves a task, blocking the calling thread: checks it, submits it, waits for the
/// answer, a failure or the deadline.
///
/// The deadline (`timeout_ms`) ends every wait and poll at once; a submit request already
/// sent is let run to its own `request_timeout_ms`, because its reply may carry the id of a
/// task the service charges for. So a solve returns at most `timeout_ms` plus
/// `request_timeout_ms` after the call; a cancel token (capbridge_cancel()) stops it at once.
/// A service that cannot be reached (a wrong port) is retried until the deadline: give a
/// shorter `timeout_ms` to learn of it sooner.
///
/// \param client the client.
/// \param task the task (not changed; may be solved again).
/// \param options solve options (deadline, waits, cancel token, events), or NULL.
/// \param solution receives the solution, which the caller frees with
/// capbridge_solution_free(); set to NULL on failure. Must not be NULL.
/// \param err receives the error on failure (after the submit it carries the task id); may
/// be NULL.
/// \return CAPBRIDGE_OK or the error's kind.
///
/// \code{.c}
/// capbridge_solution *solution = NULL;
/// capbridge_error *err = NULL;
/// if (capbridge_solve(client, task, NULL, &solution, &err) == CAPBRIDGE_OK) {
///   printf("%s\n", capbridge_solution_answer(solution));
///   capbridge_solution_free(solution);
/// } else {
///   fprintf(stderr, "%s\n", capbridge_error_to_string(err));
///   capbridge_error_free(err);
/// }
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve(
    client: *const capbridge_client,
    task: *const capbridge_task,
    options: *const capbridge_solve_options,
    solution: *mut *mut capbridge_solution,
    err: *mut *mut capbridge_error,
) -> capbridge_status {
    with_error(err, || {
        ffi::require_out(solution, "solution")?;
        let client = ffi::borrow(client, "client")?;
        let task = ffi::borrow(task, "task")?.to_core()?;
        let opts = solve_options_of(options)?;
        let s = client.client.solve_with(task, opts)?;
        ffi::set_out(solution, ffi::to_c(capbridge_solution::from(s)));
        Ok(capbridge_status::CAPBRIDGE_OK)
    })
}

/// \brief Submits a task without waiting for the answer (collect it with capbridge_wait() or
/// capbridge_result()).
///
/// \param client the client.
/// \param task the task.
/// \param options solve options (deadline of the submit, cancel token, events), or NULL.
/// \param task_id receives the service's task id, which the caller frees with
/// capbridge_string_free(); set to NULL on failure. Must not be NULL.
/// \param err receives the error on failure; may be NULL.
/// \return CAPBRIDGE_OK or the error's kind.
///
/// \code{.c}
/// char *id = NULL;
/// if (capbridge_submit(client, task, NULL, &id, &err) == CAPBRIDGE_OK) {
///   capbridge_wait(client, id, NULL, &solution, &err);
///   capbridge_string_free(id);
/// }
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_submit(
    client: *const capbridge_client,
    task: *const capbridge_task,
    options: *const capbridge_solve_options,
    task_id: *mut *mut c_char,
    err: *mut *mut capbridge_error,
) -> capbridge_status {
    with_error(err, || {
        ffi::require_out(task_id, "task_id")?;
        let client = ffi::borrow(client, "client")?;
        let task = ffi::borrow(task, "task")?.to_core()?;
        let opts = solve_options_of(options)?;
        let id = client.client.submit_with(task, opts)?;
        ffi::set_out(task_id, ffi::owned_string(&id));
        Ok(capbridge_status::CAPBRIDGE_OK)
    })
}

/// \brief Asks once for a task's answer, without waiting.
///
/// \param client the client.
/// \param task_id the service's task id.
/// \param solution receives the solution (the caller frees it with capbridge_solution_free())
/// or NULL while the task is not solved yet. Must not be NULL.
/// \param err receives the error on failure (CAPBRIDGE_ERR_NOT_FOUND for an unknown id,
/// CAPBRIDGE_ERR_UNSOLVABLE, ...); may be NULL.
/// \return CAPBRIDGE_OK (with or without a solution) or the error's kind.
///
/// \code{.c}
/// capbridge_solution *solution = NULL;
/// if (capbridge_result(client, id, &solution, &err) == CAPBRIDGE_OK && solution) {
///   puts(capbridge_solution_answer(solution));
///   capbridge_solution_free(solution);
/// }
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_result(
    client: *const capbridge_client,
    task_id: *const c_char,
    solution: *mut *mut capbridge_solution,
    err: *mut *mut capbridge_error,
) -> capbridge_status {
    with_error(err, || {
        ffi::require_out(solution, "solution")?;
        let client = ffi::borrow(client, "client")?;
        let id = ffi::text_arg(task_id, "task_id")?;
        if let Some(s) = client.client.result(id)? {
            ffi::set_out(solution, ffi::to_c(capbridge_solution::from(s)));
        }
        Ok(capbridge_status::CAPBRIDGE_OK)
    })
}

/// \brief Waits for the answer of a task submitted earlier (by capbridge_submit(), a solve
/// that timed out, another process), polling within the service's limits until the answer, a
/// failure or the deadline.
///
/// \param client the client.
/// \param task_id the service's task id.
/// \param options solve options (deadline, waits, cancel token, events), or NULL.
/// \param solution receives the solution, which the caller frees with
/// capbridge_solution_free(); set to NULL on failure. Must not be NULL.
/// \param err receives the error on failure; may be NULL.
/// \return CAPBRIDGE_OK or the error's kind.
///
/// \code{.c}
/// if (st == CAPBRIDGE_ERR_TIMEOUT)   // a solve ran out of time: give it longer
///   st = capbridge_wait(client, capbridge_error_task_id(err), NULL, &solution, NULL);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_wait(
    client: *const capbridge_client,
    task_id: *const c_char,
    options: *const capbridge_solve_options,
    solution: *mut *mut capbridge_solution,
    err: *mut *mut capbridge_error,
) -> capbridge_status {
    with_error(err, || {
        ffi::require_out(solution, "solution")?;
        let client = ffi::borrow(client, "client")?;
        let id = ffi::text_arg(task_id, "task_id")?;
        let opts = solve_options_of(options)?;
        let s = client.client.wait(id, opts)?;
        ffi::set_out(solution, ffi::to_c(capbridge_solution::from(s)));
        Ok(capbridge_status::CAPBRIDGE_OK)
    })
}

/// \brief The account's balance, as exact decimal text ("9.99915").
///
/// \param client the client.
/// \param balance receives the balance, which the caller frees with capbridge_string_free();
/// set to NULL on failure. Must not be NULL.
/// \param err receives the error on failure; may be NULL.
/// \return CAPBRIDGE_OK or the error's kind.
///
/// \code{.c}
/// char *balance = NULL;
/// if (capbridge_balance(client, &balance, &err) == CAPBRIDGE_OK) printf("%s\n", balance);
/// capbridge_string_free(balance);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_balance(
    client: *const capbridge_client,
    balance: *mut *mut c_char,
    err: *mut *mut capbridge_error,
) -> capbridge_status {
    with_error(err, || {
        ffi::require_out(balance, "balance")?;
        let client = ffi::borrow(client, "client")?;
        let money = client.client.balance()?;
        ffi::set_out(balance, ffi::owned_string(money.as_str()));
        Ok(capbridge_status::CAPBRIDGE_OK)
    })
}

/// \brief Reports an answer as accepted by the site (good = true) or refused (false).
///
/// \param client the client.
/// \param task_id the service's task id (capbridge_solution_task_id()).
/// \param good whether the site accepted the answer.
/// \param err receives the error on failure (CAPBRIDGE_ERR_REPORT when the service did not
/// record it); may be NULL.
/// \return CAPBRIDGE_OK or the error's kind.
///
/// \code{.c}
/// capbridge_report(client, capbridge_solution_task_id(solution), site_accepted, &err);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_report(
    client: *const capbridge_client,
    task_id: *const c_char,
    good: bool,
    err: *mut *mut capbridge_error,
) -> capbridge_status {
    with_error(err, || {
        let client = ffi::borrow(client, "client")?;
        let id = ffi::text_arg(task_id, "task_id")?;
        client.client.report(id, good)?;
        Ok(capbridge_status::CAPBRIDGE_OK)
    })
}

/// \brief The library's version ("0.1.0").
///
/// \return a static string (never free it).
///
/// \code{.c}
/// printf("capbridge %s\n", capbridge_version());
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_version() -> *const c_char {
    ffi_boundary! {
        ffi::static_ptr(
            match std::ffi::CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
                Ok(v) => v,
                Err(_) => c"unknown",
            },
        )
    }
}
