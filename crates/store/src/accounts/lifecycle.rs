//! Accounts made, found and listed: by the demo, the first admin, the configured bootstrap admin,
//! and each account's person (issue 17: every account opens its own doors).

use doorlink_core::{Email, PersonId};
use sqlx::FromRow;

use super::steps::{account_id_by_email, end_sessions_in, person_of, record};
use super::{Account, AccountId, AccountRole, AccountRow, Accounts};
use crate::codec::millis;
use crate::error::{Result, StoreError, on_constraint};

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
}
