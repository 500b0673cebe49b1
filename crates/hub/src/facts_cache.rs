//! Every location's facts (the records core reasons over), kept in memory for the member pages
//! (`GET /api/me/access`, explanations, unlock: A1–A5). Loading even one person's facts costs some
//! twenty SQL round trips (~1–2 ms); reading them from memory costs nothing, and core's rules look
//! a person up through its own indexes, so the whole location answers as fast as one person's
//! share (issue 5).
//!
//! Freshness: every write route announces itself through [`AppState::publish`] (the change-notice
//! mechanism the open pages already listen to), which forgets the location's entry (or every
//! entry when the notice names no location) before the route answers, so the next read sees the
//! write. The sync worker writes only Kisi's mirror, which is not part of these facts, so its
//! notices (`sync_changed`) drop only the cached Kisi view (`kisi_views`), not the facts.
//!
//! Writes no notice tells this process about (a `doorlink sync` run, another hub on the same
//! database) are caught by the store's change feed: an entry remembers the facts revision it was
//! built at, and each read compares it with the database's (one single-row read) before reuse.
//!
//! [`AppState::publish`]: crate::state::AppState::publish

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use doorlink_core::{LocationFacts, LocationId};
use doorlink_store::{DataRevision, Store};
use tokio::sync::OnceCell;

use crate::error::ApiResult;

/// One location's facts, loaded once by whichever request needs them first (the others wait for
/// that load instead of repeating it).
type Entry = Arc<OnceCell<Arc<LocationFacts>>>;

#[derive(Debug, Default)]
pub struct FactsCache {
    entries: Mutex<HashMap<LocationId, Revised<Entry>>>,
}

/// A cached value and the store revision counter read before it was built, so it was built from
/// that revision or a later one: a stale-looking entry is at worst reloaded once too often.
#[derive(Debug, Clone)]
pub(crate) struct Revised<T> {
    pub(crate) revision: i64,
    pub(crate) value: T,
}

impl<T: Clone + Default> Revised<T> {
    /// The entry of `key` if it was built at `revision`, else a fresh one tagged with it.
    pub(crate) fn current<K: std::hash::Hash + Eq>(
        entries: &Mutex<HashMap<K, Self>>,
        key: K,
        revision: i64,
    ) -> T {
        let mut entries = lock(entries);
        let entry = entries.entry(key).or_insert_with(|| Self {
            revision,
            value: T::default(),
        });
        if entry.revision != revision {
            *entry = Self {
                revision,
                value: T::default(),
            };
        }
        entry.value.clone()
    }
}

impl FactsCache {
    /// The location's facts, from memory, or loaded from the store when a change dropped them or
    /// the database has moved past the revision they were built at. `revision` is the store's,
    /// read by the caller before this call (one read serves the facts and the Kisi view).
    pub async fn location(
        &self,
        store: &Store,
        location: LocationId,
        revision: DataRevision,
    ) -> ApiResult<Arc<LocationFacts>> {
        let entry = Revised::current(&self.entries, location, revision.facts);
        let facts = entry
            .get_or_try_init(|| async {
                let facts = store.load_location_facts(location).await?;
                tracing::debug!(location = location.0, "location facts loaded into memory");
                ApiResult::Ok(Arc::new(facts))
            })
            .await?;
        Ok(Arc::clone(facts))
    }

    /// Drops what a change may have made stale: one location, or all of them (`None`, e.g. a
    /// person's name or e-mail, which every location names). A load already under way finishes
    /// into the dropped entry, so it serves only the requests that began before the change.
    pub fn forget(&self, location: Option<LocationId>) {
        let mut entries = lock(&self.entries);
        match location {
            Some(location) => {
                entries.remove(&location);
            }
            None => entries.clear(),
        }
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
