//! Holds (R14: access on hold, kept in Doorlink, revoked in Kisi) and Kisi disconnections (R15).

use doorlink_core::{DisconnectMode, Hold, KisiDisconnection, LocationId, PersonId};

use super::{Passes, enqueue_person};
use crate::codec::{TextEnum, instant, millis};
use crate::error::{Result, StoreError};
use crate::locations::require_location;
use crate::outbox::Priority;
use crate::people::require_person;

impl Passes<'_> {
    /// R14: puts the person's door access at the location on hold. Holding twice keeps the first.
    pub async fn hold(&self, location: LocationId, person: PersonId) -> Result<Hold> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        require_location(&mut tx, location).await?;
        require_person(&mut tx, person).await?;
        sqlx::query(
            "INSERT INTO holds (location_id, person_id, since) VALUES ($1, $2, $3) \
             ON CONFLICT (location_id, person_id) DO NOTHING",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(millis(now))
        .execute(&mut *tx)
        .await?;
        let since: i64 =
            sqlx::query_scalar("SELECT since FROM holds WHERE location_id = $1 AND person_id = $2")
                .bind(location.0)
                .bind(person.0)
                .fetch_one(&mut *tx)
                .await?;
        enqueue_person(
            &mut tx,
            now,
            location,
            person,
            Priority::Urgent,
            "door access put on hold",
        )
        .await?;
        tx.commit().await?;
        Ok(Hold {
            person,
            since: instant("holds", "since", since)?,
        })
    }

    /// R14: re-enables the person's door access; their grants are written again.
    pub async fn release_hold(&self, location: LocationId, person: PersonId) -> Result<()> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let deleted = sqlx::query("DELETE FROM holds WHERE location_id = $1 AND person_id = $2")
            .bind(location.0)
            .bind(person.0)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::not_found("hold on person", person.0));
        }
        enqueue_person(
            &mut tx,
            now,
            location,
            person,
            Priority::Urgent,
            "door access re-enabled",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// R15: stops managing the person in Kisi at the location, keeping or deleting their Kisi user.
    pub async fn disconnect_person(
        &self,
        location: LocationId,
        person: PersonId,
        mode: DisconnectMode,
    ) -> Result<KisiDisconnection> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        require_location(&mut tx, location).await?;
        require_person(&mut tx, person).await?;
        sqlx::query(
            "INSERT INTO kisi_disconnections (location_id, person_id, mode, since) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (location_id, person_id) DO UPDATE SET mode = excluded.mode",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(mode.as_text())
        .bind(millis(now))
        .execute(&mut *tx)
        .await?;
        enqueue_person(
            &mut tx,
            now,
            location,
            person,
            Priority::Urgent,
            "disconnected from Kisi",
        )
        .await?;
        tx.commit().await?;
        Ok(KisiDisconnection { person, mode })
    }

    /// Undoes [`Passes::disconnect_person`]: Doorlink manages the person in Kisi again.
    pub async fn reconnect_person(&self, location: LocationId, person: PersonId) -> Result<()> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let deleted = sqlx::query(
            "DELETE FROM kisi_disconnections WHERE location_id = $1 AND person_id = $2",
        )
        .bind(location.0)
        .bind(person.0)
        .execute(&mut *tx)
        .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::not_found(
                "Kisi disconnection of person",
                person.0,
            ));
        }
        enqueue_person(
            &mut tx,
            now,
            location,
            person,
            Priority::Urgent,
            "reconnected to Kisi",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
