//! Accounts for admins (list, role, disable/enable, end sessions, pending invitations, history)
//! and every person's own account (password, sessions). The store checks, in the same
//! transaction as each write, that the actor may still act and that an enabled admin is left.

use axum::Json;
use axum::extract::State;
use doorlink_api::accounts::{
    AccountEventView, AccountSummaryView, ChangePasswordRequest, OwnSessionView,
    PendingInvitationView, SetRoleRequest,
};
use doorlink_api::common::Done;
use doorlink_api::error::ErrorBody;
use doorlink_store::{Account, AccountId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::sessions::{role_from_view, role_view};
use crate::auth::{Admin, CurrentUser, passwords};
use crate::error::{ApiError, ApiResult};
use crate::routes::{Body, ClientAddress, Path};
use crate::state::AppState;

/// How many lines of account history one answer carries.
const HISTORY_LIMIT: u32 = 500;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accounts))
        .routes(routes!(set_role))
        .routes(routes!(disable))
        .routes(routes!(enable))
        .routes(routes!(end_account_sessions))
        .routes(routes!(account_history))
        .routes(routes!(pending_invitations))
        .routes(routes!(withdraw_invitation))
        .routes(routes!(change_password))
        .routes(routes!(own_sessions))
        .routes(routes!(end_own_session))
        .routes(routes!(end_other_sessions))
}

fn summary(account: &Account) -> AccountSummaryView {
    AccountSummaryView {
        id: account.id.0,
        email: account.email.to_string(),
        role: role_view(account.role),
        person_id: account.person.map(|p| p.0),
        disabled_at: account.disabled_at,
        last_sign_in_at: account.last_sign_in_at,
        created_at: account.created_at,
    }
}

fn done(message: impl Into<String>) -> Json<Done> {
    Json(Done {
        message: message.into(),
    })
}

/// Every account, by e-mail, with its role, whether it is disabled and its last sign-in.
#[utoipa::path(get, path = doorlink_api::routes::ACCOUNTS, tag = "accounts",
    responses((status = 200, body = Vec<AccountSummaryView>), (status = 403, body = ErrorBody)))]
async fn list_accounts(
    State(state): State<AppState>,
    _: Admin,
) -> ApiResult<Json<Vec<AccountSummaryView>>> {
    let accounts = state.store().accounts().list().await?;
    Ok(Json(accounts.iter().map(summary).collect()))
}

/// Gives an account another role. Refused at `role` (409) for the last enabled admin.
#[utoipa::path(put, path = doorlink_api::routes::ACCOUNTS_ID_ROLE, tag = "accounts",
    params(("id" = i64, Path, description = "Account id")), request_body = SetRoleRequest,
    responses((status = 200, body = AccountSummaryView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn set_role(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<i64>,
    Body(request): Body<SetRoleRequest>,
) -> ApiResult<Json<AccountSummaryView>> {
    let account = state
        .store()
        .accounts()
        .set_role(&user.account, AccountId(id), role_from_view(request.role))
        .await?;
    tracing::info!(
        actor = user.account.id.0,
        account = id,
        role = account.role.as_text(),
        "role changed"
    );
    Ok(Json(summary(&account)))
}

/// Disables an account: its sessions end and it cannot sign in. Refused (409) for the last
/// enabled admin.
#[utoipa::path(post, path = doorlink_api::routes::ACCOUNTS_ID_DISABLE, tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, body = AccountSummaryView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn disable(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<AccountSummaryView>> {
    set_disabled(&state, &user.account, id, true).await
}

/// Enables a disabled account again.
#[utoipa::path(post, path = doorlink_api::routes::ACCOUNTS_ID_ENABLE, tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, body = AccountSummaryView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn enable(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<AccountSummaryView>> {
    set_disabled(&state, &user.account, id, false).await
}

/// Disables or enables an account as `actor` (the store keeps the last admin and the history).
async fn set_disabled(
    state: &AppState,
    actor: &Account,
    id: i64,
    disabled: bool,
) -> ApiResult<Json<AccountSummaryView>> {
    let account = state
        .store()
        .accounts()
        .set_disabled(actor, AccountId(id), disabled)
        .await?;
    tracing::info!(
        actor = actor.id.0,
        account = id,
        disabled,
        "account disabled or enabled"
    );
    Ok(Json(summary(&account)))
}

/// Ends every session of an account (a lost laptop); it can sign in again.
#[utoipa::path(post, path = doorlink_api::routes::ACCOUNTS_ID_SESSIONS_END, tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, body = Done), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn end_account_sessions(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<Done>> {
    let ended = state
        .store()
        .accounts()
        .end_sessions(&user.account, AccountId(id), None)
        .await?;
    Ok(done(format!("{ended} sessions ended")))
}

/// What was done to accounts and by whom, newest first (the last 500).
#[utoipa::path(get, path = doorlink_api::routes::ACCOUNTS_HISTORY, tag = "accounts",
    responses((status = 200, body = Vec<AccountEventView>), (status = 403, body = ErrorBody)))]
