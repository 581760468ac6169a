//! intake: turns the materials applicants send for international S&T
//! cooperation calls into checked, structured JSON.
//!
//! Stages, each a module, data flowing one way:
//! `ingest` (inputs → files) → `classify` (bytes → kind) → `extract`
//! (file → [`model::Document`]) → `group` (documents → proposals) →
//! `fields` (locate labelled values, with evidence) → `normalize` →
//! `check` (scheme rules → findings) → `emit` (JSONL, batch.json).
//! `pipeline` wires them together; `main.rs` is a thin CLI over it.

pub mod bilingual;
pub mod check;
pub mod classify;
pub mod emit;
pub mod extract;
pub mod fields;
pub mod group;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod ocr;
pub mod pipeline;
pub mod pixels;
pub mod record;
pub mod scheme;
pub mod seal;
pub mod worker;
