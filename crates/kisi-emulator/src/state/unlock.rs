//! Who may open which lock, now: the rules `POST /locks/{id}/unlock` and a user's own
//! `GET /locks` enforce (kisi-api.md, "Places, locks, groups" and "Users and access rights").
//!
//! - A user needs a confirmed e-mail and a role assignment valid now on a group that contains the
//!   lock; the owner and administrators may open every lock.
//! - Lock-level restrictions apply to everyone. Group-level restrictions combine as a union: the
//!   unlock succeeds when any of the user's current groups with the lock lets it through; when none
//!   does, the first group's (lowest id) failure is answered.
//! - Reader restriction: needs `lock.proximity_proof` (a desktop never has one) → `bb5bbff`.
//! - Geofence restriction: needs `context.location` within the lock's radius of its place.
//! - Time restriction: allowed from [`TIME_RESTRICTION_OPENS_HOUR`] to
//!   [`TIME_RESTRICTION_CLOSES_HOUR`] local time (the lock's time zone), every day.
//! - App access (`login_enabled`) off: the group gives no access from an app (`current_group_ids`).
//! - Primary-device restriction: the group lets only the user's primary device through, i.e. a
//!   login the user made by signing in, never one an admin made on their behalf (Doorlink's).
//! - Access links ignore reader and geofence restrictions; time restrictions still apply.
//! - A tap at the reader (card or phone, `Store::tap`) is judged as an unlock by that user made in
//!   person: the reader and geofence restrictions are satisfied by being there, and no login (so
//!   no primary-device question) is involved. **Assumed** (kisi-api.md, "Group links, events").
//! - A locked-down lock opens for no one, admins and access links included ("once enabled no
//!   unlock actions can take place", Kisi's lockdown article); an offline lock cannot be reached
//!   by a remote unlock. Both answers are assumed (errors.rs). A tap at an offline lock's reader
//!   is refused too, or judged by the reader's cached list under
//!   `OfflineReaders::OpenFromCache` (`state/offline.rs`).

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;

use super::Store;
use super::access::window_contains;
use super::events::EventActor;
use super::logins::Principal;
use super::places::{Lock, Place, Restrictions};
use crate::errors::ApiError;

/// Time-restricted doors open at this local hour ...
pub const TIME_RESTRICTION_OPENS_HOUR: u32 = 8;
/// ... and close at this one (exclusive).
pub const TIME_RESTRICTION_CLOSES_HOUR: u32 = 20;
const EARTH_RADIUS_METERS: f64 = 6_371_000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Coordinates {
    pub(crate) latitude: f64,
    pub(crate) longitude: f64,
}

/// What the unlock request proves about where the person stands.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct UnlockContext {
    pub(crate) location: Option<Coordinates>,
    pub(crate) proximity_proof: bool,
    /// Standing at the door in person (a tap at the reader): satisfies the geofence.
    pub(crate) at_the_door: bool,
}

impl UnlockContext {
    /// A card or phone presented at the reader: proximity proven, at the door.
    pub(crate) fn tap_at_reader() -> Self {
        Self {
            location: None,
            proximity_proof: true,
            at_the_door: true,
        }
    }
}

impl Store {
    /// Decides an unlock and records it in the event log, success or not.
    pub(crate) fn unlock(
        &mut self,
        principal: Principal,
        lock_id: u64,
        context: UnlockContext,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let lock = self.locks.get(&lock_id).ok_or(ApiError::Forbidden)?.clone();
        let decision = door_state_allows_unlock(&lock).and_then(|()| match principal {
            Principal::User { user_id, login_id } => {
                let primary_device = self.logins.get(&login_id).is_some_and(|l| l.from_sign_in);
                self.user_may_unlock(user_id, primary_device, &lock, context, now)
            }
            Principal::Link { link_id } => self.link_may_unlock(link_id, &lock, now),
        });
        self.record_unlock(principal.into(), &lock, decision.as_ref().err(), now);
        decision
    }

