//! The demo space `doorlink demo` starts with: one location in a real time zone, mapped to the Kisi
//! emulator's demo seed by name, with people, companies, subscriptions, bookings, passes, a visit and
//! a manual grant covering every rule family. Deterministic: the same seed and the same "today" give
//! the same space; dates are relative to today in the location's zone.

mod activity;
mod calendar;
mod catalog;
mod kisi_names;
mod load;
mod memberships;
mod people;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use doorlink_core::{LocationId, Person};
use doorlink_store::{KisiAuth, SecretValue, Store};
use kisi_emulator::SeedIds;

pub use load::{LoadSpace, build_load_space};
pub use people::{MEMBER_EMAIL, PEOPLE};

use self::calendar::Calendar;
use self::kisi_names::KisiNames;

/// Roster positions of people with a story, for tests and the `explain` examples.
pub mod cast {
    pub use super::activity::{
        BOOKED_WITHOUT_DOORS, BOOKING_ONLY, DAY_GUEST, GUEST_TODAY, GUEST_TOMORROW, ON_HOLD,
        VISITOR,
    };
    pub use super::memberships::{
        BLUE_FINCH_BENEFICIARIES, BLUE_FINCH_MEMBERS, CANCELLED, DEDICATED_DESKERS,
        ENDED_YESTERDAY, HOT_DESKERS, LEFT_NORTHWIND, MORE_HOT_DESKERS, NORTHWIND_MEMBERS,
        STARTS_NEXT_WEEK, UNPAID,
    };
    /// The demo member (a sign-in of `doorlink demo`).
    pub const MEMBER: usize = 0;
}

/// Names in the demo space that tests and messages refer to.
pub mod names {
    pub use super::catalog::{
        DAY_PASS, DEDICATED_DESK, DESK_D1, DESK_D2, EVENT_SPACE, GUESTS_POLICY, HOT_DESK,
        HOT_DESK_AREA, IT_STAFF_GROUP, LOCATION_NAME, OFFICE_101, OFFICE_102, PARKING_P1,
        PARKING_P2, PHONE_BOOTH, PRIVATE_OFFICE, PROJECTOR, ROOM_ELBE, ROOM_SPREE, SERVER_RACK,
        TERRACE_SERVICE, TIME_ZONE,
    };
    pub use super::memberships::{BLUE_FINCH, NORTHWIND};
    /// The reader-restricted door (Kisi lock of the seed) the demo member is granted.
    pub const READER_RESTRICTED_LOCK: &str = "Server Room";
}

/// What was created, for the printout and for tests.
#[derive(Debug, Clone)]
pub struct DemoSpace {
    pub location: LocationId,
    /// The roster, in order: `people[cast::MEMBER]` is the demo member.
    pub people: Vec<Person>,
    pub bookings: usize,
}

impl DemoSpace {
    /// The person at a roster position of [`cast`].
    pub fn person(&self, position: usize) -> &Person {
        &self.people[position]
    }
}

/// Builds the demo space into an empty store, mapped to the Kisi objects of `seed` (the
/// emulator's demo seed), with "today" taken from `now` in the location's zone.
pub async fn build(store: &Store, seed: &SeedIds, now: DateTime<Utc>) -> Result<DemoSpace> {
    let kisi = KisiNames::new(seed);
    let catalog = catalog::create(store, kisi)
        .await
        .context("creating the demo location and its catalog")?;
    let calendar = Calendar::new(catalog.location.time_zone, now);
    let people = people::create(store)
        .await
        .context("creating demo people")?;
    memberships::create(store, &catalog, &people, &calendar)
        .await
        .context("creating demo companies and subscriptions")?;
    activity::create(store, &catalog, &people, &calendar, kisi, now)
        .await
        .context("creating demo bookings, passes, visit and manual grant")?;
    tracing::info!(
        location = catalog.location.id.0,
        people = people.len(),
        "demo space created"
    );
    Ok(DemoSpace {
        location: catalog.location.id,
        people,
        bookings: activity::booking_count(),
    })
}

/// C1: connects the location to the Kisi at `base_url` with the owner's API key (kept encrypted).
pub async fn connect(
    store: &Store,
    location: LocationId,
    base_url: &str,
    api_key: &str,
) -> Result<()> {
    store
        .locations()
        .connect(
            location,
            base_url,
            &KisiAuth::ApiKey,
            &SecretValue::new(api_key),
        )
        .await
        .with_context(|| format!("connecting the demo location to Kisi at {base_url}"))?;
    Ok(())
}
