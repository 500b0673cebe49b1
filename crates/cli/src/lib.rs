//! # doorlink-cli
//!
//! The `doorlink` binary's commands as a library, so tests start exactly what the binary starts:
//! `serve` (the hub with its sync worker), `demo` (the Kisi emulator, the hub and a complete demo
//! space), `explain` (the first rule between a person and a door) and `sync --dry-run` (what the sync
//! engine would change in Kisi).

pub mod commands;
pub mod data;
pub mod demo_space;
pub mod describe;
