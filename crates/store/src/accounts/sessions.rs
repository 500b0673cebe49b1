//! Sessions: made at sign-in, found by the hash of their token while not idle too long, listed
//! and ended by their account or an admin, purged once expired.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::steps::{account_in, active_admin_in, end_sessions_in, record, record_own};
use super::{Account, AccountId, AccountRow, Accounts, IdleTimeout, Session, SessionInfo};
use crate::codec::{instant, millis};
use crate::error::{Result, StoreError, on_constraint};

impl Accounts<'_> {
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
        record_own(&mut tx, now, account, "ended a session").await?;
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
