//! What the person's facts and Doorlink's view of Kisi say at one location: the snapshot every
//! answer under `/api/me` (and the front desk's view of a person) is read from.

use std::sync::Arc;

use doorlink_api::me::KisiConfirmation;
use doorlink_core::{
    KisiLockId, KisiUserState, KisiView, Location, LocationFacts, LocationId, PersonId,
};

use crate::error::{ApiError, ApiResult};
use crate::kisi_status::{self, Audience};
use crate::routes::filtered_locations;
use crate::state::AppState;

/// What the person's facts and Doorlink's view of Kisi say at one location.
pub(in crate::routes) struct Snapshot {
    pub(in crate::routes) location: Location,
    pub(in crate::routes) facts: Arc<LocationFacts>,
    pub(in crate::routes) view: KisiView,
}

impl Snapshot {
    /// Whether the location's Kisi directory (as the person's view has it) lists the lock.
    pub(in crate::routes) fn has_lock(&self, lock: KisiLockId) -> bool {
        self.view.lock(lock).is_some()
    }

    /// Whether Doorlink's mirror holds the person's Kisi user (sync wrote it), when the view
    /// states access that needs one.
    fn written(&self, person: PersonId, states_access: bool) -> bool {
        !states_access
            || self
                .view
                .user(person)
                .is_some_and(|user| !matches!(user, KisiUserState::NotCreated))
    }

    /// Issue 17: whether Kisi confirmed the person's access here, in the reader's words.
    pub(super) async fn confirmation(
        &self,
        state: &AppState,
        person: PersonId,
        states_access: bool,
        audience: Audience,
    ) -> ApiResult<KisiConfirmation> {
        kisi_status::confirmation(
            state,
            self.location.id,
            person,
            self.written(person, states_access),
            audience,
        )
        .await
    }
}

/// Both come from memory unless the store's revision moved since they were cached (another hub
/// or a `doorlink sync` run wrote to the shared database): one single-row read per snapshot.
pub(in crate::routes) async fn snapshot(
    state: &AppState,
    location: LocationId,
    person: PersonId,
) -> ApiResult<Snapshot> {
    let revision = state.store().data_revision().await?;
    let facts = state
        .facts_cache()
        .location(state.store(), location, revision)
        .await?;
    let view = state
        .directory_cache()
        .for_person(state.store(), location, facts.person(person), revision)
        .await?;
    Ok(Snapshot {
        location: facts.location().clone(),
        facts,
        view,
    })
}

/// Finds the location of a lock: the one named, else the first whose Kisi directory lists it.
pub(in crate::routes) async fn snapshot_for_lock(
    state: &AppState,
    person: PersonId,
    lock: KisiLockId,
    location: Option<i64>,
) -> ApiResult<Snapshot> {
    let candidates = filtered_locations(state, location).await?;
    let mut first = None;
    for location in candidates {
        let snapshot = snapshot(state, location, person).await?;
        if snapshot.view.lock(lock).is_some() {
            return Ok(snapshot);
        }
        first.get_or_insert(snapshot);
    }
    first.ok_or_else(|| ApiError::not_found(format!("lock {lock}")))
}
