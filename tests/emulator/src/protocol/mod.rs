//! The form protocol as the API documentation describes it: request parameters, `in.php` and `res.php`,
//! and each provider's dialect of it.

pub(crate) mod dialect;
pub(crate) mod kinds;
pub(crate) mod params;
pub(crate) mod res;
pub(crate) mod submit;
pub(crate) mod validate;
