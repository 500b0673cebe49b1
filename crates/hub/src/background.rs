//! Background tasks of a running hub: the sync worker, the purge of expired sessions and
//! the pruning of the rate limits.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::state::AppState;

/// How often expired sessions are removed from the database.
const SESSION_PURGE_INTERVAL: Duration = Duration::from_secs(3600);

/// How often the sign-in throttle and the unlock report limit forget keys whose limit has refilled.
const THROTTLE_PRUNE_INTERVAL: Duration = Duration::from_secs(60);

/// Starts every background task; the hub aborts them when it stops serving.
pub(crate) fn start(state: &AppState) -> Vec<JoinHandle<()>> {
    let mut tasks = vec![
        tokio::spawn(purge_sessions(state.clone())),
        tokio::spawn(prune_throttle(state.clone())),
    ];
    tasks.extend(crate::sync_bridge::start_worker(state));
    tasks
}

async fn prune_throttle(state: AppState) {
    let mut every = tokio::time::interval(THROTTLE_PRUNE_INTERVAL);
    loop {
        every.tick().await;
        // The rows of every hub on the database: pruning twice is harmless.
        if let Err(error) = state.throttle().prune().await {
            tracing::warn!(?error, "could not prune the sign-in throttle");
        }
        state.unlock_report_limit().prune();
    }
}

async fn purge_sessions(state: AppState) {
    let mut every = tokio::time::interval(SESSION_PURGE_INTERVAL);
    loop {
        every.tick().await;
        match state
            .store()
            .accounts()
            .purge_expired_sessions(state.idle_timeout())
            .await
        {
            Ok(0) => {}
            Ok(purged) => tracing::debug!(purged, "expired sessions removed"),
            Err(error) => tracing::warn!(%error, "could not remove expired sessions"),
        }
    }
}
