//! The steps the accounts' writes share inside one transaction: reading an account, finding or
//! making its person, the last-admin rule, ending sessions, and recording an account event.

use doorlink_core::Email;

use super::{Account, AccountId, AccountRow};
use crate::error::{Result, StoreError};

pub(super) type Tx = sqlx::Transaction<'static, sqlx::Any>;

pub(super) async fn account_in(tx: &mut Tx, id: AccountId) -> Result<Account> {
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
pub(super) async fn person_of(
    tx: &mut Tx,
    email: &Email,
    name: Option<&str>,
    now: i64,
) -> Result<i64> {
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
pub(super) fn name_in(email: &Email) -> String {
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

pub(super) async fn account_id_by_email(tx: &mut Tx, email: &Email) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// The actor, read again inside the transaction: still an enabled admin, or refused.
pub(super) async fn active_admin_in(tx: &mut Tx, id: AccountId) -> Result<Account> {
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
pub(super) async fn keep_an_admin(
    tx: &mut Tx,
    leaving: AccountId,
    field: &'static str,
) -> Result<()> {
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

pub(super) async fn end_sessions_in(tx: &mut Tx, id: AccountId, keep: Option<&str>) -> Result<u64> {
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
pub(super) async fn record(
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

/// Records what an account did to itself (changed its password, ended one of its sessions).
pub(super) async fn record_own(
    tx: &mut Tx,
    at: i64,
    account: &Account,
    action: &str,
) -> Result<()> {
    record(
        tx,
        at,
        Some(account),
        Some(account.id),
        account.email.as_str(),
        action,
        None,
    )
    .await
}
