//! Every pointer cast of the binding, in one place (after rustls-ffi's `ffi.rs`).
//!
//! Handles are `Box`es handed to C with [`to_c`] and taken back by [`free`]; borrowed with
//! [`borrow`] / [`borrow_mut`], which turn NULL into a `usage` error naming the parameter.
//! Strings come in through [`text`] (NULL and invalid UTF-8 refused, never trusted) and go out
//! as [`CString`]s made by [`c_string`] (a NUL, which C strings cannot hold, becomes U+FFFD).
//!
//! These functions trust one thing they cannot check: that a non-NULL pointer came from this
//! library, with the type the C prototype says, and was not freed yet. That is the contract
//! of the C API (a C compiler checks the types), and it is trusted here and nowhere else.

use capbridge_core::Error;
use std::ffi::{CStr, CString, c_char};

/// A `usage` error for a NULL argument.
pub(crate) fn null_arg(name: &str) -> Error {
    Error::usage(format!("{name} is NULL"))
}

/// Hands a value to C as a pointer it owns until the matching `_free`.
pub(crate) fn to_c<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops a value handed out by [`to_c`]; NULL is ignored.
pub(crate) fn free<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: a non-NULL handle came from `to_c` with this type (the C contract), and a
        // `_free` function is called once per handle.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Borrows a handle, or a `usage` error naming the parameter when it is NULL.
pub(crate) fn borrow<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Error> {
    // SAFETY: a non-NULL handle came from `to_c` and is alive for the call (the C contract).
    unsafe { ptr.as_ref() }.ok_or_else(|| null_arg(name))
}

/// Borrows a handle mutably, or a `usage` error naming the parameter when it is NULL.
pub(crate) fn borrow_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, Error> {
    // SAFETY: as `borrow`; the caller does not share a handle it changes (documented).
    unsafe { ptr.as_mut() }.ok_or_else(|| null_arg(name))
}

/// Borrows a handle that may be NULL (an optional argument).
pub(crate) fn borrow_opt<'a, T>(ptr: *const T) -> Option<&'a T> {
    // SAFETY: as `borrow`.
    unsafe { ptr.as_ref() }
}

/// Why a string argument was refused.
pub(crate) enum BadText {
    Null,
    NotUtf8,
}

impl BadText {
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            BadText::Null => "is NULL",
            BadText::NotUtf8 => "is not valid UTF-8",
        }
    }
}

/// Reads a NUL-terminated UTF-8 string argument.
pub(crate) fn text<'a>(ptr: *const c_char) -> Result<&'a str, BadText> {
    if ptr.is_null() {
        return Err(BadText::Null);
    }
    // SAFETY: a non-NULL string argument is NUL-terminated and alive for the call (the C
    // contract of every function taking `const char *`).
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str().map_err(|_| BadText::NotUtf8)
}

/// Reads a string argument; failures are `usage` errors naming the parameter.
pub(crate) fn text_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    text(ptr).map_err(|e| Error::usage(format!("{name} {}", e.reason())))
}

/// Reads a byte buffer argument (`len` bytes at `ptr`); NULL is refused unless `len` is 0.
pub(crate) fn bytes<'a>(ptr: *const u8, len: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return (len == 0).then_some(&[]);
    }
    // SAFETY: `ptr` points to `len` readable bytes for the call (the C contract).
    Some(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Writes an out-parameter if it is not NULL.
pub(crate) fn set_out<T>(out: *mut *mut T, value: *mut T) {
    if !out.is_null() {
        // SAFETY: a non-NULL out-parameter points to writable storage for a pointer.
        unsafe { out.write(value) };
    }
}

/// Checks a required out-parameter and clears it, so that it is NULL on every failure.
pub(crate) fn require_out<T>(out: *mut *mut T, name: &str) -> Result<(), Error> {
    if out.is_null() {
        return Err(null_arg(name));
    }
    set_out(out, std::ptr::null_mut());
    Ok(())
}

/// A C string from Rust text; a NUL (which C strings cannot hold) becomes U+FFFD.
pub(crate) fn c_string(s: &str) -> CString {
    CString::new(s).unwrap_or_else(|_| {
        let cleaned = s.replace('\0', "\u{FFFD}");
        // No NUL is left, so this cannot fail; an empty string is the (unreachable) fallback.
        CString::new(cleaned).unwrap_or_default()
    })
}

/// An optional C string.
pub(crate) fn c_string_opt(s: Option<&str>) -> Option<CString> {
    s.map(c_string)
}

/// A string the caller owns, freed with `capbridge_string_free`.
pub(crate) fn owned_string(s: &str) -> *mut c_char {
    c_string(s).into_raw()
}

/// Takes back and drops a string made by [`owned_string`]; NULL is ignored.
pub(crate) fn free_string(ptr: *mut c_char) {
    if !ptr.is_null() {
        // SAFETY: the string came from `CString::into_raw` in `owned_string` (the C contract
        // of `capbridge_string_free`).
        drop(unsafe { CString::from_raw(ptr) });
    }
}

/// A borrowed C string pointer for an optional string: NULL when absent.
pub(crate) fn ptr_of(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

/// A pointer to a static C string.
pub(crate) fn static_ptr(s: &'static CStr) -> *const c_char {
    s.as_ptr()
}

/// Opaque user data handed back to C callbacks: the library never dereferences it, and the
/// caller makes whatever it points to safe to use from the threads the callbacks run on.
#[derive(Clone, Copy)]
pub(crate) struct UserData(pub(crate) *mut std::ffi::c_void);

impl UserData {
    /// The pointer (a method, so that closures capture the whole `Send` wrapper).
    pub(crate) fn get(self) -> *mut std::ffi::c_void {
        self.0
    }
}

// SAFETY: the pointer is only passed back to the caller's own callback; the header documents
// that callbacks run on the library's threads, so the caller makes its data thread-safe.
unsafe impl Send for UserData {}
// SAFETY: as above.
unsafe impl Sync for UserData {}
