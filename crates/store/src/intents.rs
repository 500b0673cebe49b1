//! I4 across a crash: the intent to create a managed Kisi user is written before the call, so a
//! create whose answer was lost (a crash, a timeout where Kisi acted) is recognised as Doorlink's
//! own when the retry finds the user by e-mail, instead of being linked as foreign (and then left
//! in Kisi by R15's "delete Kisi user").

use doorlink_core::{Email, LocationId, PersonId};

use crate::codec::millis;
use crate::db::Store;
use crate::error::Result;

/// The create-intent repository.
#[derive(Debug, Clone, Copy)]
pub struct Intents<'s> {
    store: &'s Store,
}

impl Store {
    pub fn intents(&self) -> Intents<'_> {
        Intents { store: self }
    }
}

impl Intents<'_> {
    /// I4: Doorlink is about to create a managed Kisi user for `person` with `email`.
    pub async fn record_user_intent(
        &self,
        location: LocationId,
        person: PersonId,
        email: &Email,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO kisi_user_intents (location_id, person_id, email, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (location_id, person_id, email) DO NOTHING",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(email.as_str().to_lowercase())
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// I4: whether Doorlink set out to create a Kisi user with `email` for `person` before (a
    /// create whose answer was lost).
    pub async fn user_intended(
        &self,
        location: LocationId,
        person: PersonId,
        email: &str,
    ) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM kisi_user_intents \
             WHERE location_id = $1 AND person_id = $2 AND email = $3",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(email.to_lowercase())
        .fetch_optional(self.store.pool())
        .await?;
        Ok(found.is_some())
    }

    /// The person is linked: the intents are settled.
    pub async fn clear_user_intents(&self, location: LocationId, person: PersonId) -> Result<()> {
        sqlx::query("DELETE FROM kisi_user_intents WHERE location_id = $1 AND person_id = $2")
            .bind(location.0)
            .bind(person.0)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }
}
