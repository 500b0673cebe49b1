//! The Sync page's queue per kind and its ETA (issue 12), computed from Kisi's budget of 5
//! requests a second (per Kisi user, so one location's queue cannot go faster).
//!
//! Each kind ([`Priority`]) is done once everything of its kind and of the kinds before it is
//! done, since the worker takes the most urgent first. A location entry's requests are its dry
//! run's Kisi operations plus the directory and role-assignment reads of a full reconcile; a
//! person entry counts [`PERSON_ENTRY_REQUESTS`] (reading every person's plan on each page load
//! would cost more than it tells). Entries backing off are done no sooner than their next try.

use std::collections::BTreeSet;
use std::time::Duration;

use doorlink_core::LocationId;
use doorlink_store::{OutboxEntry, OutboxScope, Priority};

use crate::engine::SyncEngine;
use crate::error::Result;
use crate::mirror::Mirror;
use crate::plan::Operation;

/// Kisi requests a person entry typically makes: a grant or revocation, and the person's Kisi
/// user the first time (looked up by e-mail, then created).
pub const PERSON_ENTRY_REQUESTS: u64 = 2;

/// Directory reads of a full reconcile before any role assignment: places, groups, locks and
/// the group-lock links.
const DIRECTORY_READS: u64 = 4;

/// One kind of queued work and when it will be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindForecast {
    pub priority: Priority,
    /// Entries of this kind (waiting, running and backing off).
    pub entries: usize,
    /// Of these, held by a worker now.
    pub running: usize,
    /// Of these, waiting for their back-off after a failure.
    pub backing_off: usize,
    /// Kisi requests this kind is expected to make.
    pub kisi_requests: u64,
    /// When this kind is expected to be done, from now: the requests of this kind and of every
    /// more urgent one at the budget, or the last back-off, whichever is later.
    pub done_in: Duration,
}

/// The queue per kind, most urgent first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueForecast {
    pub kinds: Vec<KindForecast>,
    /// The Kisi budget the ETA assumes.
    pub requests_per_second: u32,
}

impl SyncEngine {
    /// The outbox of `location` (or every location) per kind, with an ETA for each.
    pub async fn queue_forecast(&self, location: Option<LocationId>) -> Result<QueueForecast> {
        let entries = self.store.outbox().entries(location).await?;
        let per_second = self
            .config
            .kisi
            .rate_limit
            .unwrap_or(kisi::KISI_REQUESTS_PER_SECOND)
            .get();
        let now = self.clock.now();
        let mut kinds = Vec::with_capacity(Priority::ALL.len());
        let mut requests_before = 0_u64;
        for priority in Priority::ALL {
            let of_kind: Vec<&OutboxEntry> =
                entries.iter().filter(|e| e.priority == priority).collect();
            let mut kisi_requests = 0;
            for entry in &of_kind {
                kisi_requests += self.requests_of(entry).await?;
            }
            requests_before += kisi_requests;
            let at_budget = Duration::from_millis(requests_before * 1000 / u64::from(per_second));
            let last_back_off = of_kind
                .iter()
                .filter_map(|e| (e.next_try_at - now).to_std().ok())
                .max()
                .unwrap_or_default();
            kinds.push(KindForecast {
                priority,
                entries: of_kind.len(),
                running: of_kind.iter().filter(|e| is_running(e, now)).count(),
                backing_off: of_kind.iter().filter(|e| e.next_try_at > now).count(),
                kisi_requests,
                done_in: if of_kind.is_empty() {
                    Duration::ZERO
                } else {
                    at_budget.max(last_back_off)
                },
            });
        }
        Ok(QueueForecast {
            kinds,
            requests_per_second: per_second,
        })
    }

    /// The Kisi requests one entry is expected to make.
    async fn requests_of(&self, entry: &OutboxEntry) -> Result<u64> {
        let OutboxScope::Location(location) = entry.scope else {
            return Ok(PERSON_ENTRY_REQUESTS);
        };
        let plan = self.plan_location(location).await?;
        let writes: u64 = plan.operations.iter().map(requests_of_operation).sum();
        let owned = Mirror::new(&self.store, location).load(None).await?;
        let groups: BTreeSet<_> = owned.assignments.iter().map(|a| a.group).collect();
        Ok(DIRECTORY_READS + groups.len() as u64 + writes)
    }
}

fn is_running(entry: &OutboxEntry, now: chrono::DateTime<chrono::Utc>) -> bool {
    entry.claimed_until.is_some_and(|until| until > now)
}

/// Kisi requests one planned operation makes: a lookup before each create that might find one
/// left by a lost answer (users, Doorlink's lock groups), one request for everything else.
fn requests_of_operation(operation: &Operation) -> u64 {
    match operation {
        Operation::ForgetPerson { .. } => 0,
        Operation::EnsureUser { .. } | Operation::CreatePerLockGroup { .. } => 2,
        Operation::DeleteAssignment { .. }
        | Operation::CreateAssignment { .. }
        | Operation::DeleteLink { .. }
        | Operation::CreateLink { .. }
        | Operation::DeleteUser { .. } => 1,
    }
}
