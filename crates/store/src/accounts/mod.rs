//! Hub accounts: who may sign in, with which role (member < staff < admin), the invitations staff
//! hand out, and sessions. The store never sees a password or a token: it keeps the argon2 PHC
//! string the hub computed and the SHA-256 hashes of tokens, so a copy of the database lets nobody
//! sign in.

use std::fmt;

use chrono::{DateTime, Utc};
use doorlink_core::{Email, PersonId};
use sqlx::FromRow;

use crate::codec::{instant, millis, opt_instant};
use crate::db::Store;
use crate::error::{Result, StoreError};

/// An account's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId(pub i64);

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What an account may do. Ordered: every admin is also staff, every staff person also a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccountRole {
    /// Reaches only their own access, bookings and unlocks.
    Member,
    /// Runs the front desk.
    Staff,
    /// Configures locations and Kisi.
    Admin,
}

impl AccountRole {
    pub fn as_text(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Staff => "staff",
            Self::Admin => "admin",
        }
    }

    /// Who may hand out an invitation for `role`: staff invite members, only admins invite staff
    /// or admins. Nobody grants a role above their own.
    pub fn may_invite(self, role: AccountRole) -> bool {
        match role {
            Self::Member => self >= Self::Staff,
            Self::Staff | Self::Admin => self == Self::Admin,
        }
    }

    fn from_text(table: &'static str, text: &str) -> Result<Self> {
        match text {
            "member" => Ok(Self::Member),
            "staff" => Ok(Self::Staff),
            "admin" => Ok(Self::Admin),
            other => Err(StoreError::corrupt(table, "role", other)),
        }
    }
}

/// An account as the hub sees it (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub email: Email,
    pub role: AccountRole,
    /// The person a member's `/api/me` routes are about.
    pub person: Option<PersonId>,
    pub created_at: DateTime<Utc>,
    /// Set while the account may not sign in (its sessions ended when it was disabled).
    pub disabled_at: Option<DateTime<Utc>>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

impl Account {
    /// An admin who can act: the last of these can never be demoted or disabled.
    pub fn is_active_admin(&self) -> bool {
        self.role == AccountRole::Admin && self.disabled_at.is_none()
    }
}

/// An invitation to create a new account, redeemed once with a password. It never changes an
/// account that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub email: Email,
    pub role: AccountRole,
    pub person: Option<PersonId>,
    pub expires_at: DateTime<Utc>,
    pub redeemed_at: Option<DateTime<Utc>>,
    /// Who handed it out (`None` once that account is gone).
    pub invited_by: Option<AccountId>,
    pub created_at: DateTime<Utc>,
}

/// An invitation to write; `token_hash` is the SHA-256 (hex) of the token handed to the invitee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub token_hash: String,
    pub email: Email,
    pub role: AccountRole,
    pub person: Option<PersonId>,
    pub invited_by: Option<AccountId>,
    pub expires_at: DateTime<Utc>,
}

/// A signed-in session; the token and the CSRF token exist only as hashes here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub account: Account,
    pub csrf_hash: String,
    pub expires_at: DateTime<Utc>,
}

/// One of an account's open sessions, as its owner sees it in "Your account".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The SHA-256 of its token, so the hub can tell the caller's own session.
    pub token_hash: String,
}

/// One thing done to an account, and who did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<AccountId>,
    pub actor_email: Option<String>,
    pub account: Option<AccountId>,
    /// The account's e-mail (or the invited one) at the time.
    pub subject_email: String,
    pub action: String,
    pub detail: Option<String>,
}

/// How long a session may go unused and still count (the idle timeout), besides its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleTimeout(pub chrono::Duration);

impl IdleTimeout {
    /// The oldest last use that still counts, in epoch milliseconds (any, for a timeout too large
    /// to subtract).
    fn since(self, now: DateTime<Utc>) -> i64 {
        now.checked_sub_signed(self.0).map_or(i64::MIN, millis)
    }
}

#[derive(FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    role: String,
    person_id: Option<i64>,
    created_at: i64,
    disabled_at: Option<i64>,
    last_sign_in_at: Option<i64>,
}

impl TryFrom<AccountRow> for Account {
    type Error = StoreError;

    fn try_from(row: AccountRow) -> Result<Self> {
        Ok(Self {
            id: AccountId(row.id),
            email: Email::parse(&row.email)
                .map_err(|_| StoreError::corrupt("accounts", "email", &row.email))?,
            role: AccountRole::from_text("accounts", &row.role)?,
            person: row.person_id.map(PersonId),
            created_at: instant("accounts", "created_at", row.created_at)?,
            disabled_at: opt_instant("accounts", "disabled_at", row.disabled_at)?,
            last_sign_in_at: opt_instant("accounts", "last_sign_in_at", row.last_sign_in_at)?,
        })
    }
}

#[derive(FromRow)]
struct InvitationRow {
    id: i64,
    email: String,
    role: String,
    person_id: Option<i64>,
    expires_at: i64,
    redeemed_at: Option<i64>,
    invited_by: Option<i64>,
    created_at: i64,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = StoreError;

    fn try_from(row: InvitationRow) -> Result<Self> {
        Ok(Self {
            id: row.id,
            email: Email::parse(&row.email)
                .map_err(|_| StoreError::corrupt("invitations", "email", &row.email))?,
            role: AccountRole::from_text("invitations", &row.role)?,
            person: row.person_id.map(PersonId),
            expires_at: instant("invitations", "expires_at", row.expires_at)?,
            redeemed_at: opt_instant("invitations", "redeemed_at", row.redeemed_at)?,
            invited_by: row.invited_by.map(AccountId),
            created_at: instant("invitations", "created_at", row.created_at)?,
        })
    }
}

/// The columns of [`AccountRow`], spliced into statements with `concat!` (sqlx wants static SQL).
macro_rules! account_columns {
    () => {
        "id, email, role, person_id, created_at, disabled_at, last_sign_in_at"
    };
}

/// The columns of [`InvitationRow`].
macro_rules! invitation_columns {
    () => {
        "id, email, role, person_id, expires_at, redeemed_at, invited_by, created_at"
    };
}

/// The accounts repository: `store.accounts()`.
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'s> {
    store: &'s Store,
}

impl Store {
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { store: self }
    }
}

mod changes;
mod invitations;
mod lifecycle;
mod sessions;
mod steps;
