//! Outcome webhooks (issue 15), admins only: the endpoints other systems listen at, their delivery
//! log, "send again" and a test event. What is sent, and how it is signed, is
//! `docs/outcome-webhooks.md`; the sending is `crate::outcome_sender`.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorlink_api::common::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use doorlink_api::error::ErrorBody;
use doorlink_api::outcomes::{
    OutcomeDeliveriesQuery, OutcomeDeliveryPage, OutcomeDeliveryView, OutcomeEndpointRequest,
    OutcomeEndpointSecret, OutcomeEndpointView,
};
use doorlink_api::routes;
use doorlink_core::LocationId;
use doorlink_core::outcome::{Outcome, PingOutcome, TYPES};
use doorlink_store::{
    DeliveryStatus, NewOutcomeEndpoint, OutcomeDelivery, OutcomeDeliveryId, OutcomeEndpoint,
    OutcomeEndpointId, SecretValue,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Admin;
use crate::auth::sessions::new_token;
use crate::error::{ApiError, ApiResult};
use crate::routes::validate::Problems;
use crate::routes::{Body, Path, Query};
use crate::state::AppState;

/// The longest endpoint URL taken.
const MAX_URL_CHARS: usize = 2000;
/// The longest description taken.
const MAX_DESCRIPTION_CHARS: usize = 200;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(update_endpoint, remove_endpoint))
        .routes(routes!(replace_secret))
        .routes(routes!(send_test))
        .routes(routes!(list_deliveries))
        .routes(routes!(send_again))
}

fn endpoint_view(endpoint: &OutcomeEndpoint) -> OutcomeEndpointView {
    OutcomeEndpointView {
        id: endpoint.id.0,
        url: endpoint.url.clone(),
        description: endpoint.description.clone(),
        events: endpoint.events.clone(),
        location_id: endpoint.location.map(|l| l.0),
        enabled: endpoint.enabled,
        created_at: endpoint.created_at,
        pending: endpoint.pending,
        failed: endpoint.failed,
        last_delivered_at: endpoint.last_delivered_at,
    }
}

fn delivery_view(delivery: &OutcomeDelivery) -> OutcomeDeliveryView {
    OutcomeDeliveryView {
        id: delivery.id.0,
        endpoint_id: delivery.endpoint.0,
        event_id: delivery.event_id.clone(),
        event_type: delivery.event_type.clone(),
        location_id: delivery.location.0,
        status: delivery.status.as_text().to_owned(),
        attempts: delivery.attempts,
        last_status_code: delivery.last_status_code,
        last_error: delivery.last_error.clone(),
        next_attempt_at: delivery.next_attempt_at,
        created_at: delivery.created_at,
        delivered_at: delivery.delivered_at,
        body: delivery.body.clone(),
    }
}

/// Checks a request at the edge: every refused field is named, nothing is written.
async fn checked(
    state: &AppState,
    request: &OutcomeEndpointRequest,
) -> ApiResult<NewOutcomeEndpoint> {
    let mut problems = Problems::new();
    let url = request.url.trim();
    if url.chars().count() > MAX_URL_CHARS {
        problems.add("url", format!("must be at most {MAX_URL_CHARS} characters"));
    } else {
        match url::Url::parse(url) {
            Err(error) => problems.add(
                "url",
                format!("must be a whole address such as https://example.com/doorlink ({error})"),
            ),
            Ok(parsed) if !matches!(parsed.scheme(), "https" | "http") => {
                problems.add("url", "must start with https:// (or http://)");
            }
            Ok(parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
                problems.add(
                    "url",
                    "must not carry a user name or password: each delivery is signed instead",
                );
            }
            Ok(_) => {}
        }
    }
    let description = request.description.trim();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        problems.add(
            "description",
            format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
        );
    }
    let mut events = BTreeSet::new();
    for event in &request.events {
        if TYPES.contains(&event.as_str()) {
            events.insert(event.clone());
        } else {
            problems.add(
                "events",
                format!(
                    "{:?} is not an outcome event; the events are {}",
                    truncated(event),
                    TYPES.join(", ")
                ),
            );
        }
    }
    if request.events.is_empty() {
        problems.add(
            "events",
            format!("must name at least one of {}", TYPES.join(", ")),
        );
    }
    if let Some(location) = request.location_id {
        problems.found(
            "location_id",
            state.store().locations().get(LocationId(location)).await,
        )?;
    }
    problems.finish()?;
    Ok(NewOutcomeEndpoint {
        url: url.to_owned(),
        description: description.to_owned(),
        events: events.into_iter().collect(),
        location: request.location_id.map(LocationId),
        enabled: request.enabled,
    })
}

