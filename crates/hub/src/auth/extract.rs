//! Who is calling, checked on every route: `CurrentUser` (any signed-in account), `Member` (an
//! account with a person, for `/api/me/…`), `Staff` (staff or admin) and `Admin`.
//!
//! The session comes from `Authorization: Bearer <token>` (the desktop app) or the
//! `doorlink_session` cookie (browsers, which must also send the CSRF token on writes).

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use doorlink_core::PersonId;
use doorlink_store::{Account, AccountRole};

use crate::auth::{csrf, sessions::token_hash};
use crate::error::ApiError;
use crate::state::AppState;

/// The name of the browser session cookie.
pub(crate) const SESSION_COOKIE: &str = "doorlink_session";

/// How the session token arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    Bearer,
    Cookie,
}

/// The signed-in account of a request.
#[derive(Debug, Clone)]
pub(crate) struct CurrentUser {
    pub account: Account,
    /// The SHA-256 of the session token (for sign-out).
    pub token_hash: String,
    /// When the session ends.
    pub expires_at: DateTime<Utc>,
}

impl CurrentUser {
    pub(crate) fn role(&self) -> AccountRole {
        self.account.role
    }
}

/// The session token of a request, and how it came.
pub(crate) fn session_token(headers: &HeaderMap) -> Option<(String, Transport)> {
    if let Some(bearer) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some((bearer.trim().to_owned(), Transport::Bearer));
    }
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| (value.to_owned(), Transport::Cookie))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let (token, transport) = session_token(&parts.headers).ok_or_else(|| {
            ApiError::Unauthenticated("sign in first: no session token or cookie was sent".into())
        })?;
        let hash = token_hash(&token);
        let session = state
            .store()
            .accounts()
            .session(&hash, state.idle_timeout())
            .await?
            .ok_or_else(|| {
                ApiError::Unauthenticated(
                    "the session has expired, was idle too long or was signed out; sign in again"
                        .into(),
                )
            })?;
        if transport == Transport::Cookie {
            csrf::check(&parts.method, &parts.headers, &session.csrf_hash)?;
        }
        let user = CurrentUser {
            account: session.account,
            token_hash: hash,
            expires_at: session.expires_at,
        };
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// A signed-in account with a person: the only way into `/api/me/…`.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub user: CurrentUser,
    pub person: PersonId,
}

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let person = user.account.person.ok_or_else(|| {
            ApiError::Forbidden(
                "this account is not linked to a person, so it has no access of its own".into(),
            )
        })?;
        Ok(Self { user, person })
    }
}

/// Staff or admin: the front desk.
#[derive(Debug, Clone)]
pub(crate) struct Staff(pub CurrentUser);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.role() >= AccountRole::Staff {
            Ok(Self(user))
        } else {
            Err(ApiError::forbidden_role("staff"))
        }
    }
}

/// Admin: locations, Kisi connections and mappings.
#[derive(Debug, Clone)]
pub(crate) struct Admin(pub CurrentUser);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.role() == AccountRole::Admin {
            Ok(Self(user))
        } else {
            Err(ApiError::forbidden_role("admin"))
        }
    }
}
