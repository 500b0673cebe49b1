//! Changes to an account (its role, disabled or not, its password) and the events log that records
//! each; the last enabled admin is never demoted or disabled.

use sqlx::FromRow;

use super::steps::{
    account_in, active_admin_in, end_sessions_in, keep_an_admin, record, record_own,
};
use super::{Account, AccountEvent, AccountId, AccountRole, AccountRow, Accounts};
use crate::codec::{instant, millis};
use crate::error::Result;

impl Accounts<'_> {
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
        record_own(&mut tx, now, account, "changed the password").await?;
        tx.commit().await?;
        Ok(())
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
}
