//! The person's own Kisi login, for the desktop app to unlock straight with Kisi (A4).

use axum::Json;
use axum::extract::State;
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{KisiLoginView, LocationFilter};
use doorlink_core::LocationId;

use crate::auth::Member;
use crate::error::{ApiError, ApiResult};
use crate::routes::{Query, filtered_locations};
use crate::state::AppState;

/// The person's own Kisi login for the desktop app, created on their behalf with the admin
/// credential; the desktop keeps it in the OS keychain and unlocks straight with Kisi (A4).
#[utoipa::path(get, path = doorlink_api::routes::ME_KISI_LOGIN, tag = "me", params(LocationFilter),
    responses((status = 200, body = KisiLoginView), (status = 401, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 502, body = ErrorBody)))]
pub(super) async fn my_kisi_login(
    State(state): State<AppState>,
    member: Member,
    Query(filter): Query<LocationFilter>,
) -> ApiResult<Json<KisiLoginView>> {
    let location = match filter.location_id {
        Some(id) => LocationId(id),
        None => {
            let mut connected = None;
            for location in filtered_locations(&state, None).await? {
                if state
                    .store()
                    .locations()
                    .connection(location)
                    .await?
                    .is_some_and(|c| c.is_active())
                {
                    connected = Some(location);
                    break;
                }
            }
            connected.ok_or_else(|| {
                ApiError::Conflict("no location is connected to Kisi yet".to_owned())
            })?
        }
    };
    // A4 needs the person's Kisi user, which Doorlink makes once they have door access here:
    // without one, Kisi would only refuse (staff and admins are people too, often without access).
    if state
        .store()
        .kisi_mirror()
        .user(location, member.person)
        .await?
        .is_none()
    {
        return Err(ApiError::Conflict(
            "you have no Kisi user at this location yet: Doorlink makes one once you have door \
             access here (a plan, a booking, a day pass or a grant); ask the front desk"
                .to_owned(),
        ));
    }
    let email = state
        .store()
        .people()
        .get(member.person)
        .await?
        .email
        .to_string();
    let login = state
        .sync()
        .engine()
        .person_login(location, member.person, &email)
        .await?;
    Ok(Json(KisiLoginView {
        location_id: location.0,
        base_url: login.base_url,
        kisi_user_id: login.kisi_user_id,
        email: login.email,
        secret: login.secret.expose().to_owned(),
    }))
}
