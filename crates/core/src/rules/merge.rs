//! R12 (union) and R13 (merging per Kisi target).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::PersonId;
use crate::model::door_access::AccessTarget;
use crate::rules::grant::{Grant, Provenance};
use crate::time::Window;

/// Grants of one person to one target whose windows overlap or touch, as one window (R13): what sync
/// writes to Kisi as one role assignment. `provenances` is sorted and free of duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MergedGrant {
    pub person: PersonId,
    pub target: AccessTarget,
    pub window: Window,
    pub provenances: Vec<Provenance>,
}

impl From<&Grant> for MergedGrant {
    fn from(grant: &Grant) -> Self {
        Self {
            person: grant.person,
            target: grant.target,
            window: grant.window,
            provenances: vec![grant.provenance],
        }
    }
}

/// R13 over raw grants: see [`merge`]. Merges straight from the grants, so a grant that joins a
/// window costs no allocation (this is the hot path of the whole-location pass).
pub fn merge_grants(grants: &[Grant]) -> Vec<MergedGrant> {
    let mut ordered: Vec<&Grant> = grants.iter().collect();
    ordered.sort_unstable_by_key(|g| (g.person, g.target, g.window.from()));
    let mut merged: Vec<MergedGrant> = Vec::with_capacity(ordered.len());
    for grant in ordered {
        match merged.last_mut() {
            Some(last) if joins(last, grant.person, grant.target, &grant.window) => {
                last.window = last.window.hull(&grant.window);
                last.provenances.push(grant.provenance);
            }
            _ => merged.push(MergedGrant::from(grant)),
        }
    }
    tidy_provenances(&mut merged);
    merged
}

/// R13: per (person, target), windows that overlap or touch become one window carrying every
/// provenance. Two back-to-back bookings give one assignment, not two. The result is sorted by
/// person, target and start, and does not depend on the input order; merging it again changes
/// nothing.
pub fn merge(mut grants: Vec<MergedGrant>) -> Vec<MergedGrant> {
    grants.sort_unstable_by_key(|g| (g.person, g.target, g.window.from()));
    let mut merged: Vec<MergedGrant> = Vec::with_capacity(grants.len());
    for grant in grants {
        match merged.last_mut() {
            Some(last) if joins(last, grant.person, grant.target, &grant.window) => {
                last.window = last.window.hull(&grant.window);
                last.provenances.extend(grant.provenances);
            }
            _ => merged.push(grant),
        }
    }
    tidy_provenances(&mut merged);
    merged
}

/// Whether a grant of `person` to `target` during `window` joins the merged grant `last` (R13).
fn joins(last: &MergedGrant, person: PersonId, target: AccessTarget, window: &Window) -> bool {
    last.person == person && last.target == target && last.window.overlaps_or_touches(window)
}

fn tidy_provenances(merged: &mut [MergedGrant]) {
    for grant in merged {
        grant.provenances.sort_unstable();
        grant.provenances.dedup();
    }
}

/// R12: whether any of `grants` lets the person use `target` at instant `t`. Permissions never
/// conflict: access is the union of every grant whose window contains `t`.
pub fn may_open_target_at<'g>(
    grants: impl IntoIterator<Item = &'g MergedGrant>,
    person: PersonId,
    target: AccessTarget,
    t: DateTime<Utc>,
) -> bool {
    grants
        .into_iter()
        .any(|g| g.person == person && g.target == target && g.window.contains(t))
}
