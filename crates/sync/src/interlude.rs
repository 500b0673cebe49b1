//! Priorities (issue 12): a person at the door is not stuck behind bulk work.
//!
//! The outbox hands out the most urgent entries first (`doorlink_store::Priority`: revocations
//! and access starting within the hour, then other person changes, then location-wide
//! reconciles). That alone is not enough: a full reconcile of 2,000 people at Kisi's 5 requests
//! a second holds its location's lease for many minutes, and every person entry of the location
//! needs that lease. So the holder itself serves them: before a reconcile reads Kisi and before
//! each operation of a long run, the [`Interlude`] claims the due person entries (most urgent
//! first) and runs them with the lease and fenced client the run already holds — still one writer per location, the fence still
//! checked before every Kisi call (C3). Their own run re-planned those people from fresh facts, so
//! the long run skips what its older plan still had for them. The long run's calls are bulk in
//! Kisi's budget (`kisi::Lane`), and before each operation it waits for a free slot *without
//! taking it*, serving any person entry that becomes due meanwhile: that entry's call, in the
//! interactive lane, takes the very next slot. Person entries of locations nobody
//! holds are served as well (each under its own location's lease), so one worker's reconcile of
//! one location does not hold up the others.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use doorlink_core::{LocationId, PersonId};

use crate::audit::AuditedKisi;
use crate::error::Result;

/// People brought up to date by their own run during an interlude.
pub(crate) type Served<'a> = Pin<Box<dyn Future<Output = Result<BTreeSet<PersonId>>> + Send + 'a>>;

/// Resolves when person entries may have become due.
pub(crate) type Due<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// What the holder of a location's lease does between the operations of a long run.
pub(crate) trait Interlude: Send + Sync {
    /// Resolves when person entries may have become due (someone asked for a person's sync, or
    /// a poll interval passed): the long run serves them rather than take its next slot.
    fn due(&self) -> Due<'_>;

    /// Runs the person entries due now, most urgent first, those of `location` through `kisi`
    /// (the lease the long run holds). Answers the people of `location` it ran: whatever the
    /// long run planned for them before is stale.
    fn serve<'a>(&'a self, kisi: &'a AuditedKisi, location: LocationId) -> Served<'a>;
}
