//! Solves with a completion callback, run on the core's shared runtime (after longport's
//! `async_call.rs`): the call returns at once with a handle that can cancel the solve.

use crate::boundary::{ffi_boundary, with_error};
use crate::client::capbridge_client;
use crate::error::{capbridge_error, capbridge_status};
use crate::ffi::{self, UserData};
use crate::options::capbridge_solve_options;
use crate::solution::capbridge_solution;
use crate::task::capbridge_task;
use capbridge_core::{CancelToken, Error, Solution};
use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// \brief Receives the outcome of capbridge_solve_async(), exactly once.
///
/// Called on a library thread (a capbridge runtime thread, never one of the caller's own
/// threads), possibly on several threads at once for several solves. Exactly one of
/// `solution` and `error` is not NULL; both are lent for the call only (copy them with
/// capbridge_solution_clone() / capbridge_error_clone() to keep them). The callback must
/// return quickly, must not block (no waiting on locks held for long, no sleeping, no I/O
/// that may hang), must not call blocking capbridge functions (capbridge_solve(),
/// capbridge_balance(), ... fail with CAPBRIDGE_ERR_USAGE there), and must not throw or
/// longjmp. It may read the solution and error, free the solve's handle, start other solves
/// with capbridge_solve_async(), cancel, and signal other threads.
///
/// \param user_data the pointer given to capbridge_solve_async(), passed back untouched.
/// \param solution the solution on success, else NULL.
/// \param error the error on failure, else NULL.
pub type capbridge_solve_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        solution: *const capbridge_solution,
        error: *const capbridge_error,
    ),
>;

/// \brief An asynchronous solve in flight, returned by capbridge_solve_async().
///
/// Freed with capbridge_solve_handle_free(), which does not stop the solve: its callback still
/// runs. May be used from any thread, including the callback.
pub struct capbridge_solve_handle {
    cancel: CancelToken,
    done: Arc<AtomicBool>,
}

/// Calls the C callback with the outcome; conversion failures (there are none without a
/// bug) still reach the callback as an error.
fn deliver(
    callback: unsafe extern "C" fn(*mut c_void, *const capbridge_solution, *const capbridge_error),
    user_data: UserData,
    outcome: Result<Solution, Error>,
) {
    let converted = catch_unwind(AssertUnwindSafe(|| match outcome {
        Ok(s) => Ok(capbridge_solution::from(s)),
        Err(e) => Err(capbridge_error::from(e)),
    }))
    .unwrap_or_else(|_| Err(capbridge_error::panic()));
    match &converted {
        // SAFETY: a C function pointer given by the caller, called with its own user data
        // and a solution or error that lives until it returns.
        Ok(s) => unsafe { callback(user_data.get(), s, std::ptr::null()) },
        // SAFETY: as above.
        Err(e) => unsafe { callback(user_data.get(), std::ptr::null(), e) },
    }
}

/// \brief Starts solving a task and returns at once; `callback` receives the outcome on a
/// library thread (see ::capbridge_solve_callback).
///
/// \param client the client (the solve keeps working if the client is freed meanwhile).
/// \param task the task (copied: free it whenever you like).
/// \param options solve options, or NULL. A cancel token set there cancels this solve too.
/// \param callback called exactly once with the solution or the error, unless this function
/// fails.
/// \param user_data passed back to the callback untouched; it must stay valid until the
/// callback has run.
/// \param err receives the error when the solve cannot start (a NULL argument, an invalid
/// task or option); may be NULL.
/// \return a handle the caller frees with capbridge_solve_handle_free() (freeing it does not
/// cancel the solve); NULL when the solve could not start, in which case the callback is
/// never called.
///
/// \code{.c}
/// static void on_done(void *user_data, const capbridge_solution *solution,
///                     const capbridge_error *error) {
///   struct job *job = user_data;
///   job->ok = solution != NULL;
///   if (solution) snprintf(job->answer, sizeof job->answer, "%s", capbridge_solution_answer(solution));
///   signal_job_done(job);   // e.g. post a semaphore: never block here
/// }
/// capbridge_solve_handle *h = capbridge_solve_async(client, task, NULL, on_done, &job, &err);
/// // ... later, to give up: capbridge_solve_handle_cancel(h);
/// capbridge_solve_handle_free(h);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_async(
    client: *const capbridge_client,
    task: *const capbridge_task,
    options: *const capbridge_solve_options,
    callback: capbridge_solve_callback,
    user_data: *mut c_void,
    err: *mut *mut capbridge_error,
) -> *mut capbridge_solve_handle {
    with_error(err, || {
        let client = ffi::borrow(client, "client")?;
        let callback = callback.ok_or_else(|| ffi::null_arg("callback"))?;
        let task = ffi::borrow(task, "task")?.to_core()?;
        let (mut opts, user_token) = match ffi::borrow_opt(options) {
            Some(o) => (o.to_core()?, o.cancel_token()),
            None => (Default::default(), None),
        };
        // The handle's own token, so that cancelling the handle stops this solve only; the
        // caller's token (if any) is relayed to it below.
        let token = CancelToken::new();
        opts.cancel = Some(token.clone());
        let runtime = capbridge_core::runtime::shared()?;
        let solve = client.inner().as_async().solve_with(task, opts);
        let done = Arc::new(AtomicBool::new(false));
        let user_data = UserData(user_data);
        let (relay, finished) = (token.clone(), done.clone());
        runtime.spawn(async move {
            tokio::pin!(solve);
            let outcome = match user_token {
                None => solve.await,
                Some(user) => tokio::select! {
                    outcome = &mut solve => outcome,
                    () = user.cancelled() => {
                        relay.cancel();
                        solve.await
                    }
                },
            };
            deliver(callback, user_data, outcome);
            finished.store(true, Ordering::SeqCst);
        });
        Ok(ffi::to_c(capbridge_solve_handle {
            cancel: token,
            done,
        }))
    })
}

/// \brief Cancels an asynchronous solve: it stops polling at once and its callback receives
/// a CAPBRIDGE_ERR_CANCELLED error (unless the outcome was already on its way). Safe from any
/// thread, including callbacks; cancelling a finished solve does nothing.
///
/// \param handle the solve's handle.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL handle.
///
/// \code{.c}
/// capbridge_solve_handle_cancel(h);   // the callback gets CAPBRIDGE_ERR_CANCELLED
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_handle_cancel(
    handle: *const capbridge_solve_handle,
) -> capbridge_status {
    ffi_boundary! {
        match ffi::borrow(handle, "handle") {
            Ok(h) => {
                h.cancel.cancel();
                capbridge_status::CAPBRIDGE_OK
            }
            Err(_) => capbridge_status::CAPBRIDGE_ERR_USAGE,
        }
    }
}

/// \brief Whether the solve's callback has run and returned.
///
/// \param handle the solve's handle.
/// \return true once the callback returned; false before (and if `handle` is NULL).
///
/// \code{.c}
/// while (!capbridge_solve_handle_done(h)) do_other_work();
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_handle_done(handle: *const capbridge_solve_handle) -> bool {
    ffi_boundary! { ffi::borrow_opt(handle).is_some_and(|h| h.done.load(Ordering::SeqCst)) }
}

/// \brief Frees a solve's handle. NULL is ignored. The solve goes on and its callback still
/// runs; only the ability to cancel it through this handle is gone.
///
/// \param handle the handle.
///
/// \code{.c}
/// capbridge_solve_handle_free(h);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_solve_handle_free(handle: *mut capbridge_solve_handle) {
    ffi_boundary! { ffi::free(handle) }
}
