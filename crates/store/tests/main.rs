//! Every integration test of this crate, linked once: one test binary per crate instead of one per file
//! (ripgrep's layout). A new test file is a module here; shared helpers live in `common`.

mod audit;
mod bookings;
mod catalog;
mod common;
mod every_account_is_a_person;
mod facts;
mod first_admin;
mod holds_and_disconnections;
mod kisi_mirror;
mod locations;
mod open;
mod outbox;
mod outcomes;
mod passes;
mod people_and_companies;
mod people_search;
mod person_logins;
mod released_users;
mod revision;
mod secrets;
mod shared_limits;
mod subscriptions;
mod transactions;
mod transfer;
mod visitors;
