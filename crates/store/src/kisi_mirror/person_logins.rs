//! Each person's own Kisi login at a location (A4), sealed with the store's key. Kisi allows 40
//! logins per user and expires the oldest beyond that, so a login is made once and reused across
//! hub restarts; it is forgotten when the location disconnects (C3), when the person is disconnected
//! or their Kisi user deleted (R15, through [`KisiMirror::forget_person`]), and when Kisi refuses it.

use doorlink_core::{KisiUserId, LocationId, PersonId};

use super::KisiMirror;
use crate::codec::millis;
use crate::error::Result;
use crate::secrets::{Sealed, SecretValue};

/// A person's own Kisi login: the Kisi user it speaks for and its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonKisiLogin {
    pub kisi_user: KisiUserId,
    /// The e-mail of the Kisi user the login was made for.
    pub email: String,
    pub secret: SecretValue,
}

/// person, Kisi user, e-mail, nonce, ciphertext.
type PersonLoginRow = (i64, i64, String, Vec<u8>, Vec<u8>);

/// The AEAD purpose of a person's login secret: a ciphertext copied into another person's or
/// location's row does not open.
fn purpose(location: LocationId, person: PersonId) -> String {
    format!("Kisi login of person {person} at location {location}")
}

impl KisiMirror<'_> {
    /// The person's stored Kisi login at the location, decrypted, if Doorlink made one.
    pub async fn person_login(
        &self,
        location: LocationId,
        person: PersonId,
    ) -> Result<Option<PersonKisiLogin>> {
        let row: Option<(i64, String, Vec<u8>, Vec<u8>)> = sqlx::query_as(
            "SELECT kisi_user_id, kisi_email, secret_nonce, secret_ciphertext \
             FROM kisi_person_logins WHERE location_id = $1 AND person_id = $2",
        )
        .bind(location.0)
        .bind(person.0)
        .fetch_optional(self.store.pool())
        .await?;
        let Some((user, email, nonce, ciphertext)) = row else {
            return Ok(None);
        };
        let secret = self
            .store
            .secret_box()
            .open(&purpose(location, person), &Sealed { nonce, ciphertext })?;
        Ok(Some(PersonKisiLogin {
            kisi_user: KisiUserId(user),
            email,
            secret,
        }))
    }

    /// Every person's stored Kisi login at the location, decrypted (to sign them out at C3).
    pub async fn person_logins(
        &self,
        location: LocationId,
    ) -> Result<Vec<(PersonId, PersonKisiLogin)>> {
        let rows: Vec<PersonLoginRow> = sqlx::query_as(
            "SELECT person_id, kisi_user_id, kisi_email, secret_nonce, secret_ciphertext \
             FROM kisi_person_logins WHERE location_id = $1 ORDER BY person_id",
        )
        .bind(location.0)
        .fetch_all(self.store.pool())
        .await?;
        let mut logins = Vec::with_capacity(rows.len());
        for (person, user, email, nonce, ciphertext) in rows {
            let person = PersonId(person);
            let secret = self
                .store
                .secret_box()
                .open(&purpose(location, person), &Sealed { nonce, ciphertext })?;
            logins.push((
                person,
                PersonKisiLogin {
                    kisi_user: KisiUserId(user),
                    email,
                    secret,
                },
            ));
        }
        Ok(logins)
    }

    /// Stores (or replaces) the person's Kisi login at the location, its secret sealed.
    pub async fn save_person_login(
        &self,
        location: LocationId,
        person: PersonId,
        login: &PersonKisiLogin,
    ) -> Result<()> {
        let sealed = self
            .store
            .secret_box()
            .seal(&purpose(location, person), &login.secret)?;
        sqlx::query(
            "INSERT INTO kisi_person_logins (location_id, person_id, kisi_user_id, kisi_email, \
                 secret_nonce, secret_ciphertext, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (location_id, person_id) DO UPDATE SET \
                 kisi_user_id = excluded.kisi_user_id, kisi_email = excluded.kisi_email, \
                 secret_nonce = excluded.secret_nonce, \
                 secret_ciphertext = excluded.secret_ciphertext, created_at = excluded.created_at",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(login.kisi_user.0)
        .bind(&login.email)
        .bind(&sealed.nonce)
        .bind(&sealed.ciphertext)
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Forgets the person's login at the location (Kisi refused it); true when there was one.
    pub async fn forget_person_login(
        &self,
        location: LocationId,
        person: PersonId,
    ) -> Result<bool> {
        let deleted =
            sqlx::query("DELETE FROM kisi_person_logins WHERE location_id = $1 AND person_id = $2")
                .bind(location.0)
                .bind(person.0)
                .execute(self.store.pool())
                .await?;
        Ok(deleted.rows_affected() > 0)
    }

    /// C3: forgets every person's login at the location; returns how many there were.
    pub async fn forget_person_logins(&self, location: LocationId) -> Result<u64> {
        let deleted = sqlx::query("DELETE FROM kisi_person_logins WHERE location_id = $1")
            .bind(location.0)
            .execute(self.store.pool())
            .await?;
        Ok(deleted.rows_affected())
    }
}
