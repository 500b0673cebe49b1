//! Holds (R14: a person's door access at a location on hold, kept in Doorlink, revoked in Kisi).
//! Each write enqueues the person at the location in the same transaction.

use doorlink_core::{Hold, LocationId, PersonId};

use crate::codec::{instant, millis};
use crate::db::Store;
use crate::error::Result;
use crate::locations::require_location;
use crate::outbox::{OutboxScope, Priority, enqueue_in};
use crate::people::require_person;
use crate::person_state::{PersonState, lift};

/// The repository of holds (R14).
#[derive(Debug, Clone, Copy)]
pub struct Holds<'s> {
    store: &'s Store,
}

impl Store {
    pub fn holds(&self) -> Holds<'_> {
        Holds { store: self }
    }
}

impl Holds<'_> {
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
        enqueue_in(
            &mut tx,
            now,
            OutboxScope::Person { location, person },
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
        lift(
            self.store,
            PersonState::Hold,
            location,
            person,
            "door access re-enabled",
        )
        .await
    }
}
