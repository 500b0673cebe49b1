//! The Kisi view the Access page and the explainer read (A1–A5), built for one person: the
//! location's catalogue (locks, groups) from a short-lived cache, plus only that person's Kisi
//! user. The store's whole-location view also loads every linked user, which is what a busy
//! `GET /api/me/access` must not pay for on each request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use doorlink_core::{Email, KisiUserId, KisiUserState, KisiView, LocationId, Person};

use crate::error::ApiResult;
use crate::state::AppState;

/// How long a location's catalogue is reused: the catalogue changes only when sync reads Kisi
/// again, and an Access page a few seconds behind that is fine.
const CATALOGUE_TTL: Duration = Duration::from_secs(2);

#[derive(Debug, Default)]
pub struct CatalogueCache {
    entries: Mutex<HashMap<LocationId, (Instant, KisiView)>>,
}

impl CatalogueCache {
    /// Drops a location's cached catalogue (after connect, disconnect or a refresh), or every
    /// location's (`None`).
    pub fn forget(&self, location: impl Into<Option<LocationId>>) {
        let mut entries = lock(&self.entries);
        match location.into() {
            Some(location) => {
                entries.remove(&location);
            }
            None => entries.clear(),
        }
    }

    fn get(&self, location: LocationId) -> Option<KisiView> {
        lock(&self.entries)
            .get(&location)
            .filter(|(at, _)| at.elapsed() < CATALOGUE_TTL)
            .map(|(_, view)| view.clone())
    }

    fn put(&self, location: LocationId, view: KisiView) {
        lock(&self.entries).insert(location, (Instant::now(), view));
    }
}

/// The view of `location` as it concerns `person` (`None`: a person the location does not know,
/// whose view then holds no user).
pub async fn for_person(
    state: &AppState,
    location: LocationId,
    person: Option<&Person>,
) -> ApiResult<KisiView> {
    let mut view = match state.catalogue_cache().get(location) {
        Some(view) => view,
        None => {
            let mut full = state.store().kisi_mirror().kisi_view(location).await?;
            full.users.clear();
            state.catalogue_cache().put(location, full.clone());
            full
        }
    };
    let Some(person) = person else {
        return Ok(view);
    };
    if let Some(user) = state
        .store()
        .kisi_mirror()
        .user(location, person.id)
        .await?
    {
        view.users.insert(
            person.id,
            user_state(
                &person.email,
                user.kisi_user,
                &user.kisi_email,
                user.confirmed,
            ),
        );
    }
    Ok(view)
}

/// I2/I3: how the person's linked Kisi user stands (the same reading as the store's view).
fn user_state(email: &Email, user: KisiUserId, kisi_email: &str, confirmed: bool) -> KisiUserState {
    if !confirmed {
        return KisiUserState::UnconfirmedRegular { user };
    }
    match Email::parse(kisi_email) {
        Ok(kisi) if &kisi == email => KisiUserState::Managed { user },
        Ok(kisi) => KisiUserState::EmailDrift {
            user,
            kisi_email: kisi,
        },
        Err(_) => KisiUserState::Managed { user },
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
