//! Pipeline: wires the stages together.
