//! A space the size of a large operator, for the load benchmark: the demo catalog, `people`
//! members on the three plans, fifty companies, a booking (today and on the days after) for every tenth member, and the
//! Kisi directory as a sync would have read it (so the Access page resolves lock names without
//! calling Kisi). Deterministic like the demo space.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use chrono::{DateTime, Days, Utc};
use doorlink_core::{
    DoorState, Holder, ItemKind, KisiGroupId, KisiLock, KisiLockId, KisiPlaceId, LocationId,
    PaymentStatus, Person,
};
use doorlink_store::{
    DirectoryGroup, DirectoryPlace, KisiDirectory, NewBooking, NewItem, NewSubscription, Store,
};
use kisi_emulator::{SeedIds, Snapshot};

use super::calendar::Calendar;
use super::catalog::{self, DEDICATED_DESK, HOT_DESK, PRIVATE_OFFICE, ROOM_ELBE, ROOM_SPREE};
use super::kisi_names::KisiNames;

/// Members per company; the first `COMPANIES * COMPANY_SIZE` people work for a company.
const COMPANY_SIZE: usize = 20;
const COMPANIES: usize = 50;

/// What the load space holds.
#[derive(Debug, Clone)]
pub struct LoadSpace {
    pub location: LocationId,
    /// Every person, in creation order (`load-<n>@example.com`).
    pub people: Vec<Person>,
}

/// Builds the load space into an empty store, mapped to the Kisi objects of `seed` and with the
/// Kisi directory of `kisi` (the emulator's state) mirrored.
pub async fn build_load_space(
    store: &Store,
    seed: &SeedIds,
    kisi: &Snapshot,
    people: usize,
    now: DateTime<Utc>,
) -> Result<LoadSpace> {
    let names = KisiNames::new(seed);
    let catalog = catalog::create(store, names).await?;
    let location = catalog.location.id;
    store
        .kisi_mirror()
        .replace_directory(location, &directory_of(kisi)?)
        .await
        .context("mirroring the Kisi directory")?;
    let calendar = Calendar::new(catalog.location.time_zone, now);
    let today = calendar.today();
    let plans = [
        catalog.plan(HOT_DESK)?,
        catalog.plan(DEDICATED_DESK)?,
        catalog.plan(PRIVATE_OFFICE)?,
    ];
    let rooms = [catalog.resource(ROOM_ELBE)?, catalog.resource(ROOM_SPREE)?];

    let mut created = Vec::with_capacity(people);
    for index in 0..people {
        let person = store
            .people()
            .create(
                &format!("Load Member {index}"),
                &format!("load-{index}@example.com"),
            )
            .await?;
        created.push(person);
    }

    let in_companies = (COMPANIES * COMPANY_SIZE).min(people);
    for (company_index, members) in created[..in_companies].chunks(COMPANY_SIZE).enumerate() {
        let company = store
            .companies()
            .create(&format!("Load Company {company_index}"))
            .await?;
        for member in members {
            store
                .companies()
                .add_member(
                    company.id,
                    member.id,
                    Some(now - chrono::Duration::days(30)),
                )
                .await?;
        }
        store
            .subscriptions()
            .create(&NewSubscription {
                location,
                holder: Holder::Company(company.id),
                start: today.checked_sub_days(Days::new(30)).unwrap_or(today),
                end: None,
                items: vec![NewItem::inheriting(ItemKind::Plan(plans[2]))],
                beneficiaries: BTreeSet::new(),
                payment_status: PaymentStatus::Paid,
            })
            .await?;
    }

    for (index, person) in created.iter().enumerate().skip(in_companies) {
        store
            .subscriptions()
            .create(&NewSubscription {
                location,
                holder: Holder::Person(person.id),
                start: today
                    .checked_sub_days(Days::new(1 + (index % 300) as u64))
                    .unwrap_or(today),
                end: None,
                items: vec![NewItem::inheriting(ItemKind::Plan(plans[index % 2]))],
                beneficiaries: BTreeSet::new(),
                payment_status: PaymentStatus::Paid,
            })
            .await?;
    }

    // Two rooms × ten hours make twenty slots a day: the k-th booking takes slot k % 20 of day
    // k / 20, so no two overlap (the store refuses a double booking).
    for (k, person) in created.iter().step_by(10).enumerate() {
        let hour = 8 + (k / 2 % 10) as u32;
        let day = i64::try_from(k / 20)?;
        store
            .bookings()
            .create(&NewBooking {
                resource: rooms[k % 2],
                booker: person.id,
                invitees: BTreeSet::new(),
                start: calendar.at(day, hour, 0),
                end: calendar.at(day, hour + 1, 0),
            })
            .await?;
    }
    tracing::info!(people, "load space created");
    Ok(LoadSpace {
        location,
        people: created,
    })
}

fn id(raw: u64) -> Result<i64> {
    i64::try_from(raw).with_context(|| format!("Kisi id {raw} does not fit in 64 signed bits"))
}

/// The Kisi directory in the emulator's state, as a sync's read of Kisi would store it.
fn directory_of(kisi: &Snapshot) -> Result<KisiDirectory> {
    let place = |raw: Option<u64>| raw.map(id).transpose().map(|p| p.map(KisiPlaceId));
    let mut directory = KisiDirectory::default();
    for p in &kisi.places {
        directory.places.push(DirectoryPlace {
            id: KisiPlaceId(id(p.id)?),
            name: p.name.clone(),
        });
    }
    for lock in &kisi.locks {
        directory.locks.push(KisiLock {
            id: KisiLockId(id(lock.id)?),
            name: lock.name.clone(),
            place: place(Some(lock.place_id))?,
            reader_restriction: lock.reader_restriction_enabled,
            geofence_restriction: lock.geofence_restriction_enabled,
            time_restriction: lock.time_restriction_enabled,
            state: DoorState {
                online: Some(lock.online),
                locked_down: Some(lock.locked_down),
                read_at: None,
            },
        });
    }
    for group in &kisi.groups {
        let locks = kisi
            .group_locks
            .iter()
            .filter(|gl| gl.group_id == group.id)
            .map(|gl| id(gl.lock_id).map(KisiLockId))
            .collect::<Result<_>>()?;
        directory.groups.push(DirectoryGroup {
            id: KisiGroupId(id(group.id)?),
            name: group.name.clone(),
            place: place(group.place_id)?,
            locks,
            reader_restriction: group.reader_restriction_enabled,
            geofence_restriction: group.geofence_restriction_enabled,
            time_restriction: group.time_restriction_enabled,
            has_foreign_members: false,
            app_access: Some(group.login_enabled),
            primary_device_restriction: Some(group.primary_device_restriction_enabled),
        });
    }
    Ok(directory)
}
