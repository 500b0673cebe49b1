//! The front desk's visitors (issue 17, point 9): register a visitor by name and e-mail with a
//! host (R10), the day's expected visitors and day passes in the location's zone, each visit's
//! Kisi access link with its QR code, and a day pass cancelled but kept (R9). Staff only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::passes::{DayPassView, VisitView};
use doorlink_api::visitors::{
    AccessLinkState, AccessLinkView, DeskDayPassView, ExpectedVisitView, RegisterVisitorRequest,
    RegisteredVisitorView, VisitStatus, VisitorsDayView, VisitorsQuery,
};
use doorlink_core::{
    DayPassId, Email, LocationId, Person, PersonId, Visit, VisitorPolicyId, end_of_local_day,
    local_midnight, visit_window,
};
use doorlink_store::{DayPassRecord, NewVisitor, StoreError};
use qrcode::QrCode;
use qrcode::render::svg;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::routes::people::person_view;
use crate::routes::validate::Problems;
use crate::routes::{Body, Path, Query};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_visitor))
        .routes(routes!(visitors_of_day))
        .routes(routes!(cancel_day_pass))
}

/// One visit as every view shows it, its host included.
pub(crate) fn visit_view(location: LocationId, v: &Visit, host: Option<&Person>) -> VisitView {
    VisitView {
        id: v.id.0,
        location_id: location.0,
        visitor_id: v.visitor.0,
        policy_id: v.policy.0,
        expected_arrival: v.expected_arrival,
        expected_departure: v.expected_departure,
        cancelled_at: v.cancelled_at,
        host: host.map(person_view),
    }
}

pub(crate) fn day_pass_view(record: &DayPassRecord) -> DayPassView {
    DayPassView {
        id: record.pass.id.0,
        location_id: record.location.0,
        person_id: record.pass.person.0,
        product_id: record.pass.product.0,
        date: record.pass.date,
        cancelled_at: record.cancelled_at,
    }
}

/// The link as an SVG QR code (one place renders it: the UI shows what the hub drew).
fn qr_svg(url: &str) -> Option<String> {
    let code = QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// R10: where the visit is by its access window (grace included), cut at its cancellation.
fn status_of(visit: &Visit, grace: doorlink_core::BookingGrace, now: DateTime<Utc>) -> VisitStatus {
    match visit_window(visit, grace) {
        Some(window) if window.contains(now) => VisitStatus::OnSite,
        Some(window) if now < window.from() => VisitStatus::Expected,
        _ => VisitStatus::Ended,
    }
}

/// Register a visitor by name and e-mail with a host (R10). The person with that e-mail is reused
/// (a member stays one person); otherwise one is created with the visit, in one transaction.
#[utoipa::path(post, path = doorlink_api::routes::VISITORS, tag = "passes", request_body = RegisterVisitorRequest,
    responses((status = 201, body = RegisteredVisitorView), (status = 422, body = ErrorBody)))]
async fn register_visitor(
    State(state): State<AppState>,
    _: Staff,
    Body(request): Body<RegisterVisitorRequest>,
) -> ApiResult<(StatusCode, Json<RegisteredVisitorView>)> {
    let mut problems = Problems::new();
    let name = problems.text("name", &request.name);
    let email = problems.check("email", Email::parse(&request.email));
    problems.years([
        ("expected_arrival", Some(&request.expected_arrival)),
        ("expected_departure", Some(&request.expected_departure)),
    ]);
    let policy = VisitorPolicyId(request.policy_id);
    let host = PersonId(request.host_id);
    // R10: the departure after the arrival, by core's rule.
    problems.valid(Visit::check_times(
        request.expected_arrival,
        request.expected_departure,
    ));
    let found = state.store().catalog().visitor_policy(policy).await;
    let location = problems.found("policy_id", found)?;
    match state.store().people().get(host).await {
        Ok(_) => {}
        Err(StoreError::NotFound { .. }) => {
            problems.add(
                "host_id",
                format!("person {host} does not exist: choose a host from the people list"),
            );
        }
        Err(error) => return Err(error.into()),
    }
    problems.finish()?;
    let (Some(email), Some(_)) = (email, location) else {
        return Err(ApiError::field("email", "must be an e-mail address"));
    };
    let registered = state
        .store()
        .passes()
        .register_visitor(&NewVisitor {
            name: &name,
            email: &email,
            host,
            policy,
            expected_arrival: convert::instant(request.expected_arrival),
            expected_departure: convert::instant(request.expected_departure),
        })
        .await?;
    if registered.visitor_created {
        state.notify(
            ChangeKind::PersonChanged,
            None,
            [registered.visitor.id],
            Some(registered.visitor.id.0),
        );
    }
    state.changed(
        ChangeKind::PassChanged,
        Some(registered.location),
        [registered.visit.visitor],
        Some(registered.visit.id.0),
    );
    Ok((
        StatusCode::CREATED,
        Json(RegisteredVisitorView {
            visit: visit_view(
                registered.location,
                &registered.visit,
                registered.host.as_ref(),
            ),
            visitor: person_view(&registered.visitor),
            visitor_created: registered.visitor_created,
        }),
    ))
}

