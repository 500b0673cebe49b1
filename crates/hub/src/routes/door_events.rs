//! Door events (issue 15): Kisi's signed webhook deliveries in, the admin's webhook set-up, and
//! staff's list of what happened at the doors.
//!
//! A delivery is kept only when its `X-Signature` is the HMAC-SHA256 of the body under the
//! location's webhook secret (Kisi's "Event Webhook" integration, docs.kisi.io "Track unlocks
//! using webhooks"; the digest's spelling is not documented: hex or base64 is taken). Anything else is
//! refused before the body is read as JSON, and nothing is written. Kisi may deliver an event
//! twice: the second is answered like the first and kept once.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use doorlink_api::common::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use doorlink_api::door_events::{
    BackfillView, DoorEventPage, DoorEventView, DoorEventsQuery, KisiWebhookSetUp, KisiWebhookView,
    WebhookReceipt,
};
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::routes;
use doorlink_core::{LocationId, PersonId};
use doorlink_store::{
    DoorEvent, DoorEventId, DoorEventQuery, EventSource, KisiWebhook, SecretValue, Store,
    StoreError,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::sessions::new_token;
use crate::auth::{Admin, Staff};
use crate::error::{ApiError, ApiResult};
use crate::routes::validate::Problems;
use crate::routes::{Path, Query};
use crate::signing::verify;
use crate::state::AppState;

/// The header Kisi signs its deliveries in.
pub(crate) const SIGNATURE_HEADER: &str = "x-signature";

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receive))
        .routes(routes!(get_webhook, set_up_webhook, remove_webhook))
        .routes(routes!(backfill))
        .routes(routes!(list_door_events))
}

/// Whether `signature` is the HMAC-SHA256 of `body` under `secret`, compared in constant time.
/// Kisi's docs name the HMAC but not how the digest is written: lowercase hex is assumed, and
/// base64 is taken too (docs/kisi-api.md), so neither guess locks Kisi out.
pub(crate) fn signature_matches(secret: &str, body: &[u8], signature: &str) -> bool {
    use base64::Engine as _;
    let signature = signature.trim();
    let Some(digest) = hex::decode(signature).ok().or_else(|| {
        base64::engine::general_purpose::STANDARD
            .decode(signature)
            .ok()
    }) else {
        return false;
    };
    verify(secret, body, &digest)
}

/// Sets up (or replaces) the Kisi webhook of `location` with a new random secret (32 bytes, hex):
/// the one place a webhook secret is made. Answers the webhook and the secret, to be shown once.
pub async fn set_up_kisi_webhook(
    store: &Store,
    location: LocationId,
) -> Result<(KisiWebhook, String), StoreError> {
    let secret = new_token();
    let webhook = store
        .kisi_webhooks()
        .set_up(location, &SecretValue::new(secret.clone()))
        .await?;
    Ok((webhook, secret))
}

/// Where Kisi delivers the events of `location`, below the hub's address.
pub fn kisi_webhook_path(location: LocationId) -> String {
    routes::KISI_WEBHOOKS_LOCATION.replace("{location}", &location.0.to_string())
}

/// A delivery from Kisi's "Event Webhook" integration: one event, signed.
#[utoipa::path(post, path = routes::KISI_WEBHOOKS_LOCATION, tag = "door-events",
    params(("location" = i64, Path, description = "Location id")),
    request_body(content = String, description = "Kisi's event payload (JSON), signed in X-Signature"),
    responses((status = 200, body = WebhookReceipt), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn receive(
    State(state): State<AppState>,
    Path(location): Path<i64>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<WebhookReceipt>> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                limit_bytes: crate::MAX_BODY_BYTES,
            }
        } else {
            ApiError::field("body", rejection.body_text())
        }
    })?;
    let location = LocationId(location);
    let secret = state
        .store()
        .kisi_webhooks()
        .secret(location)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "location {} has no Kisi event webhook set up: an admin sets one up on the \
                 location's Kisi page",
                location.0
            ))
        })?;
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !signature_matches(secret.expose(), &body, signature) {
        tracing::warn!(
            location = location.0,
            signed = !signature.is_empty(),
            "refused a Kisi webhook delivery whose signature does not match"
        );
        return Err(ApiError::Unauthenticated(
            "X-Signature is missing or is not the HMAC-SHA256 of the body under this location's \
             webhook secret: nothing was kept. Check the signature key of Kisi's Event Webhook \
             integration"
                .to_owned(),
        ));
    }
    let event: kisi::Event = serde_json::from_slice(&body).map_err(|error| {
        ApiError::field(
            "body",
            format!("is not a Kisi event (uuid, type, created_at, …): {error}"),
        )
    })?;
    let event = doorlink_sync::door_event(&event)
        .map_err(|problem| ApiError::field(problem.field, problem.reason))?;
    let recorded = state
        .store()
        .door_events()
        .record(location, EventSource::Webhook, &[event])
        .await?;
    if recorded.stored > 0 {
        state.notify(
            ChangeKind::DoorEventsChanged,
            Some(location),
            recorded.people.iter().copied(),
            None,
        );
    }
    Ok(Json(WebhookReceipt {
        stored: recorded.stored,
        duplicates: recorded.duplicates,
        elsewhere: recorded.elsewhere,
    }))
}

