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
use crate::error::{Result, StoreError, on_constraint};

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
}

/// An invitation to create (or re-role) an account, redeemed once with a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub email: Email,
    pub role: AccountRole,
    pub person: Option<PersonId>,
    pub expires_at: DateTime<Utc>,
    pub redeemed_at: Option<DateTime<Utc>>,
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

#[derive(FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    role: String,
    person_id: Option<i64>,
    created_at: i64,
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
        })
    }
}

/// The columns of [`AccountRow`], spliced into statements with `concat!` (sqlx wants static SQL).
macro_rules! account_columns {
    () => {
        "id, email, role, person_id, created_at"
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

impl Accounts<'_> {
    /// Creates an account with a password hash at once (the bootstrap admin of `HubConfig`).
    pub async fn create(
        &self,
        email: &Email,
        role: AccountRole,
        person: Option<PersonId>,
        password_hash: &str,
    ) -> Result<Account> {
        let now = millis(self.store.now());
        let row: AccountRow = sqlx::query_as(concat!(
            "INSERT INTO accounts (email, role, person_id, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING ",
            account_columns!(),
            ""
        ))
        .bind(email.as_str())
        .bind(role.as_text())
        .bind(person.map(|p| p.0))
        .bind(password_hash)
        .bind(now)
        .fetch_one(self.store.pool())
        .await
        .map_err(on_constraint(
            "account",
            "an account with this e-mail (or for this person) already exists",
            "the person does not exist",
        ))?;
        row.try_into()
    }

    /// Creates the hub's first account, an admin, with the person carrying their name (the person
    /// already on file with that e-mail, if any), in one transaction: either both exist afterwards or
    /// neither. Refused as a conflict once the hub has any account, also when two callers race.
    pub async fn create_first_admin(
        &self,
        name: &str,
        email: &Email,
        password_hash: &str,
    ) -> Result<Account> {
        StoreError::require_text("name", name)?;
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&mut *tx)
            .await?;
        if accounts > 0 {
            return Err(StoreError::Conflict {
                entity: "account",
                reason: "this hub already has its first admin; sign in, and ask an admin for an \
                         invitation to add anyone else"
                    .to_owned(),
            });
        }
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let person =
            match existing {
                Some(id) => id,
                None => sqlx::query_scalar(
                    "INSERT INTO people (name, email, name_key, email_key, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                )
                .bind(name.trim())
                .bind(email.as_str())
                .bind(crate::people::search_key(name.trim()))
                .bind(crate::people::search_key(email.as_str()))
                .bind(now)
                .fetch_one(&mut *tx)
                .await?,
            };
        let row: AccountRow = sqlx::query_as(concat!(
            "INSERT INTO accounts (email, role, person_id, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING ",
            account_columns!(),
            ""
        ))
        .bind(email.as_str())
        .bind(AccountRole::Admin.as_text())
        .bind(person)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        row.try_into()
    }

    pub async fn get(&self, id: AccountId) -> Result<Account> {
        let row: Option<AccountRow> = sqlx::query_as(concat!(
            "SELECT ",
            account_columns!(),
            " FROM accounts WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.store.pool())
        .await?;
        row.ok_or_else(|| StoreError::not_found("account", id.0))?
            .try_into()
    }

    /// The account with this e-mail and its password hash (`None` before the invitation was
    /// redeemed), for sign-in.
    pub async fn credentials(&self, email: &Email) -> Result<Option<(Account, Option<String>)>> {
        #[derive(FromRow)]
        struct Row {
            #[sqlx(flatten)]
            account: AccountRow,
            password_hash: Option<String>,
        }
        let row: Option<Row> = sqlx::query_as(concat!(
            "SELECT ",
            account_columns!(),
            ", password_hash FROM accounts WHERE email = $1"
        ))
        .bind(email.as_str())
        .fetch_optional(self.store.pool())
        .await?;
        row.map(|r| Ok((r.account.try_into()?, r.password_hash)))
            .transpose()
    }

    /// Every account, by e-mail.
    pub async fn list(&self) -> Result<Vec<Account>> {
        let rows: Vec<AccountRow> = sqlx::query_as(concat!(
            "SELECT ",
            account_columns!(),
            " FROM accounts ORDER BY email"
        ))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter().map(Account::try_from).collect()
    }

    /// Stores an invitation; the token itself never reaches the database.
    pub async fn invite(&self, new: &NewInvitation) -> Result<Invitation> {
        let now = millis(self.store.now());
        let row: InvitationRow = sqlx::query_as(
            "INSERT INTO invitations (token_hash, email, role, person_id, invited_by, expires_at, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             RETURNING id, email, role, person_id, expires_at, redeemed_at",
        )
        .bind(&new.token_hash)
        .bind(new.email.as_str())
        .bind(new.role.as_text())
        .bind(new.person.map(|p| p.0))
        .bind(new.invited_by.map(|a| a.0))
        .bind(millis(new.expires_at))
        .bind(now)
        .fetch_one(self.store.pool())
        .await
        .map_err(on_constraint(
            "invitation",
            "this invitation token already exists",
            "the person does not exist",
        ))?;
        row.try_into()
    }

    /// Redeems an unexpired, unused invitation with a password hash, in one transaction: creates
    /// the account (or updates the role, person and password of an existing one with the same
    /// e-mail) and marks the invitation used. `None` when no such invitation exists.
    pub async fn redeem(&self, token_hash: &str, password_hash: &str) -> Result<Option<Account>> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let invitation: Option<InvitationRow> = sqlx::query_as(
            "UPDATE invitations SET redeemed_at = $2 \
             WHERE token_hash = $1 AND redeemed_at IS NULL AND expires_at > $2 \
             RETURNING id, email, role, person_id, expires_at, redeemed_at",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(invitation) = invitation else {
            return Ok(None);
        };
        let row: AccountRow = sqlx::query_as(concat!(
            "INSERT INTO accounts (email, role, person_id, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (email) DO UPDATE SET role = excluded.role, \
             person_id = COALESCE(excluded.person_id, accounts.person_id), \
             password_hash = excluded.password_hash, updated_at = excluded.updated_at \
             RETURNING ",
            account_columns!(),
            ""
        ))
        .bind(&invitation.email)
        .bind(&invitation.role)
        .bind(invitation.person_id)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_constraint(
            "account",
            "another account is already linked to this person",
            "the person does not exist",
        ))?;
        // A changed password or role ends the sessions opened under the old one.
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(row.try_into()?))
    }

    /// Opens a session for `account` until `expires_at`.
    pub async fn create_session(
        &self,
        account: AccountId,
        token_hash: &str,
        csrf_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, csrf_hash, account_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(csrf_hash)
        .bind(account.0)
        .bind(millis(self.store.now()))
        .bind(millis(expires_at))
        .execute(self.store.pool())
        .await
        .map_err(on_constraint(
            "session",
            "this session token already exists",
            "the account does not exist",
        ))?;
        Ok(())
    }

    /// The unexpired session with this token hash, with its account.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        #[derive(FromRow)]
        struct Row {
            session_id: i64,
            csrf_hash: String,
            expires_at: i64,
            #[sqlx(flatten)]
            account: AccountRow,
        }
        let row: Option<Row> = sqlx::query_as(
            "SELECT s.id AS session_id, s.csrf_hash, s.expires_at, a.id, a.email, a.role, \
             a.person_id, a.created_at \
             FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(millis(self.store.now()))
        .fetch_optional(self.store.pool())
        .await?;
        row.map(|r| {
            Ok(Session {
                id: r.session_id,
                account: r.account.try_into()?,
                csrf_hash: r.csrf_hash,
                expires_at: instant("sessions", "expires_at", r.expires_at)?,
            })
        })
        .transpose()
    }

    /// Ends the session with this token hash (sign-out); ending an unknown session is not an error.
    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn purge_expired_sessions(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(millis(self.store.now()))
            .execute(self.store.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