/// What a refusal may quote of a hostile value.
fn truncated(text: &str) -> String {
    text.chars().take(40).collect()
}

fn no_endpoint(id: i64) -> ApiError {
    ApiError::NotFound(format!("outcome endpoint {id} does not exist"))
}

#[utoipa::path(get, path = routes::OUTCOME_ENDPOINTS, tag = "outcome-webhooks",
    responses((status = 200, body = [OutcomeEndpointView]), (status = 403, body = ErrorBody)))]
async fn list_endpoints(
    State(state): State<AppState>,
    _: Admin,
) -> ApiResult<Json<Vec<OutcomeEndpointView>>> {
    let endpoints = state.store().outcomes().endpoints().await?;
    Ok(Json(endpoints.iter().map(endpoint_view).collect()))
}

/// Registers an endpoint; its secret is answered this once.
#[utoipa::path(post, path = routes::OUTCOME_ENDPOINTS, tag = "outcome-webhooks",
    request_body = OutcomeEndpointRequest,
    responses((status = 201, body = OutcomeEndpointSecret), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_endpoint(
    State(state): State<AppState>,
    _: Admin,
    Body(request): Body<OutcomeEndpointRequest>,
) -> ApiResult<(StatusCode, Json<OutcomeEndpointSecret>)> {
    let new = checked(&state, &request).await?;
    let secret = new_token();
    let endpoint = state
        .store()
        .outcomes()
        .create_endpoint(&new, &SecretValue::new(secret.clone()))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(OutcomeEndpointSecret {
            endpoint: endpoint_view(&endpoint),
            secret,
        }),
    ))
}

