//! Sync status for staff: the outbox queue and its failures, "retry now", and the dry run.

use axum::Json;
use axum::extract::State;
use doorlink_api::common::Done;
use doorlink_api::error::ErrorBody;
use doorlink_api::me::LocationFilter;
use doorlink_api::sync::{
    DryRunView, OutboxEntryView, QueueKind, QueueKindView, RevocationReceiptView,
    RevocationStatsView, SyncStatusView,
};
use doorlink_core::LocationId;
use doorlink_store::{OutboxEntry, Priority, RevocationReceipt};
use doorlink_sync::KindForecast;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::error::ApiResult;
use crate::orphaned_mappings::orphaned_mappings;
use crate::routes::{Path, Query, filtered_locations};
use crate::state::AppState;
use crate::sync_bridge;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(retry_now))
        .routes(routes!(dry_run))
        .routes(routes!(revocations))
}

fn entry_view(entry: &OutboxEntry) -> OutboxEntryView {
    OutboxEntryView {
        id: entry.id.0,
        location_id: entry.scope.location().0,
        person_id: entry.scope.person().map(|p| p.0),
        reason: entry.reason.clone(),
        kind: queue_kind(entry.priority),
        attempts: entry.attempts,
        last_error: entry.last_error.clone(),
        failing_since: entry.failing_since,
        next_try_at: entry.next_try_at,
        created_at: entry.created_at,
    }
}

fn queue_kind(priority: Priority) -> QueueKind {
    match priority {
        Priority::Urgent => QueueKind::Urgent,
        Priority::Later => QueueKind::Later,
        Priority::Bulk => QueueKind::Bulk,
    }
}

fn count(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

fn kind_view(kind: &KindForecast) -> QueueKindView {
    QueueKindView {
        kind: queue_kind(kind.priority),
        entries: count(kind.entries),
        running: count(kind.running),
        backing_off: count(kind.backing_off),
        kisi_requests: count(kind.kisi_requests),
        eta_seconds: count(kind.done_in.as_secs()),
    }
}

/// The entries waiting for the sync worker in the order it takes them, the queue per kind with
/// an ETA at Kisi's budget (issue 12), and the entries whose last attempt failed (with what went
/// wrong and what to do, the attempts and the next try), and the mappings whose Kisi group is
/// gone (C4).
#[utoipa::path(get, path = doorlink_api::routes::SYNC_STATUS, tag = "sync", params(LocationFilter),
    responses((status = 200, body = SyncStatusView), (status = 403, body = ErrorBody)))]
async fn status(
    State(state): State<AppState>,
    _: Staff,
    Query(filter): Query<LocationFilter>,
) -> ApiResult<Json<SyncStatusView>> {
    let locations = filtered_locations(&state, filter.location_id).await?;
    let location = filter.location_id.map(LocationId);
    let entries = state.store().outbox().entries(location).await?;
    let forecast = state.sync().engine().queue_forecast(location).await?;
    let queue: Vec<OutboxEntryView> = entries.iter().map(entry_view).collect();
    let failures = queue
        .iter()
        .filter(|e| e.last_error.is_some())
        .cloned()
        .collect();
    let mut orphaned = Vec::new();
    for location in locations {
        orphaned.extend(orphaned_mappings(&state, location).await?);
    }
    Ok(Json(SyncStatusView {
        queue,
        failures,
        orphaned_mappings: orphaned,
        kinds: forecast.kinds.iter().map(kind_view).collect(),
        requests_per_second: i64::from(forecast.requests_per_second),
    }))
}

/// Applies the location's whole difference with Kisi now (a full reconcile: the directory is
/// read again and drift repaired), instead of waiting for failed entries' back-off.
#[utoipa::path(post, path = doorlink_api::routes::LOCATIONS_ID_SYNC_RETRY, tag = "sync",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = Done), (status = 409, body = ErrorBody), (status = 502, body = ErrorBody)))]
async fn retry_now(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Done>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let message = sync_bridge::retry_now(&state, location.id).await?;
    Ok(Json(Done { message }))
}

/// What a sync of the location would change in Kisi, without changing it.
#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_SYNC_DRY_RUN, tag = "sync",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = DryRunView), (status = 404, body = ErrorBody)))]
async fn dry_run(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<DryRunView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    Ok(Json(sync_bridge::dry_run(&state, location.id).await?))
}

/// How many days time-to-revoke looks back.
const REVOCATION_DAYS: i64 = 7;
/// How many receipts the Sync page lists.
const RECENT_RECEIPTS: usize = 20;

/// Time-to-revoke over the last 7 days (issue 15): from the change that ended someone's access
/// to Kisi's confirmation that it is gone, p50 and p99, and the latest receipts.
#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_SYNC_REVOCATIONS, tag = "sync",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = RevocationStatsView), (status = 404, body = ErrorBody)))]
async fn revocations(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<RevocationStatsView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let since = state.now() - chrono::Duration::days(REVOCATION_DAYS);
    let receipts = state
        .store()
        .revocations()
        .since(location.id, since)
        .await?;
    let mut millis: Vec<i64> = receipts.iter().map(RevocationReceipt::millis).collect();
    millis.sort_unstable();
    Ok(Json(RevocationStatsView {
        location_id: location.id.0,
        since,
        count: u64::try_from(receipts.len()).unwrap_or(u64::MAX),
        p50_millis: percentile(&millis, 50),
        p99_millis: percentile(&millis, 99),
        recent: receipts
            .iter()
            .take(RECENT_RECEIPTS)
            .map(|r| RevocationReceiptView {
                id: r.id,
                person_id: r.person.map(|p| p.0),
                person_name: r.person_name.clone(),
                what: r.what.clone(),
                ended_at: r.ended_at,
                confirmed_at: r.confirmed_at,
                millis: r.millis(),
            })
            .collect(),
    }))
}

/// The nearest-rank `p`th percentile of `sorted` (the smallest value at least `p`% of the values
/// do not exceed); none of nothing.
fn percentile(sorted: &[i64], p: usize) -> Option<i64> {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let hundred: Vec<i64> = (1..=100).collect();
        assert_eq!(percentile(&hundred, 50), Some(50));
        assert_eq!(percentile(&hundred, 99), Some(99));
        assert_eq!(percentile(&[7], 99), Some(7));
        assert_eq!(percentile(&[1, 2, 3], 50), Some(2));
        assert_eq!(percentile(&[], 50), None);
    }
}
