//! A4: the desktop app unlocks straight with Kisi and reports each outcome here afterwards, so the
//! admin's audit log shows desktop unlocks beside the hub's own.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use doorlink_api::common::Done;
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{UNLOCK_REPORT_MAX_AGE_DAYS, UNLOCK_REPORT_MAX_AHEAD_HOURS, UnlockReport};
use doorlink_core::{LocationId, PersonId};
use doorlink_store::{AuditOutcome, NewAuditEntry};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Member;
use crate::error::ApiResult;
use crate::routes::Body;
use crate::routes::validate::Problems;
use crate::state::AppState;

/// The longest message the audit log keeps of a report.
const MAX_MESSAGE_CHARS: usize = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report_unlock))
}

/// Where an unlock came from, as the audit log says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlockSource {
    /// The hub called Kisi itself (`POST /api/me/locks/{id}/unlock`).
    Hub,
    /// The desktop app called Kisi and reported the outcome.
    Desktop,
}

/// The audit entry of one unlock by `person` (actor) at `lock`: operation "unlock", tagged with
/// its source so the log tells desktop unlocks from the hub's own.
pub fn unlock_audit_entry(
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

/// A4: records an unlock the desktop app made with the person's own Kisi login, at the time it
/// happened. The actor is always the signed-in person; reports from the desktop's offline queue
/// arrive late, so `at` may be up to 30 days old (and at most 24 h ahead, for a clock running fast).
#[utoipa::path(post, path = "/api/me/unlock-events", tag = "me", request_body = UnlockReport,
    responses((status = 201, body = Done), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn report_unlock(
    State(state): State<AppState>,
    member: Member,
    Body(report): Body<UnlockReport>,
) -> ApiResult<(StatusCode, Json<Done>)> {
    let mut problems = Problems::new();
    check_reported_at(&mut problems, report.at, state.now());
    let location = LocationId(report.location_id);
    if state.store().locations().get(location).await.is_err() {
        problems.add(
            "location_id",
            format!("location {} does not exist", report.location_id),
        );
    }
    problems.finish()?;
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
    state.store().audit().record_at(&entry, report.at).await?;
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
            message: "unlock recorded in the audit log".to_owned(),
        }),
    ))
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
