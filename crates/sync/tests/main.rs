//! Every integration test of this crate, linked once: one test binary per crate instead of one per file
//! (ripgrep's layout). A new test file is a module here; shared helpers live in `common`.

mod campaign;
mod changes;
mod common;
mod crash;
mod door_events;
mod faults;
mod logins;
mod make_before_break;
mod one_kisi_account;
mod plan;
mod priorities;
mod reconcile;
mod reconnect;
mod rules;
mod shared_rate_budget;
mod words;
mod worker;
