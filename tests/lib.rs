//! The integration test binary: one `mod` per concern.

mod cli;
mod quotes;
