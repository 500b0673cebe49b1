//! Accounts: an admin's list, roles, disabling, sessions and invitations, and every person's own
//! password and sessions ("Your account").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::auth::Role;

/// An account on the admin's Accounts page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AccountSummaryView {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub person_id: Option<i64>,
    /// Set while the account may not sign in.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Absent until the account first signs in.
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// The new role of an account. The last enabled admin keeps theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SetRoleRequest {
    pub role: Role,
}

/// An invitation not yet redeemed nor expired (its token is never shown again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PendingInvitationView {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub person_id: Option<i64>,
    /// The account that handed it out.
    pub invited_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// One thing done to an account, and who did it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AccountEventView {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Who did it; absent when nobody signed in did (the hub itself).
    pub actor_id: Option<i64>,
    pub actor_email: Option<String>,
    pub account_id: Option<i64>,
    /// The account's e-mail, or the invited one.
    pub subject_email: String,
    /// What was done, in words ("changed the role", "disabled", …).
    pub action: String,
    pub detail: Option<String>,
}

/// A new password for the signed-in account; the current one is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// At least 10 characters.
    pub new_password: String,
}

/// One of the caller's open sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OwnSessionView {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The session this request came with.
    pub current: bool,
}
