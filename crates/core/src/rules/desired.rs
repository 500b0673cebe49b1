//! The Kisi state Doorlink wants: role assignments (merged, R13) and visitor access links (R10),
//! minus people on hold (R14) or disconnected (R15), minus anything already over.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::facts::LocationFacts;
use crate::ids::{PersonId, VisitId};
use crate::model::door_access::AccessTarget;
use crate::model::passes::DisconnectMode;
use crate::rules::collect_grants;
use crate::rules::grant::{Grant, Provenance};
use crate::rules::merge::{MergedGrant, merge_grants};
use crate::time::Window;

/// One role assignment sync should make sure exists in Kisi (`valid_from` = window start,
/// `valid_until` = window end or none). A lock target goes through Doorlink's per-lock group (M7).
pub type DesiredAssignment = MergedGrant;

/// One Kisi access link for a visit (R10, M5). Links are per visit and never merged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DesiredLink {
    pub visit: VisitId,
    pub person: PersonId,
    pub target: AccessTarget,
    pub window: Window,
}

/// R15: a person Doorlink no longer manages in Kisi, and whether their Kisi user must be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DisconnectedPerson {
    pub person: PersonId,
    pub mode: DisconnectMode,
}

/// What sync compares with the Kisi state Doorlink owns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredAccess {
    /// Sorted by person, target, start.
    pub assignments: Vec<DesiredAssignment>,
    /// Sorted by person, visit, target.
    pub links: Vec<DesiredLink>,
    /// R14: people on hold; Doorlink revokes what it granted them and writes nothing new.
    pub on_hold: Vec<PersonId>,
    /// R15: people Doorlink stopped managing in Kisi.
    pub disconnected: Vec<DisconnectedPerson>,
}

/// The desired Kisi state for one person (what sync computes for an outbox entry).
pub fn desired_access_for_person(
    facts: &LocationFacts,
    person: PersonId,
    now: DateTime<Utc>,
) -> DesiredAccess {
    let mut desired = DesiredAccess::default();
    let mut scratch = Vec::new();
    add_person(facts, person, now, &mut scratch, &mut desired);
    desired
}

/// The desired Kisi state for every person of the location (the periodic full reconcile).
pub fn desired_access_for_location(facts: &LocationFacts, now: DateTime<Utc>) -> DesiredAccess {
    let mut desired = DesiredAccess::default();
    let mut scratch = Vec::new();
    for person in facts.people() {
        add_person(facts, person.id, now, &mut scratch, &mut desired);
    }
    desired
}

/// `now` only drops what is over: a merged window that ended at or before `now` is not written
/// (nothing in the past goes to Kisi); one that started in the past and still runs is kept, whole,
/// so its `valid_from` does not move as time passes. Merging happens before the drop for the same
/// reason.
fn add_person(
    facts: &LocationFacts,
    person: PersonId,
    now: DateTime<Utc>,
    scratch: &mut Vec<Grant>,
    desired: &mut DesiredAccess,
) {
    if let Some(mode) = facts.disconnection_of(person) {
        desired
            .disconnected
            .push(DisconnectedPerson { person, mode });
        return;
    }
    if facts.hold_of(person).is_some() {
        desired.on_hold.push(person);
        return;
    }
    scratch.clear();
    collect_grants(facts, person, scratch);
    let first_link = desired.links.len();
    for grant in scratch.iter().filter(|g| !g.window.has_ended_by(now)) {
        if let Provenance::Visit { visit, .. } = grant.provenance {
            desired.links.push(DesiredLink {
                visit,
                person,
                target: grant.target,
                window: grant.window,
            });
        }
    }
    desired.links[first_link..].sort_unstable_by_key(|l| (l.visit, l.target));
    scratch.retain(|g| !g.provenance.is_visit());
    desired.assignments.extend(
        merge_grants(scratch)
            .into_iter()
            .filter(|a| !a.window.has_ended_by(now)),
    );
}
