//! The panic boundary: no Rust panic crosses into C.
//!
//! Since Rust 1.81 a panic that reaches an `extern "C"` function aborts the process, so every
//! exported function runs its body inside [`std::panic::catch_unwind`] (after rustls-ffi's
//! `ffi_panic_boundary!`). Functions with an error out-parameter go through [`with_error`],
//! which turns a panic into a `CAPBRIDGE_ERR_PANIC` error ("a bug in capbridge"): its own
//! status, so that a caller never mistakes a bug for something the service said; the others
//! use [`ffi_boundary!`], which returns a neutral value ([`OnPanic`]): NULL, `false`, 0, -1,
//! or `CAPBRIDGE_ERR_PANIC`.

use crate::error::{capbridge_error, capbridge_status};
use crate::ffi;
use capbridge_core::Error;
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
        capbridge_status::CAPBRIDGE_ERR_PANIC
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

/// Runs the body of a fallible exported function: on success `*err` is set to NULL and the
/// value returned; on an error or a panic `*err` receives the error (when `err` is not NULL)
/// and the failure value is returned. A panic becomes `CAPBRIDGE_ERR_PANIC`.
pub(crate) fn with_error<T: Failure>(
    err: *mut *mut capbridge_error,
    body: impl FnOnce() -> Result<T, Error>,
) -> T {
    ffi::set_out(err, std::ptr::null_mut());
    let error = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => return value,
        // Building the error cannot panic (no unwrap anywhere), but stay defensive.
        Ok(Err(e)) => catch_unwind(AssertUnwindSafe(|| capbridge_error::from(e)))
            .unwrap_or_else(|_| capbridge_error::panic()),
        Err(_) => capbridge_error::panic(),
    };
    let status = error.status();
    if !err.is_null() {
        ffi::set_out(err, ffi::to_c(error));
    }
    T::failure(status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{
        capbridge_error_kind, capbridge_error_kind_name, capbridge_error_retryable,
    };
    use std::ffi::CStr;

    /// A test-only export (compiled into the unit tests alone, never into the library): a
    /// fallible function whose body panics, called through its C signature as a C caller
    /// would.
    pub extern "C" fn capbridge_test_panic(err: *mut *mut capbridge_error) -> capbridge_status {
        with_error(err, || -> Result<capbridge_status, Error> {
            panic!("a bug")
        })
    }

    #[test]
    fn a_panic_gets_its_own_status_and_a_neutral_value() {
        let mut err: *mut capbridge_error = std::ptr::null_mut();
        let status = capbridge_test_panic(&mut err);
        assert_eq!(status, capbridge_status::CAPBRIDGE_ERR_PANIC);
        assert!(!err.is_null());
        assert_eq!(
            capbridge_error_kind(err),
            capbridge_status::CAPBRIDGE_ERR_PANIC
        );
        // SAFETY: a static NUL-terminated string.
        let name = unsafe { CStr::from_ptr(capbridge_error_kind_name(err)) };
        assert_eq!(name, c"panic");
        assert!(!capbridge_error_retryable(err));
        ffi::free(err);
        // Without an error out-parameter, the status alone tells.
        assert_eq!(
            capbridge_test_panic(std::ptr::null_mut()),
            capbridge_status::CAPBRIDGE_ERR_PANIC
        );
        let ptr: *mut u8 = with_error(std::ptr::null_mut(), || -> Result<*mut u8, Error> {
            panic!("a bug")
        });
        assert!(ptr.is_null());
        let flag: bool = ffi_boundary! { panic!("a bug") };
        assert!(!flag);
        let status: capbridge_status = ffi_boundary! { panic!("a bug") };
        assert_eq!(status, capbridge_status::CAPBRIDGE_ERR_PANIC);
    }
}
