//! [`SyncEngine`]: re-evaluates one person or a whole location: load the facts, ask core for the
//! desired access, compare it with the mirror ([`plan()`]) and apply the difference.

use std::collections::BTreeSet;
use std::time::Duration;

use doorlink_core::{
    AccessTarget, KisiLockId, LocationFacts, LocationId, PersonId, desired_access_for_location,
    desired_access_for_person,
};
use doorlink_store::{Backoff, Clock, OutboxEntryId, OutboxScope, Store, StoreError};
use kisi::KisiError;

use crate::apply::Applier;
use crate::audit::AuditedKisi;
use crate::clients::{Clients, Use};
use crate::error::{Result, SyncError};
use crate::fence::Fence;
use crate::interlude::Interlude;
use crate::mirror::Mirror;
use crate::plan::{Operation, Plan, plan};
use crate::replace::{OverlapMemory, Replacement};
pub(crate) use crate::report::{Changes, SyncReport};

/// How sync talks to Kisi and paces its work.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// Timeout, retry policy, rate budget and integration headers for every location's client;
    /// the base URL comes from each location's connection.
    pub kisi: kisi::Connection,
    /// Outbox entries claimed per pass: few, so a worker that dies strands little and a second
    /// worker finds work to take (issue 12).
    pub batch: u32,
    /// How long a claimed entry stays with this worker before another may take it over; renewed
    /// every third of it while the entry runs, so short is safe and a crash stalls work only this
    /// long.
    pub lease: Duration,
    /// How long the one writer of a location holds its lease without renewing it (renewed every
    /// third of it and before every Kisi call); a writer that died is taken over after this.
    pub location_lease: Duration,
    /// How long a writer waits for another's lease on the same location before giving up
    /// ([`SyncError::LocationBusy`]); also how long disconnect waits for a fenced holder.
    pub lease_wait: Duration,
    /// Waiting time before a failed entry is tried again.
    pub backoff: Backoff,
    /// How often the background worker looks for new outbox entries when nobody wakes it.
    pub poll_interval: Duration,
    /// How often every connected location gets a full reconcile; `None` turns it off.
    pub reconcile_interval: Option<Duration>,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            kisi: kisi::Connection {
                integration: Some(kisi::Integration::doorlink()),
                ..kisi::Connection::default()
            },
            batch: 2,
            // Issue 12: a restarted or second worker takes over within 5 s; renewed every second.
            lease: Duration::from_secs(3),
            location_lease: Duration::from_secs(3),
            lease_wait: Duration::from_secs(30),
            backoff: Backoff::DEFAULT,
            poll_interval: Duration::from_millis(250),
            reconcile_interval: Some(Duration::from_secs(15 * 60)),
        }
    }
}

/// Where a run comes from: the outbox entry (for the audit log) and whether it ran before.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunContext {
    pub outbox_entry: Option<OutboxEntryId>,
    /// The entry failed or its worker died before: check Kisi for half-done creates first.
    pub retried: bool,
    /// When the earliest change this run answers was made (the outbox entry's creation); none:
    /// the run's start. Revocation receipts count from it (issue 15).
    pub requested_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Sync for every location of one store. Cheap to share (`Arc`).
#[derive(Debug)]
pub struct SyncEngine {
    pub(crate) store: Store,
    pub(crate) clock: Clock,
    pub(crate) config: SyncConfig,
    pub(crate) clients: Clients,
    overlaps: OverlapMemory,
}

