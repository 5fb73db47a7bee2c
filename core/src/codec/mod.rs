//! Protocol codecs: pure functions, no I/O. A task becomes a request description; reply bytes
//! become a typed outcome. One module per protocol family.

pub mod form;
