//! The panic boundary: no Rust panic crosses into C.
//!
//! Since Rust 1.81 a panic that reaches an `extern "C"` function aborts the process, so every
//! exported function runs its body inside [`std::panic::catch_unwind`] (after rustls-ffi's
//! `ffi_panic_boundary!`). Functions with an error out-parameter go through [`with_error`],
//! which turns a panic into a `service` error ("a bug in capbridge"), the same kind the core
//! gives a task that failed unexpectedly; the others use [`ffi_boundary!`], which returns a
//! neutral value ([`OnPanic`]): NULL, `false`, 0, -1, or `CAPBRIDGE_ERR_SERVICE`.

use crate::error::{capbridge_error, capbridge_status};
use crate::ffi;
use capbridge_core::{Error, ErrorKind};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// What a function returns when its body panicked.
pub(crate) trait OnPanic {
    fn on_panic() -> Self;
}

impl<T> OnPanic for *mut T {
    fn on_panic() -> Self {
        std::ptr::null_mut()
    }
}

impl<T> OnPanic for *const T {
    fn on_panic() -> Self {
        std::ptr::null()
    }
}

impl OnPanic for capbridge_status {
    fn on_panic() -> Self {
        capbridge_status::CAPBRIDGE_ERR_SERVICE
    }
}

impl OnPanic for bool {
    fn on_panic() -> Self {
        false
    }
}

impl OnPanic for u32 {
    fn on_panic() -> Self {
        0
    }
}

impl OnPanic for u64 {
    fn on_panic() -> Self {
        0
    }
}

impl OnPanic for i32 {
    fn on_panic() -> Self {
        -1
    }
}

impl OnPanic for i64 {
    fn on_panic() -> Self {
        -1
    }
}

impl OnPanic for () {
    fn on_panic() -> Self {}
}

/// Runs the body of an exported function, returning [`OnPanic::on_panic`] if it panics.
macro_rules! ffi_boundary {
    ( $($body:tt)* ) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| { $($body)* })) {
            Ok(value) => value,
            Err(_) => $crate::boundary::OnPanic::on_panic(),
        }
    };
}
pub(crate) use ffi_boundary;

/// The value a fallible function returns on failure, given the error's status.
pub(crate) trait Failure {
    fn failure(status: capbridge_status) -> Self;
}

impl Failure for capbridge_status {
    fn failure(status: capbridge_status) -> Self {
        status
    }
}

impl<T> Failure for *mut T {
    fn failure(_: capbridge_status) -> Self {
        std::ptr::null_mut()
    }
}

/// The error a caught panic becomes. The payload is not repeated: it was not redacted.
pub(crate) fn panic_error() -> Error {
    Error::new(
        ErrorKind::Service,
        "an internal error (a Rust panic) was caught at the C boundary; this is a bug in capbridge",
    )
}

/// Runs the body of a fallible exported function: on success `*err` is set to NULL and the
/// value returned; on an error or a panic `*err` receives the error (when `err` is not NULL)
/// and the failure value is returned.
pub(crate) fn with_error<T: Failure>(
    err: *mut *mut capbridge_error,
    body: impl FnOnce() -> Result<T, Error>,
) -> T {
    ffi::set_out(err, std::ptr::null_mut());
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| Err(panic_error()));
    match outcome {
        Ok(value) => value,
        Err(e) => {
            let status = capbridge_status::of_kind(e.kind());
            if !err.is_null() {
                // Building the error cannot panic (no unwrap anywhere), but stay defensive:
                // the status alone still tells the caller what happened.
                if let Ok(boxed) =
                    catch_unwind(AssertUnwindSafe(|| ffi::to_c(capbridge_error::from(e))))
                {
                    ffi::set_out(err, boxed);
                }
            }
            T::failure(status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_service_error_and_a_neutral_value() {
        let mut err: *mut capbridge_error = std::ptr::null_mut();
        let status = with_error(&mut err, || -> Result<capbridge_status, Error> {
            panic!("a bug")
        });
        assert_eq!(status, capbridge_status::CAPBRIDGE_ERR_SERVICE);
        assert!(!err.is_null());
        ffi::free(err);
        let ptr: *mut u8 = with_error(std::ptr::null_mut(), || -> Result<*mut u8, Error> {
            panic!("a bug")
        });
        assert!(ptr.is_null());
        let flag: bool = ffi_boundary! { panic!("a bug") };
        assert!(!flag);
    }
}
