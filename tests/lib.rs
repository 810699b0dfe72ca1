//! The integration test binary: one `mod` per concern.

mod cli;
mod entities;
mod fuzz_inputs;
mod invariants;
mod ner_model;
mod properties;
mod quotes;
