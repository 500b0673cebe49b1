//! Readers of an offline lock (kisi-api.md, "Door state"; Kisi's "Offline support", OFFLINE):
//! while Kisi cannot reach a lock's controller, its readers keep opening for cards and phones from
//! the access list they cached, and the controller syncs the events when it is back. The emulator
//! models both that (**confirmed**) and its former refusal, as [`OfflineReaders`].
//!
//! - The cache is the access as it was when the lock went offline: the users who then had a
//!   current role on a group holding the lock (or were administrators), confirmed and enabled.
//!   Later changes (a revoked role) do not reach the reader until it is back. **Assumed** detail:
//!   the lock's own time restriction is still applied at the tap; group restrictions are not.
//! - A tap at the offline reader is recorded with the instant it happened, held by the lock, and
//!   enters the event log (`GET /events`) and goes to the webhooks only when the lock is online
//!   again, in the order of the taps, each with its original `created_at`. **Assumed**: how long
//!   Kisi takes to sync, and that the events list then shows them by arrival (newest arrival
//!   first), as the emulator does.
//! - A remote unlock (`POST /locks/{id}/unlock`) still cannot reach an offline lock, and a
//!   locked-down lock opens for no one, offline or not.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use super::events::{Event, EventActor};
use super::places::Lock;
use super::unlock::UnlockContext;
use crate::errors::ApiError;

/// What the reader of an offline lock does with a tap (kept across seeds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfflineReaders {
    /// Refuse every tap ("This door is offline."), recorded and delivered at once: the emulator's
    /// behaviour before Kisi's offline support was modelled.
    #[default]
    Refuse,
    /// Open for whom the cached access list names; deliver the events when back online.
    OpenFromCache,
}

/// What an offline lock's reader holds: its access list from when it went offline, and the taps
/// it has not synced yet.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ReaderCache {
    pub(crate) users: BTreeSet<u64>,
    pub(crate) unsynced: Vec<Event>,
}

impl Store {
    /// Whether readers of offline locks judge taps by their cache ([`OfflineReaders::OpenFromCache`]).
    pub(crate) fn readers_open_from_cache(&self) -> bool {
        self.offline_readers == OfflineReaders::OpenFromCache
    }

    /// The lock `lock_id` went offline at `now`: its reader keeps the access list of that moment.
    pub(crate) fn cache_reader(&mut self, lock_id: u64, now: DateTime<Utc>) {
        let users = self
            .users
            .values()
            .filter(|user| user.confirmed && user.access_enabled)
            .filter(|user| {
                user.admin
                    || self
                        .current_group_ids(user.id, now)
                        .into_iter()
                        .any(|group_id| self.group_contains_lock(group_id, lock_id))
            })
            .map(|user| user.id)
            .collect();
        self.reader_caches.insert(
            lock_id,
            ReaderCache {
                users,
                unsynced: Vec::new(),
            },
        );
    }

    /// The lock `lock_id` is back online: the taps its reader held enter the log and go to the
    /// webhooks, oldest first, with the instants they happened.
    pub(crate) fn sync_reader(&mut self, lock_id: u64) {
        let Some(cache) = self.reader_caches.remove(&lock_id) else {
            return;
        };
        for mut event in cache.unsynced {
            // Kisi's log numbers an event when it learns of it.
            event.id = self.next_id();
            self.publish(event);
        }
    }

    /// A tap at the reader of an offline lock under [`OfflineReaders::OpenFromCache`]: judged by
    /// the cached list (and the lock's own time restriction), held until the lock is back.
    pub(crate) fn tap_offline(
        &mut self,
        user_id: u64,
        lock: &Lock,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let cached = self
            .reader_caches
            .get(&lock.id)
            .is_some_and(|cache| cache.users.contains(&user_id));
        let decision = if cached {
            super::unlock::check_lock_restrictions(
                lock,
                self.places.get(&lock.place_id),
                UnlockContext::tap_at_reader(),
                now,
            )
        } else {
            Err(ApiError::AccessDenied)
        };
        let actor = EventActor::User {
            user_id,
            login_id: None,
        };
        let event = self.unlock_event(actor, lock, decision.as_ref().err(), now);
        self.reader_caches
            .entry(lock.id)
            .or_default()
            .unsynced
            .push(event);
        decision
    }
}
