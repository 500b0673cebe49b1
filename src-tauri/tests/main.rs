//! Every integration test of this crate, linked once: one test binary per crate instead of one per file
//! (ripgrep's layout). A new test file is a module here; shared helpers live in `common`.

mod against_the_demo;
mod commands_over_ipc;
mod front_desk;
