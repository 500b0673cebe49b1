//! A4: the desktop app unlocks straight with Kisi and reports each outcome here afterwards, so the
//! admin's audit log shows desktop unlocks beside the hub's own — marked as the desktop's claims
//! (issue 11: a member could record "succeeded" unlocks of any lock id and fill the disk).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use doorlink_api::common::Done;
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{UNLOCK_REPORT_MAX_AGE_DAYS, UNLOCK_REPORT_MAX_AHEAD_HOURS, UnlockReport};
use doorlink_core::{Audience, KisiLockId, LocationId, PersonId};
use doorlink_store::{AuditOutcome, NewAuditEntry};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Member;
use crate::error::{ApiError, ApiResult};
use crate::routes::Body;
use crate::routes::me::{
    UnlockSource, explanation, is_kisi_restriction, snapshot_for_lock, unlock_audit_entry,
};
use crate::routes::validate::Problems;
use crate::state::AppState;

/// The longest message the audit log keeps of a report (Kisi's refusal texts are a sentence).
const MAX_MESSAGE_CHARS: usize = 500;
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report_unlock))
}

/// A4: records an unlock the desktop app says it made with the person's own Kisi login, at the
/// time it happened, marked as the desktop's claim. The actor is always the signed-in person;
/// reports from the desktop's offline queue arrive late, so `at` may be up to 30 days old (and at
/// most 24 h ahead, for a clock running fast). Only doors of the location's Kisi directory are
/// taken, and an unlock that succeeded only for a door the person could open at `at`. Each person
/// may send 60 reports at once and one more every 30 seconds after (429 with `Retry-After`).
#[utoipa::path(post, path = doorlink_api::routes::ME_UNLOCK_EVENTS, tag = "me", request_body = UnlockReport,
    responses((status = 201, body = Done), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
async fn report_unlock(
    State(state): State<AppState>,
    member: Member,
    Body(report): Body<UnlockReport>,
) -> ApiResult<(StatusCode, Json<Done>)> {
    state.unlock_report_limit().check(member.person)?;
    let mut problems = Problems::new();
    check_reported_at(&mut problems, report.at, state.now());
    if report.lock_id <= 0 {
        problems.add("lock_id", "must be a Kisi lock id (a positive number)");
    }
    let location = LocationId(report.location_id);
    problems.found("location_id", state.store().locations().get(location).await)?;
    problems.finish()?;
    check_the_person_could_open(&state, member.person, &report).await?;
    // Kisi's refusal texts can be long; the log keeps the start of one.
    let message: String = report
        .message
        .trim()
        .chars()
        .take(MAX_MESSAGE_CHARS)
        .collect();
    let entry = NewAuditEntry {
        outcome: if report.unlocked {
            AuditOutcome::Succeeded
        } else {
            AuditOutcome::Failed
        },
        kisi_error_code: report.cause.map(crate::convert::cause_text),
        message: Some(message).filter(|m| !m.is_empty()),
        ..unlock_audit_entry(
            location,
            member.person,
            report.lock_id,
            UnlockSource::Desktop,
        )
    };
    state
        .store()
        .audit()
        .record_desktop_claim(&entry, report.at)
        .await?;
    tracing::info!(
        location = location.0,
        person = member.person.0,
        lock = report.lock_id,
        unlocked = report.unlocked,
        "desktop unlock reported"
    );
    Ok((
        StatusCode::CREATED,
        Json(Done {
            message: "unlock recorded in the audit log as reported by the desktop app".to_owned(),
        }),
    ))
}

/// A report names a door of the location's Kisi directory, and a success one the person could
/// open at the reported instant by Doorlink's rules (a Kisi-only restriction such as the reader
/// may still have let the desktop through). A failure needs no grant: being refused is the point.
async fn check_the_person_could_open(
    state: &AppState,
    person: PersonId,
    report: &UnlockReport,
) -> ApiResult<()> {
    let lock = KisiLockId(report.lock_id);
    let snapshot = snapshot_for_lock(state, person, lock, Some(report.location_id)).await?;
    if !snapshot.has_lock(lock) {
        return Err(ApiError::field(
            "lock_id",
            format!(
                "lock {lock} is not a door of location {} in Kisi",
                report.location_id
            ),
        ));
    }
    if !report.unlocked {
        return Ok(());
    }
    let verdict = explanation(&snapshot, person, lock, report.at, Audience::Member);
    match verdict.reason {
        Some(reason) if !verdict.may_open && !is_kisi_restriction(reason.cause) => {
            Err(ApiError::field(
                "lock_id",
                format!(
                    "you could not open lock {lock} at {}, so a successful unlock is not recorded: {}",
                    report.at.to_rfc3339(),
                    reason.message
                ),
            ))
        }
        _ => Ok(()),
    }
}

fn check_reported_at(problems: &mut Problems, at: DateTime<Utc>, now: DateTime<Utc>) {
    if at > now + Duration::hours(UNLOCK_REPORT_MAX_AHEAD_HOURS) {
        problems.add(
            "at",
            format!(
                "is more than {UNLOCK_REPORT_MAX_AHEAD_HOURS} hours in the future ({}); check the device's clock",
                at.to_rfc3339()
            ),
        );
    } else if at < now - Duration::days(UNLOCK_REPORT_MAX_AGE_DAYS) {
        problems.add(
            "at",
            format!(
                "is older than {UNLOCK_REPORT_MAX_AGE_DAYS} days ({}); such reports are dropped",
                at.to_rfc3339()
            ),
        );
    }
}
