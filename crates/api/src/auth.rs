//! Sign-in, sessions and invitations.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// What an account may do: member < staff < admin.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Staff,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

/// The account signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// The person whose access `/api/me` shows; absent for staff without a person.
    pub person_id: Option<i64>,
}

/// A new session. Browsers get the token as the `doorlink_session` cookie too and must send
/// `csrf_token` in `X-CSRF-Token` on every POST/PUT/PATCH/DELETE; the desktop app sends the token
/// as `Authorization: Bearer <token>` and needs no CSRF token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SessionView {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub account: AccountView,
}

/// The session of the request, answered by `GET /api/auth/session`: a browser that reloads gets
/// its CSRF token back from here (the cookie is HttpOnly), so nothing needs localStorage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct CurrentSession {
    pub account: AccountView,
    /// The same token sign-in answered; send it in `X-CSRF-Token` on every write.
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Staff invite a person to an account with a role; admins alone may invite staff or admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    pub email: String,
    pub role: Role,
    /// The person the account belongs to; required for members.
    pub person_id: Option<i64>,
}

/// The one-time token the inviter passes on (there is no mail server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct InvitationView {
    pub token: String,
    pub email: String,
    pub role: Role,
    pub person_id: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

/// The invitee sets their password and is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemInvitationRequest {
    pub token: String,
    /// At least 10 characters.
    pub password: String,
}
