//! The integration test binary: one `mod` per concern.

mod cli;
mod ner_model;
