//! A person's Kisi account at a location: hold (R14), disconnect or delete (R15), reconnect.
//! Front-desk work: staff only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorlink_api::common::Done;
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::kisi_users::{
    DisconnectMode as WireMode, DisconnectPersonRequest, KisiAccountView,
};
use doorlink_core::{DisconnectMode, LocationId, PersonId};
use doorlink_store::OutboxScope;
use doorlink_sync::SyncError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::error::ApiResult;
use crate::routes::Path;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(kisi_account))
        .routes(routes!(hold, release_hold))
        .routes(routes!(disconnect_person))
        .routes(routes!(reconnect_person))
        .routes(routes!(resync_person))
}

fn wire_mode(mode: DisconnectMode) -> WireMode {
    match mode {
        DisconnectMode::KeepKisiUser => WireMode::KeepKisiUser,
        DisconnectMode::DeleteKisiUser => WireMode::DeleteKisiUser,
    }
}

async fn account_view(
    state: &AppState,
    location: LocationId,
    person: PersonId,
    message: String,
) -> ApiResult<KisiAccountView> {
    state.store().locations().get(location).await?;
    state.store().people().get(person).await?;
    let facts = state.store().load_person_facts(location, person).await?;
    Ok(KisiAccountView {
        location_id: location.0,
        person_id: person.0,
        on_hold_since: facts.hold_of(person).map(|h| h.since),
        disconnected: facts.disconnection_of(person).map(wire_mode),
        message,
    })
}

/// After staff changed how Doorlink manages the person's Kisi account (R14, R15): tells open
/// pages and answers with the account and what the change does, in `message`.
async fn changed<T>(
    state: &AppState,
    (location, person): (LocationId, PersonId),
    write: impl Future<Output = doorlink_store::Result<T>>,
    message: &str,
) -> ApiResult<Json<KisiAccountView>> {
    write.await?;
    state.changed(
        ChangeKind::KisiAccountChanged,
        Some(location),
        [person],
        Some(person.0),
    );
    let view = account_view(state, location, person, message.to_owned()).await?;
    Ok(Json(view))
}

#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI, tag = "kisi_users",
    params(("location_id" = i64, Path, description = "Location id"), ("person_id" = i64, Path, description = "Person id")),
    responses((status = 200, body = KisiAccountView), (status = 404, body = ErrorBody)))]
async fn kisi_account(
    State(state): State<AppState>,
    _: Staff,
    Path((location, person)): Path<(i64, i64)>,
) -> ApiResult<Json<KisiAccountView>> {
    let view = account_view(
        &state,
        LocationId(location),
        PersonId(person),
        String::new(),
    )
    .await?;
    Ok(Json(view))
}

/// R14: all the person's grants are revoked in Kisi but kept in Doorlink.
#[utoipa::path(post, path = doorlink_api::routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_HOLD, tag = "kisi_users",
    params(("location_id" = i64, Path, description = "Location id"), ("person_id" = i64, Path, description = "Person id")),
    responses((status = 200, body = KisiAccountView), (status = 404, body = ErrorBody)))]
async fn hold(
    State(state): State<AppState>,
    _: Staff,
    Path(at): Path<(LocationId, PersonId)>,
) -> ApiResult<Json<KisiAccountView>> {
    let message = "Door access is on hold: Doorlink revokes the person's grants in Kisi and keeps them here until re-enabled.";
    changed(&state, at, state.store().holds().hold(at.0, at.1), message).await
}

/// R14: re-enabling restores every grant.
#[utoipa::path(delete, path = doorlink_api::routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_HOLD, tag = "kisi_users",
    params(("location_id" = i64, Path, description = "Location id"), ("person_id" = i64, Path, description = "Person id")),
    responses((status = 200, body = KisiAccountView), (status = 404, body = ErrorBody)))]
async fn release_hold(
    State(state): State<AppState>,
    _: Staff,
    Path(at): Path<(LocationId, PersonId)>,
) -> ApiResult<Json<KisiAccountView>> {
    let message = "Door access re-enabled: Doorlink writes the person's grants to Kisi again.";
    changed(
        &state,
        at,
        state.store().holds().release_hold(at.0, at.1),
        message,
    )
    .await
}

