//! The barriers both the explainer ([`crate::explain`]) and the Access page ([`crate::access_page`])
//! look for between a person and a lock (A2, A4, A5, I2, I3, R1, R14, R15): each is one
//! [`DenialCause`] or none. They live here, below both, so the page and the explainer ask the same
//! questions in the same words without importing each other.

use crate::denial::DenialCause;
use crate::facts::LocationFacts;
use crate::ids::{KisiLockId, PersonId};
use crate::kisi_view::{KisiGroup, KisiUserState, KisiView};
use crate::model::door_access::AccessTarget;
use crate::rules::{MergedGrant, Provenance, grants_for_person, merge_grants};
use crate::time::format_local;

/// Barriers about the person as a whole, checked before any grant: unknown person, R15
/// (disconnected), R14 (on hold).
pub(crate) fn person_barrier(facts: &LocationFacts, person: PersonId) -> Option<DenialCause> {
    if facts.person(person).is_none() {
        return Some(DenialCause::UnknownPerson { person });
    }
    if let Some(mode) = facts.disconnection_of(person) {
        return Some(DenialCause::DisconnectedFromKisi { mode });
    }
    facts
        .hold_of(person)
        .map(|hold| DenialCause::OnHold { since: hold.since })
}

/// I2 / I3: barriers in the person's Kisi user. An unknown user state is no barrier.
pub(crate) fn kisi_user_barrier(
    facts: &LocationFacts,
    view: &KisiView,
    person: PersonId,
) -> Option<DenialCause> {
    let email = facts.person(person).map(|p| p.email.clone())?;
    match view.user(person)? {
        KisiUserState::Managed { .. } => None,
        KisiUserState::NotCreated => Some(DenialCause::NotInKisiYet),
        KisiUserState::UnconfirmedRegular { .. } => {
            Some(DenialCause::UnconfirmedKisiEmail { email })
        }
        KisiUserState::EmailDrift { kisi_email, .. } => Some(DenialCause::EmailMismatch {
            doorlink_email: email,
            kisi_email: kisi_email.clone(),
        }),
    }
}

/// The merged grants the person's Access page and the explainer reason about: every grant except
/// visits, which reach the visitor as a Kisi access link rather than through Doorlink (R10).
pub(crate) fn person_merged_grants(facts: &LocationFacts, person: PersonId) -> Vec<MergedGrant> {
    let mut grants = grants_for_person(facts, person);
    grants.retain(|g| !matches!(g.provenance, Provenance::Visit { .. }));
    merge_grants(&grants)
}

/// For a grant that opens later: R1's "subscription not started" when it is a subscription's,
/// otherwise "opens at".
pub(crate) fn opens_later_cause(facts: &LocationFacts, grant: &MergedGrant) -> DenialCause {
    let zone = facts.location().time_zone;
    let opens_at = grant.window.from();
    let subscription = grant.provenances.iter().find_map(|p| match p {
        Provenance::Subscription { subscription, .. } => Some(*subscription),
        _ => None,
    });
    match subscription {
        Some(subscription) => DenialCause::SubscriptionNotStarted {
            subscription,
            starts_at: opens_at,
            starts_local: format_local(zone, opens_at),
        },
        None => DenialCause::NotYetOpen {
            opens_at,
            opens_local: format_local(zone, opens_at),
        },
    }
}

/// A2: the connection names a place and the lock is elsewhere.
pub(crate) fn place_filter_cause(
    facts: &LocationFacts,
    view: &KisiView,
    lock: KisiLockId,
) -> Option<DenialCause> {
    let connection_place = facts.location().kisi_place?;
    let kisi_lock = view.lock(lock)?;
    (kisi_lock.place != Some(connection_place)).then(|| DenialCause::HiddenByPlaceFilter {
        lock,
        lock_name: kisi_lock.name.clone(),
        lock_place: kisi_lock.place,
        connection_place,
    })
}

/// Kisi restrictions that stop a remote unlock: a lock-level restriction applies to everyone; a
/// group-level one only when every group giving the lock has it (restrictions combine as a union
/// across groups). Single-lock targets go through Doorlink's own group, which has no restrictions.
pub(crate) fn restriction_cause(
    view: &KisiView,
    lock: KisiLockId,
    targets: &[AccessTarget],
) -> Option<DenialCause> {
    let kisi_lock = view.lock(lock);
    let every_group = |restricted: fn(&KisiGroup) -> bool| {
        !targets.is_empty()
            && targets.iter().all(|t| match t {
                AccessTarget::Group(id) => view.group(*id).is_some_and(restricted),
                AccessTarget::Lock(_) => false,
            })
    };
    let lock_name = view.lock_name(lock);
    if kisi_lock.is_some_and(|l| l.reader_restriction) || every_group(|g| g.reader_restriction) {
        return Some(DenialCause::ReaderRestriction { lock, lock_name });
    }
    if kisi_lock.is_some_and(|l| l.geofence_restriction) || every_group(|g| g.geofence_restriction)
    {
        return Some(DenialCause::GeofenceRestriction { lock, lock_name });
    }
    None
}

/// A door Kisi last reported locked down or offline (`None`: neither, or Kisi did not say). A
/// lockdown comes first: it holds even once the door is back online.
pub fn door_state_cause(
    facts: &LocationFacts,
    view: &KisiView,
    lock: KisiLockId,
) -> Option<DenialCause> {
    let state = view.lock(lock)?.state;
    let lock_name = view.lock_name(lock);
    let read_at = state.read_at;
    let read_local = read_at.map(|at| format_local(facts.location().time_zone, at));
    if state.is_locked_down() {
        Some(DenialCause::DoorLockedDown {
            lock,
            lock_name,
            read_at,
            read_local,
        })
    } else if state.is_offline() {
        Some(DenialCause::DoorOffline {
            lock,
            lock_name,
            read_at,
            read_local,
        })
    } else {
        None
    }
}
