//! # doorlink-sync
//!
//! Makes Kisi hold exactly the access Doorlink's rules give.
//!
//! Every domain write enqueues "re-evaluate person P at location L" (or the whole location) in the
//! store's outbox. The [`Worker`] claims entries; the [`SyncEngine`] loads the facts, asks core for
//! the desired access (merged per Kisi group, R13), compares it with the Kisi mirror in a pure
//! [`plan()`], and applies the difference through the Kisi client: managed users (I1–I3), role
//! assignments with `valid_from`/`valid_until`, Doorlink's own per-lock groups (M7) and visitor
//! access links (R10), never touching what Doorlink does not own (I4). Every Kisi call is written
//! to the audit log. The full reconcile ([`SyncEngine::reconcile_location`]) repairs drift and
//! marks orphans (C4); [`SyncEngine::revoke_everything`] is C3's explicit revocation.
//!
//! Entry points:
//! - [`SyncEngine::new`] (store, clock, [`SyncConfig`]), then [`Worker::new`] and [`Worker::run`]
//!   as a background task; the hub calls [`Worker::wake`] after a write and hears what each entry
//!   changed through [`Worker::on_change`] (to drop its caches and tell open pages). Tests and scripts drive
//!   [`Worker::run_once`] / [`Worker::drain`] step by step instead.
//! - [`SyncEngine::sync_person`] and [`SyncEngine::reconcile_location`] run one re-evaluation
//!   directly (the worker's two kinds of outbox entry).
//! - The dry run: [`SyncEngine::plan_person`], [`SyncEngine::plan_location`],
//!   [`SyncEngine::plan_revoke_everything`] return the [`Plan`] without calling Kisi.
//! - C3: [`SyncEngine::disconnect`], [`SyncEngine::revoke_everything`]; I2:
//!   [`SyncEngine::relink_person`].
//!
//! Dates written to Kisi: `valid_from` is the merged window's start, also when it lies in the past
//! for a grant that is already running. Core keeps a running window whole, so the value never moves
//! with the clock and an unchanged grant is never rewritten; Kisi treats a past `valid_from` exactly
//! like "valid now". `valid_until` is the window's end, or absent when open-ended.

mod apply;
mod audit;
mod clients;
mod connect;
mod connection;
mod directory;
mod door_events;
mod engine;
mod error;
mod fence;
mod forecast;
mod interlude;
mod lease;
mod logins;
mod lost_creates;
mod mirror;
mod outcomes;
mod plan;
mod readopt;
mod reconcile;
mod refresh;
mod refusal;
mod relink;
mod replace;
mod report;
mod view;
mod words;
mod worker;

pub use apply::LOCK_GROUP_PREFIX;
pub use clients::{kisi_client, sharing_budget};
pub use connect::{ConnectError, KisiCredentials, kisi_base_url};
pub use directory::Orphans;
pub use door_events::{BACKFILL_OVERLAP, Backfilled, FIRST_BACKFILL, UnreadableEvent, door_event};
pub use engine::{DIRECTORY_OUTDATED, RunContext, SyncConfig, SyncEngine};
pub use error::{Result, SyncError};
pub use forecast::{KindForecast, PERSON_ENTRY_REQUESTS, QueueForecast};
pub use logins::PersonLogin;
pub use plan::{Notice, Operation, Plan, plan, plan_unlink};
pub use reconcile::ReconcileReport;
pub use refresh::PersonRefresh;
pub use refusal::{kisi_error_code, unlock_refusal};
pub use report::{Changes, SyncReport};
pub use view::{DirectoryView, MirrorAssignment, MirrorLink, MirrorUser, MirrorView};
pub use words::{PlanWords, plan_words};
pub use worker::{SyncChange, Worker, WorkerPass};
