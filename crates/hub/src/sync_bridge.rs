//! The hub's contact with the sync engine (`doorlink-sync`): its worker as a background task,
//! dry runs in plain words, "retry now", and C3's revoke-everything.

use doorlink_api::events::ChangeKind;
use doorlink_api::sync::DryRunView;
use doorlink_core::{AccessTarget, LocationId};
use doorlink_store::OutboxScope;
use doorlink_sync::{Notice, Operation, Plan, SyncError};
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
pub async fn dry_run(state: &AppState, location: LocationId) -> Result<DryRunView, ApiError> {
    let plan = state.sync().engine().plan_location(location).await?;
    let mut view = describe(location, &plan);
    // C4: a mapping whose group is gone grants nothing, whoever it is for.
    view.notices
        .extend(crate::routes::mappings::orphaned_mappings(state, location).await?);
    Ok(view)
}

/// Applies the location's whole difference now (a full reconcile), instead of waiting for the
/// failed entries' back-off. It runs as the location's outbox entry, through the worker (or is
/// waited for while the worker runs it): still the location's one writer, and person changes
/// made meanwhile are served between its operations (issue 12). Answers a sentence for staff.
pub async fn retry_now(state: &AppState, location: LocationId) -> Result<String, ApiError> {
    // C1, C3: nothing to retry without an active connection; say so rather than "done".
    if !state
        .store()
        .locations()
        .connection(location)
        .await?
        .is_some_and(|c| c.is_active())
    {
        return Err(SyncError::NotConnected { location }.into());
    }
    let scope = OutboxScope::Location(location);
    let outbox = state.store().outbox();
    outbox.enqueue(scope, "staff asked to retry now").await?;
    let done = state.sync().run_now(scope).await?;
    state.catalogue_cache().forget(location);
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
pub async fn revoke_everything(state: &AppState, location: LocationId) -> Result<String, ApiError> {
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

/// A plan in plain words.
pub fn describe(location: LocationId, plan: &Plan) -> DryRunView {
    DryRunView {
        location_id: location.0,
        operations: plan.operations.iter().map(operation).collect(),
        notices: plan.notices.iter().map(notice).collect(),
    }
}

fn target(target: &AccessTarget) -> String {
    match target {
        AccessTarget::Group(group) => format!("group {group}"),
        AccessTarget::Lock(lock) => format!("lock {lock}"),
    }
}

fn window(window: &doorlink_core::Window) -> String {
    match window.until() {
        Some(until) => format!(
            "{} until {}",
            window.from().to_rfc3339(),
            until.to_rfc3339()
        ),
        None => format!("{} with no end", window.from().to_rfc3339()),
    }
}

fn operation(op: &Operation) -> String {
    match op {
        Operation::EnsureUser { person, email, .. } => {
            format!("make sure person {person} ({email}) has a managed Kisi user")
        }
        Operation::CreatePerLockGroup { lock } => {
            format!("create Doorlink's own group for lock {lock}")
        }
        Operation::DeleteAssignment {
            person,
            group,
            window: w,
            ..
        } => {
            format!("remove person {person} from group {group} ({})", window(w))
        }
        Operation::CreateAssignment {
            person,
            target: t,
            window: w,
        } => {
            format!("grant person {person} {} from {}", target(t), window(w))
        }
        Operation::DeleteLink { person, link } => {
            format!("delete access link {link} of person {person}")
        }
        Operation::CreateLink {
            person,
            visit,
            target: t,
            window: w,
            ..
        } => format!(
            "create an access link to {} for visit {visit} of person {person} from {}",
            target(t),
            window(w)
        ),
        Operation::DeleteUser { person, user } => {
            format!("delete Kisi user {user} of person {person}")
        }
        Operation::ForgetPerson { person } => format!("stop managing person {person} in Kisi"),
    }
}

fn notice(notice: &Notice) -> String {
    match notice {
        Notice::TargetOrphaned { person, target: t } => format!(
            "{} no longer exists in Kisi, so person {person} cannot be granted it (C4)",
            target(t)
        ),
        Notice::EmailDrift {
            person,
            doorlink_email,
            kisi_email,
            ..
        } => format!(
            "person {person}'s e-mail is {doorlink_email} in Doorlink but {kisi_email} in Kisi; re-link them (I2)"
        ),
        Notice::UnconfirmedKisiUser { person, user } => format!(
            "person {person}'s Kisi user {user} never confirmed their e-mail; remove it from all groups in Kisi (I3)"
        ),
        Notice::UserNotOwned { person, user } => format!(
            "Kisi user {user} of person {person} was not created by Doorlink, so it is left in place (I4)"
        ),
    }
}

impl From<SyncError> for ApiError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Kisi { source, .. } => source.into(),
            SyncError::Store(store) => store.into(),
            SyncError::NotConnected { .. }
            | SyncError::Disconnected { .. }
            | SyncError::CredentialInKeychain { .. } => ApiError::Conflict(error.to_string()),
            other => ApiError::Kisi {
                code: "sync_failed".to_owned(),
                message: other.to_string(),
            },
        }
    }
}
