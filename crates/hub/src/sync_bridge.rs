//! The hub's contact with the sync engine (`doorlink-sync`): its worker as a background task,
//! dry runs in plain words, "retry now", and C3's revoke-everything.

use doorlink_api::events::ChangeKind;
use doorlink_api::sync::DryRunView;
use doorlink_core::LocationId;
use doorlink_store::OutboxScope;
use doorlink_sync::{Plan, SyncError, plan_words};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::ApiError;
use crate::state::AppState;

/// Starts the sync worker; it stops when the returned task is aborted or the hub drops.
pub(crate) fn start_worker(state: &AppState) -> Option<JoinHandle<()>> {
    let worker = state.sync().clone();
    let (keep, shutdown) = watch::channel(false);
    Some(tokio::spawn(async move {
        let _keep = keep;
        worker.run(shutdown).await;
    }))
}

/// What a sync of the location would change in Kisi, without changing it.
pub(crate) async fn dry_run(
    state: &AppState,
    location: LocationId,
) -> Result<DryRunView, ApiError> {
    let plan = state.sync().engine().plan_location(location).await?;
    let mut view = describe(state, location, &plan).await?;
    // C4: a mapping whose group is gone grants nothing, whoever it is for.
    view.notices
        .extend(crate::orphaned_mappings::orphaned_mappings(state, location).await?);
    Ok(view)
}

/// Applies the location's whole difference now (a full reconcile), instead of waiting for the
/// failed entries' back-off. It runs as the location's outbox entry, through the worker (or is
/// waited for while the worker runs it): still the location's one writer, and person changes
/// made meanwhile are served between its operations (issue 12). Answers a sentence for staff.
pub(crate) async fn retry_now(state: &AppState, location: LocationId) -> Result<String, ApiError> {
    // C1, C3: nothing to retry without an active connection; say so rather than "done".
    if !state
        .store()
        .locations()
        .connection(location)
        .await?
        .is_some_and(|c| c.is_active())
    {
        return Err(SyncError::not_connected(state.store(), location)
            .await
            .into());
    }
    let scope = OutboxScope::Location(location);
    let outbox = state.store().outbox();
    outbox.enqueue(scope, "staff asked to retry now").await?;
    let done = state.sync().run_now(scope).await?;
    state.directory_cache().forget(location);
    state.notify(ChangeKind::SyncChanged, Some(location), [], None);
    if done {
        return Ok("Kisi now matches Doorlink at this location.".to_owned());
    }
    Ok(
        match outbox.entry_of(scope).await?.and_then(|e| e.last_error) {
            Some(error) => format!("Not everything reached Kisi: {error}"),
            None => {
                "A sync of this location is still running; it goes on in the background.".to_owned()
            }
        },
    )
}

/// C3: revokes everything Doorlink granted at the location. Answers a sentence for the admin.
pub(crate) async fn revoke_everything(
    state: &AppState,
    location: LocationId,
) -> Result<String, ApiError> {
    let report = state.sync().engine().revoke_everything(location).await?;
    Ok(if report.succeeded() {
        format!(
            "{} grants Doorlink made in Kisi were revoked.",
            report.applied
        )
    } else {
        format!(
            "{} grants were revoked; {} could not be: {}",
            report.applied,
            report.failures.len(),
            report.failures.join("; ")
        )
    })
}

/// A plan in plain words: the sync crate's one wording (`doorlink_sync::plan_words`), with names
/// and the location's local times, the same lines `doorlink sync --dry-run` prints.
pub(crate) async fn describe(
    state: &AppState,
    location: LocationId,
    plan: &Plan,
) -> Result<DryRunView, ApiError> {
    let facts = state.store().load_location_facts(location).await?;
    let view = state.store().kisi_mirror().kisi_view(location).await?;
    let words = plan_words(&facts, &view, plan);
    Ok(DryRunView {
        location_id: location.0,
        operations: words.operations,
        notices: words.notices,
    })
}

impl From<SyncError> for ApiError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Kisi { source, .. } => source.into(),
            SyncError::Store(store) => store.into(),
            SyncError::NotConnected { .. } | SyncError::Disconnected { .. } => {
                ApiError::Conflict(error.to_string())
            }
            other => ApiError::Kisi {
                code: "sync_failed".to_owned(),
                message: other.to_string(),
            },
        }
    }
}