async fn webhook_view(state: &AppState, webhook: &KisiWebhook) -> ApiResult<KisiWebhookView> {
    let events = state.store().door_events();
    let path = kisi_webhook_path(webhook.location);
    Ok(KisiWebhookView {
        location_id: webhook.location.0,
        url: state
            .config()
            .public_url
            .as_deref()
            .map(|public| format!("{}{path}", public.trim_end_matches('/'))),
        path,
        created_at: webhook.created_at,
        backfilled_through: webhook.backfilled_through,
        events_kept: events.count(webhook.location).await?,
        latest_event_at: events.latest(webhook.location).await?,
    })
}

#[utoipa::path(get, path = routes::LOCATIONS_ID_KISI_WEBHOOK, tag = "door-events",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = KisiWebhookView), (status = 404, body = ErrorBody)))]
async fn get_webhook(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<KisiWebhookView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let webhook = state
        .store()
        .kisi_webhooks()
        .get(location.id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("location {id} has no Kisi event webhook yet"))
        })?;
    Ok(Json(webhook_view(&state, &webhook).await?))
}

/// Sets up the webhook with a new secret, shown this once; a previous secret stops working at
/// once (Kisi's integration must be given the new one).
#[utoipa::path(post, path = routes::LOCATIONS_ID_KISI_WEBHOOK, tag = "door-events",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = KisiWebhookSetUp), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn set_up_webhook(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<KisiWebhookSetUp>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let (webhook, secret) = set_up_kisi_webhook(state.store(), location.id).await?;
    state.notify(
        ChangeKind::KisiConnectionChanged,
        Some(location.id),
        [],
        None,
    );
    Ok(Json(KisiWebhookSetUp {
        webhook: webhook_view(&state, &webhook).await?,
        secret,
    }))
}

#[utoipa::path(delete, path = routes::LOCATIONS_ID_KISI_WEBHOOK, tag = "door-events",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove_webhook(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let location = state.store().locations().get(LocationId(id)).await?;
    state.store().kisi_webhooks().remove(location.id).await?;
    state.notify(
        ChangeKind::KisiConnectionChanged,
        Some(location.id),
        [],
        None,
    );
    Ok(StatusCode::NO_CONTENT)
}

/// Reads Kisi's events list now for deliveries that never came (after the hub or Kisi was down);
/// the hub also does it every few minutes.
#[utoipa::path(post, path = routes::LOCATIONS_ID_KISI_WEBHOOK_BACKFILL, tag = "door-events",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = BackfillView), (status = 404, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
async fn backfill(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<BackfillView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    if state
        .store()
        .kisi_webhooks()
        .get(location.id)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound(format!(
            "location {id} has no Kisi event webhook set up: set one up first"
        )));
    }
    let done = state
        .sync()
        .engine()
        .backfill_door_events(location.id)
        .await?;
    if done.recorded.stored > 0 {
        state.notify(
            ChangeKind::DoorEventsChanged,
            Some(location.id),
            done.recorded.people.iter().copied(),
            None,
        );
    }
    Ok(Json(BackfillView {
        listed: done.listed,
        stored: done.recorded.stored,
        duplicates: done.recorded.duplicates,
        elsewhere: done.recorded.elsewhere,
        complete: done.complete,
    }))
}

fn event_view(event: DoorEvent) -> DoorEventView {
    DoorEventView {
        id: event.id.0,
        uuid: event.uuid,
        kind: event.kind,
        opened: event.opened,
        kisi_lock_id: event.kisi_lock_id,
        lock_name: event.lock_name,
        actor_type: event.actor_type,
        actor_name: event.actor_name,
        person_id: event.person.map(|p| p.0),
        person_name: event.person_name,
        error_code: event.error_code,
        error_message: event.error_message,
        occurred_at: event.occurred_at,
        received_at: event.received_at,
        source: match event.source {
            EventSource::Webhook => "webhook",
            EventSource::Backfill => "backfill",
        }
        .to_owned(),
    }
}

/// What happened at the location's doors, newest first.
#[utoipa::path(get, path = routes::LOCATIONS_ID_DOOR_EVENTS, tag = "door-events",
    params(("id" = i64, Path, description = "Location id"), DoorEventsQuery),
    responses((status = 200, body = DoorEventPage), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn list_door_events(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Query(query): Query<DoorEventsQuery>,
) -> ApiResult<Json<DoorEventPage>> {
    let mut problems = Problems::new();
    for (field, id) in [("person_id", query.person_id), ("before", query.before)] {
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
    if let (Some(from), Some(to)) = (query.from, query.to)
        && to <= from
    {
        problems.add("to", format!("must be after from ({})", from.to_rfc3339()));
    }
    problems.finish()?;
    let location = state.store().locations().get(LocationId(id)).await?;
    let events = state
        .store()
        .door_events()
        .list(
            location.id,
            DoorEventQuery {
                person: query.person_id.map(PersonId),
                from: query.from,
                to: query.to,
                before: query.before.map(DoorEventId),
                limit,
            },
        )
        .await?;
    let next_before = (events.len() == usize::try_from(limit).unwrap_or(usize::MAX))
        .then(|| events.last().map(|event| event.id.0))
        .flatten();
    Ok(Json(DoorEventPage {
        events: events.into_iter().map(event_view).collect(),
        next_before,
    }))
}
