//! The `secrets` table: each row a secret sealed by the store's [`SecretBox`] (the Kisi credential
//! of each location, C1), bound to its purpose.

use sqlx::AnyConnection;

use crate::db::Store;
use crate::error::{Result, StoreError};
pub use crate::secret_box::{SECRET_KEY_ENV, Sealed, SecretBox, SecretValue};

/// The id of a row of the `secrets` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretId(pub i64);

/// Encrypted secrets in the database.
#[derive(Debug, Clone, Copy)]
pub struct Secrets<'s> {
    store: &'s Store,
}

impl Store {
    pub fn secrets(&self) -> Secrets<'_> {
        Secrets { store: self }
    }
}

impl Secrets<'_> {
    /// Encrypts and stores `value`; returns the row that now holds it.
    pub async fn put(&self, purpose: &str, value: &SecretValue) -> Result<SecretId> {
        let mut conn = self.store.pool().acquire().await?;
        put_secret(self.store, &mut conn, purpose, value).await
    }

    /// Reads and decrypts a stored secret.
    pub async fn get(&self, id: SecretId) -> Result<SecretValue> {
        let mut conn = self.store.pool().acquire().await?;
        get_secret(self.store, &mut conn, id).await
    }

    pub async fn delete(&self, id: SecretId) -> Result<()> {
        let deleted = sqlx::query("DELETE FROM secrets WHERE id = $1")
            .bind(id.0)
            .execute(self.store.pool())
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::not_found("secret", id.0));
        }
        Ok(())
    }
}

pub(crate) async fn put_secret(
    store: &Store,
    conn: &mut AnyConnection,
    purpose: &str,
    value: &SecretValue,
) -> Result<SecretId> {
    let sealed = store.secret_box().seal(purpose, value)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO secrets (purpose, nonce, ciphertext, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(purpose)
    .bind(&sealed.nonce)
    .bind(&sealed.ciphertext)
    .bind(store.now().timestamp_millis())
    .fetch_one(conn)
    .await?;
    Ok(SecretId(id))
}

/// Deletes a secret inside the caller's write (the row that held it is replaced or gone).
pub(crate) async fn drop_secret(conn: &mut AnyConnection, id: SecretId) -> Result<()> {
    sqlx::query("DELETE FROM secrets WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn get_secret(
    store: &Store,
    conn: &mut AnyConnection,
    id: SecretId,
) -> Result<SecretValue> {
    let row: Option<(String, Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT purpose, nonce, ciphertext FROM secrets WHERE id = $1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    let (purpose, nonce, ciphertext) = row.ok_or_else(|| StoreError::not_found("secret", id.0))?;
    store
        .secret_box()
        .open(&purpose, &Sealed { nonce, ciphertext })
}
