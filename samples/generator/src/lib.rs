//! Generates realistic sample batches (DOCX forms, summary XLSX, GBK-named
//! zips, e-mails) with ground truth, for intake's tests and benchmarks.

pub mod agreement;
pub mod application;
pub mod batch;
pub mod content;
pub mod form;
pub mod legacy;
pub mod mail;
pub mod pdf;
pub mod rawzip;
pub mod rng;
pub mod scan;
pub mod seals;
pub mod summary;
pub mod truth;

pub use batch::{Batch, Options, shandong, write};
