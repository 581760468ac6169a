//! Generates realistic sample batches (DOCX forms, summary XLSX, GBK-named
//! zips, e-mails) with ground truth, for intake's tests and benchmarks.

pub mod rawzip;
