//! The outbox worker: claims due entries, runs each (one person, or a whole location's full
//! reconcile), and settles it. An entry is removed only after every operation was confirmed by
//! Kisi and written to the mirror; otherwise it is released with its error and a back-off, and
//! its attempts, last error and next try stay visible on the entry (`Outbox::entries`). A worker
//! that dies leaves its lease to run out, and the entry is claimed again.

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use doorlink_core::{LocationId, PersonId};
use doorlink_store::{Claim, Completion, OutboxEntry, OutboxScope};
use tokio::sync::{Notify, watch};
use tokio::time::Instant;

use crate::audit::AuditedKisi;
use crate::engine::{Changes, RunContext, SyncEngine, SyncReport};
use crate::error::{Result, SyncError};
use crate::interlude::{Due, Interlude, Served};

/// What one pass over the outbox did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerPass {
    /// Entries claimed.
    pub claimed: usize,
    /// Entries done and removed (or requeued because they were requested again meanwhile).
    pub completed: usize,
    /// Entries that failed and wait for their back-off.
    pub failed: usize,
}

/// What one outbox entry changed in Kisi or the mirror of a location (see [`Worker::on_change`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncChange {
    pub location: LocationId,
    pub changes: Changes,
}

/// Called with every [`SyncChange`], on the worker's task, before the entry is settled.
#[derive(Clone)]
struct ChangeListener(Arc<dyn Fn(&SyncChange) + Send + Sync>);

impl fmt::Debug for ChangeListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChangeListener")
    }
}

/// Runs outbox entries through a [`SyncEngine`].
#[derive(Debug, Clone)]
pub struct Worker {
    engine: Arc<SyncEngine>,
    wake: Arc<Notify>,
    listener: Option<ChangeListener>,
}

impl Worker {
    pub fn new(engine: Arc<SyncEngine>) -> Self {
        Self {
            engine,
            wake: Arc::new(Notify::new()),
            listener: None,
        }
    }

    /// Tells `listener` what each entry changed in Kisi or the mirror, as soon as it ran (also
    /// when some of its operations failed), so readers of the mirror can drop what they cached
    /// and open pages can refresh. Entries that changed nothing are not announced. The listener
    /// runs on the worker's task: it must not block.
    #[must_use]
    pub fn on_change(mut self, listener: impl Fn(&SyncChange) + Send + Sync + 'static) -> Self {
        self.listener = Some(ChangeListener(Arc::new(listener)));
        self
    }

    pub fn engine(&self) -> &Arc<SyncEngine> {
        &self.engine
    }

    /// Tells a running worker that new entries are waiting (the hub calls it after a write), so
    /// a grant does not wait for the next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Claims the due entries once and runs them one after the other. Tests drive the worker with
    /// this instead of racing a background task.
    pub async fn run_once(&self) -> Result<WorkerPass> {
        let config = &self.engine.config;
        let claims = self
            .engine
            .store
            .outbox()
            .claim(config.batch, config.lease)
            .await?;
        let mut pass = WorkerPass {
            claimed: claims.len(),
            ..WorkerPass::default()
        };
        let outbox = self.engine.store.outbox();
        for (n, claim) in claims.into_iter().enumerate() {
            // A long entry before it may have outlasted this claim's lease, and another worker
            // taken the entry over: then it is theirs to run.
            if n > 0 && !outbox.renew(&claim, config.lease).await? {
                continue;
            }
            if self.settle(&claim).await? {
                pass.completed += 1;
            } else {
                pass.failed += 1;
            }
        }
        Ok(pass)
    }

    /// Runs every entry that is due now, pass after pass, until none is left (entries backing off
    /// stay for later).
    pub async fn drain(&self) -> Result<WorkerPass> {
        let mut total = WorkerPass::default();
        loop {
            let pass = self.run_once().await?;
            if pass.claimed == 0 {
                return Ok(total);
            }
            total.claimed += pass.claimed;
            total.completed += pass.completed;
            total.failed += pass.failed;
            if pass.completed == 0 {
                // Everything claimed failed: what is left backs off; do not spin.
                return Ok(total);
            }
        }
    }

