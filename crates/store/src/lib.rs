//! # doorlink-store
//!
//! Doorlink's database: SQLite (WAL, foreign keys on, busy timeout) by default, PostgreSQL for
//! several hubs, both through sqlx's `Any` driver with runtime-checked queries, plain-SQL migrations
//! run at start-up ([`Store::open`], [`Store::open_postgres`], [`Store::open_url`],
//! [`Store::open_in_memory`]), and one repository per table family hanging off [`Store`]:
//!
//! | repository | tables | rules |
//! |---|---|---|
//! | [`Store::locations`] | locations, Kisi connection | C1–C3, A2, A3, R6 grace |
//! | [`Store::people`] | people (unique normalised e-mail) | I2 |
//! | [`Store::companies`] | companies, memberships | R5 |
//! | [`Store::catalog`] | plans, resources, products, visitor policies + door access | M1–M5, M7 |
//! | [`Store::subscriptions`] | subscriptions, items, overrides, beneficiaries | R1–R5, M3 |
//! | [`Store::bookings`] | bookings, invitees | R6–R8 |
//! | [`Store::passes`] | day passes, visits, manual grants | R9–R11 |
//! | [`Store::holds`] | holds | R14 |
//! | [`Store::kisi_disconnections`] | Kisi disconnections of people | R15 |
//! | [`Store::kisi_mirror`] | Kisi directory, owned users, assignments, lock groups, links, person logins | I4, M7, M8, C4, A4 |
//! | [`Store::outbox`] | work for the sync worker | |
//! | [`Store::leases`] | one writer per location (lease, fence) | C3 |
//! | [`Store::kisi_rate_slots`], [`Store::sign_in_attempts`] | Kisi rate budget per Kisi user, sign-in throttle, shared by every hub | |
//! | [`Store::intents`] | Kisi users and grants Doorlink set out to create | I4 |
//! | [`Store::audit`] | every Kisi call and its outcome | |
//! | [`Store::door_events`], [`Store::kisi_webhooks`] | Kisi's door events (webhook or backfill, once per uuid), each location's webhook secret | |
//! | [`Store::secrets`] | encrypted credentials (always in the database, never an OS keychain) | C1 |
//! | [`Store::accounts`] | hub accounts, invitations, sessions | |
//!
//! Every domain write enqueues its outbox entry ("re-evaluate person P at location L", or the whole
//! location for a mapping change) in the same transaction, so the sync worker never misses a change
//! and never acts on one that was rolled back. [`Store::load_location_facts`] and
//! [`Store::load_person_facts`] hand core its `LocationFacts`; [`KisiMirror::kisi_view`] its
//! `KisiView`.
//!
//! One set of queries for both (issue 14): statements use `$1`-style parameters, `RETURNING` and
//! `ON CONFLICT`; instants are BIGINT epoch milliseconds; enums are CHECKed TEXT; booleans are
//! bound as `bool` and read through `codec::Flag`. What differs lives in `db.rs` (opening,
//! migrations, and how a write transaction takes the writers' lock: `BEGIN IMMEDIATE`, or an
//! advisory lock) and in the outbox's claim (`FOR UPDATE SKIP LOCKED` on PostgreSQL). The
//! migrations are twins: `migrations/sqlite/00NN_*.sql` and `migrations/postgres/00NN_*.sql`,
//! compared by `tests/postgres-schema-check.sh`.

pub mod accounts;
pub mod audit;
pub mod bookings;
pub mod catalog;
pub mod change_feed;
mod codec;
pub mod companies;
mod db;
mod door_access;
pub mod door_events;
mod error;
mod facts;
pub mod holds;
pub mod intents;
pub mod kisi_disconnections;
pub mod kisi_mirror;
pub mod leases;
pub mod locations;
pub mod outbox;
pub mod outcomes;
pub mod passes;
pub mod people;
mod person_state;
mod revision;
pub mod revocations;
mod search_keys;
mod secret_box;
pub mod secrets;
pub mod shared_limits;
pub mod subscriptions;
pub mod testing;
pub mod transfer;

pub use accounts::{
    Account, AccountEvent, AccountId, AccountRole, Accounts, IdleTimeout, Invitation,
    NewInvitation, Session, SessionInfo,
};
pub use audit::{
    AuditActor, AuditEntry, AuditEntryId, AuditFilter, AuditKind, AuditKinds, AuditLog,
    AuditOutcome, AuditPage, MAX_AUDIT_PAGE, NewActionEntry, NewAuditEntry,
};
pub use bookings::{Bookings, NewBooking};
pub use catalog::Catalog;
pub use change_feed::{ChangeFeed, ChangeListener, Heard};
pub use companies::Companies;
pub use db::{Backend, Clock, Store, redacted_url};
pub use door_access::MappingOwner;
pub use door_events::{
    DoorEvent, DoorEventId, DoorEventQuery, DoorEvents, EventSource, KisiWebhook, KisiWebhooks,
    NewDoorEvent, Recorded,
};
pub use error::{Result, StoreError};
pub use holds::Holds;
pub use intents::{GrantIntent, GrantKind, Intents};
pub use kisi_disconnections::KisiDisconnections;
pub use kisi_mirror::{
    DirectoryGroup, DirectoryPlace, KisiDirectory, KisiGroupLinkId, KisiMirror,
    KisiRoleAssignmentId, MirrorAssignment, MirrorLink, MirrorUser, OrphanedTarget,
    PersonKisiLogin, VisitLink,
};
pub use leases::{LeaseHolder, Leases, LocationLease};
pub use locations::{KisiAuth, KisiConnection, Locations, NewLocation};
pub use outbox::{
    Backoff, Claim, Completion, FAILED_WITHOUT_WORDS, Outbox, OutboxEntry, OutboxEntryId,
    OutboxScope, Priority,
};
pub use outcomes::{
    Attempt, DeliveryStatus, DueDelivery, NewOutcomeEndpoint, OutcomeDelivery, OutcomeDeliveryId,
    OutcomeEndpoint, OutcomeEndpointId, Outcomes,
};
pub use passes::{DayPassRecord, NewVisitor, Passes, RegisteredVisit};
pub use people::People;
pub use revision::DataRevision;
pub use revocations::{NewReceipt, RevocationReceipt, Revocations};
pub use secrets::{SECRET_KEY_ENV, SecretBox, SecretId, SecretValue, Secrets};
pub use shared_limits::{
    AttemptOutcome, AttemptQuota, KisiRateSlots, SignInAttempts, ThrottleKind,
};
pub use subscriptions::{NewItem, NewSubscription, Subscriptions};