async fn account_history(
    State(state): State<AppState>,
    _: Admin,
) -> ApiResult<Json<Vec<AccountEventView>>> {
    let events = state.store().accounts().events(HISTORY_LIMIT).await?;
    Ok(Json(
        events
            .into_iter()
            .map(|e| AccountEventView {
                id: e.id,
                at: e.at,
                actor_id: e.actor.map(|a| a.0),
                actor_email: e.actor_email,
                account_id: e.account.map(|a| a.0),
                subject_email: e.subject_email,
                action: e.action,
                detail: e.detail,
            })
            .collect(),
    ))
}

/// Invitations not yet redeemed nor expired, newest first.
#[utoipa::path(get, path = doorlink_api::routes::AUTH_INVITATIONS, tag = "accounts",
    responses((status = 200, body = Vec<PendingInvitationView>), (status = 403, body = ErrorBody)))]
async fn pending_invitations(
    State(state): State<AppState>,
    _: Admin,
) -> ApiResult<Json<Vec<PendingInvitationView>>> {
    let pending = state.store().accounts().pending_invitations().await?;
    Ok(Json(
        pending
            .into_iter()
            .map(|i| PendingInvitationView {
                id: i.id,
                email: i.email.to_string(),
                role: role_view(i.role),
                person_id: i.person.map(|p| p.0),
                invited_by: i.invited_by.map(|a| a.0),
                created_at: i.created_at,
                expires_at: i.expires_at,
            })
            .collect(),
    ))
}

/// Withdraws a pending invitation: its token no longer redeems.
#[utoipa::path(delete, path = doorlink_api::routes::AUTH_INVITATIONS_ID, tag = "accounts",
    params(("id" = i64, Path, description = "Invitation id")),
    responses((status = 200, body = Done), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn withdraw_invitation(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<Done>> {
    state
        .store()
        .accounts()
        .withdraw_invitation(&user.account, id)
        .await?;
    Ok(done("the invitation was withdrawn"))
}

/// Changes the caller's password (the current one is required) and ends their other sessions.
#[utoipa::path(post, path = doorlink_api::routes::AUTH_PASSWORD, tag = "accounts",
    request_body = ChangePasswordRequest,
    responses((status = 200, body = Done), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    user: CurrentUser,
    Body(request): Body<ChangePasswordRequest>,
) -> ApiResult<Json<Done>> {
    passwords::check_policy("new_password", &request.new_password)?;
    // A session left open must not become a way to guess the password at full speed.
    state
        .throttle()
        .check(&format!("password:{}", user.account.email), address)
        .await?;
    if request.current_password.chars().count() > passwords::MAX_PASSWORD_CHARS {
        return Err(wrong_current_password());
    }
    let accounts = state.store().accounts();
    let stored = accounts
        .credentials(&user.account.email)
        .await?
        .and_then(|(_, hash)| hash);
    let matches = passwords::verify(
        &request.current_password,
        stored.as_deref().unwrap_or(passwords::decoy_hash()),
    )
    .await;
    if stored.is_none() || !matches {
        return Err(wrong_current_password());
    }
    let hash = passwords::hash(&request.new_password).await?;
    accounts
        .change_password(&user.account, &hash, &user.token_hash)
        .await?;
    tracing::info!(account = user.account.id.0, "password changed");
    Ok(done(
        "the password was changed; your other sessions were ended",
    ))
}

fn wrong_current_password() -> ApiError {
    ApiError::field("current_password", "is not the account's current password")
}

/// The caller's open sessions, most recently used first.
#[utoipa::path(get, path = doorlink_api::routes::AUTH_SESSIONS, tag = "accounts",
    responses((status = 200, body = Vec<OwnSessionView>), (status = 401, body = ErrorBody)))]
async fn own_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Vec<OwnSessionView>>> {
    let sessions = state
        .store()
        .accounts()
        .sessions_of(user.account.id, state.idle_timeout())
        .await?;
    Ok(Json(
        sessions
            .into_iter()
            .map(|s| OwnSessionView {
                id: s.id,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
                expires_at: s.expires_at,
                current: s.token_hash == user.token_hash,
            })
            .collect(),
    ))
}

/// Ends one of the caller's sessions (another's is 404).
#[utoipa::path(delete, path = doorlink_api::routes::AUTH_SESSIONS_ID, tag = "accounts",
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, body = Done), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn end_own_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Done>> {
    state
        .store()
        .accounts()
        .end_own_session(&user.account, id)
        .await?;
    Ok(done("the session was ended"))
}

/// Ends every session of the caller but this one.
#[utoipa::path(post, path = doorlink_api::routes::AUTH_SESSIONS_END_OTHERS, tag = "accounts",
    responses((status = 200, body = Done), (status = 401, body = ErrorBody)))]
async fn end_other_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Done>> {
    let ended = state
        .store()
        .accounts()
        .end_sessions(&user.account, user.account.id, Some(&user.token_hash))
        .await?;
    Ok(done(format!("{ended} other sessions ended")))
}
