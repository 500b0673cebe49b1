//! # doorlink-api
//!
//! The wire contract between the hub, the desktop shell and the UI: the request and response type
//! of every hub route, one module per route family. Every type derives serde, `ts_rs::TS` (the UI's
//! TypeScript types in `ui/src/gen/` are generated from these, never hand-copied) and
//! `utoipa::ToSchema` (the hub's `/api/openapi.json`).
//!
//! Regenerate the TypeScript after changing a type:
//! `DOORLINK_WRITE_TS=1 cargo test -p doorlink-api` (a test fails while `ui/src/gen` is stale).

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod bookings;
pub mod catalog;
pub mod common;
pub mod desk;
pub mod desktop;
pub mod door_events;
pub mod error;
pub mod events;
pub mod kisi;
pub mod kisi_users;
pub mod locations;
pub mod mappings;
pub mod me;
pub mod outcomes;
pub mod passes;
pub mod people;
pub mod routes;
pub mod subscriptions;
pub mod sync;
pub mod visitors;

mod typescript;

pub use typescript::{TS_EXPORT_DIR, export_typescript};
