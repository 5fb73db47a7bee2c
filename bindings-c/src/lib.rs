//! Placeholder: the C binding is being written.