impl SyncEngine {
    /// `clock` is "now" for the access rules (pass the store's clock in production).
    pub fn new(store: Store, clock: Clock, config: SyncConfig) -> Self {
        Self {
            store,
            clock,
            config,
            clients: Clients::default(),
            overlaps: OverlapMemory::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn config(&self) -> &SyncConfig {
        &self.config
    }

    /// The audited Kisi client of a location, for the holder of its lease (`fence`).
    pub(crate) async fn kisi(
        &self,
        location: LocationId,
        context: RunContext,
        purpose: Use,
        fence: Fence,
    ) -> Result<AuditedKisi> {
        let client = self
            .clients
            .client_for(&self.store, &self.config.kisi, location, purpose)
            .await?;
        Ok(AuditedKisi::new(
            client,
            self.store.clone(),
            location,
            context.outbox_entry,
            fence,
        ))
    }

    /// The location's client for calls that grant and revoke nothing (a member's own Kisi login):
    /// they need no lease, only a connection that is still active (C3).
    pub(crate) async fn kisi_outside_lease(&self, location: LocationId) -> Result<AuditedKisi> {
        let client = self
            .clients
            .client_for(&self.store, &self.config.kisi, location, Use::Sync)
            .await?;
        Ok(AuditedKisi::outside_lease(
            client,
            self.store.clone(),
            location,
        ))
    }

    /// Re-evaluates one person at one location and writes the difference to Kisi.
    pub async fn sync_person(
        &self,
        location: LocationId,
        person: PersonId,
        context: RunContext,
    ) -> Result<SyncReport> {
        self.exclusive(location, |fence| async move {
            let kisi = self.kisi(location, context, Use::Sync, fence).await?;
            self.sync_person_with(&kisi, location, person, context)
                .await
        })
        .await
    }

    /// [`SyncEngine::sync_person`] for the holder of the location's lease.
    pub(crate) async fn sync_person_with(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
        person: PersonId,
        context: RunContext,
    ) -> Result<SyncReport> {
        let readopted = self
            .readopt_reconnected(kisi, location, Some(person))
            .await?;
        let found = self
            .settle_lost_creates(kisi, location, Some(person))
            .await?;
        let planned = self.plan_person(location, person).await?;
        let mut report = self.execute(kisi, location, context, planned).await?;
        report.changes.people.extend(readopted);
        report.changes.people.extend(found);
        if report.directory_outdated {
            // C4: what else Kisi deleted is known only once the directory is read again.
            self.store
                .outbox()
                .enqueue(OutboxScope::Location(location), DIRECTORY_OUTDATED)
                .await?;
        }
        Ok(report)
    }

    /// The dry run for one person: what [`SyncEngine::sync_person`] would do, without doing it.
    pub async fn plan_person(&self, location: LocationId, person: PersonId) -> Result<Plan> {
        let facts = self.store.load_person_facts(location, person).await?;
        let desired = desired_access_for_person(&facts, person, self.clock.now());
        let mirror = Mirror::new(&self.store, location);
        let owned = mirror.load(Some(person)).await?;
        let directory = mirror.directory().await?;
        Ok(plan(&facts, &desired, &owned, &directory))
    }

    /// The dry run for a whole location against the mirror as it stands (no Kisi call): the diff
    /// a full reconcile would apply if Kisi still matches the mirror.
    pub async fn plan_location(&self, location: LocationId) -> Result<Plan> {
        let facts = self.store.load_location_facts(location).await?;
        self.plan_with(location, &facts).await
    }

    pub(crate) async fn plan_with(
        &self,
        location: LocationId,
        facts: &LocationFacts,
    ) -> Result<Plan> {
        let desired = desired_access_for_location(facts, self.clock.now());
        let mirror = Mirror::new(&self.store, location);
        let owned = mirror.load(None).await?;
        let directory = mirror.directory().await?;
        Ok(plan(facts, &desired, &owned, &directory))
    }

    /// Applies `planned` in order. An operation whose person (or lock group) already failed in this
    /// run is skipped; Kisi being unreachable or refusing the credential stops the run.
    pub(crate) async fn execute(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
        context: RunContext,
        planned: Plan,
    ) -> Result<SyncReport> {
        self.execute_serving(kisi, location, context, planned, None)
            .await
    }

    /// [`SyncEngine::execute`] for a long run: before each operation, `interlude` serves the due
    /// person entries (issue 12), and what this plan still had for the people it served is
    /// dropped (their own run planned them afresh).
    pub(crate) async fn execute_serving(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
        context: RunContext,
        planned: Plan,
        interlude: Option<&dyn Interlude>,
    ) -> Result<SyncReport> {
        let applier = Applier {
            kisi,
            store: &self.store,
            location,
            cautious: context.retried,
        };
        let requested_at = context.requested_at.unwrap_or_else(|| self.clock.now());
        let mut report = SyncReport {
            notices: planned.notices,
            ..SyncReport::default()
        };
        // R8: how this connection treats overlapping assignments, learnt at run time.
        let connected_at = self
            .store
            .locations()
            .connection(location)
            .await?
            .map(|c| c.connected_at);
        let mut failed_people: BTreeSet<PersonId> = BTreeSet::new();
        let mut failed_locks: BTreeSet<KisiLockId> = BTreeSet::new();
        // Deletions already run ahead of their replacement (where Kisi refuses overlaps).
        let mut done: BTreeSet<usize> = BTreeSet::new();
        let mut stop = false;
        // People whose own entry ran in between: this plan is older than theirs.
        let mut served: BTreeSet<PersonId> = BTreeSet::new();
        for (index, operation) in planned.operations.iter().enumerate() {
            if done.contains(&index) {
                continue;
            }
            if let Some(interlude) = interlude
                && !stop
            {
                // Until Kisi's budget has a slot for this operation, person entries that become
                // due take it instead: they wait for one slot, not for this run's next call.
                loop {
                    served.extend(interlude.serve(kisi, location).await?);
                    tokio::select! {
                        biased;
                        () = interlude.due() => {}
                        () = kisi.client.until_free() => break,
                    }
                }
            }
            if operation.person().is_some_and(|p| served.contains(&p)) {
                continue;
            }
            let blocked = operation
                .person()
                .is_some_and(|p| failed_people.contains(&p))
                || lock_of(operation).is_some_and(|l| failed_locks.contains(&l));
            if stop || blocked {
                report.skipped += 1;
                continue;
            }
            let outcome = match (operation, connected_at) {
                (Operation::CreateAssignment { .. }, Some(connected_at)) => {
                    Replacement {
                        applier: &applier,
                        memory: &self.overlaps,
                        location,
                        connected_at,
                        operations: &planned.operations,
                        index,
                    }
                    .apply(&mut done, &mut report)
                    .await
                }
                _ => applier.apply(operation).await,
            };
            applier
                .tell(
                    &planned.operations,
                    index,
                    outcome.as_ref().err(),
                    (requested_at, self.clock.now()),
                )
                .await;
            match outcome {
                Ok(()) => {
                    report.applied += 1;
                    match operation.person() {
                        Some(person) => {
                            report.changes.people.insert(person);
                        }
                        None => report.changes.directory = true,
                    }
                }
                Err(error) => {
                    if marks_a_group_deleted(&error) {
                        report.changes.directory = true;
                        report.changes.people.extend(operation.person());
                    }
                    report.directory_outdated |= is_not_found(&error);
                    tracing::warn!(location = location.0, ?operation, %error, "sync operation failed");
                    if let (true, Some(person)) = (about_an_unknown_id(&error), operation.person())
                    {
                        self.forget_user_if_gone(kisi, location, person).await;
                    }
                    stop = stops_the_run(&error);
                    failed_people.extend(operation.person());
                    failed_locks.extend(lock_of(operation));
                    report.failures.push(error.staff_message());
                }
            }
        }
        Ok(report)
    }
}

impl SyncEngine {
    /// A 403 on a person's operation: Kisi answers 403 for an id it does not know, so their Kisi
    /// user may have been deleted in the dashboard (with its assignments). If so the mirror
    /// forgets it, and the entry's retry links or creates a user again (found by the random
    /// campaign: one user deleted by hand failed the location's full reconcile for ever).
    async fn forget_user_if_gone(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
        person: PersonId,
    ) {
        let user = match self.store.kisi_mirror().user(location, person).await {
            Ok(Some(user)) => user,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(location = location.0, person = person.0, %error, "could not read the person's Kisi user");
                return;
            }
        };
        if let Err(error) = self.refresh_with(kisi, location, person, &user).await {
            tracing::warn!(location = location.0, person = person.0, %error, "could not re-read the person's Kisi user");
        }
    }
}

/// Kisi's 403, its answer to an id it does not know.
fn about_an_unknown_id(error: &SyncError) -> bool {
    matches!(
        error,
        SyncError::Kisi {
            source: KisiError::Forbidden { .. },
            ..
        }
    )
}

/// The single lock an operation grants through Doorlink's per-lock group (M7).
fn lock_of(operation: &Operation) -> Option<KisiLockId> {
    match operation {
        Operation::CreatePerLockGroup { lock }
        | Operation::CreateAssignment {
            target: AccessTarget::Lock(lock),
            ..
        }
        | Operation::CreateLink {
            target: AccessTarget::Lock(lock),
            ..
        } => Some(*lock),
        _ => None,
    }
}

/// "Group is not found" (A5): applying it recorded the group as deleted in the mirror (C4).
fn marks_a_group_deleted(error: &SyncError) -> bool {
    matches!(
        error,
        SyncError::Kisi {
            source: KisiError::GroupNotFound { .. },
            ..
        }
    )
}

/// Why a person's run asks for the location's full reconcile.
pub const DIRECTORY_OUTDATED: &str = "Kisi answered that a group or lock Doorlink uses is not found: reading Kisi's directory again to find what else is gone (C4)";

/// Kisi's "not found" for a group (its own code) or anything else (a bare 404: a lock).
fn is_not_found(error: &SyncError) -> bool {
    matches!(
        error,
        SyncError::Kisi {
            source: KisiError::GroupNotFound { .. } | KisiError::Unexpected { status: 404, .. },
            ..
        }
    )
}

/// Kisi down (after the client's own retries) or the credential refused: every further call would
/// fail the same way, so the entry backs off as a whole.
fn stops_the_run(error: &SyncError) -> bool {
    match error {
        SyncError::Kisi { source, .. } => {
            source.is_retryable()
                || matches!(
                    source,
                    KisiError::Unauthorized { .. } | KisiError::InvalidConfig { .. }
                )
        }
        // The database itself failing stops everything; a conflict about one person does not.
        SyncError::Store(store) => matches!(
            store,
            StoreError::Database(_) | StoreError::Migration(_) | StoreError::Secret(_)
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kisi(source: KisiError) -> SyncError {
        SyncError::kisi("test", source)
    }

    #[test]
    fn kisi_down_or_a_refused_credential_stops_the_run() {
        let down = kisi(KisiError::Server {
            status: 503,
            code: String::new(),
            message: "down".to_owned(),
        });
        let refused = kisi(KisiError::Unauthorized {
            code: "unauthorized".to_owned(),
            message: "no".to_owned(),
        });
        assert!(stops_the_run(&down));
        assert!(stops_the_run(&refused));
    }

    #[test]
    fn a_problem_with_one_object_lets_the_others_go_on() {
        let invalid = kisi(KisiError::Invalid {
            code: "invalid".to_owned(),
            message: "bad".to_owned(),
            fields: Default::default(),
        });
        let conflict = SyncError::Store(StoreError::Conflict {
            entity: "Kisi user",
            reason: "already linked".to_owned(),
        });
        assert!(!stops_the_run(&invalid));
        assert!(!stops_the_run(&conflict));
        assert!(!stops_the_run(&SyncError::NoKisiUser {
            person: PersonId(1),
            person_name: "Ana Amsel".to_owned(),
        }));
    }

    #[test]
    fn a_failed_partial_report_names_the_first_failure() {
        let report = SyncReport {
            applied: 3,
            failures: vec!["grant a role assignment: boom".to_owned(), "x".to_owned()],
            skipped: 1,
            ..SyncReport::default()
        };
        let error = report.into_result().unwrap_err().to_string();
        assert_eq!(
            error,
            "2 of 6 Kisi operations failed; first: grant a role assignment: boom"
        );
    }
}
