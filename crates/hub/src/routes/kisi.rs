//! A location's Kisi connection (C1–C3), its place filter (A2) and catalogue. Staff read; admins
//! connect, choose the place and disconnect.

use axum::Json;
use axum::extract::State;
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::kisi::{
    ConnectKisiRequest, DisconnectKisiRequest, DisconnectKisiResponse, KisiCatalogue,
    KisiConnectionView, KisiGroupView, KisiLockView, KisiPlaceView, SetPlaceRequest,
};
use doorlink_api::locations::LocationView;
use doorlink_core::{KisiPlaceId, LocationId};
use doorlink_store::{KisiAuth, KisiConnection, NewCredential, OutboxScope, SecretValue};
use kisi::{Connection, KisiClient, KisiConfig, KisiError, OwnerCredentials, Secret};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Admin, Staff};
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::routes::{Body, Path};
use crate::state::AppState;
use crate::sync_bridge;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_connection, connect))
        .routes(routes!(disconnect))
        .routes(routes!(set_place))
        .routes(routes!(catalogue))
}

fn connection_view(connection: &KisiConnection, place: Option<KisiPlaceId>) -> KisiConnectionView {
    let (auth, account_email, organization_domain) = match &connection.auth {
        KisiAuth::OwnerLogin {
            account_email,
            organization_domain,
            ..
        } => (
            "owner_login",
            Some(account_email.clone()),
            Some(organization_domain.clone()),
        ),
        KisiAuth::ApiKey => ("api_key", None, None),
    };
    KisiConnectionView {
        location_id: connection.location.0,
        auth: auth.to_owned(),
        account_email,
        organization_domain,
        base_url: connection.base_url.clone(),
        connected_at: connection.connected_at,
        disconnected_at: connection.disconnected_at,
        kisi_place_id: place.map(|p| p.0),
    }
}

#[utoipa::path(get, path = "/api/locations/{id}/kisi", tag = "kisi",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = KisiConnectionView), (status = 404, body = ErrorBody)))]
async fn get_connection(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<KisiConnectionView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let connection = state
        .store()
        .locations()
        .connection(location.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("location {id} has no Kisi connection yet")))?;
    Ok(Json(connection_view(&connection, location.kisi_place)))
}

/// C1/C2: checks the credential and the account, names each failure, stores the connection
/// (the secret encrypted) and reads the catalogue of places, groups and locks.
#[utoipa::path(post, path = "/api/locations/{id}/kisi", tag = "kisi",
    params(("id" = i64, Path, description = "Location id")), request_body = ConnectKisiRequest,
    responses((status = 200, body = KisiConnectionView), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)))]
async fn connect(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(request): Body<ConnectKisiRequest>,
) -> ApiResult<Json<KisiConnectionView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let (base_url, auth, secret) = check_credentials(&state, &request).await?;
    let connection = state
        .store()
        .locations()
        .connect(
            location.id,
            &base_url,
            &auth,
            &NewCredential::Secret(SecretValue::new(secret.expose())),
        )
        .await?;
    state.kisi().forget(location.id);
    state.catalogue_cache().forget(location.id);
    // Read the catalogue now so mappings can be chosen at once: connecting enqueued the
    // location's full reconcile, which runs here as that outbox entry (or is waited for while the
    // worker runs it), never as a second sync beside it (issue 12). A failure here is not a
    // failed connect: the entry keeps its error for the Sync page and is retried.
    match state
        .sync()
        .run_now(OutboxScope::Location(location.id))
        .await
    {
        Ok(true) => {}
        Ok(false) => tracing::warn!(
            location = id,
            "first reconcile after connect not done yet; it stays queued"
        ),
        Err(error) => tracing::warn!(location = id, %error, "first reconcile after connect failed"),
    }
    state.changed(
        ChangeKind::KisiConnectionChanged,
        Some(location.id),
        [],
        None,
    );
    Ok(Json(connection_view(&connection, location.kisi_place)))
}

