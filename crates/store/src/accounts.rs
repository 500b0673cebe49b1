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

impl Accounts<'_> {
    /// Creates an account with a password hash at once (the demo's accounts). Without `person`,
    /// the account is the person's with its e-mail, created when there is none: every account,
    /// staff and admins too, opens its own doors (issue 17).
    pub async fn create(
        &self,
        email: &Email,
        role: AccountRole,
        person: Option<PersonId>,
        password_hash: &str,
    ) -> Result<Account> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let person = match person {
            Some(person) => person.0,
            None => person_of(&mut tx, email, None, now).await?,
        };
        let row: AccountRow = sqlx::query_as(concat!(
            "INSERT INTO accounts (email, role, person_id, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING ",
            account_columns!(),
            ""
        ))
        .bind(email.as_str())
        .bind(role.as_text())
        .bind(person)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_constraint(
            "account",
            "an account with this e-mail (or for this person) already exists",
            "the person does not exist",
        ))?;
        tx.commit().await?;
        row.try_into()
    }

    /// Links every account that has no person yet (made before every account had one) to the
    /// person with its e-mail, created when there is none; an account whose person already has
    /// another account stays as it is (logged). Answers how many were linked. Run at start.
    pub async fn link_people(&self) -> Result<usize> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let unlinked: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, email FROM accounts WHERE person_id IS NULL ORDER BY id")
                .fetch_all(&mut *tx)
                .await?;
        let mut linked = 0;
        for (id, email) in unlinked {
            let email = Email::parse(&email)?;
            let person = person_of(&mut tx, &email, None, now).await?;
            let taken: Option<i64> =
                sqlx::query_scalar("SELECT id FROM accounts WHERE person_id = $1")
                    .bind(person)
                    .fetch_optional(&mut *tx)
                    .await?;
            if taken.is_some() {
                tracing::warn!(
                    account = id,
                    person,
                    "the account's person already has an account; left without a person"
                );
                continue;
            }
            sqlx::query("UPDATE accounts SET person_id = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(person)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            linked += 1;
        }
        tx.commit().await?;
        Ok(linked)
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
        let person = person_of(&mut tx, email, Some(name.trim()), now).await?;
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

    /// The configured bootstrap admin (`DOORLINK_ADMIN_*`), in one transaction: created when no
    /// account has the e-mail; when the hub has no enabled admin left (a database from before the
    /// last-admin rule), that account becomes an enabled admin again with the configured password
    /// and its sessions end. Otherwise nothing changes: a running hub's accounts are the admins'
    /// business. Answers the account when it was created or restored.
    pub async fn ensure_bootstrap_admin(
        &self,
        email: &Email,
        person: Option<PersonId>,
        password_hash: &str,
    ) -> Result<Option<Account>> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let active_admins: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND disabled_at IS NULL",
        )
        .fetch_one(&mut *tx)
        .await?;
        let existing = account_id_by_email(&mut tx, email).await?;
        let (row, action): (AccountRow, _) = match existing {
            None => {
                let person = match person {
                    Some(person) => person.0,
                    None => person_of(&mut tx, email, None, now).await?,
                };
                (
                    sqlx::query_as(concat!(
                        "INSERT INTO accounts (email, role, person_id, password_hash, created_at, \
                     updated_at) VALUES ($1, 'admin', $2, $3, $4, $4) RETURNING ",
                        account_columns!(),
                        ""
                    ))
                    .bind(email.as_str())
                    .bind(person)
                    .bind(password_hash)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(on_constraint(
                        "account",
                        "another account is already linked to this person",
                        "the person does not exist",
                    ))?,
                    "created as the bootstrap admin",
                )
            }
            Some(id) if active_admins == 0 => {
                let row = sqlx::query_as(concat!(
                    "UPDATE accounts SET role = 'admin', disabled_at = NULL, password_hash = $2, \
                     updated_at = $3 WHERE id = $1 RETURNING ",
                    account_columns!(),
                    ""
                ))
                .bind(id)
                .bind(password_hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                end_sessions_in(&mut tx, AccountId(id), None).await?;
                (row, "restored as admin: the hub had no enabled admin")
            }
            Some(_) => return Ok(None),
        };
        let account = Account::try_from(row)?;
        record(
            &mut tx,
            now,
            None,
            Some(account.id),
            account.email.as_str(),
            action,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(account))
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

    /// Stores an invitation; the token itself never reaches the database. In one transaction:
    /// refused at `email` when an account with that e-mail exists (an invitation never changes an
    /// account), and unless the inviter is an enabled account that may invite for this role.
    pub async fn invite(&self, new: &NewInvitation) -> Result<Invitation> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let inviter = match new.invited_by {
            Some(id) => Some(account_in(&mut tx, id).await?),
            None => None,
        };
        if let Some(inviter) = &inviter
            && (inviter.disabled_at.is_some() || !inviter.role.may_invite(new.role))
        {
            return Err(StoreError::NotAllowed(format!(
                "a {} account may not invite a {}",
                inviter.role.as_text(),
                new.role.as_text()
            )));
        }
        if account_id_by_email(&mut tx, &new.email).await?.is_some() {
            return Err(StoreError::ConflictAt {
                field: "email",
                reason: "an account with this e-mail already exists; an invitation never changes \
                         an existing account (an admin changes its role on the Accounts page)"
                    .to_owned(),
            });
        }
        if let Some(person) = new.person {
            let linked: Option<i64> =
                sqlx::query_scalar("SELECT id FROM accounts WHERE person_id = $1")
                    .bind(person.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if linked.is_some() {
                return Err(StoreError::ConflictAt {
                    field: "person_id",
                    reason: "this person already has an account".to_owned(),
                });
            }
        }
        let row: InvitationRow = sqlx::query_as(concat!(
            "INSERT INTO invitations (token_hash, email, role, person_id, invited_by, expires_at, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
            invitation_columns!()
        ))
        .bind(&new.token_hash)
        .bind(new.email.as_str())
        .bind(new.role.as_text())
        .bind(new.person.map(|p| p.0))
        .bind(new.invited_by.map(|a| a.0))
        .bind(millis(new.expires_at))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_constraint(
            "invitation",
            "this invitation token already exists",
            "the person does not exist",
        ))?;
        let detail = format!("as {}", new.role.as_text());
        record(
            &mut tx,
            now,
            inviter.as_ref(),
            None,
            new.email.as_str(),
            "invited",
            Some(&detail),
        )
        .await?;
        tx.commit().await?;
        row.try_into()
    }

    /// Redeems an unexpired, unused invitation with a password hash, in one transaction: creates
    /// the account and marks the invitation used. `None` when no such invitation exists, or its
    /// inviter may no longer invite for its role (disabled or demoted since). Never changes an
    /// existing account: if one with the e-mail (or for the person) appeared since the invitation,
    /// it is refused as a conflict and the invitation stays unused.
    pub async fn redeem(&self, token_hash: &str, password_hash: &str) -> Result<Option<Account>> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let invitation: Option<InvitationRow> = sqlx::query_as(concat!(
            "UPDATE invitations SET redeemed_at = $2 \
             WHERE token_hash = $1 AND redeemed_at IS NULL AND expires_at > $2 RETURNING ",
            invitation_columns!()
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(invitation) = invitation.map(Invitation::try_from).transpose()? else {
            return Ok(None);
        };
        let inviter = match invitation.invited_by {
            Some(id) => Some(account_in(&mut tx, id).await?),
            None => None,
        };
        let still_allowed = inviter
            .as_ref()
            .is_some_and(|i| i.disabled_at.is_none() && i.role.may_invite(invitation.role));
        if !still_allowed {
            return Ok(None);
        }
        let person = match invitation.person {
            Some(person) => person.0,
            None => person_of(&mut tx, &invitation.email, None, now).await?,
        };
        // A plain insert: an existing e-mail or person is a conflict, never an update.
        let row: AccountRow = sqlx::query_as(concat!(
            "INSERT INTO accounts (email, role, person_id, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING ",
            account_columns!(),
            ""
        ))
        .bind(invitation.email.as_str())
        .bind(invitation.role.as_text())
        .bind(person)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_constraint(
            "account",
            "an account with this e-mail (or for this person) already exists; an invitation \
             never changes an existing account: sign in with it instead",
            "the person does not exist",
        ))?;
        let account = Account::try_from(row)?;
        record(
            &mut tx,
            now,
            Some(&account),
            Some(account.id),
            account.email.as_str(),
            "redeemed an invitation",
            Some(&format!("as {}", account.role.as_text())),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(account))
    }

    /// Invitations not yet redeemed nor expired, newest first.
    pub async fn pending_invitations(&self) -> Result<Vec<Invitation>> {
        let rows: Vec<InvitationRow> = sqlx::query_as(concat!(
            "SELECT ",
            invitation_columns!(),
            " FROM invitations WHERE redeemed_at IS NULL AND expires_at > $1 ORDER BY id DESC"
        ))
        .bind(millis(self.store.now()))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter().map(Invitation::try_from).collect()
    }

    /// Withdraws a pending invitation: its token no longer redeems.
    pub async fn withdraw_invitation(&self, actor: &Account, id: i64) -> Result<()> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let actor = active_admin_in(&mut tx, actor.id).await?;
        let email: Option<String> = sqlx::query_scalar(
            "DELETE FROM invitations WHERE id = $1 AND redeemed_at IS NULL RETURNING email",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let email = email.ok_or_else(|| StoreError::not_found("pending invitation", id))?;
        record(
            &mut tx,
            now,
            Some(&actor),
            None,
            &email,
            "withdrew the invitation",
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives an account another role. Only an enabled admin may (checked in the transaction, so an
    /// admin demoted a moment ago cannot), and never so that no enabled admin is left.
    pub async fn set_role(
        &self,
        actor: &Account,
        id: AccountId,
        role: AccountRole,
    ) -> Result<Account> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let actor = active_admin_in(&mut tx, actor.id).await?;
        let target = account_in(&mut tx, id).await?;
        if target.role == role {
            return Ok(target);
        }
        if target.is_active_admin() && role != AccountRole::Admin {
            keep_an_admin(&mut tx, id, "role").await?;
        }
        let row: AccountRow = sqlx::query_as(concat!(
            "UPDATE accounts SET role = $2, updated_at = $3 WHERE id = $1 RETURNING ",
            account_columns!(),
            ""
        ))
        .bind(id.0)
        .bind(role.as_text())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let detail = format!("from {} to {}", target.role.as_text(), role.as_text());
        record(
            &mut tx,
            now,
            Some(&actor),
            Some(id),
            target.email.as_str(),
            "changed the role",
            Some(&detail),
        )
        .await?;
        tx.commit().await?;
        row.try_into()
    }

    /// Disables (ending every session) or enables an account. Only an enabled admin may, and the
    /// last enabled admin is never disabled.
    pub async fn set_disabled(
        &self,
        actor: &Account,
        id: AccountId,
        disabled: bool,
    ) -> Result<Account> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let actor = active_admin_in(&mut tx, actor.id).await?;
        let target = account_in(&mut tx, id).await?;
        if target.disabled_at.is_some() == disabled {
            return Ok(target);
        }
        if disabled && target.is_active_admin() {
            keep_an_admin(&mut tx, id, "disabled").await?;
        }
        let row: AccountRow = sqlx::query_as(concat!(
            "UPDATE accounts SET disabled_at = $2, updated_at = $3 WHERE id = $1 RETURNING ",
            account_columns!(),
            ""
        ))
        .bind(id.0)
        .bind(disabled.then_some(now))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if disabled {
            end_sessions_in(&mut tx, id, None).await?;
        }
        let action = if disabled { "disabled" } else { "enabled" };
        record(
            &mut tx,
            now,
            Some(&actor),
            Some(id),
            target.email.as_str(),
            action,
            None,
        )
        .await?;
        tx.commit().await?;
        row.try_into()
    }

    /// Ends every session of an account but `keep` (a token hash), recording who did it. The
    /// actor is an enabled admin, or the account itself.
    pub async fn end_sessions(
        &self,
        actor: &Account,
        id: AccountId,
        keep: Option<&str>,
    ) -> Result<u64> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let actor = if actor.id == id {
            account_in(&mut tx, id).await?
        } else {
            active_admin_in(&mut tx, actor.id).await?
        };
        let target = account_in(&mut tx, id).await?;
        let ended = end_sessions_in(&mut tx, id, keep).await?;
        let action = if keep.is_some() {
            "ended its other sessions"
        } else {
            "ended every session"
        };
        record(
            &mut tx,
            now,
            Some(&actor),
            Some(id),
            target.email.as_str(),
            action,
            Some(&format!("{ended} ended")),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Ends one session of `account` (its owner's choice); `NotFound` for another account's.
    pub async fn end_own_session(&self, account: &Account, session: i64) -> Result<()> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND account_id = $2")
            .bind(session)
            .bind(account.id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("session", session));
        }
        record(
            &mut tx,
            now,
            Some(account),
            Some(account.id),
            account.email.as_str(),
            "ended a session",
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password hash (the hub checked the old password) and ends every other session.
    pub async fn change_password(
        &self,
        account: &Account,
        password_hash: &str,
        keep: &str,
    ) -> Result<()> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(account.id.0)
            .bind(password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        end_sessions_in(&mut tx, account.id, Some(keep)).await?;
        record(
            &mut tx,
            now,
            Some(account),
            Some(account.id),
            account.email.as_str(),
            "changed the password",
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The open sessions of an account, most recently used first.
    pub async fn sessions_of(&self, id: AccountId, idle: IdleTimeout) -> Result<Vec<SessionInfo>> {
        #[derive(FromRow)]
        struct Row {
            id: i64,
            created_at: i64,
            last_seen_at: i64,
            expires_at: i64,
            token_hash: String,
        }
        let now = self.store.now();
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, created_at, last_seen_at, expires_at, token_hash FROM sessions \
             WHERE account_id = $1 AND expires_at > $2 AND last_seen_at > $3 \
             ORDER BY last_seen_at DESC, id DESC",
        )
        .bind(id.0)
        .bind(millis(now))
        .bind(idle.since(now))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(SessionInfo {
                    id: r.id,
                    created_at: instant("sessions", "created_at", r.created_at)?,
                    last_seen_at: instant("sessions", "last_seen_at", r.last_seen_at)?,
                    expires_at: instant("sessions", "expires_at", r.expires_at)?,
                    token_hash: r.token_hash,
                })
            })
            .collect()
    }

    /// What was done to accounts, newest first (at most `limit`).
    pub async fn events(&self, limit: u32) -> Result<Vec<AccountEvent>> {
        #[derive(FromRow)]
        struct Row {
            id: i64,
            at: i64,
            actor_id: Option<i64>,
            actor_email: Option<String>,
            account_id: Option<i64>,
            subject_email: String,
            action: String,
            detail: Option<String>,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, at, actor_id, actor_email, account_id, subject_email, action, detail \
             FROM account_events ORDER BY id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(AccountEvent {
                    id: r.id,
                    at: instant("account_events", "at", r.at)?,
                    actor: r.actor_id.map(AccountId),
                    actor_email: r.actor_email,
                    account: r.account_id.map(AccountId),
                    subject_email: r.subject_email,
                    action: r.action,
                    detail: r.detail,
                })
            })
            .collect()
    }

    /// Opens a session for `account` until `expires_at`, and notes the sign-in. Refused for a
    /// disabled account.
    pub async fn create_session(
        &self,
        account: AccountId,
        token_hash: &str,
        csrf_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        if account_in(&mut tx, account).await?.disabled_at.is_some() {
            return Err(StoreError::NotAllowed(
                "this account is disabled; an admin can enable it again".to_owned(),
            ));
        }
        sqlx::query(
            "INSERT INTO sessions (token_hash, csrf_hash, account_id, created_at, last_seen_at, \
             expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token_hash)
        .bind(csrf_hash)
        .bind(account.0)
        .bind(now)
        .bind(millis(expires_at))
        .execute(&mut *tx)
        .await
        .map_err(on_constraint(
            "session",
            "this session token already exists",
            "the account does not exist",
        ))?;
        sqlx::query("UPDATE accounts SET last_sign_in_at = $2 WHERE id = $1")
            .bind(account.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session with this token hash, with its account: unexpired, used within the idle
    /// timeout, of an enabled account. Notes the use (at most once a minute, so reads rarely
    /// write).
    pub async fn session(&self, token_hash: &str, idle: IdleTimeout) -> Result<Option<Session>> {
        self.find_session(token_hash, idle, true).await
    }

    /// Like [`Accounts::session`], without noting a use: whether a session (e.g. of an open event
    /// stream) still counts, and its account's role now.
    pub async fn peek_session(
        &self,
        token_hash: &str,
        idle: IdleTimeout,
    ) -> Result<Option<Session>> {
        self.find_session(token_hash, idle, false).await
    }

    async fn find_session(
        &self,
        token_hash: &str,
        idle: IdleTimeout,
        note_use: bool,
    ) -> Result<Option<Session>> {
        #[derive(FromRow)]
        struct Row {
            session_id: i64,
            csrf_hash: String,
            expires_at: i64,
            last_seen_at: i64,
            #[sqlx(flatten)]
            account: AccountRow,
        }
        let now = self.store.now();
        let row: Option<Row> = sqlx::query_as(
            "SELECT s.id AS session_id, s.csrf_hash, s.expires_at, s.last_seen_at, a.id, a.email, \
             a.role, a.person_id, a.created_at, a.disabled_at, a.last_sign_in_at \
             FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 \
             AND a.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(millis(now))
        .bind(idle.since(now))
        .fetch_optional(self.store.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        if note_use && row.last_seen_at < millis(now - chrono::Duration::minutes(1)) {
            // Bookkeeping only: a busy database must not refuse a valid session.
            let noted = sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1")
                .bind(row.session_id)
                .bind(millis(now))
                .execute(self.store.pool())
                .await;
            if let Err(error) = noted {
                tracing::warn!(%error, "could not note a session's use");
            }
        }
        Ok(Some(Session {
            id: row.session_id,
            account: row.account.try_into()?,
            csrf_hash: row.csrf_hash,
            expires_at: instant("sessions", "expires_at", row.expires_at)?,
        }))
    }

    /// Ends the session with this token hash (sign-out); ending an unknown session is not an error.
    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// Removes expired and idle sessions; returns how many.
    pub async fn purge_expired_sessions(&self, idle: IdleTimeout) -> Result<u64> {
        let now = self.store.now();
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(millis(now))
            .bind(idle.since(now))
            .execute(self.store.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

async fn account_in(tx: &mut Tx, id: AccountId) -> Result<Account> {
    let row: Option<AccountRow> = sqlx::query_as(concat!(
        "SELECT ",
        account_columns!(),
        " FROM accounts WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?;
    row.ok_or_else(|| StoreError::not_found("account", id.0))?
        .try_into()
}

/// The person an account with `email` is about: the person on file with that e-mail, else a new
/// one named `name` (or the e-mail's local part, which staff can rename on the person's page).
async fn person_of(tx: &mut Tx, email: &Email, name: Option<&str>, now: i64) -> Result<i64> {
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let name = name.map_or_else(|| name_in(email), str::to_owned);
    let name = name.as_str();
    Ok(sqlx::query_scalar(
        "INSERT INTO people (name, email, name_key, email_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(name)
    .bind(email.as_str())
    .bind(crate::search_keys::search_key(name))
    .bind(crate::search_keys::search_key(email.as_str()))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// A name for a person known only by e-mail: "ana.keller@…" becomes "Ana Keller".
fn name_in(email: &Email) -> String {
    let local = email.as_str().split('@').next().unwrap_or_default();
    let words: Vec<String> = local
        .split(['.', '_', '-', '+'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut letters = w.chars();
            letters.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(letters).collect()
            })
        })
        .collect();
    if words.is_empty() {
        email.as_str().to_owned()
    } else {
        words.join(" ")
    }
}

async fn account_id_by_email(tx: &mut Tx, email: &Email) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// The actor, read again inside the transaction: still an enabled admin, or refused.
async fn active_admin_in(tx: &mut Tx, id: AccountId) -> Result<Account> {
    let actor = account_in(tx, id).await?;
    if actor.is_active_admin() {
        Ok(actor)
    } else {
        Err(StoreError::NotAllowed(
            "this needs an enabled admin account".to_owned(),
        ))
    }
}

/// Refuses (at `field`) a change that would leave no enabled admin but `leaving`. Inside the
/// write transaction (`BEGIN IMMEDIATE`), so two admins demoting each other at once are
/// serialised and the second sees the first's change.
async fn keep_an_admin(tx: &mut Tx, leaving: AccountId, field: &'static str) -> Result<()> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND disabled_at IS NULL AND id != $1",
    )
    .bind(leaving.0)
    .fetch_one(&mut **tx)
    .await?;
    if others == 0 {
        return Err(StoreError::ConflictAt {
            field,
            reason: "this is the last admin: make another account admin first".to_owned(),
        });
    }
    Ok(())
}

async fn end_sessions_in(tx: &mut Tx, id: AccountId, keep: Option<&str>) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM sessions WHERE account_id = $1 AND ($2 IS NULL OR token_hash != $2)",
    )
    .bind(id.0)
    .bind(keep)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Writes one line of the account history in the caller's transaction.
async fn record(
    tx: &mut Tx,
    at: i64,
    actor: Option<&Account>,
    account: Option<AccountId>,
    subject_email: &str,
    action: &str,
    detail: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO account_events (at, actor_id, actor_email, account_id, subject_email, \
         action, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(at)
    .bind(actor.map(|a| a.id.0))
    .bind(actor.map(|a| a.email.as_str()))
    .bind(account.map(|a| a.0))
    .bind(subject_email)
    .bind(action)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