#[utoipa::path(put, path = routes::OUTCOME_ENDPOINTS_ID, tag = "outcome-webhooks",
    params(("id" = i64, Path, description = "Endpoint id")), request_body = OutcomeEndpointRequest,
    responses((status = 200, body = OutcomeEndpointView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_endpoint(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(request): Body<OutcomeEndpointRequest>,
) -> ApiResult<Json<OutcomeEndpointView>> {
    let new = checked(&state, &request).await?;
    let endpoint = state
        .store()
        .outcomes()
        .update_endpoint(OutcomeEndpointId(id), &new)
        .await?
        .ok_or_else(|| no_endpoint(id))?;
    Ok(Json(endpoint_view(&endpoint)))
}

/// Removes an endpoint with its secret and delivery log; undelivered events are dropped.
#[utoipa::path(delete, path = routes::OUTCOME_ENDPOINTS_ID, tag = "outcome-webhooks",
    params(("id" = i64, Path, description = "Endpoint id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove_endpoint(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    if state
        .store()
        .outcomes()
        .remove_endpoint(OutcomeEndpointId(id))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(no_endpoint(id))
    }
}

/// A new secret, answered this once; the old one stops signing at once.
#[utoipa::path(post, path = routes::OUTCOME_ENDPOINTS_ID_SECRET, tag = "outcome-webhooks",
    params(("id" = i64, Path, description = "Endpoint id")),
    responses((status = 200, body = OutcomeEndpointSecret), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn replace_secret(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<OutcomeEndpointSecret>> {
    let secret = new_token();
    let outcomes = state.store().outcomes();
    if !outcomes
        .replace_secret(OutcomeEndpointId(id), &SecretValue::new(secret.clone()))
        .await?
    {
        return Err(no_endpoint(id));
    }
    let endpoint = outcomes
        .endpoint(OutcomeEndpointId(id))
        .await?
        .ok_or_else(|| no_endpoint(id))?;
    Ok(Json(OutcomeEndpointSecret {
        endpoint: endpoint_view(&endpoint),
        secret,
    }))
}

/// Queues a `ping` event for this endpoint only.
#[utoipa::path(post, path = routes::OUTCOME_ENDPOINTS_ID_TEST, tag = "outcome-webhooks",
    params(("id" = i64, Path, description = "Endpoint id")),
    responses((status = 200, body = OutcomeDeliveryView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn send_test(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<OutcomeDeliveryView>> {
    let outcomes = state.store().outcomes();
    let endpoint = outcomes
        .endpoint(OutcomeEndpointId(id))
        .await?
        .ok_or_else(|| no_endpoint(id))?;
    let location = match endpoint.location {
        Some(location) => location,
        None => state
            .store()
            .locations()
            .list()
            .await?
            .first()
            .map(|l| l.id)
            .ok_or_else(|| {
                ApiError::Conflict("there is no location yet: a test event names one".into())
            })?,
    };
    let delivery = outcomes
        .queue_for(
            endpoint.id,
            location,
            &format!("ping {id} {}", new_token()),
            Outcome::Ping(PingOutcome {
                message: "A test event from Doorlink: this endpoint is set up.".into(),
            }),
        )
        .await?
        .ok_or_else(|| no_endpoint(id))?;
    state.outcome_bell().ring();
    Ok(Json(delivery_view(&delivery)))
}

/// The delivery log of an endpoint, newest first.
#[utoipa::path(get, path = routes::OUTCOME_ENDPOINTS_ID_DELIVERIES, tag = "outcome-webhooks",
    params(("id" = i64, Path, description = "Endpoint id"), OutcomeDeliveriesQuery),
    responses((status = 200, body = OutcomeDeliveryPage), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_deliveries(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Query(query): Query<OutcomeDeliveriesQuery>,
) -> ApiResult<Json<OutcomeDeliveryPage>> {
    let mut problems = Problems::new();
    let status = match query.status.as_deref() {
        None => None,
        Some(text) => {
            let status = DeliveryStatus::from_text(text);
            if status.is_none() {
                problems.add("status", "must be pending, delivered or failed");
            }
            status
        }
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        problems.add("limit", format!("must be between 1 and {MAX_PAGE_SIZE}"));
    }
    problems.finish()?;
    let outcomes = state.store().outcomes();
    outcomes
        .endpoint(OutcomeEndpointId(id))
        .await?
        .ok_or_else(|| no_endpoint(id))?;
    let deliveries = outcomes
        .deliveries(
            OutcomeEndpointId(id),
            status,
            query.before.map(OutcomeDeliveryId),
            limit,
        )
        .await?;
    let full = deliveries.len() == usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(Json(OutcomeDeliveryPage {
        next_before: deliveries.last().filter(|_| full).map(|d| d.id.0),
        deliveries: deliveries.iter().map(delivery_view).collect(),
    }))
}

/// "Send again": the delivery is queued at once with the same event id (its idempotency key).
#[utoipa::path(post, path = routes::OUTCOME_DELIVERIES_ID_SEND_AGAIN, tag = "outcome-webhooks",
    params(("id" = i64, Path, description = "Delivery id")),
    responses((status = 200, body = OutcomeDeliveryView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn send_again(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<OutcomeDeliveryView>> {
    let delivery = state
        .store()
        .outcomes()
        .send_again(OutcomeDeliveryId(id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("outcome delivery {id} does not exist")))?;
    state.outcome_bell().ring();
    Ok(Json(delivery_view(&delivery)))
}
