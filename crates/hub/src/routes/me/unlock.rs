//! A4: the unlock decision (the rules first, then Kisi with the person's own login) and its
//! record in the audit log.

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use doorlink_api::common::Cause;
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{UnlockOutcome, UnlockRequest};
use doorlink_core::{
    DenialCause, KisiLockId, LocationId, PersonId, UnlockRefusal, access_page, door_state_cause,
};
use doorlink_store::{AuditOutcome, NewAuditEntry};
use kisi::{KisiError, LockId, UnlockContext};

use super::explain::explanation;
use super::snapshot::snapshot_for_lock;
use crate::auth::Member;
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::kisi_status::Audience;
use crate::routes::{Body, Path};
use crate::state::AppState;

/// A4: unlocks with the person's own Kisi login (so Kisi's log names them) and answers the outcome
/// in plain words: unlocked, or why not and what to do. A rule that stands in the way (including
/// A3's members-only page) is answered without calling Kisi.
#[utoipa::path(post, path = doorlink_api::routes::ME_LOCKS_LOCK_ID_UNLOCK, tag = "me",
    params(("lock_id" = i64, Path, description = "A Kisi lock id")),
    request_body = UnlockRequest,
    responses((status = 200, body = UnlockOutcome), (status = 401, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub(super) async fn unlock(
    State(state): State<AppState>,
    member: Member,
    Path(lock_id): Path<i64>,
    Body(request): Body<UnlockRequest>,
) -> ApiResult<Json<UnlockOutcome>> {
    let lock = KisiLockId(lock_id);
    let context = unlock_context(&request)?;
    let snapshot = snapshot_for_lock(&state, member.person, lock, request.location_id).await?;
    let verdict = explanation(
        &snapshot,
        member.person,
        lock,
        state.now(),
        Audience::Member,
    );
    let refused = |reason| UnlockOutcome {
        lock_id,
        unlocked: false,
        message: "not unlocked".to_owned(),
        reason: Some(reason),
    };
    if let Some(reason) = verdict.reason.filter(|r| !is_kisi_restriction(r.cause)) {
        return Ok(Json(refused(reason)));
    }
    // A3: a members-only Access page does not unlock for people who are not members.
    let page = access_page(&snapshot.facts, &snapshot.view, member.person, state.now());
    if !page.visible {
        let cause = page
            .blocked
            .first()
            .cloned()
            .unwrap_or(DenialCause::AccessPageMembersOnly);
        return Ok(Json(refused(convert::reason(&cause, Audience::Member))));
    }
    let location = snapshot.location.id;
    // I2: the Kisi user is matched by the person's e-mail, not the sign-in account's.
    let email = snapshot.facts.person(member.person).map_or_else(
        || member.user.account.email.to_string(),
        |p| p.email.to_string(),
    );
    let started = Instant::now();
    let result = state
        .sync()
        .engine()
        .unlock_as(location, member.person, &email, LockId(lock_id), &context)
        .await?;
    record_unlock(&state, location, member.person, lock_id, &result, started).await;
    match result {
        Ok(message) => {
            tracing::info!(
                location = location.0,
                person = member.person.0,
                lock = lock_id,
                "unlocked"
            );
            Ok(Json(UnlockOutcome::unlocked(lock_id, message)))
        }
        Err(error) => {
            // Kisi's own words go to the log; the person reads Doorlink's, with Kisi's code.
            tracing::info!(location = location.0, lock = lock_id, %error, "Kisi refused the unlock");
            let refusal = doorlink_sync::unlock_refusal(&error);
            let door_state = door_state_cause(&snapshot.facts, &snapshot.view, lock);
            Ok(Json(refused(match door_state {
                // Kisi's answer to a locked-down or offline door is not documented: when it names
                // no cause of its own, the door's state Kisi last reported explains the refusal.
                Some(cause) if is_unnamed_refusal(refusal) => {
                    convert::reason(&cause, Audience::Member)
                }
                _ => convert::refusal_reason(
                    refusal,
                    &snapshot.view.lock_name(lock),
                    doorlink_sync::kisi_error_code(&error).as_deref(),
                    Audience::Member,
                ),
            })))
        }
    }
}

fn unlock_context(request: &UnlockRequest) -> ApiResult<UnlockContext> {
    let location = match (request.latitude, request.longitude) {
        (Some(latitude), Some(longitude)) => {
            if !(-90.0..=90.0).contains(&latitude) {
                return Err(ApiError::field("latitude", "must be between -90 and 90"));
            }
            if !(-180.0..=180.0).contains(&longitude) {
                return Err(ApiError::field("longitude", "must be between -180 and 180"));
            }
            Some(kisi::Location {
                latitude,
                longitude,
            })
        }
        (None, None) => None,
        (Some(_), None) => return Err(ApiError::field("longitude", "is required with latitude")),
        (None, Some(_)) => return Err(ApiError::field("latitude", "is required with longitude")),
    };
    Ok(UnlockContext {
        location,
        proximity_proof: None,
    })
}

/// A refusal whose Kisi answer names no cause Doorlink knows (a bare 403, a failure).
fn is_unnamed_refusal(refusal: UnlockRefusal) -> bool {
    matches!(
        refusal,
        UnlockRefusal::NoCurrentAccess | UnlockRefusal::KisiFailed
    )
}

/// Restrictions only Kisi enforces: Doorlink still asks Kisi (the geofence may pass with a location).
pub(in crate::routes) fn is_kisi_restriction(cause: Cause) -> bool {
    matches!(cause, Cause::ReaderRestriction | Cause::GeofenceRestriction)
}

/// Records the unlock in the audit log (the hub's own record beside Kisi's event).
async fn record_unlock(
    state: &AppState,
    location: LocationId,
    person: PersonId,
    lock: i64,
    result: &Result<String, KisiError>,
    started: Instant,
) {
    let (outcome, message) = match result {
        Ok(_) => (AuditOutcome::Succeeded, None),
        Err(error) => (AuditOutcome::Failed, Some(error.to_string())),
    };
    let entry = NewAuditEntry {
        outcome,
        message,
        duration: started.elapsed(),
        ..unlock_audit_entry(location, person, lock, UnlockSource::Hub)
    };
    if let Err(error) = state.store().audit().record(&entry).await {
        tracing::warn!(%error, "could not record the unlock in the audit log");
    }
}

/// Where an unlock came from, as the audit log says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnlockSource {
    /// The hub called Kisi itself (`POST /api/me/locks/{id}/unlock`).
    Hub,
    /// The desktop app called Kisi and reported the outcome.
    Desktop,
}

/// The audit entry of one unlock by `person` (actor) at `lock`: operation "unlock", tagged with
/// its source so the log tells desktop unlocks from the hub's own.
pub(crate) fn unlock_audit_entry(
    location: LocationId,
    person: PersonId,
    lock: i64,
    source: UnlockSource,
) -> NewAuditEntry {
    let source = match source {
        UnlockSource::Hub => "",
        UnlockSource::Desktop => " from the desktop app",
    };
    NewAuditEntry {
        location: Some(location),
        person: Some(person),
        outbox_entry: None,
        operation: format!("unlock lock {lock} for person {person}{source}"),
        http_method: "POST".to_owned(),
        path: format!("/locks/{lock}/unlock"),
        outcome: AuditOutcome::Succeeded,
        http_status: None,
        kisi_error_code: None,
        message: None,
        duration: std::time::Duration::ZERO,
    }
}
