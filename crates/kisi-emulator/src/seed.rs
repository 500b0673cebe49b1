//! The seed file format (kisi-contract.md, `Seed`): a whole organization in one JSON document,
//! for `kisi-emulator --seed FILE`, `Control::seed` and `doorlink demo`. Everything refers to
//! everything else by name; `SeedIds` answers with the ids the emulator assigned.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::state::Store;
use crate::state::groups::Group;
use crate::state::places::{DEFAULT_GEOFENCE_RADIUS_METERS, Lock, Place, Restrictions};
use crate::state::users::{NewUser, Organization};

/// The demo coworking space shipped in `seeds/demo.json`.
pub const DEMO_SEED_JSON: &str = include_str!("../seeds/demo.json");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    pub organization: SeedOrganization,
    pub owner: SeedOwner,
    #[serde(default)]
    pub places: Vec<SeedPlace>,
    #[serde(default)]
    pub locks: Vec<SeedLock>,
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    /// Extra users besides the owner.
    #[serde(default)]
    pub users: Vec<SeedUser>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOrganization {
    pub name: String,
    /// What the owner types as `domain` when signing in.
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOwner {
    pub email: String,
    pub password: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPlace {
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(alias = "lat")]
    pub latitude: f64,
    #[serde(alias = "long")]
    pub longitude: f64,
    /// IANA name, e.g. `Europe/Berlin`.
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedLock {
    pub name: String,
    /// The place's name.
    pub place: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub reader_restriction: bool,
    #[serde(default)]
    pub geofence_restriction: bool,
    #[serde(default)]
    pub time_restriction: bool,
    /// Defaults to `DEFAULT_GEOFENCE_RADIUS_METERS`.
    #[serde(default)]
    pub geofence_radius_meters: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The locks' names.
    #[serde(default)]
    pub locks: Vec<String>,
    #[serde(default)]
    pub reader_restriction: bool,
    #[serde(default)]
    pub geofence_restriction: bool,
    #[serde(default)]
    pub time_restriction: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    pub email: String,
    pub name: String,
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// Created as if through `POST /users` (Doorlink may log in on its behalf).
    #[serde(default)]
    pub managed: bool,
    #[serde(default)]
    pub admin: bool,
    /// Lets the user sign in with `POST /logins`.
    #[serde(default)]
    pub password: Option<String>,
}

fn yes() -> bool {
    true
}

/// The ids a seed received, by name (users by e-mail), and the owner's API key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedIds {
    pub organization_id: u64,
    pub owner_id: u64,
    /// A login secret created for the owner (not counted against the sign-in quota).
    pub owner_api_key: String,
    pub places: BTreeMap<String, u64>,
    pub locks: BTreeMap<String, u64>,
    pub groups: BTreeMap<String, u64>,
    pub users: BTreeMap<String, u64>,
}

/// Why a seed could not be loaded; names the record and the field to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SeedError {
    #[error("seed: lock {lock:?} names place {place:?}, which is not among the seed's places")]
    UnknownPlace { lock: String, place: String },
    #[error("seed: group {group:?} names lock {lock:?}, which is not among the seed's locks")]
    UnknownLock { group: String, lock: String },
    #[error(
        "seed: two {kind} are named {name:?}; names must be unique because records refer to them"
    )]
    DuplicateName { kind: &'static str, name: String },
    #[error(
        "seed: place {place:?} has time_zone {time_zone:?}, which is not an IANA zone such as Europe/Berlin"
    )]
    InvalidTimeZone { place: String, time_zone: String },
    #[error("seed: user {email:?}: {field} {problem}")]
    InvalidUser {
        email: String,
        field: String,
        problem: String,
    },
    #[error("seed: {0}")]
    InvalidJson(String),
}

impl Seed {
    /// Parses a seed document.
    pub fn from_json(json: &str) -> Result<Self, SeedError> {
        serde_json::from_str(json).map_err(|error| SeedError::InvalidJson(error.to_string()))
    }

    /// The demo coworking space of `seeds/demo.json`.
    pub fn demo() -> Result<Self, SeedError> {
        Self::from_json(DEMO_SEED_JSON)
    }
}

