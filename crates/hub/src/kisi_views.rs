//! The Kisi view the Access page and the explainer read (A1–A5), built for one person: the
//! location's mirrored directory (locks, groups) plus only that person's Kisi user state.
//!
//! Each location's view is read from the store once and kept until a change notice drops it
//! ([`AppState::publish`]): the hub's write routes publish one for what they change, and the sync
//! worker publishes one after every outbox entry that changed Kisi or the mirror (a grant, a
//! deleted group found by the reconcile, a new Kisi user). So the cache never needs to expire on
//! a timer, and a request never queries the store for its person's Kisi user.
//!
//! Another process writing the mirror (a `doorlink sync` run, a second hub on the same database)
//! publishes no notice here: each view remembers the store's Kisi revision it was built at and is
//! reloaded once the database's has moved (the caller reads it once, a single-row read, for both
//! the facts and the view).
//!
//! [`AppState::publish`]: crate::state::AppState::publish

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use doorlink_core::{KisiUserState, KisiView, LocationId, Person, PersonId};
use doorlink_store::{DataRevision, Store};
use tokio::sync::OnceCell;

use crate::error::ApiResult;
use crate::facts_cache::{Revised, lock};

/// A location's mirrored Kisi state, split so a request copies the directory and one user only.
#[derive(Debug)]
struct LocationView {
    /// Locks and groups; no users.
    directory: KisiView,
    users: BTreeMap<PersonId, KisiUserState>,
}

/// One location's view, loaded once by whichever request needs it first (the others wait for
/// that load instead of repeating it).
type Entry = Arc<OnceCell<Arc<LocationView>>>;

#[derive(Debug, Default)]
pub struct DirectoryCache {
    entries: Mutex<HashMap<LocationId, Revised<Entry>>>,
}

impl DirectoryCache {
    /// Drops a location's cached view (a change notice named it), or every location's (`None`).
    /// A load already under way finishes into the dropped entry, so it serves only the requests
    /// that began before the change.
    pub fn forget(&self, location: impl Into<Option<LocationId>>) {
        let mut entries = lock(&self.entries);
        match location.into() {
            Some(location) => {
                entries.remove(&location);
            }
            None => entries.clear(),
        }
    }

    /// The view of `location` as it concerns `person` (`None`: a person the location does not
    /// know, whose view then holds no user). `revision` is the store's, read before this call; a
    /// view built at an older one is reloaded from `store`.
    pub async fn for_person(
        &self,
        store: &Store,
        location: LocationId,
        person: Option<&Person>,
        revision: DataRevision,
    ) -> ApiResult<KisiView> {
        let cached = self.location(store, location, revision).await?;
        let mut view = cached.directory.clone();
        if let Some(user) = person.and_then(|p| cached.users.get_key_value(&p.id)) {
            view.users.insert(*user.0, user.1.clone());
        }
        Ok(view)
    }

    async fn location(
        &self,
        store: &Store,
        location: LocationId,
        revision: DataRevision,
    ) -> ApiResult<Arc<LocationView>> {
        let entry = Revised::current(&self.entries, location, revision.kisi);
        let view = entry
            .get_or_try_init(|| async {
                let mut directory = store.kisi_mirror().kisi_view(location).await?;
                let users = std::mem::take(&mut directory.users);
                ApiResult::Ok(Arc::new(LocationView { directory, users }))
            })
            .await?;
        Ok(Arc::clone(view))
    }
}
