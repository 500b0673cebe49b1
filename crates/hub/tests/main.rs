//! Every integration test of this crate, linked once: one test binary per crate instead of one per file
//! (ripgrep's layout). A new test file is a module here; shared helpers live in `common`.

mod access_freshness;
mod account_lifecycle;
mod account_takeover;
mod audit_actions;
mod auth;
mod authorization;
mod catalog_edits_and_resync;
mod change_feed;
mod common;
mod company_membership;
mod desk_day;
mod end_to_end;
mod hardening;
mod honest_status;
mod hostile_input;
mod item_door_access;
mod kisi_group_and_door_state;
mod kisi_space;
mod live_and_ui;
mod me;
mod one_writer;
mod person_logins;
mod provenance;
mod reconnect;
mod resync_from_kisi;
mod search_and_booking_dates;
mod shared_database;
mod sync_notices;
mod sync_queue;
mod sync_under_faults;
mod unlock_refusals;
mod unlock_reports;
mod validation;
mod validation_at_the_edge;
mod visitors;
