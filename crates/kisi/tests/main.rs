//! Every integration test of this crate, linked once: one test binary per crate instead of one per file
//! (ripgrep's layout). A new test file is a module here; shared helpers live in `common`.

mod common;
mod errors;
mod events;
mod group_links;
mod groups;
mod headers;
mod locks;
mod logins;
mod null_flags;
mod payload_corpus;
mod places;
mod rate_budget;
mod retry;
mod role_assignments;
mod secrets;
mod users;
