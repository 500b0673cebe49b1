//! The front desk's view of one person's access: the same Access page and explanations the person
//! sees themself (A1–A3, A5), so staff can answer "why can't Ana open the front door?".

use axum::Json;
use axum::extract::State;
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{LocationFilter, LockExplanation, MyAccess};
use doorlink_core::{KisiLockId, PersonId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::error::ApiResult;
use crate::kisi_status::Audience;
use crate::routes::me::{access_of, explained, snapshot_for_lock};
use crate::routes::{Path, Query};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(person_access))
        .routes(routes!(explain_for_person))
}

/// A1–A3, A5 for a person, as their own Access page shows it: doors open now with window and
/// provenance, windows to come, and the reasons whenever a door is missing.
#[utoipa::path(get, path = doorlink_api::routes::PEOPLE_ID_ACCESS, tag = "people",
    params(("id" = i64, Path, description = "A person id"), LocationFilter),
    responses((status = 200, body = MyAccess), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn person_access(
    State(state): State<AppState>,
    _staff: Staff,
    Path(id): Path<i64>,
    Query(filter): Query<LocationFilter>,
) -> ApiResult<Json<MyAccess>> {
    let person = existing_person(&state, id).await?;
    Ok(Json(
        access_of(&state, person, filter, Audience::Staff).await?,
    ))
}

/// A5 for a person and a lock: may they open it now; if not, the first rule in the way and its fix.
#[utoipa::path(get, path = doorlink_api::routes::PEOPLE_ID_LOCKS_LOCK_ID_EXPLAIN, tag = "people",
    params(("id" = i64, Path, description = "A person id"),
           ("lock_id" = i64, Path, description = "A Kisi lock id"), LocationFilter),
    responses((status = 200, body = LockExplanation), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn explain_for_person(
    State(state): State<AppState>,
    _staff: Staff,
    Path((id, lock_id)): Path<(i64, i64)>,
    Query(filter): Query<LocationFilter>,
) -> ApiResult<Json<LockExplanation>> {
    let person = existing_person(&state, id).await?;
    let lock = KisiLockId(lock_id);
    let snapshot = snapshot_for_lock(&state, person, lock, filter.location_id).await?;
    Ok(Json(
        explained(&state, &snapshot, person, lock, Audience::Staff).await?,
    ))
}

/// The person, or 404 naming them.
async fn existing_person(state: &AppState, id: i64) -> ApiResult<PersonId> {
    Ok(state.store().people().get(PersonId(id)).await?.id)
}