    /// Runs the outbox entry of `scope` at once (also while it backs off), or waits while another
    /// worker runs it: connect's reconcile runs once, as the worker's entry, never a second time
    /// beside it (issue 12). `true` once the entry is done (also by someone else); `false` when
    /// it failed (its error stays on the entry for the Sync page) or another worker still held it
    /// after [`SyncConfig::lease_wait`](crate::SyncConfig::lease_wait).
    pub async fn run_now(&self, scope: OutboxScope) -> Result<bool> {
        let outbox = self.engine.store.outbox();
        let deadline = Instant::now() + self.engine.config.lease_wait;
        loop {
            if let Some(claim) = outbox.claim_scope(scope, self.engine.config.lease).await? {
                return self.settle(&claim).await;
            }
            if outbox.entry_of(scope).await?.is_none() {
                return Ok(true);
            }
            if Instant::now() >= deadline {
                return Ok(false);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs one claimed entry and reports back to the outbox; `true` when it is done. A location
    /// entry serves person entries between its operations (issue 12).
    async fn settle(&self, claim: &Claim) -> Result<bool> {
        let entry = &claim.entry;
        let context = context_of(entry);
        let work = async {
            match entry.scope {
                OutboxScope::Person { location, person } => self
                    .engine
                    .sync_person(location, person, context)
                    .await
                    .map(|report| (location, report)),
                OutboxScope::Location(location) => self
                    .engine
                    .reconcile_serving(location, context, Some(self))
                    .await
                    .map(|report| (location, report.sync)),
            }
        };
        // Boxed: a full reconcile's future is large, and the worker's loop holds it.
        let outcome = self.keeping(claim, Box::pin(work)).await;
        self.report(claim, outcome).await
    }

    /// Runs one claimed person entry during a long run's interlude: through `held`, the lease
    /// and client of that run, when the person is at its location; otherwise under the person's
    /// own location's lease.
    async fn settle_person(
        &self,
        claim: &Claim,
        location: LocationId,
        person: PersonId,
        held: Option<&AuditedKisi>,
    ) -> Result<bool> {
        let context = context_of(&claim.entry);
        let work = async {
            let report = match held {
                Some(kisi) => {
                    self.engine
                        .sync_person_with(kisi, location, person, context)
                        .await
                }
                None => self.engine.sync_person(location, person, context).await,
            };
            report.map(|report| (location, report))
        };
        // Boxed: a full reconcile's future is large, and the worker's loop holds it.
        let outcome = self.keeping(claim, Box::pin(work)).await;
        self.report(claim, outcome).await
    }

    /// Runs `work` while keeping the claim's lease: a full reconcile at 5 requests/second can
    /// outlast it, and no other worker may take the entry over meanwhile.
    async fn keeping<T>(&self, claim: &Claim, work: impl Future<Output = T>) -> T {
        tokio::select! {
            outcome = work => outcome,
            () = self.keep_lease(claim) => unreachable!("keeping a lease never ends"),
        }
    }

    /// Tells the outbox how a claimed entry ended; `true` when it is done.
    async fn report(
        &self,
        claim: &Claim,
        outcome: Result<(LocationId, SyncReport)>,
    ) -> Result<bool> {
        let entry = &claim.entry;
        let outcome = outcome.and_then(|(location, report)| {
            self.announce(location, &report.changes);
            report.into_result().map(drop)
        });
        let outbox = self.engine.store.outbox();
        match outcome {
            Ok(()) => {
                outbox.complete(claim).await?;
                Ok(true)
            }
            // C1, C3: nothing may be written for this location now; connecting (again) enqueues
            // a full reconcile, so the entry has nothing left to do.
            Err(error @ (SyncError::NotConnected { .. } | SyncError::Disconnected { .. })) => {
                tracing::info!(entry = entry.id.0, %error, "outbox entry dropped: no active Kisi connection");
                outbox.complete(claim).await?;
                Ok(true)
            }
            Err(error) => {
                let settled = outbox
                    .fail(claim, &error.staff_message(), self.engine.config.backoff)
                    .await?;
                if settled == Completion::LeaseLost {
                    tracing::warn!(entry = entry.id.0, "outbox lease lost while the entry ran");
                }
                Ok(false)
            }
        }
    }

    /// Runs the person entries due now until none is left (see [`Interlude`]).
    async fn serve_people(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
    ) -> Result<BTreeSet<PersonId>> {
        let config = &self.engine.config;
        let outbox = self.engine.store.outbox();
        let mut served = BTreeSet::new();
        // A person's change takes the next slot of Kisi's budget, ahead of the long run's calls.
        let interactive = kisi.in_lane(kisi::Lane::Interactive);
        loop {
            let claims = outbox
                .claim_people(location, config.batch, config.lease)
                .await?;
            if claims.is_empty() {
                return Ok(served);
            }
            for claim in claims {
                let OutboxScope::Person {
                    location: at,
                    person,
                } = claim.entry.scope
                else {
                    continue;
                };
                let held = (at == location).then(|| interactive.for_entry(claim.entry.id));
                self.settle_person(&claim, at, person, held.as_ref())
                    .await?;
                if held.is_some() {
                    served.insert(person);
                }
            }
        }
    }

    fn announce(&self, location: LocationId, changes: &Changes) {
        if let Some(listener) = &self.listener
            && !changes.is_empty()
        {
            (listener.0)(&SyncChange {
                location,
                changes: changes.clone(),
            });
        }
    }

    /// Renews the claim every third of the lease, for as long as it is polled.
    async fn keep_lease(&self, claim: &Claim) {
        let lease = self.engine.config.lease;
        loop {
            tokio::time::sleep(lease / 3).await;
            match self.engine.store.outbox().renew(claim, lease).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(
                        entry = claim.entry.id.0,
                        "outbox lease lost while the entry runs"
                    );
                }
                Err(error) => tracing::warn!(%error, "could not renew an outbox lease"),
            }
        }
    }

    /// Asks for a full reconcile of every connected location (the periodic reconcile).
    pub async fn enqueue_reconciles(&self) -> Result<usize> {
        let store = &self.engine.store;
        let mut enqueued = 0;
        for location in store.locations().list().await? {
            let connected = store
                .locations()
                .connection(location.id)
                .await?
                .is_some_and(|c| c.is_active());
            if connected {
                store
                    .outbox()
                    .enqueue(
                        OutboxScope::Location(location.id),
                        "periodic full reconcile",
                    )
                    .await?;
                enqueued += 1;
            }
        }
        Ok(enqueued)
    }

    /// The background loop: drains the outbox whenever woken or every poll interval, and asks for
    /// a full reconcile of every location every reconcile interval, until `shutdown` turns true.
    /// An entry interrupted by shutdown is simply claimed again after its lease.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let config = self.engine.config.clone();
        let mut next_reconcile = config
            .reconcile_interval
            .map(|every| Instant::now() + every);
        loop {
            if *shutdown.borrow() {
                return;
            }
            if let Some(due) = next_reconcile
                && Instant::now() >= due
            {
                if let Err(error) = self.enqueue_reconciles().await {
                    tracing::warn!(%error, "could not schedule the periodic reconcile");
                }
                next_reconcile = config
                    .reconcile_interval
                    .map(|every| Instant::now() + every);
            }
            let work = async {
                if let Err(error) = self.drain().await {
                    tracing::warn!(%error, "outbox pass failed");
                }
            };
            tokio::select! {
                () = work => {}
                _ = shutdown.changed() => return,
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(config.poll_interval.max(Duration::from_millis(1))) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}

impl Interlude for Worker {
    fn due(&self) -> Due<'_> {
        let poll = self
            .engine
            .config
            .poll_interval
            .max(Duration::from_millis(1));
        Box::pin(async move {
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        })
    }

    fn serve<'a>(&'a self, kisi: &'a AuditedKisi, location: LocationId) -> Served<'a> {
        Box::pin(self.serve_people(kisi, location))
    }
}

/// Where a run comes from, for the audit log, and whether it ran before.
fn context_of(entry: &OutboxEntry) -> RunContext {
    RunContext {
        outbox_entry: Some(entry.id),
        retried: entry.attempts > 1 || entry.last_error.is_some(),
        requested_at: Some(entry.created_at),
    }
}