    /// Someone presents their card or phone at the lock's reader: the same rules as an unlock by
    /// that user, in person ([`UnlockContext::tap_at_reader`]; the user's own credential, so the
    /// primary-device restriction is met), recorded as that user's event with no login.
    /// `Forbidden` for an unknown lock, `Unauthorized` for an unknown user (nothing recorded).
    pub(crate) fn tap(
        &mut self,
        user_id: u64,
        lock_id: u64,
        now: DateTime<Utc>,
    ) -> Result<Result<(), ApiError>, ApiError> {
        let lock = self.locks.get(&lock_id).ok_or(ApiError::Forbidden)?.clone();
        if !self.users.contains_key(&user_id) {
            return Err(ApiError::Unauthorized);
        }
        if !lock.online && !lock.locked_down && self.readers_open_from_cache() {
            return Ok(self.tap_offline(user_id, &lock, now));
        }
        let decision = door_state_allows_unlock(&lock).and_then(|()| {
            self.user_may_unlock(user_id, true, &lock, UnlockContext::tap_at_reader(), now)
        });
        let actor = EventActor::User {
            user_id,
            login_id: None,
        };
        self.record_unlock(actor, &lock, decision.as_ref().err(), now);
        Ok(decision)
    }

    fn user_may_unlock(
        &self,
        user_id: u64,
        primary_device: bool,
        lock: &Lock,
        context: UnlockContext,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let user = self.users.get(&user_id).ok_or(ApiError::Unauthorized)?;
        if !user.confirmed {
            return Err(ApiError::UnconfirmedEmail);
        }
        if !user.access_enabled {
            return Err(ApiError::AccessDenied);
        }
        let place = self.places.get(&lock.place_id);
        let groups: Vec<(Restrictions, bool)> = self
            .current_group_ids(user_id, now)
            .into_iter()
            .filter(|group_id| self.group_contains_lock(*group_id, lock.id))
            .filter_map(|group_id| {
                self.groups
                    .get(&group_id)
                    .map(|g| (g.restrictions(), g.primary_device_restriction_enabled))
            })
            .collect();
        if groups.is_empty() && !user.admin {
            return Err(ApiError::AccessDenied);
        }
        check(lock_restrictions(lock), lock, place, context, now)?;
        if user.admin {
            return Ok(());
        }
        let mut first_failure = None;
        for (restrictions, primary_device_only) in groups {
            let outcome = if primary_device_only && !primary_device {
                Err(ApiError::PrimaryDeviceRestricted)
            } else {
                check(restrictions, lock, place, context, now)
            };
            match outcome {
                Ok(()) => return Ok(()),
                Err(error) => {
                    first_failure.get_or_insert(error);
                }
            }
        }
        Err(first_failure.unwrap_or(ApiError::AccessDenied))
    }

    fn link_may_unlock(
        &self,
        link_id: u64,
        lock: &Lock,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let link = self
            .group_links
            .get(&link_id)
            .ok_or(ApiError::Unauthorized)?;
        if !window_contains(link.valid_from, link.valid_until, now)
            || !self.group_contains_lock(link.group_id, lock.id)
        {
            return Err(ApiError::AccessDenied);
        }
        let place = self.places.get(&lock.place_id);
        let time_only = |r: Restrictions| Restrictions {
            time: r.time,
            ..Restrictions::default()
        };
        let no_context = UnlockContext::default();
        check(
            time_only(lock_restrictions(lock)),
            lock,
            place,
            no_context,
            now,
        )?;
        match self.groups.get(&link.group_id) {
            Some(group) => check(
                time_only(group.restrictions()),
                lock,
                place,
                no_context,
                now,
            ),
            None => Err(ApiError::AccessDenied),
        }
    }