/// The desk's day at a location: expected visitors with host, status and access link, and the
/// day passes, all of the day in the location's time zone (cancelled ones included).
#[utoipa::path(get, path = doorlink_api::routes::VISITORS, tag = "passes", params(VisitorsQuery),
    responses((status = 200, body = VisitorsDayView), (status = 422, body = ErrorBody)))]
async fn visitors_of_day(
    State(state): State<AppState>,
    _: Staff,
    Query(query): Query<VisitorsQuery>,
) -> ApiResult<Json<VisitorsDayView>> {
    let location_id = LocationId(query.location_id);
    let mut problems = Problems::new();
    let found = state.store().locations().get(location_id).await;
    let location = problems.found("location_id", found)?;
    let location = problems.finish_with(location)?;
    let now = state.now();
    let zone = location.time_zone;
    let date = query
        .date
        .unwrap_or_else(|| now.with_timezone(&zone).date_naive());
    let mut problems = Problems::new();
    problems.year("date", &date);
    problems.finish()?;
    let passes = state.store().passes();
    let visits = passes
        .visits_between(
            location_id,
            local_midnight(zone, date),
            end_of_local_day(zone, date),
        )
        .await?;
    let mut views = Vec::with_capacity(visits.len());
    for registered in &visits {
        let (_, policy) = state
            .store()
            .catalog()
            .visitor_policy(registered.visit.policy)
            .await?;
        let status = status_of(&registered.visit, location.booking_grace, now);
        let access_link = if status == VisitStatus::Ended || policy.door_access.is_empty() {
            AccessLinkView {
                state: AccessLinkState::None,
                url: None,
                qr_svg: None,
            }
        } else {
            match state
                .store()
                .kisi_mirror()
                .visit_link(registered.visit.id)
                .await?
            {
                None => AccessLinkView {
                    state: AccessLinkState::BeingPrepared,
                    url: None,
                    qr_svg: None,
                },
                Some(link) => match link.secret {
                    Some(secret) => {
                        let url = kisi::access_link_url(secret.expose());
                        AccessLinkView {
                            state: AccessLinkState::Ready,
                            qr_svg: qr_svg(&url),
                            url: Some(url),
                        }
                    }
                    None => AccessLinkView {
                        state: AccessLinkState::NotReceived,
                        url: None,
                        qr_svg: None,
                    },
                },
            }
        };
        views.push(ExpectedVisitView {
            visit: visit_view(location_id, &registered.visit, registered.host.as_ref()),
            visitor: person_view(&registered.visitor),
            policy_name: policy.name,
            status,
            access_link,
        });
    }
    let mut day_passes = Vec::new();
    for record in passes.day_passes_on(location_id, date).await? {
        let (_, product) = state.store().catalog().product(record.pass.product).await?;
        day_passes.push(DeskDayPassView {
            pass: day_pass_view(&record),
            holder: person_view(&record.holder),
            product_name: product.name,
        });
    }
    Ok(Json(VisitorsDayView {
        location_id: location_id.0,
        date,
        time_zone: zone.name().to_owned(),
        visits: views,
        day_passes,
    }))
}

/// R9: cancels a day pass; it is kept (shown as cancelled) and its access is revoked at once. A
/// pass already cancelled is a 409.
#[utoipa::path(post, path = doorlink_api::routes::DAY_PASSES_ID_CANCEL, tag = "passes",
    params(("id" = i64, Path, description = "Day pass id")),
    responses((status = 200, body = DayPassView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn cancel_day_pass(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<DayPassView>> {
    let record = state
        .store()
        .passes()
        .cancel_day_pass(DayPassId(id))
        .await?;
    state.changed(
        ChangeKind::PassChanged,
        Some(record.location),
        [record.pass.person],
        Some(id),
    );
    Ok(Json(day_pass_view(&record)))
}
