//! R9–R11: day passes, visits and manual grants.

use crate::facts::LocationFacts;
use crate::ids::PersonId;
use crate::model::location::BookingGrace;
use crate::model::passes::{DayPass, ManualGrant, Visit};
use crate::rules::grant::{Grant, Provenance};
use crate::time::{Window, end_of_local_day, local_midnight};
use chrono_tz::Tz;

/// R9: a day pass for date D is valid for D from 00:00 to 24:00 location time.
pub fn day_pass_window(zone: Tz, pass: &DayPass) -> Option<Window> {
    Window::bounded(
        local_midnight(zone, pass.date),
        end_of_local_day(zone, pass.date),
    )
}

/// R10: a visit's window is its expected arrival to its expected departure, widened by the booking
/// grace on both sides, and cut at its cancellation.
pub fn visit_window(visit: &Visit, grace: BookingGrace) -> Option<Window> {
    let window = Window::bounded(
        visit.expected_arrival - grace.duration(),
        visit.expected_departure + grace.duration(),
    )?;
    match visit.cancelled_at {
        Some(cancelled_at) => window.cut_at(cancelled_at),
        None => Some(window),
    }
}

/// R11: a manual grant covers exactly its window; "indefinite" is open-ended.
pub fn manual_grant_window(grant: &ManualGrant) -> Option<Window> {
    match grant.ends_at {
        Some(ends_at) => Window::bounded(grant.starts_at, ends_at),
        None => Some(Window::starting(grant.starts_at)),
    }
}

/// R9 with M4: the day pass product's door access for the pass's date.
pub(super) fn collect_day_passes(facts: &LocationFacts, person: PersonId, into: &mut Vec<Grant>) {
    let zone = facts.location().time_zone;
    for pass in facts.day_passes_of(person) {
        let (Some(product), Some(window)) =
            (facts.product(pass.product), day_pass_window(zone, pass))
        else {
            continue;
        };
        for target in product.door_access.targets() {
            into.push(Grant {
                person,
                target,
                window,
                provenance: Provenance::DayPass {
                    day_pass: pass.id,
                    product: product.id,
                },
            });
        }
    }
}

/// R10 with M5: the visitor policy's door access for the visit's window. These grants become Kisi
/// access links, not role assignments (see [`crate::rules::DesiredAccess`]).
pub(super) fn collect_visits(facts: &LocationFacts, person: PersonId, into: &mut Vec<Grant>) {
    let grace = facts.location().booking_grace;
    for visit in facts.visits_of(person) {
        let (Some(policy), Some(window)) = (
            facts.visitor_policy(visit.policy),
            visit_window(visit, grace),
        ) else {
            continue;
        };
        for target in policy.door_access.targets() {
            into.push(Grant {
                person,
                target,
                window,
                provenance: Provenance::Visit {
                    visit: visit.id,
                    policy: policy.id,
                },
            });
        }
    }
}

/// R11 with M6.
pub(super) fn collect_manual_grants(
    facts: &LocationFacts,
    person: PersonId,
    into: &mut Vec<Grant>,
) {
    for grant in facts.manual_grants_of(person) {
        let Some(window) = manual_grant_window(grant) else {
            continue;
        };
        for target in grant.door_access.targets() {
            into.push(Grant {
                person,
                target,
                window,
                provenance: Provenance::ManualGrant { grant: grant.id },
            });
        }
    }
}
