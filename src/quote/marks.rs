//! Pairing quotation marks into quoted stretches.
