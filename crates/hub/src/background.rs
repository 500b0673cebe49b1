//! Background tasks of a running hub: the sync worker and the purge of expired sessions.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::state::AppState;

/// How often expired sessions are removed from the database.
const SESSION_PURGE_INTERVAL: Duration = Duration::from_secs(3600);

/// Starts every background task; the hub aborts them when it stops serving.
pub(crate) fn start(state: &AppState) -> Vec<JoinHandle<()>> {
    let mut tasks = vec![tokio::spawn(purge_sessions(state.clone()))];
    tasks.extend(crate::sync_bridge::start_worker(state));
    tasks
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
