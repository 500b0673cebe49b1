//! # doorlink-store
//!
//! Doorlink's database. SQLite (WAL, foreign keys on) through sqlx with runtime-checked queries,
//! plain-SQL migrations run at start-up, and one repository per table family hanging off
//! [`Store`]. Every domain write enqueues its outbox entry ("re-evaluate person P at location L", or
//! the whole location for a mapping change) in the same transaction, so the sync worker never misses
//! a change and never sees one that was rolled back.
//!
//! Portability: every statement uses `$1`-style parameters, `RETURNING` and `ON CONFLICT`, which
//! PostgreSQL reads unchanged; instants are BIGINT epoch milliseconds; enums are CHECKed TEXT.

pub mod accounts;
pub mod audit;
pub mod bookings;
pub mod catalog;
mod codec;
pub mod companies;
mod db;
mod door_access;
mod error;
mod facts;
pub mod kisi_mirror;
pub mod locations;
pub mod outbox;
pub mod passes;
pub mod people;
pub mod secrets;
pub mod subscriptions;

pub use accounts::{Account, AccountId, AccountRole, Accounts, Invitation, NewInvitation, Session};
pub use audit::{
    AuditEntry, AuditEntryId, AuditFilter, AuditLog, AuditOutcome, AuditPage, MAX_AUDIT_PAGE,
    NewAuditEntry,
};
pub use bookings::{Bookings, NewBooking};
pub use catalog::Catalog;
pub use companies::Companies;
pub use db::{Clock, Store};
pub use door_access::MappingOwner;
pub use error::{Result, StoreError};
pub use kisi_mirror::{
    CatalogueGroup, CataloguePlace, KisiCatalogue, KisiGroupLinkId, KisiMirror,
    KisiRoleAssignmentId, MirrorAssignment, MirrorLink, MirrorUser, OrphanedTarget,
};
pub use locations::{
    Credential, CredentialRef, KisiAuth, KisiConnection, Locations, NewCredential, NewLocation,
};
pub use outbox::{Backoff, Claim, Completion, Outbox, OutboxEntry, OutboxEntryId, OutboxScope};
pub use passes::Passes;
pub use people::People;
pub use secrets::{SECRET_KEY_ENV, SecretBox, SecretId, SecretValue, Secrets};
pub use subscriptions::{NewItem, NewSubscription, Subscriptions};
