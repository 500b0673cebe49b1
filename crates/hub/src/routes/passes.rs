//! Day passes (R9), visits (R10) and manual grants (M6, R11). Staff only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorlink_api::common::Done;
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::passes::{
    DayPassView, EndGrantRequest, ManualGrantView, NewDayPassRequest, NewManualGrantRequest,
    NewVisitRequest, VisitView,
};
use doorlink_api::subscriptions::CancelRequest;
use doorlink_core::{
    DayPassId, LocationId, ManualGrant, ManualGrantId, PersonId, ProductId, Visit, VisitId,
    VisitorPolicyId,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::routes::validate::Problems;
use crate::routes::visitors::{day_pass_view, visit_view};
use crate::routes::{Body, Path};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sell_day_pass))
        .routes(routes!(delete_day_pass))
        .routes(routes!(day_passes_of))
        .routes(routes!(create_visit))
        .routes(routes!(cancel_visit))
        .routes(routes!(visits_of))
        .routes(routes!(create_grant))
        .routes(routes!(end_grant))
        .routes(routes!(grants_of))
}

fn grant_view(location: LocationId, g: &ManualGrant) -> ManualGrantView {
    ManualGrantView {
        id: g.id.0,
        location_id: location.0,
        person_id: g.person.0,
        door_access: convert::door_access(&g.door_access),
        starts_at: g.starts_at,
        ends_at: g.ends_at,
    }
}

/// R9: access for the whole date, 00:00 to 24:00 location time.
#[utoipa::path(post, path = doorlink_api::routes::DAY_PASSES, tag = "passes", request_body = NewDayPassRequest,
    responses((status = 201, body = DayPassView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn sell_day_pass(
    State(state): State<AppState>,
    _: Staff,
    Body(request): Body<NewDayPassRequest>,
) -> ApiResult<(StatusCode, Json<DayPassView>)> {
    let mut problems = Problems::new();
    problems.year("date", &request.date);
    problems.finish()?;
    let (location, pass) = state
        .store()
        .passes()
        .sell_day_pass(
            PersonId(request.person_id),
            ProductId(request.product_id),
            request.date,
        )
        .await?;
    state.changed(
        ChangeKind::PassChanged,
        Some(location),
        [pass.person],
        Some(pass.id.0),
    );
    let record = doorlink_store::DayPassRecord {
        location,
        holder: state.store().people().get(pass.person).await?,
        pass,
        cancelled_at: None,
    };
    Ok((StatusCode::CREATED, Json(day_pass_view(&record))))
}

/// Takes a day pass back; its access goes with it.
#[utoipa::path(delete, path = doorlink_api::routes::DAY_PASSES_ID, tag = "passes",
    params(("id" = i64, Path, description = "Day pass id")),
    responses((status = 200, body = Done), (status = 404, body = ErrorBody)))]