/// The base URL, how Doorlink is signed in, and the secret to keep — or the C2 failure, named.
async fn check_credentials(
    state: &AppState,
    request: &ConnectKisiRequest,
) -> ApiResult<(String, KisiAuth, Secret)> {
    let base_url = match request {
        ConnectKisiRequest::OwnerLogin { base_url, .. }
        | ConnectKisiRequest::ApiKey { base_url, .. } => base_url
            .clone()
            .unwrap_or_else(|| kisi::DEFAULT_BASE_URL.to_owned()),
    };
    let connection = Connection {
        base_url: base_url.clone(),
        ..state.config().sync.kisi.clone()
    };
    match request {
        ConnectKisiRequest::OwnerLogin {
            email,
            password,
            domain,
            ..
        } => {
            let mut missing = Vec::new();
            for (field, value) in [("email", email), ("password", password), ("domain", domain)] {
                if value.trim().is_empty() {
                    missing.push((
                        field,
                        "is required to connect with the owner's sign-in".to_owned(),
                    ));
                }
            }
            if !missing.is_empty() {
                return Err(ApiError::fields(missing));
            }
            let credentials = OwnerCredentials {
                domain: domain.trim().to_owned(),
                email: email.trim().to_owned(),
                password: Secret::new(password.clone()),
            };
            let (login, client) = KisiClient::sign_in(connection, &credentials)
                .await
                .map_err(|error| owner_login_failure(error, &base_url))?;
            check_owner(&client, "email").await?;
            let auth = KisiAuth::OwnerLogin {
                account_email: credentials.email,
                organization_domain: credentials.domain,
                kisi_login_id: Some(login.id.0),
            };
            Ok((base_url, auth, login.secret))
        }
        ConnectKisiRequest::ApiKey { api_key, .. } => {
            if api_key.trim().is_empty() {
                return Err(ApiError::field("api_key", "is required"));
            }
            let secret = Secret::new(api_key.trim());
            let client = KisiClient::new(KisiConfig {
                connection,
                credential: secret.clone(),
            })
            .map_err(|error| ApiError::field("base_url", error.to_string()))?;
            client.current_user().await.map_err(|error| match error {
                KisiError::Unauthorized { .. } => ApiError::field(
                    "api_key",
                    "Kisi did not accept this API key; create a new key in Kisi (My account > API) and paste it whole",
                ),
                other => unreachable_kisi(&other, &base_url),
            })?;
            check_owner(&client, "api_key").await?;
            Ok((base_url, KisiAuth::ApiKey, secret))
        }
    }
}

/// C2: each way an owner sign-in fails, with its own message.
fn owner_login_failure(error: KisiError, base_url: &str) -> ApiError {
    match error {
        KisiError::Unauthorized { .. } => ApiError::fields(vec![
            ("email", "the e-mail, password or domain is wrong, or the e-mail is not the Kisi account owner's".to_owned()),
            ("password", "check the password of the Kisi account owner".to_owned()),
            ("domain", "check the organization's Kisi domain".to_owned()),
        ]),
        KisiError::UnconfirmedEmail { .. } => ApiError::field(
            "email",
            "this Kisi user has not confirmed their e-mail address; confirm it in Kisi first",
        ),
        KisiError::LoginQuotaExceeded { .. } => ApiError::Conflict(
            "the Kisi account has too many API connections/logins (10 at most); remove some in the Kisi dashboard, then connect again"
                .to_owned(),
        ),
        KisiError::InvalidConfig { detail } => ApiError::field("base_url", detail),
        other => unreachable_kisi(&other, base_url),
    }
}

fn unreachable_kisi(error: &KisiError, base_url: &str) -> ApiError {
    ApiError::Kisi {
        code: "unreachable".to_owned(),
        message: format!("could not check the credential with Kisi at {base_url}: {error}"),
    }
}

/// C2: only the owner (or an administrator) can read and manage groups; anyone else gets 403.
async fn check_owner(client: &KisiClient, field: &str) -> ApiResult<()> {
    match client.groups(&[]).await {
        Ok(_) => Ok(()),
        Err(KisiError::Forbidden { .. }) => Err(ApiError::field(
            field,
            "this Kisi account is not the owner (or an administrator) of the organization; use the owner's account",
        )),
        Err(other) => Err(other.into()),
    }
}

