//! What happens today and tomorrow in the demo space: bookings with invitees (R6–R8), a day pass
//! (R9), a visit (R10), a manual grant to the reader-restricted door (M6, R11) and a hold (R14).

use std::collections::BTreeSet;

use anyhow::Result;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use doorlink_core::Person;
use doorlink_store::{NewBooking, NewVisitor, Store};

use super::calendar::Calendar;
use super::catalog::{
    Catalog, EVENT_SPACE, HOT_DESK_AREA, IT_STAFF_GROUP, PARKING_P1, PARKING_P2, PHONE_BOOTH,
    PROJECTOR, ROOM_ELBE, ROOM_SPREE,
};
use super::kisi_names::KisiNames;

/// R7: a non-member invited to the demo member's room booking today.
pub const GUEST_TODAY: usize = 30;
/// R7: a non-member invited to a booking tomorrow.
pub const GUEST_TOMORROW: usize = 31;
/// A non-member whose only access is a hot-desk booking today (public Access page, A3).
pub const BOOKING_ONLY: usize = 32;
/// A non-member who booked the event space, which has no door access (A5).
pub const BOOKED_WITHOUT_DOORS: usize = 33;
/// R9: a day pass for today.
pub const DAY_GUEST: usize = 34;
/// R10: expected today under the Guests policy; gets a Kisi access link.
pub const VISITOR: usize = 35;
/// R14: a hot-desk member whose door access staff put on hold.
pub const ON_HOLD: usize = 36;

/// When a demo booking runs.
#[derive(Clone, Copy)]
enum When {
    /// `day` days from today, at local wall-clock start and end times.
    At {
        day: i64,
        start: (u32, u32),
        end: (u32, u32),
    },
    /// Under way whenever the demo starts: began an hour ago (on a quarter hour) and lasts four
    /// hours, so the demo (and its browser tests, at any hour) shows a booked room open now, "until"
    /// its end plus the grace (R6), to the invitees too (R7).
    UnderWay,
}

/// One booking of the demo: resource, booker, invitees and when.
struct DemoBooking {
    resource: &'static str,
    booker: usize,
    invitees: &'static [usize],
    when: When,
}

const fn at(day: i64, start: (u32, u32), end: (u32, u32)) -> When {
    When::At { day, start, end }
}

#[rustfmt::skip]
const BOOKINGS: [DemoBooking; 10] = [
    // The demo member's room booking, under way now, with a member and a non-member invited.
    DemoBooking { resource: ROOM_ELBE, booker: 0, invitees: &[1, GUEST_TODAY], when: When::UnderWay },
    // The seed's example: 09:30–11:30 gives access 09:00–12:00.
    DemoBooking { resource: ROOM_SPREE, booker: 2, invitees: &[3], when: at(0, (9, 30), (11, 30)) },
    DemoBooking { resource: PARKING_P1, booker: 12, invitees: &[], when: at(0, (8, 0), (18, 0)) },
    // A non-member whose only access is this booking (public Access page, A3).
    DemoBooking { resource: HOT_DESK_AREA, booker: BOOKING_ONLY, invitees: &[], when: When::UnderWay },
    DemoBooking { resource: PHONE_BOOTH, booker: 16, invitees: &[], when: at(0, (14, 0), (15, 0)) },
    DemoBooking { resource: ROOM_ELBE, booker: 4, invitees: &[5, GUEST_TOMORROW], when: at(1, (10, 0), (12, 0)) },
    DemoBooking { resource: ROOM_SPREE, booker: 24, invitees: &[25], when: at(1, (13, 0), (17, 0)) },
    DemoBooking { resource: EVENT_SPACE, booker: BOOKED_WITHOUT_DOORS, invitees: &[], when: at(1, (18, 0), (21, 0)) },
    DemoBooking { resource: PROJECTOR, booker: 10, invitees: &[], when: at(1, (10, 0), (12, 0)) },
    DemoBooking { resource: PARKING_P2, booker: 13, invitees: &[], when: at(1, (8, 0), (18, 0)) },
];

impl When {
    fn window(self, calendar: &Calendar, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        match self {
            Self::At { day, start, end } => (
                calendar.at(day, start.0, start.1),
                calendar.at(day, end.0, end.1),
            ),
            Self::UnderWay => {
                let quarter = TimeDelta::minutes(15);
                let start = now.duration_trunc(quarter).unwrap_or(now) - TimeDelta::hours(1);
                (start, start + TimeDelta::hours(4))
            }
        }
    }
}

pub(crate) fn booking_count() -> usize {
    BOOKINGS.len()
}

pub(crate) async fn create(
    store: &Store,
    catalog: &Catalog,
    people: &[Person],
    calendar: &Calendar,
    kisi: KisiNames<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    for booking in &BOOKINGS {
        let (start, end) = booking.when.window(calendar, now);
        store
            .bookings()
            .create(&NewBooking {
                resource: catalog.resource(booking.resource)?,
                booker: people[booking.booker].id,
                invitees: booking
                    .invitees
                    .iter()
                    .map(|&index| people[index].id)
                    .collect::<BTreeSet<_>>(),
                start,
                end,
            })
            .await?;
    }

    let passes = store.passes();
    passes
        .sell_day_pass(people[DAY_GUEST].id, catalog.day_pass, calendar.today())
        .await?;
    // Registered as the front desk does (issue 17, point 9): by e-mail, with the demo member as host.
    passes
        .register_visitor(&NewVisitor {
            name: &people[VISITOR].name,
            email: &people[VISITOR].email,
            host: people[0].id,
            policy: catalog.guests_policy,
            expected_arrival: calendar.at(0, 10, 0),
            expected_departure: calendar.at(0, 17, 0),
        })
        .await?;
    // M6: the demo member may use the IT Staff group, whose Server Room only a Kisi Reader opens,
    // so the demo shows the reader-restriction explanation (A5).
    passes
        .create_manual_grant(
            catalog.location.id,
            people[0].id,
            &kisi.group_access(IT_STAFF_GROUP)?,
            now - chrono::Duration::days(7),
            None,
        )
        .await?;
    store
        .holds()
        .hold(catalog.location.id, people[ON_HOLD].id)
        .await?;
    Ok(())
}
