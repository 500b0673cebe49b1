//! Sign-in, sign-out, the current session, and invitations.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header::SET_COOKIE};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use doorlink_api::auth::{
    CurrentSession, InvitationRequest, InvitationView, RedeemInvitationRequest, SessionView,
    SignInRequest,
};
use doorlink_api::error::ErrorBody;
use doorlink_core::{Email, PersonId};
use doorlink_store::{AccountRole, NewInvitation};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::{SESSION_COOKIE, session_token};
use crate::auth::sessions::{self, account_view, csrf_token_for, role_from_view, token_hash};
use crate::auth::{CurrentUser, Staff, passwords};
use crate::error::{ApiError, ApiResult};
use crate::routes::validate::Problems;
use crate::routes::{Body, ClientAddress};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in))
        .routes(routes!(sign_out))
        .routes(routes!(current_session))
        .routes(routes!(invite))
        .routes(routes!(redeem_invitation))
}

/// Signs in with e-mail and password. Answers the session (token + CSRF token) and sets the
/// HttpOnly `doorlink_session` cookie for browsers. Throttled per e-mail and per client address.
#[utoipa::path(post, path = doorlink_api::routes::AUTH_SIGN_IN, tag = "auth", request_body = SignInRequest,
    responses((status = 200, body = SessionView), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Body(request): Body<SignInRequest>,
) -> ApiResult<Response> {
    let email = Email::parse(&request.email).map_err(ApiError::from)?;
    state.throttle().check(email.as_str(), address).await?;
    let found = state.store().accounts().credentials(&email).await?;
    let stored = found.as_ref().and_then(|(_, hash)| hash.as_deref());
    let matches =
        passwords::verify(&request.password, stored.unwrap_or(passwords::decoy_hash())).await;
    let (Some((account, Some(_))), true) = (found, matches) else {
        tracing::info!("sign-in refused");
        return Err(ApiError::Unauthenticated(
            "the e-mail or password is not right".to_owned(),
        ));
    };
    // Said only to whoever knows the password.
    if account.disabled_at.is_some() {
        tracing::info!(
            account = account.id.0,
            "sign-in of a disabled account refused"
        );
        return Err(ApiError::Forbidden(
            "this account is disabled; ask an admin to enable it again".to_owned(),
        ));
    }
    let session = sessions::open(&state, &account).await?;
    Ok(with_session_cookie(&state, session))
}

/// The session answer, with the cookie for browsers.
fn with_session_cookie(state: &AppState, session: SessionView) -> Response {
    let max_age = state.config().session_ttl.as_secs();
    let secure = if state.config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}",
        session.token
    );
    let mut response = Json(session).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

/// Ends the current session and clears the cookie.
#[utoipa::path(post, path = doorlink_api::routes::AUTH_SIGN_OUT, tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn sign_out(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Response> {
    state
        .store()
        .accounts()
        .end_session(&user.token_hash)
        .await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        SET_COOKIE,
        HeaderValue::from_static("doorlink_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

/// The session of the request: the account, the CSRF token sign-in answered (a browser that
/// reloads gets it back here; the session cookie is HttpOnly) and when the session ends.
#[utoipa::path(get, path = doorlink_api::routes::AUTH_SESSION, tag = "auth",
    responses((status = 200, body = CurrentSession), (status = 401, body = ErrorBody)))]
async fn current_session(user: CurrentUser, headers: HeaderMap) -> ApiResult<Json<CurrentSession>> {
    // `CurrentUser` already found this token's session, so it is there.
    let (token, _) = session_token(&headers).ok_or_else(|| {
        ApiError::Unauthenticated("sign in first: no session token or cookie was sent".into())
    })?;
    Ok(Json(CurrentSession {
        account: account_view(&user.account),
        csrf_token: csrf_token_for(&token),
        expires_at: user.expires_at,
    }))
}

/// Invites a person to an account. Staff may invite members; only admins may invite staff or
/// admins. Answers the one-time token to pass on to the invitee.
#[utoipa::path(post, path = doorlink_api::routes::AUTH_INVITATIONS, tag = "auth", request_body = InvitationRequest,
    responses((status = 201, body = InvitationView), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn invite(
    State(state): State<AppState>,
    Staff(user): Staff,
    Body(request): Body<InvitationRequest>,
) -> ApiResult<(StatusCode, Json<InvitationView>)> {
    let email = Email::parse(&request.email).map_err(ApiError::from)?;
    let role = role_from_view(request.role);
    if !user.role().may_invite(role) {
        return Err(ApiError::Forbidden(
            "only an admin may invite staff or admins".to_owned(),
        ));
    }
    let person = request.person_id.map(PersonId);
    match (role, person) {
        (AccountRole::Member, None) => {
            return Err(ApiError::field(
                "person_id",
                "is required for a member: the account shows that person's access",
            ));
        }
        (_, Some(person)) => {
            let mut problems = Problems::new();
            problems.found("person_id", state.store().people().get(person).await)?;
            problems.finish()?;
        }
        _ => {}
    }
    let token = sessions::new_token();
    let ttl = Duration::from_std(state.config().invitation_ttl)
        .map_err(|error| ApiError::Internal(format!("invitation ttl: {error}")))?;
    let invitation = state
        .store()
        .accounts()
        .invite(&NewInvitation {
            token_hash: token_hash(&token),
            email,
            role,
            person,
            invited_by: Some(user.account.id),
            expires_at: state.now() + ttl,
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationView {
            token,
            email: invitation.email.to_string(),
            role: request.role,
            person_id: invitation.person.map(|p| p.0),
            expires_at: invitation.expires_at,
        }),
    ))
}

/// Redeems an invitation: sets the password and signs in.
#[utoipa::path(post, path = doorlink_api::routes::AUTH_INVITATIONS_REDEEM, tag = "auth",
    request_body = RedeemInvitationRequest,
    responses((status = 200, body = SessionView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn redeem_invitation(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Body(request): Body<RedeemInvitationRequest>,
) -> ApiResult<Response> {
    passwords::check_policy("password", &request.password)?;
    state
        .throttle()
        .check(&format!("invitation:{}", request.token), address)
        .await?;
    let hash = passwords::hash(&request.password).await?;
    let account = state
        .store()
        .accounts()
        .redeem(&token_hash(request.token.trim()), &hash)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(
                "this invitation does not exist, was already used, withdrawn or has expired; ask \
                 for a new one"
                    .to_owned(),
            )
        })?;
    let session = sessions::open(&state, &account).await?;
    Ok(with_session_cookie(&state, session))
}
