//! A small space to state facts in the product's words, shared by the integration tests.
#![allow(
    dead_code,
    unreachable_pub,
    reason = "shared by several test binaries, each using a part"
)]
#![allow(
    clippy::unwrap_used,
    reason = "a malformed fixture should stop the test loudly"
)]

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use doorlink_core::*;

pub const FRONT_DOOR: KisiGroupId = KisiGroupId(100);
pub const ROOM_GROUP: KisiGroupId = KisiGroupId(200);
pub const OFFICE_GROUP: KisiGroupId = KisiGroupId(300);
pub const FRONT_DOOR_LOCK: KisiLockId = KisiLockId(1000);
pub const ROOM_LOCK: KisiLockId = KisiLockId(2000);
pub const OFFICE_LOCK: KisiLockId = KisiLockId(3000);

pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub fn wall(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// A wall-clock time in `zone` as an instant (for times that exist exactly once).
pub fn local(zone: &str, text: &str) -> DateTime<Utc> {
    resolve_local(zone.parse::<Tz>().unwrap(), wall(text))
}

pub fn zone(name: &str) -> Tz {
    name.parse().unwrap()
}

pub fn group(id: KisiGroupId) -> AccessTarget {
    AccessTarget::Group(id)
}

/// One location's facts, built up in the test's words.
pub struct Space {
    pub records: LocationRecords,
}

impl Space {
    pub fn new(zone: &str) -> Self {
        let location = Location::new(LocationId(1), "Main street", zone).unwrap();
        Self {
            records: LocationRecords::new(location),
        }
    }

    pub fn zone(&self) -> &str {
        self.records.location.time_zone.name()
    }

    pub fn at(&self, wall_clock: &str) -> DateTime<Utc> {
        resolve_local(self.records.location.time_zone, wall(wall_clock))
    }

    pub fn person(&mut self, id: i64) -> PersonId {
        let person = Person::new(
            PersonId(id),
            format!("Person {id}"),
            &format!("p{id}@example.com"),
        )
        .unwrap();
        self.records.people.push(person);
        PersonId(id)
    }

    pub fn plan(&mut self, id: i64, access: DoorAccess) -> PlanId {
        self.records.plans.push(Plan {
            id: PlanId(id),
            name: format!("Plan {id}"),
            door_access: access,
        });
        PlanId(id)
    }

    pub fn resource(&mut self, id: i64, kind: ResourceKind, access: DoorAccess) -> ResourceId {
        self.records.resources.push(Resource {
            id: ResourceId(id),
            name: format!("Resource {id}"),
            kind,
            door_access: access,
        });
        ResourceId(id)
    }

    pub fn room(&mut self, id: i64) -> ResourceId {
        self.resource(id, ResourceKind::Room, DoorAccess::groups([ROOM_GROUP]))
    }

    pub fn product(&mut self, id: i64, kind: ProductKind, access: DoorAccess) -> ProductId {
        self.records.products.push(Product {
            id: ProductId(id),
            name: format!("Product {id}"),
            kind,
            door_access: access,
        });
        ProductId(id)
    }

    pub fn company(&mut self, id: i64) -> CompanyId {
        self.records.companies.push(Company {
            id: CompanyId(id),
            name: format!("Company {id}"),
        });
        CompanyId(id)
    }

    pub fn join(
        &mut self,
        person: PersonId,
        company: CompanyId,
        joined: DateTime<Utc>,
        left: Option<DateTime<Utc>>,
    ) {
        let membership = CompanyMembership::new(person, company, joined, left).unwrap();
        self.records.memberships.push(membership);
    }

    /// A subscription to `plan` from `start` to `end` (dates), one item with id `id * 10`.
    pub fn subscribe(
        &mut self,
        id: i64,
        holder: Holder,
        plan: PlanId,
        start: &str,
        end: Option<&str>,
    ) -> SubscriptionId {
        let item = SubscriptionItem {
            id: SubscriptionItemId(id * 10),
            kind: ItemKind::Plan(plan),
            access_override: None,
        };
        let subscription = Subscription::new(
            SubscriptionId(id),
            holder,
            date(start),
            end.map(date),
            vec![item],
        )
        .unwrap();
        self.records.subscriptions.push(subscription);
        SubscriptionId(id)
    }

    pub fn subscription_mut(&mut self, id: SubscriptionId) -> &mut Subscription {
        self.records
            .subscriptions
            .iter_mut()
            .find(|s| s.id == id)
            .unwrap()
    }

    pub fn book(
        &mut self,
        id: i64,
        resource: ResourceId,
        booker: PersonId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> BookingId {
        let booking = Booking::new(BookingId(id), resource, booker, start, end).unwrap();
        self.records.bookings.push(booking);
        BookingId(id)
    }

    pub fn booking_mut(&mut self, id: BookingId) -> &mut Booking {
        self.records
            .bookings
            .iter_mut()
            .find(|b| b.id == id)
            .unwrap()
    }

    pub fn facts(&self) -> LocationFacts {
        LocationFacts::new(self.records.clone()).unwrap()
    }

    pub fn grants(&self, person: PersonId) -> Vec<Grant> {
        grants_for_person(&self.facts(), person)
    }

    /// The person's merged windows on one target (R13), as (from, until).
    pub fn windows(
        &self,
        person: PersonId,
        target: AccessTarget,
    ) -> Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> {
        merge_grants(&self.grants(person))
            .into_iter()
            .filter(|g| g.target == target)
            .map(|g| (g.window.from(), g.window.until()))
            .collect()
    }

    /// R12: whether the person may use the target at `t` according to all their grants.
    pub fn may_use(&self, person: PersonId, target: AccessTarget, t: DateTime<Utc>) -> bool {
        self.grants(person)
            .iter()
            .any(|g| g.target == target && g.window.contains(t))
    }
}
