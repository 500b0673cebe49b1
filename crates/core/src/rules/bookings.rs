//! R6–R8 and M2: what bookings grant.

use crate::facts::LocationFacts;
use crate::ids::PersonId;
use crate::model::booking::Booking;
use crate::model::catalog::ResourceKind;
use crate::model::location::BookingGrace;
use crate::rules::grant::{BookingRole, Grant, Provenance};
use crate::time::Window;

/// R6: a booking grants access from `start − grace` until `end + grace` (grace is elapsed time, see
/// [`BookingGrace`]); R8: its current start and end decide the window (a moved or resized booking
/// moves it) and a cancellation revokes access from the cancellation instant on. A booking cancelled
/// before its window began grants nothing. Re-granting a running booking after an edit (R8, the
/// seed's "forces the system to grant the user access anew") is sync's part: it replaces the role
/// assignment whenever this window changes.
pub fn booking_window(booking: &Booking, grace: BookingGrace) -> Option<Window> {
    let window = Window::bounded(
        booking.start - grace.duration(),
        booking.end + grace.duration(),
    )?;
    match booking.cancelled_at {
        Some(cancelled_at) => window.cut_at(cancelled_at),
        None => Some(window),
    }
}

/// R6 for the booker and R7 for invitees: the invitees of a *room* booking get the booker's access
/// for the same window, whether or not they are members. Invitees of other resources get nothing
/// (the seed grants invitee access for room bookings only).
pub(super) fn collect(facts: &LocationFacts, person: PersonId, into: &mut Vec<Grant>) {
    let grace = facts.location().booking_grace;
    for booking in facts.bookings_of(person) {
        let Some(resource) = facts.resource(booking.resource) else {
            continue;
        };
        let role = if booking.booker == person {
            BookingRole::Booker
        } else if resource.kind == ResourceKind::Room {
            BookingRole::Invitee
        } else {
            continue;
        };
        let Some(window) = booking_window(booking, grace) else {
            continue;
        };
        for target in resource.door_access.targets() {
            into.push(Grant {
                person,
                target,
                window,
                provenance: Provenance::Booking {
                    booking: booking.id,
                    resource: resource.id,
                    role,
                },
            });
        }
    }
}
