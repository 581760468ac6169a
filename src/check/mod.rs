//! check stage: scheme rules → findings. `engine` evaluates the declarative
//! rules of `pipelines/schemes/*.toml` on one proposal.

pub mod engine;

pub use engine::{ProposalView, evaluate, evaluate_batch, evaluate_summary};