/// C3: stops all future grants and revocations. What is in Kisi stays, unless `revoke_all` is
/// chosen explicitly, which revokes everything Doorlink granted at this location.
#[utoipa::path(post, path = "/api/locations/{id}/kisi/disconnect", tag = "kisi",
    params(("id" = i64, Path, description = "Location id")), request_body = DisconnectKisiRequest,
    responses((status = 200, body = DisconnectKisiResponse), (status = 404, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
async fn disconnect(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(request): Body<DisconnectKisiRequest>,
) -> ApiResult<Json<DisconnectKisiResponse>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let connection = state.sync().engine().disconnect(location.id).await?;
    state.kisi().forget(location.id);
    state.catalogue_cache().forget(location.id);
    let note = if request.revoke_all {
        sync_bridge::revoke_everything(&state, location.id).await?
    } else {
        "Access already granted in Kisi stays active; revoke it in the Kisi dashboard, or disconnect again with \"revoke everything Doorlink granted\"."
            .to_owned()
    };
    state.changed(
        ChangeKind::KisiConnectionChanged,
        Some(location.id),
        [],
        None,
    );
    Ok(Json(DisconnectKisiResponse {
        connection: connection_view(&connection, location.kisi_place),
        note,
    }))
}

/// A2: the Kisi place whose locks the Access page shows; `null` = "Not selected" (all places).
#[utoipa::path(put, path = "/api/locations/{id}/kisi/place", tag = "kisi",
    params(("id" = i64, Path, description = "Location id")), request_body = SetPlaceRequest,
    responses((status = 200, body = LocationView), (status = 422, body = ErrorBody)))]
async fn set_place(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(request): Body<SetPlaceRequest>,
) -> ApiResult<Json<LocationView>> {
    let mut location = state.store().locations().get(LocationId(id)).await?;
    if let Some(place) = request.place_id {
        let places = state.store().kisi_mirror().places(location.id).await?;
        if !places.is_empty() && !places.iter().any(|p| p.id.0 == place) {
            let known: Vec<String> = places
                .iter()
                .map(|p| format!("{} ({})", p.id, p.name))
                .collect();
            return Err(ApiError::field(
                "place_id",
                format!(
                    "place {place} is not in this location's Kisi account; choose one of {} or null",
                    known.join(", ")
                ),
            ));
        }
    }
    location.kisi_place = request.place_id.map(KisiPlaceId);
    let saved = state.store().locations().update(&location).await?;
    state.changed(
        ChangeKind::LocationChanged,
        Some(saved.id),
        [],
        Some(saved.id.0),
    );
    Ok(Json(convert::location(&saved)))
}

/// The places, groups (with restriction flags, C4 deletions and M8 foreign members) and locks
/// as Doorlink last read them from Kisi.
#[utoipa::path(get, path = "/api/locations/{id}/kisi/catalogue", tag = "kisi",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = KisiCatalogue), (status = 404, body = ErrorBody)))]
async fn catalogue(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<KisiCatalogue>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let mirror = state.store().kisi_mirror();
    let places = mirror.places(location.id).await?;
    let view = mirror.kisi_view(location.id).await?;
    Ok(Json(KisiCatalogue {
        places: places
            .iter()
            .map(|p| KisiPlaceView {
                id: p.id.0,
                name: p.name.clone(),
            })
            .collect(),
        groups: view
            .groups
            .values()
            .map(|g| KisiGroupView {
                id: g.id.0,
                name: g.name.clone(),
                lock_ids: g.locks.iter().map(|l| l.0).collect(),
                reader_restriction: g.reader_restriction,
                geofence_restriction: g.geofence_restriction,
                time_restriction: g.time_restriction,
                deleted: g.deleted,
                foreign_members: g.foreign_members,
            })
            .collect(),
        locks: view
            .locks
            .values()
            .map(|l| KisiLockView {
                id: l.id.0,
                name: l.name.clone(),
                place_id: l.place.map(|p| p.0),
                reader_restriction: l.reader_restriction,
                geofence_restriction: l.geofence_restriction,
                time_restriction: l.time_restriction,
            })
            .collect(),
    }))
}
