//! Group: documents into proposals.
