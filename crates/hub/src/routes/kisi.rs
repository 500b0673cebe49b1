//! A location's Kisi connection (C1–C3), its place filter (A2) and directory. Staff read; admins
//! connect, choose the place and disconnect.

use axum::Json;
use axum::extract::State;
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::kisi::{
    ConnectKisiRequest, DisconnectKisiRequest, DisconnectKisiResponse, KisiConnectionView,
    KisiDirectory, KisiGroupView, KisiLockView, KisiPlaceView, SetPlaceRequest,
};
use doorlink_api::locations::LocationView;
use doorlink_core::{KisiPlaceId, LocationId, group_setting_problems};
use doorlink_store::{KisiAuth, KisiConnection, OutboxScope};
use doorlink_sync::{ConnectError, KisiCredentials};
use kisi::{OwnerCredentials, Secret};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Admin, Staff};
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::kisi_status;
use crate::routes::{Body, Path};
use crate::state::AppState;
use crate::sync_bridge;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_connection, connect))
        .routes(routes!(disconnect))
        .routes(routes!(set_place))
        .routes(routes!(directory))
}

/// The connection as staff see it, with Kisi's health for the badge (issue 17).
async fn connection_view(
    state: &AppState,
    connection: &KisiConnection,
    place: Option<KisiPlaceId>,
) -> ApiResult<KisiConnectionView> {
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
    Ok(KisiConnectionView {
        location_id: connection.location.0,
        auth: auth.to_owned(),
        account_email,
        organization_domain,
        base_url: connection.base_url.clone(),
        connected_at: connection.connected_at,
        disconnected_at: connection.disconnected_at,
        kisi_place_id: place.map(|p| p.0),
        health: kisi_status::health(state, connection.location).await?,
    })
}

#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_KISI, tag = "kisi",
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
    Ok(Json(
        connection_view(&state, &connection, location.kisi_place).await?,
    ))
}

/// C1/C2: checks the credential and the account, names each failure, stores the connection
/// (the secret encrypted) and reads the directory of places, groups and locks. Every Kisi call
/// of it is sync's (audited); the hub only reads the form.
#[utoipa::path(post, path = doorlink_api::routes::LOCATIONS_ID_KISI, tag = "kisi",
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
    let (base_url, credentials) = credentials(&request)?;
    let connection = state
        .sync()
        .engine()
        .connect(location.id, &base_url, &credentials)
        .await
        .map_err(|error| connect_failure(error, &request))?;
    state.directory_cache().forget(location.id);
    // Read the directory now so mappings can be chosen at once: connecting enqueued the
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
    Ok(Json(
        connection_view(&state, &connection, location.kisi_place).await?,
    ))
}

/// The longest e-mail, password, domain, key or code the connect form takes.
const MAX_FIELD_CHARS: usize = 1024;

/// The form as sync's credentials, every field checked: the base URL (https; http only to this
/// computer) and what the chosen method needs.
fn credentials(request: &ConnectKisiRequest) -> ApiResult<(String, KisiCredentials)> {
    let base_url = match request {
        ConnectKisiRequest::OwnerLogin { base_url, .. }
        | ConnectKisiRequest::ApiKey { base_url, .. } => base_url.as_deref(),
    };
    let base_url = doorlink_sync::kisi_base_url(base_url.unwrap_or(kisi::DEFAULT_BASE_URL))
        .map_err(|error| ApiError::field("base_url", error.to_string()))?;
    let mut problems = Vec::new();
    let mut text = |field: &'static str, value: &str, required: bool| {
        if required && value.trim().is_empty() {
            problems.push((field, "is required".to_owned()));
        } else if value.chars().count() > MAX_FIELD_CHARS {
            problems.push((
                field,
                format!("must be at most {MAX_FIELD_CHARS} characters"),
            ));
        }
    };
    let credentials = match request {
        ConnectKisiRequest::OwnerLogin {
            email,
            password,
            domain,
            otp_attempt,
            ..
        } => {
            text("email", email, true);
            text("password", password, true);
            text("domain", domain, true);
            let otp_attempt = otp_attempt
                .as_deref()
                .map(str::trim)
                .filter(|code| !code.is_empty());
            text("otp_attempt", otp_attempt.unwrap_or_default(), false);
            KisiCredentials::OwnerLogin {
                credentials: OwnerCredentials {
                    domain: domain.trim().to_owned(),
                    email: email.trim().to_owned(),
                    password: Secret::new(password.clone()),
                },
                otp_attempt: otp_attempt.map(str::to_owned),
            }
        }
        ConnectKisiRequest::ApiKey { api_key, .. } => {
            text("api_key", api_key, true);
            KisiCredentials::ApiKey(Secret::new(api_key.trim()))
        }
    };
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    Ok((base_url, credentials))
}

