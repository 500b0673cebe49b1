//! Every integration test of this crate, linked once: one test binary per crate instead of one per file
//! (ripgrep's layout). A new test file is a module here; shared helpers live in `common`.

mod binary;
mod common;
mod crash_recovery;
mod demo_space;
mod end_to_end;
mod explain;
mod migrate;
mod serve;
mod support_bundle;
mod sync_dry_run;
