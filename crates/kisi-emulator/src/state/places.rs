//! Places and their locks, with the locks' restriction flags (kisi-api.md, "Places, locks, groups").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::errors::ApiError;

/// Geofence radius a lock gets unless the seed says otherwise, in meters.
pub const DEFAULT_GEOFENCE_RADIUS_METERS: u32 = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: u64,
    pub name: String,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    /// IANA name, e.g. `Europe/Berlin`.
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lock {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub place_id: u64,
    pub online: bool,
    pub configured: bool,
    pub locked_down: bool,
    pub reader_restriction_enabled: bool,
    pub geofence_restriction_enabled: bool,
    /// Meters around the lock's place within which a geofenced unlock succeeds.
    pub geofence_restriction_radius: u32,
    pub time_restriction_enabled: bool,
    /// The zone the time restriction's allowed hours are read in (the place's zone by default).
    pub time_restriction_time_zone: String,
}

/// What a lock reports about itself besides its settings: whether Kisi reaches its controller, and
/// whether an administrator locked it down (no unlock succeeds then, not even an admin's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockState {
    pub online: bool,
    pub locked_down: bool,
}

/// The three restriction flags a lock or a group can carry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restrictions {
    #[serde(default)]
    pub reader: bool,
    #[serde(default)]
    pub geofence: bool,
    #[serde(default)]
    pub time: bool,
}

impl Store {
    /// Removes a lock behind Doorlink's back, with its group memberships.
    pub(crate) fn delete_lock(&mut self, id: u64) -> Result<(), ApiError> {
        self.locks.remove(&id).ok_or(ApiError::Forbidden)?;
        self.group_locks
            .retain(|_, group_lock| group_lock.lock_id != id);
        Ok(())
    }

    /// Sets a lock's state at `now`. Going offline, its reader caches the access of that moment;
    /// back online, the reader syncs the taps it held (`state/offline.rs`).
    pub(crate) fn set_lock_state(
        &mut self,
        id: u64,
        state: LockState,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let lock = self.locks.get_mut(&id).ok_or(ApiError::Forbidden)?;
        let was_online = lock.online;
        lock.online = state.online;
        lock.locked_down = state.locked_down;
        match (was_online, state.online) {
            (true, false) => self.cache_reader(id, now),
            (false, true) => self.sync_reader(id),
            _ => {}
        }
        Ok(())
    }

    pub(crate) fn set_lock_restrictions(
        &mut self,
        id: u64,
        restrictions: Restrictions,
    ) -> Result<(), ApiError> {
        let lock = self.locks.get_mut(&id).ok_or(ApiError::Forbidden)?;
        lock.reader_restriction_enabled = restrictions.reader;
        lock.geofence_restriction_enabled = restrictions.geofence;
        lock.time_restriction_enabled = restrictions.time;
        Ok(())
    }
}
