//! Placeholder: the Node binding is being written.
