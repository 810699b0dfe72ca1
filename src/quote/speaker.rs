//! Reporting cues, speaker mentions and their resolution to a full name.
