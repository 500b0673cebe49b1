//! A person's state at a location kept as one row (a hold, R14; a Kisi disconnection, R15):
//! lifting it deletes the row and asks sync to write the person's access again, both in one
//! transaction, so Kisi never misses the change and never acts on one rolled back.

use doorlink_core::{LocationId, PersonId};

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::outbox::{OutboxScope, Priority, enqueue_in};

/// The states kept this way.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PersonState {
    Hold,
    KisiDisconnection,
}

impl PersonState {
    fn delete(self) -> &'static str {
        match self {
            Self::Hold => "DELETE FROM holds WHERE location_id = $1 AND person_id = $2",
            Self::KisiDisconnection => {
                "DELETE FROM kisi_disconnections WHERE location_id = $1 AND person_id = $2"
            }
        }
    }

    /// What NotFound names when the person has no such row.
    fn entity(self) -> &'static str {
        match self {
            Self::Hold => "hold on person",
            Self::KisiDisconnection => "Kisi disconnection of person",
        }
    }
}

/// Deletes the person's `state` row at `location` (NotFound when there is none) and enqueues the
/// person urgently with `reason`.
pub(crate) async fn lift(
    store: &Store,
    state: PersonState,
    location: LocationId,
    person: PersonId,
    reason: &str,
) -> Result<()> {
    let now = store.now();
    let mut tx = store.begin_write().await?;
    let deleted = sqlx::query(state.delete())
        .bind(location.0)
        .bind(person.0)
        .execute(&mut *tx)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::not_found(state.entity(), person.0));
    }
    enqueue_in(
        &mut tx,
        now,
        OutboxScope::Person { location, person },
        Priority::Urgent,
        reason,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
