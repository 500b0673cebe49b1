//! The hub's only contact with the sync engine (`doorlink-sync`): start its worker, and ask it for
//! a dry run, a retry, or a revoke-all. Kept in one small file so the engine's API can change
//! without touching the routes.

use tokio::task::JoinHandle;

use crate::state::AppState;

/// Starts the sync worker as a background task.
pub(crate) fn start_worker(_state: &AppState) -> Option<JoinHandle<()>> {
    tracing::warn!(
        "the sync engine (doorlink-sync) has no worker entry point yet; nothing is written to Kisi"
    );
    None
}