/// Builds a fresh store holding exactly the seed's organization.
pub(crate) fn build_store(
    seed: &Seed,
    login_quota: usize,
    now: DateTime<Utc>,
) -> Result<(Store, SeedIds), SeedError> {
    let mut store = Store::new(login_quota);
    let organization = Organization {
        id: store.next_id(),
        name: seed.organization.name.clone(),
        domain: seed.organization.domain.clone(),
    };
    store.organization = Some(organization.clone());

    let owner = NewUser {
        email: seed.owner.email.clone(),
        name: seed.owner.name.clone(),
        confirmed: true,
        managed: false,
        admin: true,
        send_emails: true,
        password: Some(seed.owner.password.clone()),
    };
    let owner = store
        .add_user(owner, now)
        .map_err(|error| invalid_user(&seed.owner.email, &error))?;
    store.owner_id = Some(owner.id);
    let owner_api_key = store
        .create_login(owner.id, "api", false, false, now)
        .secret;

    let mut users = BTreeMap::new();
    for user in &seed.users {
        let new = NewUser {
            email: user.email.clone(),
            name: user.name.clone(),
            confirmed: user.confirmed,
            managed: user.managed,
            admin: user.admin,
            send_emails: !user.managed,
            password: user.password.clone(),
        };
        let created = store
            .add_user(new, now)
            .map_err(|error| invalid_user(&user.email, &error))?;
        users.insert(created.email, created.id);
    }

    let mut places = BTreeMap::new();
    for place in &seed.places {
        let time_zone = place
            .time_zone
            .parse::<Tz>()
            .map_err(|_| SeedError::InvalidTimeZone {
                place: place.name.clone(),
                time_zone: place.time_zone.clone(),
            })?;
        let id = store.next_id();
        insert_unique(&mut places, "places", &place.name, id)?;
        store.places.insert(
            id,
            Place {
                id,
                name: place.name.clone(),
                address: place.address.clone(),
                latitude: place.latitude,
                longitude: place.longitude,
                time_zone: time_zone.name().to_owned(),
            },
        );
    }

    let mut locks = BTreeMap::new();
    for lock in &seed.locks {
        let place_id = *places
            .get(&lock.place)
            .ok_or_else(|| SeedError::UnknownPlace {
                lock: lock.name.clone(),
                place: lock.place.clone(),
            })?;
        let time_zone = store
            .places
            .get(&place_id)
            .map(|p| p.time_zone.clone())
            .unwrap_or_default();
        let id = store.next_id();
        insert_unique(&mut locks, "locks", &lock.name, id)?;
        store.locks.insert(
            id,
            Lock {
                id,
                name: lock.name.clone(),
                description: lock.description.clone(),
                place_id,
                online: true,
                configured: true,
                locked_down: false,
                reader_restriction_enabled: lock.reader_restriction,
                geofence_restriction_enabled: lock.geofence_restriction,
                geofence_restriction_radius: lock
                    .geofence_radius_meters
                    .unwrap_or(DEFAULT_GEOFENCE_RADIUS_METERS),
                time_restriction_enabled: lock.time_restriction,
                time_restriction_time_zone: time_zone,
            },
        );
    }

    let mut groups = BTreeMap::new();
    for group in &seed.groups {
        let restrictions = Restrictions {
            reader: group.reader_restriction,
            geofence: group.geofence_restriction,
            time: group.time_restriction,
        };
        let lock_ids = group
            .locks
            .iter()
            .map(|name| {
                locks
                    .get(name)
                    .copied()
                    .ok_or_else(|| SeedError::UnknownLock {
                        group: group.name.clone(),
                        lock: name.clone(),
                    })
            })
            .collect::<Result<Vec<u64>, SeedError>>()?;
        let id = store.next_id();
        insert_unique(&mut groups, "groups", &group.name, id)?;
        store.groups.insert(
            id,
            Group {
                id,
                name: group.name.clone(),
                description: group.description.clone(),
                place_id: None,
                login_enabled: true,
                reader_restriction_enabled: restrictions.reader,
                geofence_restriction_enabled: restrictions.geofence,
                time_restriction_enabled: restrictions.time,
                primary_device_restriction_enabled: false,
            },
        );
        for lock_id in lock_ids {
            // Repeating a lock in one group's list is harmless; keep the first membership.
            let _already_in_group = store.add_group_lock(id, lock_id);
        }
    }

    let ids = SeedIds {
        organization_id: organization.id,
        owner_id: owner.id,
        owner_api_key,
        places,
        locks,
        groups,
        users,
    };
    Ok((store, ids))
}

fn insert_unique(
    ids: &mut BTreeMap<String, u64>,
    kind: &'static str,
    name: &str,
    id: u64,
) -> Result<(), SeedError> {
    if ids.insert(name.to_owned(), id).is_some() {
        return Err(SeedError::DuplicateName {
            kind,
            name: name.to_owned(),
        });
    }
    Ok(())
}

fn invalid_user(email: &str, error: &crate::errors::ApiError) -> SeedError {
    let (field, problem) = match error {
        crate::errors::ApiError::Invalid(errors) => errors
            .iter()
            .next()
            .map(|(field, problems)| (field.clone(), problems.join(", ")))
            .unwrap_or_default(),
        other => (String::new(), other.message().to_owned()),
    };
    SeedError::InvalidUser {
        email: email.to_owned(),
        field,
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> Seed {
        Seed::from_json(
            r#"{"organization":{"name":"Hive","domain":"hive"},
                "owner":{"email":"owner@hive.test","password":"pw","name":"Olga Owner"},
                "places":[{"name":"Hive","lat":52.5,"long":13.4,"time_zone":"Europe/Berlin"}],
                "locks":[{"name":"Front door","place":"Hive"}],
                "groups":[{"name":"Members","locks":["Front door"]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn the_demo_seed_loads() {
        let seed = Seed::demo().unwrap();
        let (store, ids) = build_store(&seed, 10, Utc::now()).unwrap();
        assert_eq!(ids.locks.len(), seed.locks.len());
        assert!(
            store
                .locks
                .values()
                .any(|lock| lock.reader_restriction_enabled)
        );
    }

    #[test]
    fn seeded_ids_are_returned_by_name_and_groups_hold_their_locks() {
        let (store, ids) = build_store(&minimal(), 10, Utc::now()).unwrap();
        let group_id = ids.groups["Members"];
        assert!(store.group_contains_lock(group_id, ids.locks["Front door"]));
        assert_eq!(store.places[&ids.places["Hive"]].time_zone, "Europe/Berlin");
        assert!(!ids.owner_api_key.is_empty());
    }

    #[test]
    fn a_lock_naming_an_unknown_place_is_refused_with_both_names() {
        let mut seed = minimal();
        seed.locks[0].place = "Annex".to_owned();
        let error = build_store(&seed, 10, Utc::now()).unwrap_err();
        assert_eq!(
            error,
            SeedError::UnknownPlace {
                lock: "Front door".to_owned(),
                place: "Annex".to_owned()
            }
        );
    }

    #[test]
    fn a_misspelled_time_zone_is_refused() {
        let mut seed = minimal();
        seed.places[0].time_zone = "Europe/Berlln".to_owned();
        assert!(matches!(
            build_store(&seed, 10, Utc::now()),
            Err(SeedError::InvalidTimeZone { .. })
        ));
    }
}
