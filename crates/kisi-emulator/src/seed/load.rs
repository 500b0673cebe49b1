//! Loading a seed: a fresh store with every record, names resolved to ids.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Seed, SeedError, SeedIds};
use crate::errors::ApiError;
use crate::state::Store;
use crate::state::groups::Group;
use crate::state::places::{DEFAULT_GEOFENCE_RADIUS_METERS, Lock, Place, Restrictions};
use crate::state::users::{NewUser, Organization};

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
                login_enabled: group.login_enabled,
                reader_restriction_enabled: restrictions.reader,
                geofence_restriction_enabled: restrictions.geofence,
                time_restriction_enabled: restrictions.time,
                primary_device_restriction_enabled: group.primary_device_restriction,
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

fn invalid_user(email: &str, error: &ApiError) -> SeedError {
    let (field, problem) = match error {
        ApiError::Invalid(errors) => errors
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
