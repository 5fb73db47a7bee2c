//! Cancel tokens: stop blocking (or asynchronous) solves from another thread.

use crate::boundary::ffi_boundary;
use crate::error::capbridge_status;
use crate::ffi;
use capbridge_core::CancelToken;

/// \brief A cancellation flag shared by the solves it is given to (through
/// capbridge_solve_options_set_cancel_token()) and whoever may cancel them, from any thread.
///
/// Made by capbridge_cancel_token_new(), freed with capbridge_cancel_token_free(); solve
/// options hold their own reference, so freeing the handle does not disarm them. Once
/// cancelled, a token stays cancelled: use a new one for new solves.
pub struct capbridge_cancel_token {
    token: CancelToken,
}

impl capbridge_cancel_token {
    pub(crate) fn token(&self) -> &CancelToken {
        &self.token
    }
}

/// \brief Makes a cancel token, not cancelled.
///
/// \return a new token the caller frees with capbridge_cancel_token_free().
///
/// \code{.c}
/// capbridge_cancel_token *token = capbridge_cancel_token_new();
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_cancel_token_new() -> *mut capbridge_cancel_token {
    ffi_boundary! { ffi::to_c(capbridge_cancel_token { token: CancelToken::new() }) }
}

/// \brief Frees a cancel token handle. NULL is ignored. Solve options that hold the token
/// keep it working.
///
/// \param token the token.
///
/// \code{.c}
/// capbridge_cancel_token_free(token);
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_cancel_token_free(token: *mut capbridge_cancel_token) {
    ffi_boundary! { ffi::free(token) }
}

/// \brief Cancels every solve holding the token: each stops polling at once and fails with
/// CAPBRIDGE_ERR_CANCELLED (with the task id, if the task was submitted). Safe from any
/// thread and from callbacks; cancelling twice does nothing more. Not async-signal-safe: from
/// a signal handler, set a flag and cancel from a thread.
///
/// \param token the token.
/// \return CAPBRIDGE_OK, or CAPBRIDGE_ERR_USAGE for a NULL token.
///
/// \code{.c}
/// // thread A: capbridge_solve(client, task, so, &solution, &err)  (so holds token)
/// // thread B:
/// capbridge_cancel(token);   // thread A's solve returns CAPBRIDGE_ERR_CANCELLED
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_cancel(token: *const capbridge_cancel_token) -> capbridge_status {
    ffi_boundary! {
        match ffi::borrow(token, "token") {
            Ok(t) => {
                t.token.cancel();
                capbridge_status::CAPBRIDGE_OK
            }
            Err(_) => capbridge_status::CAPBRIDGE_ERR_USAGE,
        }
    }
}

/// \brief Whether capbridge_cancel() was called on the token.
///
/// \param token the token.
/// \return true once cancelled; false otherwise (and if `token` is NULL).
///
/// \code{.c}
/// if (capbridge_cancel_token_is_cancelled(token)) token = fresh_token();
/// \endcode
#[unsafe(no_mangle)]
pub extern "C" fn capbridge_cancel_token_is_cancelled(
    token: *const capbridge_cancel_token,
) -> bool {
    ffi_boundary! { ffi::borrow_opt(token).is_some_and(|t| t.token.is_cancelled()) }
}
