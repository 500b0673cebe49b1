//! Typed client for the Kisi REST API (as described in the design page `kisi-api.md`).
//!
//! One [`KisiClient`] per credential. Every call is paced by the credential's shared budget of
//! 5 requests per second, retried with backoff on 429, 5xx, timeouts and network failures, and
//! fails with one [`KisiError`] that names what went wrong in terms a person can act on.

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
pub use endpoints::{LockFilter, OwnerCredentials};
pub use error::KisiError;
pub use models::*;
pub use rate_budget::KISI_REQUESTS_PER_SECOND;
pub use retry::RetryPolicy;
pub use secret::Secret;
