//! The fence of a location's lease (issue 12): renewed before every Kisi call, so a run whose
//! lease was taken over or fenced (C3) stops before its next call. Taken by
//! [`SyncEngine::exclusive`](crate::SyncEngine) in `lease.rs`; checked by every audited call
//! (`audit.rs`), below both.

use std::sync::Arc;
use std::time::Duration;

use doorlink_store::{LocationLease, Store};
use tokio::sync::Notify;

use crate::error::SyncError;
use crate::words::LocationWords;

/// The lease of one location as its holder sees it: renewed before every Kisi call.
#[derive(Debug, Clone)]
pub(crate) struct Fence {
    pub(crate) store: Store,
    pub(crate) held: LocationLease,
    pub(crate) lease: Duration,
    pub(crate) lost: Arc<Notify>,
}

impl Fence {
    /// Renews the lease before a Kisi call. When it was taken over or fenced, this never returns:
    /// it tells the heartbeat, which ends the whole run (the caller's future is dropped), so the
    /// call is never sent.
    pub(crate) async fn check(&self) {
        if self.renew().await {
            return;
        }
        self.lost.notify_one();
        std::future::pending::<()>().await;
    }

    async fn renew(&self) -> bool {
        match self.store.leases().renew(&self.held, self.lease).await {
            Ok(renewed) => renewed,
            Err(error) => {
                // Not knowing is not holding: stop rather than write unfenced.
                tracing::warn!(%error, location = self.held.location.0, "could not renew the location's lease");
                false
            }
        }
    }

    /// Renews the lease every third of its length; returns only when it is lost.
    pub(crate) async fn keep(&self) -> SyncError {
        loop {
            tokio::select! {
                () = tokio::time::sleep(self.lease / 3) => {
                    if !self.renew().await {
                        break;
                    }
                }
                () = self.lost.notified() => break,
            }
        }
        tracing::warn!(
            location = self.held.location.0,
            "the location's lease was taken over or fenced; the run stops before its next Kisi call"
        );
        SyncError::LeaseLost {
            location: self.held.location,
            location_name: LocationWords::new(&self.store, self.held.location)
                .location()
                .await,
        }
    }
}
