//! Kisi disconnections (R15): Doorlink stops managing a person in Kisi at a location, keeping or
//! deleting their Kisi user, until they are reconnected. Each write enqueues the person at the
//! location in the same transaction.

use doorlink_core::{DisconnectMode, KisiDisconnection, LocationId, PersonId};

use crate::codec::{TextEnum, millis};
use crate::db::Store;
use crate::error::Result;
use crate::locations::require_location;
use crate::outbox::{OutboxScope, Priority, enqueue_in};
use crate::people::require_person;
use crate::person_state::{PersonState, lift};

/// The repository of Kisi disconnections (R15).
#[derive(Debug, Clone, Copy)]
pub struct KisiDisconnections<'s> {
    store: &'s Store,
}

impl Store {
    pub fn kisi_disconnections(&self) -> KisiDisconnections<'_> {
        KisiDisconnections { store: self }
    }
}

impl KisiDisconnections<'_> {
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
        enqueue_in(
            &mut tx,
            now,
            OutboxScope::Person { location, person },
            Priority::Urgent,
            "disconnected from Kisi",
        )
        .await?;
        tx.commit().await?;
        Ok(KisiDisconnection { person, mode })
    }

    /// Undoes [`KisiDisconnections::disconnect_person`]: Doorlink manages the person in Kisi again.
    pub async fn reconnect_person(&self, location: LocationId, person: PersonId) -> Result<()> {
        lift(
            self.store,
            PersonState::KisiDisconnection,
            location,
            person,
            "reconnected to Kisi",
        )
        .await
    }
}
