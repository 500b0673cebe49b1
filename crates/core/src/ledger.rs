//! The ledger (issue 15): a person's entries at a location against their entitlements.
//!
//! - Each door they opened, or tried and Kisi refused ("denied at the door", with Kisi's reason),
//!   is matched with what let them in at that instant: the grants the
//!   rules give them then (R1–R12, less holds and disconnections, as sync writes them to Kisi),
//!   on a target whose Kisi locks include that door. None: "entered without a valid entitlement"
//!   (a card Kisi issued by hand, a grant made in Kisi's dashboard, a revocation Kisi had not
//!   applied yet).
//! - A day pass is **used** at the first door it opened (R9).
//! - A day pass or a booking whose window is over with no door opened in it: "paid but never
//!   came".

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::facts::LocationFacts;
use crate::ids::{BookingId, DayPassId, KisiLockId, PersonId};
use crate::kisi_view::KisiView;
use crate::presence::Passage;
use crate::rules::{
    Provenance, booking_window, day_pass_window, desired_access_for_person, grants_for_person,
};

/// What the rules gave a person at a door they opened or tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// The rules gave them this door then, for these reasons.
    Entitled(Vec<Provenance>),
    /// Nothing Doorlink granted opened this door then.
    WithoutEntitlement,
}

/// An entitlement they paid for or booked and never used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeverCame {
    DayPass(DayPassId),
    Booking(BookingId),
}

/// One person's ledger at a location over the passages given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Each door opened or refused, in time order, with what the rules gave them then (refused
    /// although entitled: someone was locked out who should not have been).
    pub entries: Vec<(Passage, Entry)>,
    /// R9: each day pass used, at its first door.
    pub passes_used: BTreeMap<DayPassId, DateTime<Utc>>,
    /// Day passes and bookings over by `now` with no door opened in their window.
    pub never_came: Vec<NeverCame>,
}

/// The ledger of `person` from their `passages` (opened or refused).
pub fn ledger(
    facts: &LocationFacts,
    view: &KisiView,
    person: PersonId,
    passages: &[Passage],
    now: DateTime<Utc>,
) -> Ledger {
    let mut theirs: Vec<&Passage> = passages.iter().filter(|p| p.person == person).collect();
    theirs.sort_by_key(|p| p.at);
    let mut ledger = Ledger::default();
    for passage in theirs {
        let entry = entitlement_at(facts, view, person, passage);
        if let (true, Entry::Entitled(provenances)) = (passage.opened, &entry) {
            for provenance in provenances {
                if let Provenance::DayPass { day_pass, .. } = provenance {
                    ledger.passes_used.entry(*day_pass).or_insert(passage.at);
                }
            }
        }
        ledger.entries.push((passage.clone(), entry));
    }
    let zone = facts.location().time_zone;
    let came_within = |from: DateTime<Utc>, until: Option<DateTime<Utc>>| {
        ledger
            .entries
            .iter()
            .any(|(p, _)| p.opened && p.at >= from && until.is_none_or(|until| p.at < until))
    };
    let mut never_came = Vec::new();
    for pass in facts.day_passes_of(person) {
        if let Some(window) = day_pass_window(zone, pass)
            && window.has_ended_by(now)
            && !came_within(window.from(), window.until())
        {
            never_came.push(NeverCame::DayPass(pass.id));
        }
    }
    let grace = facts.location().booking_grace;
    for booking in facts.bookings_of(person) {
        if booking.booker != person {
            continue;
        }
        if let Some(window) = booking_window(booking, grace)
            && window.has_ended_by(now)
            && !came_within(window.from(), window.until())
        {
            never_came.push(NeverCame::Booking(booking.id));
        }
    }
    ledger.never_came = never_came;
    ledger
}

fn entitlement_at(
    facts: &LocationFacts,
    view: &KisiView,
    person: PersonId,
    passage: &Passage,
) -> Entry {
    let Some(lock) = passage.lock.map(KisiLockId) else {
        return Entry::WithoutEntitlement;
    };
    let opens = |target| {
        view.locks_of(target)
            .is_some_and(|locks| locks.contains(&lock))
    };
    // What sync wrote to Kisi then (holds and disconnections taken out, R14, R15)...
    let desired = desired_access_for_person(facts, person, passage.at);
    let granted = desired.assignments.iter().any(|grant| {
        grant.person == person && grant.window.contains(passage.at) && opens(grant.target)
    });
    if !granted {
        return Entry::WithoutEntitlement;
    }
    // ...and, of the grants before merging (R13 joins a day pass to the next day's), those
    // whose own window held the instant: what the person used.
    let provenances: Vec<Provenance> = grants_for_person(facts, person)
        .into_iter()
        .filter(|grant| grant.window.contains(passage.at) && opens(grant.target))
        .map(|grant| grant.provenance)
        .collect();
    Entry::Entitled(provenances)
}
