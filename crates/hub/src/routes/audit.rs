//! The audit log of every Kisi call and every action people took (issue 17 point 13): filters
//! (kind, actor, subject, outcome, time) and paging, newest first. Staff only.

use axum::Json;
use axum::extract::State;
use doorlink_api::audit::{AuditActorView, AuditEntryView, AuditPageView, AuditQuery};
use doorlink_api::common::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use doorlink_api::error::ErrorBody;
use doorlink_core::{LocationId, PersonId};
use doorlink_store::{
    AccountId, AuditEntry, AuditEntryId, AuditFilter, AuditKind, AuditKinds, AuditOutcome,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::error::ApiResult;
use crate::routes::Query;
use crate::routes::validate::Problems;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

pub(crate) fn entry_view(entry: &AuditEntry) -> AuditEntryView {
    AuditEntryView {
        id: entry.id.0,
        at: entry.at,
        kind: match entry.kind {
            AuditKind::KisiCall => "kisi_call",
            AuditKind::Action => "action",
        }
        .to_owned(),
        location_id: entry.location.map(|l| l.0),
        person_id: entry.person.map(|p| p.0),
        actor: entry.actor.as_ref().map(|actor| AuditActorView {
            account_id: actor.account.0,
            person_id: actor.person.map(|p| p.0),
            name: actor.name.clone(),
        }),
        operation: entry.operation.clone(),
        http_method: entry.http_method.clone(),
        path: entry.path.clone(),
        outcome: match entry.outcome {
            AuditOutcome::Succeeded => "succeeded",
            // An action the hub said no to (4xx) was refused; a 5xx failed.
            AuditOutcome::Failed
                if entry.kind == AuditKind::Action
                    && entry.http_status.is_some_and(|s| (400..500).contains(&s)) =>
            {
                "refused"
            }
            AuditOutcome::Failed => "failed",
        }
        .to_owned(),
        http_status: entry.http_status,
        kisi_error_code: entry.kisi_error_code.clone(),
        message: entry.message.clone(),
        duration_ms: u64::try_from(entry.duration.as_millis()).unwrap_or(u64::MAX),
        desktop_claim: entry.desktop_claim,
    }
}

#[utoipa::path(get, path = doorlink_api::routes::AUDIT, tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPageView), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn list_audit(
    State(state): State<AppState>,
    _: Staff,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<AuditPageView>> {
    let mut problems = Problems::new();
    let outcome = match query.outcome.as_deref() {
        None => None,
        Some("succeeded") => Some(AuditOutcome::Succeeded),
        Some("failed") => Some(AuditOutcome::Failed),
        Some(other) => {
            let shown: String = other.chars().take(40).collect();
            problems.add(
                "outcome",
                format!("{shown:?} is not an outcome: use succeeded or failed"),
            );
            None
        }
    };
    let kinds = match query.kind.as_deref() {
        None => AuditKinds::Both,
        Some("actions") => AuditKinds::Actions,
        Some("kisi_calls") => AuditKinds::KisiCalls,
        Some(_) => {
            problems.add(
                "kind",
                "must be actions or kisi_calls (or left out for both)",
            );
            AuditKinds::Both
        }
    };
    for (field, id) in [
        ("location_id", query.location_id),
        ("person_id", query.person_id),
        ("actor_account_id", query.actor_account_id),
        ("before", query.before),
    ] {
        if id.is_some_and(|id| id < 1) {
            problems.add(field, "must be a positive id");
        }
    }
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if limit == 0 || limit > MAX_PAGE_SIZE {
        problems.add(
            "limit",
            format!("must be between 1 and {MAX_PAGE_SIZE} (it is {limit})"),
        );
    }
    if let (Some(since), Some(until)) = (query.since, query.until)
        && until <= since
    {
        problems.add(
            "until",
            format!("must be after since ({})", since.to_rfc3339()),
        );
    }
    problems.finish()?;
    let filter = AuditFilter {
        location: query.location_id.map(LocationId),
        person: query.person_id.map(PersonId),
        outcome,
        outbox_entry: None,
        since: query.since,
        until: query.until,
        kinds,
        actor: query.actor_account_id.map(AccountId),
    };
    let page = state
        .store()
        .audit()
        .list(&filter, query.before.map(AuditEntryId), limit)
        .await?;
    Ok(Json(AuditPageView {
        entries: page.entries.iter().map(entry_view).collect(),
        next_before: page.next_before.map(|id| id.0),
    }))
}