async fn delete_day_pass(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Done>> {
    state
        .store()
        .passes()
        .delete_day_pass(DayPassId(id))
        .await?;
    state.changed(ChangeKind::PassChanged, None, [], Some(id));
    Ok(Json(Done {
        message: format!("day pass {id} was taken back; its access is revoked"),
    }))
}

#[utoipa::path(get, path = doorlink_api::routes::PEOPLE_ID_DAY_PASSES, tag = "passes",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = Vec<DayPassView>), (status = 404, body = ErrorBody)))]
async fn day_passes_of(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<DayPassView>>> {
    state.store().people().get(PersonId(id)).await?;
    let passes = state
        .store()
        .passes()
        .day_pass_records_of(PersonId(id))
        .await?;
    Ok(Json(passes.iter().map(day_pass_view).collect()))
}

/// R10: a visit under a visitor policy with door access gets a Kisi access link.
#[utoipa::path(post, path = doorlink_api::routes::VISITS, tag = "passes", request_body = NewVisitRequest,
    responses((status = 201, body = VisitView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_visit(
    State(state): State<AppState>,
    _: Staff,
    Body(request): Body<NewVisitRequest>,
) -> ApiResult<(StatusCode, Json<VisitView>)> {
    let mut problems = Problems::new();
    problems.years([
        ("expected_arrival", Some(&request.expected_arrival)),
        ("expected_departure", Some(&request.expected_departure)),
    ]);
    // R10: the departure after the arrival, by core's rule.
    problems.valid(Visit::check_times(
        request.expected_arrival,
        request.expected_departure,
    ));
    problems.finish()?;
    let (location, visit) = state
        .store()
        .passes()
        .create_visit(
            PersonId(request.visitor_id),
            VisitorPolicyId(request.policy_id),
            convert::instant(request.expected_arrival),
            convert::instant(request.expected_departure),
        )
        .await?;
    state.changed(
        ChangeKind::PassChanged,
        Some(location),
        [visit.visitor],
        Some(visit.id.0),
    );
    Ok((
        StatusCode::CREATED,
        Json(visit_view(location, &visit, None)),
    ))
}

/// Ends a visit now (early) or at a later instant: its Kisi access link goes (R10). A visit already
/// ended, cancelled or over is a 409.
#[utoipa::path(post, path = doorlink_api::routes::VISITS_ID_CANCEL, tag = "passes",
    params(("id" = i64, Path, description = "Visit id")), request_body = CancelRequest,
    responses((status = 200, body = VisitView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel_visit(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<CancelRequest>,
) -> ApiResult<Json<VisitView>> {
    if let Some(at) = request.at
        && at < state.now()
    {
        return Err(ApiError::field("at", "must not be in the past"));
    }
    let visit = state
        .store()
        .passes()
        .end_visit(VisitId(id), request.at)
        .await?;
    let host = state.store().passes().host_of_visit(visit.id).await?;
    let (location, _) = state.store().catalog().visitor_policy(visit.policy).await?;
    state.changed(
        ChangeKind::PassChanged,
        Some(location),
        [visit.visitor],
        Some(id),
    );
    Ok(Json(visit_view(location, &visit, host.as_ref())))
}

#[utoipa::path(get, path = doorlink_api::routes::PEOPLE_ID_VISITS, tag = "passes",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = Vec<VisitView>), (status = 404, body = ErrorBody)))]
async fn visits_of(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<VisitView>>> {
    state.store().people().get(PersonId(id)).await?;
    let visits = state.store().passes().visits_of(PersonId(id)).await?;
    let mut views = Vec::with_capacity(visits.len());
    for visit in &visits {
        let (location, _) = state.store().catalog().visitor_policy(visit.policy).await?;
        let host = state.store().passes().host_of_visit(visit.id).await?;
        views.push(visit_view(location, visit, host.as_ref()));
    }
    Ok(Json(views))
}

/// M6/R11: a door access from a start to an end, or indefinitely.
#[utoipa::path(post, path = doorlink_api::routes::MANUAL_GRANTS, tag = "passes", request_body = NewManualGrantRequest,
    responses((status = 201, body = ManualGrantView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_grant(
    State(state): State<AppState>,
    _: Staff,
    Body(request): Body<NewManualGrantRequest>,
) -> ApiResult<(StatusCode, Json<ManualGrantView>)> {
    let location = LocationId(request.location_id);
    let mut problems = Problems::new();
    problems.years([
        ("starts_at", Some(&request.starts_at)),
        ("ends_at", request.ends_at.as_ref()),
    ]);
    let access = convert::door_access_from(&request.door_access);
    // R11: an end after the start, or none (indefinite), by core's rule.
    problems.valid(ManualGrant::new(
        ManualGrantId(0),
        PersonId(request.person_id),
        access.clone(),
        request.starts_at,
        request.ends_at,
    ));
    if request.door_access.groups.is_empty() && request.door_access.locks.is_empty() {
        problems.add("door_access", "name at least one Kisi group or lock");
    }
    let found = state.store().locations().get(location).await;
    if problems.found("location_id", found)?.is_some() {
        let view = state.store().kisi_mirror().kisi_view(location).await?;
        problems.door_access("door_access", &request.door_access, &view);
    }
    problems.finish()?;
    let grant = state
        .store()
        .passes()
        .create_manual_grant(
            location,
            PersonId(request.person_id),
            &access,
            convert::instant(request.starts_at),
            request.ends_at.map(convert::instant),
        )
        .await?;
    state.changed(
        ChangeKind::PassChanged,
        Some(location),
        [grant.person],
        Some(grant.id.0),
    );
    Ok((StatusCode::CREATED, Json(grant_view(location, &grant))))
}

/// Ends a manual grant now or at a later instant.
#[utoipa::path(post, path = doorlink_api::routes::MANUAL_GRANTS_ID_END, tag = "passes",
    params(("id" = i64, Path, description = "Manual grant id")), request_body = EndGrantRequest,
    responses((status = 200, body = Done), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn end_grant(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<EndGrantRequest>,
) -> ApiResult<Json<Done>> {
    if let Some(at) = request.at
        && at < state.now()
    {
        return Err(ApiError::field("at", "must not be in the past"));
    }
    let ended = state
        .store()
        .passes()
        .end_manual_grant(ManualGrantId(id), request.at)
        .await?;
    let people: Vec<PersonId> = ended.iter().map(|g| g.person).collect();
    state.changed(ChangeKind::PassChanged, None, people, Some(id));
    Ok(Json(Done {
        message: match ended {
            Some(_) => format!("manual grant {id} ends as asked"),
            None => format!("manual grant {id} was removed: it had not started yet"),
        },
    }))
}

#[utoipa::path(get, path = doorlink_api::routes::PEOPLE_ID_MANUAL_GRANTS, tag = "passes",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = Vec<ManualGrantView>), (status = 404, body = ErrorBody)))]
async fn grants_of(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ManualGrantView>>> {
    state.store().people().get(PersonId(id)).await?;
    let grants = state
        .store()
        .passes()
        .manual_grants_of(PersonId(id))
        .await?;
    Ok(Json(
        grants.iter().map(|(l, g)| grant_view(*l, g)).collect(),
    ))
}
