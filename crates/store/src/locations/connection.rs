//! A location's Kisi connection (C1–C3): base URL, how Doorlink signed in, and where the credential
//! is (a row of `secrets`, encrypted), never the plain secret.
//!
//! The credential is always in the database: the hub may run as several processes on one database
//! (issue 14), where an OS keychain on one machine cannot serve. The `credential_keychain` column of
//! migration 0001 is no longer written or read (always NULL); a row that still names a keychain
//! entry reads as corrupt, with "connect Kisi again" as the way out.

use chrono::{DateTime, Utc};
use doorlink_core::{KisiUserId, LocationId};
use sqlx::{AnyConnection, FromRow};

use super::{Locations, require_location};
use crate::codec::{instant, millis, opt_instant};
use crate::error::{Result, StoreError};
use crate::outbox::{OutboxScope, Priority, enqueue_in};
use crate::secrets::{SecretId, SecretValue, drop_secret, get_secret, put_secret};

/// The purpose a Kisi credential is sealed under (see [`crate::SecretBox::seal`]).
const CREDENTIAL_PURPOSE: &str = "kisi credential";

/// How Doorlink signed in to Kisi (C1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KisiAuth {
    /// With the account owner's e-mail, password and organisation domain; Doorlink created a login
    /// for itself and keeps only that login's secret (never the password).
    OwnerLogin {
        account_email: String,
        organization_domain: String,
        kisi_login_id: Option<i64>,
    },
    /// With an API key the admin pasted.
    ApiKey,
}

/// A location's Kisi connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KisiConnection {
    pub location: LocationId,
    pub base_url: String,
    pub auth: KisiAuth,
    /// The `secrets` row holding the credential, encrypted.
    pub credential: SecretId,
    pub connected_at: DateTime<Utc>,
    /// C3: set when an admin disconnected; no grants or revocations are made from then on. The
    /// credential is kept so that "revoke everything Doorlink granted" stays possible.
    pub disconnected_at: Option<DateTime<Utc>>,
    /// The Kisi user the credential belongs to, learned at connect; Kisi's rate budget is per
    /// user. `None` for connections made before Doorlink kept it.
    pub kisi_user: Option<KisiUserId>,
}

impl KisiConnection {
    pub fn is_active(&self) -> bool {
        self.disconnected_at.is_none()
    }
}

#[derive(FromRow)]
struct ConnectionRow {
    location_id: i64,
    base_url: String,
    auth_kind: String,
    account_email: Option<String>,
    organization_domain: Option<String>,
    kisi_login_id: Option<i64>,
    credential_secret_id: Option<i64>,
    connected_at: i64,
    disconnected_at: Option<i64>,
    kisi_user_id: Option<i64>,
}

impl TryFrom<ConnectionRow> for KisiConnection {
    type Error = StoreError;

    fn try_from(row: ConnectionRow) -> Result<Self> {
        let auth = match row.auth_kind.as_str() {
            "api_key" => KisiAuth::ApiKey,
            "owner_login" => KisiAuth::OwnerLogin {
                account_email: row.account_email.unwrap_or_default(),
                organization_domain: row.organization_domain.unwrap_or_default(),
                kisi_login_id: row.kisi_login_id,
            },
            other => return Err(StoreError::corrupt("kisi_connections", "auth_kind", other)),
        };
        let credential = row.credential_secret_id.map(SecretId).ok_or_else(|| {
            StoreError::corrupt(
                "kisi_connections",
                "credential_secret_id",
                "no credential in the database (an OS keychain entry, which Doorlink no longer \
                 reads: connect Kisi again)",
            )
        })?;
        Ok(Self {
            location: LocationId(row.location_id),
            base_url: row.base_url,
            auth,
            credential,
            connected_at: instant("kisi_connections", "connected_at", row.connected_at)?,
            disconnected_at: opt_instant(
                "kisi_connections",
                "disconnected_at",
                row.disconnected_at,
            )?,
            kisi_user: row.kisi_user_id.map(KisiUserId),
        })
    }
}

