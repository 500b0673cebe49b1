//! A faithful in-memory Kisi API server (kisi-api.md, "The emulator") with a control API under
//! `/__emulator/` and fault injection, for tests, benchmarks and `doorlink demo`.
//!
//! ```no_run
//! # async fn example() -> std::io::Result<()> {
//! use kisi_emulator::{EmulatorConfig, Seed};
//! let emulator = kisi_emulator::start(EmulatorConfig::default()).await?;
//! let ids = emulator.control().seed(Seed::demo().map_err(std::io::Error::other)?);
//! // Point a client at emulator.base_url() with `Authorization: KISI-LOGIN {ids.owner_api_key}`.
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

use std::sync::{Mutex, MutexGuard, PoisonError};

mod auth;
mod clock;
mod config;
mod control;
mod errors;
mod faults;
mod paging;
mod query;
mod rate_limit;
mod routes;
mod seed;
mod server;
mod state;
mod webhooks;

pub use config::{DEFAULT_LOGIN_QUOTA, DEFAULT_RATE_LIMIT_PER_SECOND, EmulatorConfig};
pub use control::{Control, ControlError, Credential, TapOutcome};
pub use faults::Fault;
pub use paging::{DEFAULT_LIMIT, MAX_LIMIT};
pub use rate_limit::RequestCounts;
pub use seed::{
    DEMO_SEED_JSON, Seed, SeedError, SeedGroup, SeedIds, SeedLock, SeedOrganization, SeedOwner,
    SeedPlace, SeedUser,
};
pub use server::{RunningEmulator, start};
pub use state::access::{MAX_EMAIL_GROUP_LINKS, ROLE_GROUP_BASIC};
pub use state::events::UNLOCK_EVENT;
pub use state::logins::{
    MAX_LOGINS_PER_USER, UNUSED_LOGIN_LIFETIME_DAYS, UNUSED_ON_BEHALF_LOGIN_LIFETIME_DAYS,
};
pub use state::places::DEFAULT_GEOFENCE_RADIUS_METERS;
pub use state::unlock::{TIME_RESTRICTION_CLOSES_HOUR, TIME_RESTRICTION_OPENS_HOUR};
pub use state::{
    AssignmentChange, AssignmentSource, Event, Group, GroupLink, GroupLock, Lock, LockState, Login,
    OfflineReaders, Organization, OverlapPolicy, Place, Restrictions, RoleAssignment, Snapshot,
    User,
};
pub use webhooks::dispatch::REORDER_HOLD_LIMIT;
pub use webhooks::{
    DEFAULT_WEBHOOK_RETRIES, DELIVERY_TIMEOUT, Delivery, DropEvents, FIRST_RETRY_BACKOFF,
    NewWebhook, SIGNATURE_HEADER, SignatureEncoding, Webhook, WebhookFaults,
};

/// Locks a mutex, carrying on after a panic elsewhere: every critical section leaves the data
/// consistent, so a poisoned lock holds nothing half-written.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
