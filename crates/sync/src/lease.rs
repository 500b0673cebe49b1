//! One writer per location (issue 12): every Kisi call of a location is made inside
//! [`SyncEngine::exclusive`], by the holder of the location's lease in the database
//! (`Store::leases`), never by a process-local lock, so two workers, a route and a second hub
//! process on the same database take turns.
//!
//! The holder renews its lease by a heartbeat (every third of [`SyncConfig::location_lease`]) and
//! before every Kisi call ([`Fence::check`]). Either renewal fails once the lease was taken over
//! or fenced (C3: disconnect bumps the generation): the work is then dropped where it stands, so
//! no further call of that location leaves this process, and a retried call in flight is
//! abandoned. A holder that died lets the lease expire, and the next one takes over within
//! seconds.
//!
//! [`SyncConfig::location_lease`]: crate::SyncConfig::location_lease

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use doorlink_core::LocationId;
use doorlink_store::LocationLease;
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::engine::SyncEngine;
use crate::error::{Result, SyncError};
use crate::fence::Fence;
use crate::words::LocationWords;

/// How often a waiting writer looks at the lease again.
const POLL: Duration = Duration::from_millis(50);

impl SyncEngine {
    /// Runs `work` as the one writer of `location`: waits for the location's lease (at most
    /// [`SyncConfig::lease_wait`](crate::SyncConfig::lease_wait)), keeps it renewed while `work`
    /// runs, drops `work` when the lease is lost, and gives the lease back at the end.
    pub(crate) async fn exclusive<T, F, Fut>(&self, location: LocationId, work: F) -> Result<T>
    where
        F: FnOnce(Fence) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let held = self.take_lease(location).await?;
        let fence = Fence {
            store: self.store.clone(),
            held: held.clone(),
            lease: self.config.location_lease,
            lost: Arc::new(Notify::new()),
        };
        let outcome = tokio::select! {
            outcome = work(fence.clone()) => outcome,
            lost = fence.keep() => Err(lost),
        };
        if let Err(error) = self.store.leases().release(&held).await {
            // It expires on its own.
            tracing::warn!(%error, location = location.0, "could not release the location's lease");
        }
        outcome
    }

    /// Waits for the location's lease: free, expired, or given back by its holder.
    async fn take_lease(&self, location: LocationId) -> Result<LocationLease> {
        let owner = uuid::Uuid::new_v4().to_string();
        let deadline = Instant::now() + self.config.lease_wait;
        loop {
            if let Some(held) = self
                .store
                .leases()
                .acquire(location, &owner, self.config.location_lease)
                .await?
            {
                return Ok(held);
            }
            if Instant::now() >= deadline {
                return Err(SyncError::LocationBusy {
                    location,
                    location_name: LocationWords::new(&self.store, location).location().await,
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// C3: fences the location (whoever holds its lease stops before its next Kisi call), then
    /// waits until that holder let go, so no write of the location leaves after this returns.
    /// A holder that died is waited for until its lease expires, at most `lease_wait`.
    pub(crate) async fn fence_and_wait(&self, location: LocationId) -> Result<()> {
        self.store.leases().fence(location).await?;
        let deadline = Instant::now() + self.config.lease_wait;
        while self.store.leases().is_held(location).await? {
            if Instant::now() >= deadline {
                tracing::warn!(
                    location = location.0,
                    "the location's lease holder did not let go in time; it is fenced and makes no further call"
                );
                break;
            }
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }
}