/// R15: stop managing the person in Kisi (the Kisi user stays), or delete the Kisi user Doorlink
/// created.
#[utoipa::path(post, path = doorlink_api::routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_DISCONNECT, tag = "kisi_users",
    params(("location_id" = i64, Path, description = "Location id"), ("person_id" = i64, Path, description = "Person id")),
    request_body = DisconnectPersonRequest,
    responses((status = 200, body = KisiAccountView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn disconnect_person(
    State(state): State<AppState>,
    _: Staff,
    Path(at): Path<(LocationId, PersonId)>,
    crate::routes::Body(request): crate::routes::Body<DisconnectPersonRequest>,
) -> ApiResult<Json<KisiAccountView>> {
    let (mode, message) = match request.mode {
        WireMode::KeepKisiUser => (
            DisconnectMode::KeepKisiUser,
            "Doorlink no longer manages this person's Kisi account; the Kisi user and what it holds stay in Kisi.",
        ),
        WireMode::DeleteKisiUser => (
            DisconnectMode::DeleteKisiUser,
            "Doorlink deletes the Kisi user it created for this person (a user it did not create is left in place).",
        ),
    };
    changed(
        &state,
        at,
        state
            .store()
            .kisi_disconnections()
            .disconnect_person(at.0, at.1, mode),
        message,
    )
    .await
}

/// Undoes a disconnect: Doorlink manages the person in Kisi again.
#[utoipa::path(post, path = doorlink_api::routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_RECONNECT, tag = "kisi_users",
    params(("location_id" = i64, Path, description = "Location id"), ("person_id" = i64, Path, description = "Person id")),
    responses((status = 200, body = KisiAccountView), (status = 404, body = ErrorBody)))]
async fn reconnect_person(
    State(state): State<AppState>,
    _: Staff,
    Path(at): Path<(LocationId, PersonId)>,
) -> ApiResult<Json<KisiAccountView>> {
    let message = "Doorlink manages this person's Kisi account again.";
    changed(
        &state,
        at,
        state
            .store()
            .kisi_disconnections()
            .reconnect_person(at.0, at.1),
        message,
    )
    .await
}

/// The "repair" button beside an explanation: re-evaluates the person at the location now and
/// writes the difference to Kisi, instead of waiting for the next change or reconcile. The
/// person's Kisi user and role assignments are re-read from Kisi first (two calls), so what was
/// deleted by hand in Kisi is granted again; the plan and its writes then run in the worker, and
/// the answer comes at once (202; 502 when Kisi could not be read); the live events tell the page
/// when the sync ran.
#[utoipa::path(post, path = doorlink_api::routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_RESYNC, tag = "kisi_users",
    params(("location_id" = i64, Path, description = "Location id"), ("person_id" = i64, Path, description = "Person id")),
    responses((status = 202, body = Done), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
async fn resync_person(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path((location, person)): Path<(i64, i64)>,
) -> ApiResult<(StatusCode, Json<Done>)> {
    let location = state.store().locations().get(LocationId(location)).await?;
    let person = state.store().people().get(PersonId(person)).await?;
    // What Kisi holds for them first (an assignment deleted by hand in Kisi is still in the
    // mirror); a location without a usable Kisi connection has nothing to re-read, and its
    // outbox entry reports why, as every sync does.
    match state
        .sync()
        .engine()
        .refresh_person_from_kisi(location.id, person.id)
        .await
    {
        Ok(refresh) => tracing::info!(
            location = location.id.0,
            person = person.id.0,
            assignments_gone = refresh.assignments_gone,
            user_gone = refresh.user_gone,
            "re-read the person from Kisi before re-syncing"
        ),
        Err(SyncError::NotConnected { .. } | SyncError::Disconnected { .. }) => {}
        Err(error) => return Err(error.into()),
    }
    let reason = format!("re-sync asked for by {}", user.account.email);
    state
        .store()
        .outbox()
        .enqueue(
            OutboxScope::Person {
                location: location.id,
                person: person.id,
            },
            &reason,
        )
        .await?;
    state.changed(
        ChangeKind::SyncChanged,
        Some(location.id),
        [person.id],
        Some(person.id.0),
    );
    tracing::info!(
        location = location.id.0,
        person = person.id.0,
        "re-sync enqueued"
    );
    Ok((
        StatusCode::ACCEPTED,
        Json(Done {
            message: format!(
                "{} at {} is being re-synced with Kisi now",
                person.name, location.name
            ),
        }),
    ))
}