/// C2: each way a connect fails, with its own message, naming the field to fix. Kisi's own text
/// goes to the log; the admin reads Doorlink's words and Kisi's code.
fn connect_failure(error: ConnectError, request: &ConnectKisiRequest) -> ApiError {
    let credential_field = match request {
        ConnectKisiRequest::OwnerLogin { .. } => "email",
        ConnectKisiRequest::ApiKey { .. } => "api_key",
    };
    match error {
        ConnectError::BaseUrl(problem) => ApiError::field("base_url", problem),
        ConnectError::OwnerLoginRefused => ApiError::fields(vec![
            ("email", "the e-mail, password or domain is wrong, or the e-mail is not the Kisi account owner's".to_owned()),
            ("password", "check the password of the Kisi account owner".to_owned()),
            ("domain", "check the organization's Kisi domain".to_owned()),
            ("otp_attempt", "if the account has two-factor sign-in, enter the current code".to_owned()),
        ]),
        ConnectError::ApiKeyRefused => ApiError::field(
            "api_key",
            "Kisi did not accept this API key; create a new key in Kisi (My account > API) and paste it whole",
        ),
        ConnectError::UnconfirmedEmail => ApiError::field(
            "email",
            "this Kisi user has not confirmed their e-mail address; confirm it in Kisi first",
        ),
        ConnectError::LoginQuotaExceeded => ApiError::Conflict(
            "the Kisi account has too many API connections/logins; remove some in the Kisi dashboard, then connect again"
                .to_owned(),
        ),
        ConnectError::NotOwner => ApiError::field(
            credential_field,
            "this Kisi account is not the owner (or an administrator) of the organization; use the owner's account",
        ),
        ConnectError::Unreachable(error) => {
            tracing::warn!(%error, "Kisi could not be reached to connect");
            ApiError::Kisi {
                code: "unreachable".to_owned(),
                message: "Kisi could not be reached to check the credential; check the base URL and this server's network, then try again".to_owned(),
            }
        }
        ConnectError::Kisi(error) => {
            tracing::warn!(%error, "Kisi refused the connect");
            let code = doorlink_sync::kisi_error_code(&error).unwrap_or_default();
            ApiError::Kisi {
                code: "refused".to_owned(),
                message: format!(
                    "Kisi refused to connect (Kisi code {}); try again later, and if it persists contact Kisi support with this code",
                    if code.is_empty() { "none" } else { code.as_str() }
                ),
            }
        }
        ConnectError::Store(error) => error.into(),
    }
}

/// C3: stops all future grants and revocations. What is in Kisi stays, unless `revoke_all` is
/// chosen explicitly, which revokes everything Doorlink granted at this location.
#[utoipa::path(post, path = doorlink_api::routes::LOCATIONS_ID_KISI_DISCONNECT, tag = "kisi",
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
    state.directory_cache().forget(location.id);
    let note = if request.revoke_all {
        sync_bridge::revoke_everything(&state, location.id).await?
    } else {
        // Once disconnected, this page offers no revoke: the words point where it can still be done.
        "Kisi disconnected. Access Doorlink granted in Kisi stays active until each grant ends; to end it sooner, remove it in the Kisi dashboard."
            .to_owned()
    };
    state.changed(
        ChangeKind::KisiConnectionChanged,
        Some(location.id),
        [],
        None,
    );
    Ok(Json(DisconnectKisiResponse {
        connection: connection_view(&state, &connection, location.kisi_place).await?,
        note,
    }))
}

/// A2: the Kisi place whose locks the Access page shows; `null` = "Not selected" (all places).
#[utoipa::path(put, path = doorlink_api::routes::LOCATIONS_ID_KISI_PLACE, tag = "kisi",
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
/// as Doorlink last read them from Kisi: the location's Kisi directory.
// The path and the operation id keep the wire's older word "catalogue" (wire compatibility).
#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_KISI_CATALOGUE, tag = "kisi", operation_id = "catalogue",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = KisiDirectory), (status = 404, body = ErrorBody)))]
async fn directory(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<KisiDirectory>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let mirror = state.store().kisi_mirror();
    let places = mirror.places(location.id).await?;
    let view = mirror.kisi_view(location.id).await?;
    Ok(Json(KisiDirectory {
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
                app_access: g.app_access,
                primary_device_restriction: g.primary_device_restriction,
                setting_warnings: group_setting_problems(g)
                    .into_iter()
                    .map(|problem| problem.warning(&g.name))
                    .collect(),
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
