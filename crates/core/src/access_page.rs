//! The Access page (A1–A3, A5): the locks a person may press now, those that open later, and the
//! reasons whenever there are none.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::barriers::{
    door_state_cause, kisi_user_barrier, opens_later_cause, person_barrier, person_merged_grants,
    place_filter_cause, restriction_cause,
};
use crate::denial::DenialCause;
use crate::entitlement::{entitlement_causes, is_member_at};
use crate::facts::LocationFacts;
use crate::ids::{KisiLockId, PersonId};
use crate::kisi_view::KisiView;
use crate::model::door_access::AccessTarget;
use crate::model::location::AccessPageVisibility;
use crate::rules::{MergedGrant, Provenance, merge};
use crate::time::Window;

/// One lock on the Access page, with the window that makes it available ("until 16:30", A1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessPageLock {
    pub lock: KisiLockId,
    pub name: String,
    pub window: Window,
    pub provenances: Vec<Provenance>,
    /// A Kisi restriction that will refuse a remote unlock of this lock (A4/A5), if any.
    pub restriction: Option<DenialCause>,
    /// For a lock open now: Kisi last reported the door locked down or offline (with when), so the
    /// person reads it before pressing. Pressing still asks Kisi, which may know better by now.
    pub door_state: Option<DenialCause>,
}

/// What the person's Access page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessPage {
    /// A3: false when the page is members-only and the person has no subscription.
    pub visible: bool,
    /// Locks the person may press now (A1), by lock id.
    pub open_now: Vec<AccessPageLock>,
    /// Locks that open for the person later, by lock id then start.
    pub upcoming: Vec<AccessPageLock>,
    /// Why something is missing or will fail; never empty when `open_now` is (A5).
    pub blocked: Vec<DenialCause>,
}

impl AccessPage {
    fn hidden(cause: DenialCause) -> Self {
        Self {
            visible: false,
            open_now: Vec::new(),
            upcoming: Vec::new(),
            blocked: vec![cause],
        }
    }
}

/// The Access page of `person` at `now`.
///
/// - A1: the locks of the groups (and single locks) of the person's grants open now, each with the
///   merged window that makes it available; visits are left out (they reach the visitor as a Kisi
///   access link, R10).
/// - A2: when the connection names a place, locks of other places are hidden (and the reason given).
/// - A3: a members-only page is hidden from people without a running subscription.
/// - A5: when no lock is open now, `blocked` says why.
/// - A lock open now that Kisi last reported locked down or offline says so (`door_state`).
pub fn access_page(
    facts: &LocationFacts,
    view: &KisiView,
    person: PersonId,
    now: DateTime<Utc>,
) -> AccessPage {
    if let Some(cause) = person_barrier(facts, person) {
        let visible = !matches!(cause, DenialCause::UnknownPerson { .. });
        return AccessPage {
            visible,
            ..AccessPage::hidden(cause)
        };
    }
    if facts.location().access_page_visibility == AccessPageVisibility::MembersOnly
        && !is_member_at(facts, person, now)
    {
        return members_only_page(facts, person, now);
    }

    let grants = person_merged_grants(facts, person);
    let mut blocked = Vec::new();
    let mut per_lock = Vec::new();
    let mut targets_by_lock: BTreeMap<KisiLockId, Vec<(AccessTarget, Window)>> = BTreeMap::new();
    for grant in grants.iter().filter(|g| !g.window.has_ended_by(now)) {
        for lock in visible_locks(facts, view, grant.target, &mut blocked) {
            targets_by_lock
                .entry(lock)
                .or_default()
                .push((grant.target, grant.window));
            per_lock.push(MergedGrant {
                target: AccessTarget::Lock(lock),
                ..grant.clone()
            });
        }
    }

    let mut open_now = Vec::new();
    let mut upcoming = Vec::new();
    for merged in merge(per_lock) {
        let AccessTarget::Lock(lock) = merged.target else {
            continue;
        };
        let open = merged.window.contains(now);
        let restriction = open.then(|| {
            let targets: Vec<AccessTarget> = targets_by_lock
                .get(&lock)
                .into_iter()
                .flatten()
                .filter(|(_, window)| window.contains(now))
                .map(|(target, _)| *target)
                .collect();
            restriction_cause(view, lock, &targets)
        });
        let entry = AccessPageLock {
            lock,
            name: view.lock_name(lock),
            window: merged.window,
            provenances: merged.provenances,
            restriction: restriction.flatten(),
            door_state: open.then(|| door_state_cause(facts, view, lock)).flatten(),
        };
        if open {
            open_now.push(entry);
        } else {
            upcoming.push(entry);
        }
    }

    if let Some(cause) = kisi_user_barrier(facts, view, person) {
        blocked.insert(0, cause);
    }
    if open_now.is_empty() && blocked.is_empty() {
        let next = grants
            .iter()
            .filter(|g| g.window.starts_after(now))
            .min_by_key(|g| g.window.from());
        blocked = match next {
            Some(next) => vec![opens_later_cause(facts, next)],
            None => entitlement_causes(facts, person, now),
        };
    }
    AccessPage {
        visible: true,
        open_now,
        upcoming,
        blocked,
    }
}

