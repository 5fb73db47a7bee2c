//! The form protocol as the seed describes it: request parameters, `in.php` and `res.php`.

pub(crate) mod params;
pub(crate) mod res;
pub(crate) mod submit;
pub(crate) mod validate;