    /// Locks the user may open now, ignoring restrictions (a user's own `GET /locks`).
    pub(crate) fn accessible_lock_ids(&self, user_id: u64, now: DateTime<Utc>) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .current_group_ids(user_id, now)
            .into_iter()
            .flat_map(|group_id| self.lock_ids_of_group(group_id).collect::<Vec<_>>())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Locks an access link opens while its window is current.
    pub(crate) fn link_lock_ids(&self, link_id: u64, now: DateTime<Utc>) -> Vec<u64> {
        match self.group_links.get(&link_id) {
            Some(link) if window_contains(link.valid_from, link.valid_until, now) => {
                self.lock_ids_of_group(link.group_id).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// A locked-down lock opens for no one; an offline one cannot be reached (both answers assumed).
fn door_state_allows_unlock(lock: &Lock) -> Result<(), ApiError> {
    if lock.locked_down {
        Err(ApiError::LockedDown)
    } else if !lock.online {
        Err(ApiError::LockOffline)
    } else {
        Ok(())
    }
}

/// The lock's own restrictions (not its groups'), as a reader judging alone applies them.
pub(super) fn check_lock_restrictions(
    lock: &Lock,
    place: Option<&Place>,
    context: UnlockContext,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    check(lock_restrictions(lock), lock, place, context, now)
}

fn lock_restrictions(lock: &Lock) -> Restrictions {
    Restrictions {
        reader: lock.reader_restriction_enabled,
        geofence: lock.geofence_restriction_enabled,
        time: lock.time_restriction_enabled,
    }
}

fn check(
    restrictions: Restrictions,
    lock: &Lock,
    place: Option<&Place>,
    context: UnlockContext,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if restrictions.reader && !context.proximity_proof {
        return Err(ApiError::ReaderRestricted);
    }
    if restrictions.geofence {
        let near = context.at_the_door
            || match (context.location, place) {
                (Some(here), Some(place)) => {
                    let door = Coordinates {
                        latitude: place.latitude,
                        longitude: place.longitude,
                    };
                    distance_meters(here, door) <= f64::from(lock.geofence_restriction_radius)
                }
                _ => false,
            };
        if !near {
            return Err(ApiError::GeofenceRestricted);
        }
    }
    if restrictions.time && !within_allowed_hours(now, &lock.time_restriction_time_zone) {
        return Err(ApiError::TimeRestricted);
    }
    Ok(())
}

fn within_allowed_hours(now: DateTime<Utc>, time_zone: &str) -> bool {
    let zone: Tz = time_zone.parse().unwrap_or(Tz::UTC);
    let hour = now.with_timezone(&zone).hour();
    (TIME_RESTRICTION_OPENS_HOUR..TIME_RESTRICTION_CLOSES_HOUR).contains(&hour)
}

/// Great-circle distance (haversine).
fn distance_meters(a: Coordinates, b: Coordinates) -> f64 {
    let (lat_a, lat_b) = (a.latitude.to_radians(), b.latitude.to_radians());
    let d_lat = lat_b - lat_a;
    let d_long = (b.longitude - a.longitude).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat_a.cos() * lat_b.cos() * (d_long / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_METERS * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_between_two_berlin_landmarks_is_about_two_kilometers() {
        let brandenburg_gate = Coordinates {
            latitude: 52.5163,
            longitude: 13.3777,
        };
        let alexanderplatz = Coordinates {
            latitude: 52.5219,
            longitude: 13.4132,
        };
        let meters = distance_meters(brandenburg_gate, alexanderplatz);
        assert!((2_300.0..2_600.0).contains(&meters), "{meters}");
    }

    #[test]
    fn allowed_hours_are_read_in_the_locks_time_zone() {
        // 07:30 UTC is 08:30 in Berlin (winter): open there, still closed in London.
        let now: DateTime<Utc> = "2026-01-15T07:30:00Z".parse().unwrap();
        assert!(within_allowed_hours(now, "Europe/Berlin"));
        assert!(!within_allowed_hours(now, "Europe/London"));
    }

    #[test]
    fn time_restricted_doors_close_at_the_closing_hour() {
        let closing: DateTime<Utc> = "2026-01-15T20:00:00Z".parse().unwrap();
        assert!(!within_allowed_hours(closing, "UTC"));
        assert!(within_allowed_hours(
            closing - chrono::TimeDelta::seconds(1),
            "UTC"
        ));
    }
}
