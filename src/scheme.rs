//! Schemes: the calls' rules as data, loaded from `pipelines/`.
