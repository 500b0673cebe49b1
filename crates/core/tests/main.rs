//! Every integration test of this crate, linked once: one test binary per crate instead of one per file
//! (ripgrep's layout). A new test file is a module here; shared helpers live in `common`.

mod bookings;
mod common;
mod explain;
mod passes;
mod properties;
mod subscriptions;
mod time_and_validation;
