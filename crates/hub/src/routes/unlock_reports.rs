//! A4: the desktop app unlocks straight with Kisi and reports each outcome here afterwards, so the
//! admin's audit log shows desktop unlocks beside the hub's own — marked as the desktop's claims
//! (issue 11: a member could record "succeeded" unlocks of any lock id and fill the disk).

use std::num::NonZeroU32;
use std::time::Duration as StdDuration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use doorlink_api::common::Done;
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{UNLOCK_REPORT_MAX_AGE_DAYS, UNLOCK_REPORT_MAX_AHEAD_HOURS, UnlockReport};
use doorlink_core::{Audience, KisiLockId, LocationId, PersonId};
use doorlink_store::{AuditOutcome, NewAuditEntry};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Member;
use crate::error::{ApiError, ApiResult};
use crate::routes::Body;
use crate::routes::me::{explanation, is_kisi_restriction, snapshot_for_lock};
use crate::routes::validate::Problems;
use crate::state::AppState;

/// The longest message the audit log keeps of a report (Kisi's refusal texts are a sentence).
const MAX_MESSAGE_CHARS: usize = 500;
/// Reports one person may send at once: the desktop sends its offline queue in batches of 50.
const REPORT_BURST: u32 = 60;
/// After a burst, one more report per this period (120 an hour: more doors than anyone opens).
/// A desktop answered 429 keeps its queue and sends the rest on a later refresh.
const REPORT_REFILL: StdDuration = StdDuration::from_secs(30);

/// How many unlock reports each person may send: bounds the audit log's growth per member.
#[derive(Debug)]
pub struct UnlockReportLimit(DefaultKeyedRateLimiter<i64>);

impl Default for UnlockReportLimit {
    fn default() -> Self {
        let burst = NonZeroU32::new(REPORT_BURST).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(REPORT_REFILL)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(burst);
        Self(RateLimiter::keyed(quota))
    }
}

impl UnlockReportLimit {
    /// Counts one report of `person`; 429 with the wait when they are over the limit.
    pub fn check(&self, person: PersonId) -> ApiResult<()> {
        self.0
            .check_key(&person.0)
            .map_err(|not_until| ApiError::RateLimited {
                what: "unlock reports from this account",
                retry_after_secs: not_until
                    .wait_time_from(DefaultClock::default().now())
                    .as_secs()
                    .max(1),
            })
    }

    /// Forgets people whose limit has refilled (keys are only signed-in members, but still).
    pub fn prune(&self) {
        self.0.retain_recent();
        self.0.shrink_to_fit();
    }
}

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report_unlock))
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
