//! fields stage.