/// A3: the page is hidden; the reasons say so first, then why the person is not a member yet (a
/// subscription that has not started, a company they are not in), unless they have grants anyway
/// (a booking only), when "no booking or subscription" would be false.
fn members_only_page(facts: &LocationFacts, person: PersonId, now: DateTime<Utc>) -> AccessPage {
    let has_grants = person_merged_grants(facts, person)
        .iter()
        .any(|g| !g.window.has_ended_by(now));
    let mut page = AccessPage::hidden(DenialCause::AccessPageMembersOnly);
    page.blocked.extend(
        entitlement_causes(facts, person, now)
            .into_iter()
            .filter(|c| !(has_grants && *c == DenialCause::NoBookingOrSubscription)),
    );
    page
}

/// The locks a grant's target shows on the page, recording why some or all are missing (A2, A5).
fn visible_locks(
    facts: &LocationFacts,
    view: &KisiView,
    target: AccessTarget,
    blocked: &mut Vec<DenialCause>,
) -> Vec<KisiLockId> {
    let mut note = |cause: DenialCause| {
        if !blocked.contains(&cause) {
            blocked.push(cause);
        }
    };
    let Some(locks) = view.locks_of(target) else {
        if let AccessTarget::Group(group) = target {
            note(DenialCause::GroupNotYetSynced { group });
        }
        return Vec::new();
    };
    if let (AccessTarget::Group(group), true) = (target, locks.is_empty()) {
        let group_name = view.target_name(target);
        note(if view.is_group_deleted(group) {
            DenialCause::GroupDeleted { group, group_name }
        } else {
            DenialCause::GroupHasNoLocks { group, group_name }
        });
    }
    locks
        .into_iter()
        .filter(|&lock| match place_filter_cause(facts, view, lock) {
            Some(cause) => {
                note(cause);
                false
            }
            None => true,
        })
        .collect()
}

/// A door of the location, by name, for the member's "A door you expected isn't here?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationDoor {
    pub lock: KisiLockId,
    pub name: String,
}

/// Issue 17, point 4: the doors of the location `person` cannot open now, by name: every lock of
/// the location's Kisi directory in the connection's place (A2: a lock of another place is not
/// this location's door) that is not on the person's Access page as open now. What the rules say
/// about each is [`crate::explain`]'s answer; this list names doors only, nobody's access.
pub fn doors_not_open_now(
    facts: &LocationFacts,
    view: &KisiView,
    person: PersonId,
    now: DateTime<Utc>,
) -> Vec<LocationDoor> {
    let page = access_page(facts, view, person, now);
    let open: Vec<KisiLockId> = page.open_now.iter().map(|l| l.lock).collect();
    let place = facts.location().kisi_place;
    let mut doors: Vec<LocationDoor> = view
        .locks
        .values()
        .filter(|lock| place.is_none_or(|p| lock.place == Some(p)))
        .filter(|lock| !open.contains(&lock.id))
        .map(|lock| LocationDoor {
            lock: lock.id,
            name: lock.name.clone(),
        })
        .collect();
    doors.sort_by(|a, b| a.name.cmp(&b.name).then(a.lock.cmp(&b.lock)));
    doors
}
