//! Every integration test of this crate, linked once: one test binary per crate instead of one per file
//! (ripgrep's layout). A new test file is a module here; shared helpers live in `common`.

mod auth_and_logins;
mod binary;
mod common;
mod control_http;
mod faults_and_rate_limit;
mod payloads_and_paging;
mod unlock;
mod webhooks;