impl Locations<'_> {
    /// Connects (or reconnects) the location to Kisi (C1), keeping the credential encrypted, and
    /// asks sync for a full reconcile of the location.
    pub async fn connect(
        &self,
        location: LocationId,
        base_url: &str,
        auth: &KisiAuth,
        credential: &SecretValue,
    ) -> Result<KisiConnection> {
        StoreError::require_text("base_url", base_url)?;
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        require_location(&mut tx, location).await?;
        let previous_secret = connection_secret(&mut tx, location).await?;
        let secret_id = put_secret(self.store, &mut tx, CREDENTIAL_PURPOSE, credential).await?;
        let (kind, email, domain, login) = match auth {
            KisiAuth::ApiKey => ("api_key", None, None, None),
            KisiAuth::OwnerLogin {
                account_email,
                organization_domain,
                kisi_login_id,
            } => (
                "owner_login",
                Some(account_email.as_str()),
                Some(organization_domain.as_str()),
                *kisi_login_id,
            ),
        };
        sqlx::query(
            "INSERT INTO kisi_connections (location_id, base_url, auth_kind, account_email, \
                 organization_domain, kisi_login_id, credential_secret_id, connected_at, \
                 disconnected_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL) \
             ON CONFLICT (location_id) DO UPDATE SET \
                 base_url = excluded.base_url, auth_kind = excluded.auth_kind, \
                 account_email = excluded.account_email, \
                 organization_domain = excluded.organization_domain, \
                 kisi_login_id = excluded.kisi_login_id, \
                 credential_secret_id = excluded.credential_secret_id, \
                 credential_keychain = NULL, \
                 connected_at = excluded.connected_at, disconnected_at = NULL, \
                 kisi_user_id = NULL",
        )
        .bind(location.0)
        .bind(base_url.trim())
        .bind(kind)
        .bind(email)
        .bind(domain)
        .bind(login)
        .bind(secret_id.0)
        .bind(millis(now))
        .execute(&mut *tx)
        .await?;
        if let Some(old) = previous_secret {
            drop_secret(&mut tx, old).await?;
        }
        enqueue_in(
            &mut tx,
            now,
            OutboxScope::Location(location),
            Priority::Bulk,
            "connected to Kisi",
        )
        .await?;
        let connection = load_connection(&mut tx, location)
            .await?
            .ok_or_else(|| StoreError::not_found("Kisi connection", location.0))?;
        tx.commit().await?;
        tracing::info!(location = location.0, "Kisi connection saved");
        Ok(connection)
    }

    /// Remembers whose Kisi user the connection's credential is (`GET /user` at connect).
    pub async fn set_kisi_user(&self, location: LocationId, user: KisiUserId) -> Result<()> {
        let done =
            sqlx::query("UPDATE kisi_connections SET kisi_user_id = $1 WHERE location_id = $2")
                .bind(user.0)
                .bind(location.0)
                .execute(self.store.pool())
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("Kisi connection", location.0));
        }
        Ok(())
    }

    pub async fn connection(&self, location: LocationId) -> Result<Option<KisiConnection>> {
        let mut conn = self.store.pool().acquire().await?;
        load_connection(&mut conn, location).await
    }

    /// The credential for the Kisi client, decrypted.
    pub async fn credential(&self, location: LocationId) -> Result<SecretValue> {
        let mut conn = self.store.pool().acquire().await?;
        let connection = load_connection(&mut conn, location)
            .await?
            .ok_or_else(|| StoreError::not_found("Kisi connection", location.0))?;
        get_secret(self.store, &mut conn, connection.credential).await
    }

    /// C3: stops all future grants and revocations at the location. What is in Kisi stays; the
    /// credential is kept for an explicit "revoke everything" later.
    pub async fn disconnect(&self, location: LocationId) -> Result<KisiConnection> {
        let mut tx = self.store.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE kisi_connections SET disconnected_at = $1 \
             WHERE location_id = $2 AND disconnected_at IS NULL",
        )
        .bind(millis(self.store.now()))
        .bind(location.0)
        .execute(&mut *tx)
        .await?;
        let connection = load_connection(&mut tx, location)
            .await?
            .ok_or_else(|| StoreError::not_found("Kisi connection", location.0))?;
        tx.commit().await?;
        if updated.rows_affected() == 1 {
            tracing::info!(location = location.0, "Kisi connection disconnected");
        }
        Ok(connection)
    }

    /// Removes the connection and its encrypted credential altogether.
    pub async fn forget_connection(&self, location: LocationId) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let secret = connection_secret(&mut tx, location).await?;
        let deleted = sqlx::query("DELETE FROM kisi_connections WHERE location_id = $1")
            .bind(location.0)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::not_found("Kisi connection", location.0));
        }
        if let Some(secret) = secret {
            drop_secret(&mut tx, secret).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn connection_secret(
    conn: &mut AnyConnection,
    location: LocationId,
) -> Result<Option<SecretId>> {
    let secret: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT credential_secret_id FROM kisi_connections WHERE location_id = $1",
    )
    .bind(location.0)
    .fetch_optional(conn)
    .await?;
    Ok(secret.flatten().map(SecretId))
}

async fn load_connection(
    conn: &mut AnyConnection,
    location: LocationId,
) -> Result<Option<KisiConnection>> {
    let row: Option<ConnectionRow> = sqlx::query_as(
        "SELECT location_id, base_url, auth_kind, account_email, organization_domain, \
                kisi_login_id, credential_secret_id, connected_at, disconnected_at, \
                kisi_user_id \
         FROM kisi_connections WHERE location_id = $1",
    )
    .bind(location.0)
    .fetch_optional(conn)
    .await?;
    row.map(KisiConnection::try_from).transpose()
}
