//! Typed client for the Kisi REST API (as described in the design page `kisi-api.md`).
//!
//! One [`KisiClient`] per credential. Every call is paced by the credential's shared budget of
//! 5 requests per second, retried with backoff on 429, 5xx, timeouts and network failures, and
//! fails with one [`KisiError`] that names what went wrong in terms a person can act on.
//!
//! ```no_run
//! use kisi::{Connection, KisiClient, KisiConfig, KisiError, LockFilter, Secret, UnlockContext};
//!
//! # async fn example() -> Result<(), KisiError> {
//! let client = KisiClient::new(KisiConfig {
//!     connection: Connection::new("http://127.0.0.1:4000"), // default: https://api.kisi.io
//!     credential: Secret::new("the API key"),
//! })?;
//! let me = client.current_user().await?; // validates the key
//! for lock in client.locks(&LockFilter::default()).await? {
//!     match client.unlock(lock.id, &UnlockContext::default()).await {
//!         Ok(message) => tracing::info!(lock = %lock.name, %message, "opened"),
//!         Err(KisiError::ReaderRestricted { .. }) => { /* explain: only a phone at the reader */ }
//!         Err(other) => return Err(other),
//!     }
//! }
//! # let _ = me; Ok(()) }
//! ```
//!
//! The rate budget is shared per (server, Kisi user) within the process, as Kisi counts it:
//! build clients with [`KisiClient::for_user`] when the user is known (`GET /user`); a client
//! built with [`KisiClient::new`] is budgeted per credential.

mod call;
mod client;
mod config;
mod endpoints;
mod error;
mod models;
mod rate_budget;
mod retry;
mod secret;

pub use client::KisiClient;
pub use config::{Connection, DEFAULT_BASE_URL, Integration, KisiConfig};
pub use endpoints::{EventsSince, LockFilter, MAX_EVENT_PAGES, OwnerCredentials, access_link_url};
pub use error::KisiError;
pub use models::*;
pub use rate_budget::{KISI_REQUESTS_PER_SECOND, Lane, SharedBudget, SharedBudgetError};
pub use retry::RetryPolicy;
pub use secret::Secret;
