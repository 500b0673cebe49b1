//! The explainer: the first rule standing between a person and a lock (A5), or the grants that let
//! them through; and why a person has no locks at all.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::denial::DenialCause;
use crate::entitlement::entitlement_causes;
use crate::facts::LocationFacts;
use crate::ids::{KisiLockId, PersonId};
use crate::kisi_view::{Coverage, KisiUserState, KisiView};
use crate::model::door_access::AccessTarget;
use crate::model::subscription::ItemKind;
use crate::rules::{MergedGrant, Provenance, SubscriptionVia, grants_for_person, merge_grants};
use crate::time::format_local;

/// The answer to "may this person open this lock now?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "answer")]
pub enum Explanation {
    /// The person may open the lock; `grants` are the merged grants that allow it now.
    /// `verified_in_kisi` is false when the answer rests on Kisi state Doorlink has not read yet
    /// (an unknown group, lock or user).
    MayOpen {
        grants: Vec<MergedGrant>,
        verified_in_kisi: bool,
    },
    /// The first rule that stands in the way.
    Blocked { cause: DenialCause },
}

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

/// Why `person` may or may not open `lock` at `now`: checks, in order, the person (unknown, R15
/// disconnected, R14 on hold), their entitlement (A5: no booking or subscription, no door access on
/// the plan or resource, subscription not started, not in the company), whether any grant reaches
/// the lock (group deleted, A2 place filter, lock not in the groups), the grant's window (opens
/// later, ended), the Kisi user (I2 e-mail mismatch, I3 unconfirmed) and the lock's restrictions
/// (Kisi Reader, geofence). Works with an empty [`KisiView`]: nothing is then blamed on Kisi.
pub fn explain(
    facts: &LocationFacts,
    view: &KisiView,
    person: PersonId,
    lock: KisiLockId,
    now: DateTime<Utc>,
) -> Explanation {
    let blocked = |cause| Explanation::Blocked { cause };
    if let Some(cause) = person_barrier(facts, person) {
        return blocked(cause);
    }
    let zone = facts.location().time_zone;
    let grants = person_merged_grants(facts, person);
    let live: Vec<&MergedGrant> = grants
        .iter()
        .filter(|g| !g.window.has_ended_by(now))
        .collect();
    if live.is_empty() {
        let last_end = grants.iter().filter_map(|g| g.window.until()).max();
        return blocked(
            match (first_entitlement_cause(facts, person, now), last_end) {
                (DenialCause::NoBookingOrSubscription, Some(ended_at)) => {
                    DenialCause::AccessEnded {
                        ended_at,
                        ended_local: format_local(zone, ended_at),
                    }
                }
                (cause, _) => cause,
            },
        );
    }

    let reaching: Vec<(&MergedGrant, Coverage)> = live
        .iter()
        .map(|g| (*g, view.coverage(g.target, lock)))
        .filter(|(_, coverage)| *coverage != Coverage::DoesNotCover)
        .collect();
    if reaching.is_empty() {
        return blocked(unreached_lock_cause(facts, view, &live, lock, now));
    }
    let open_now: Vec<(&MergedGrant, Coverage)> = reaching
        .iter()
        .copied()
        .filter(|(g, _)| g.window.contains(now))
        .collect();
    if open_now.is_empty() {
        return blocked(not_open_yet_cause(facts, &reaching));
    }
    if let Some(cause) = place_filter_cause(facts, view, lock) {
        return blocked(cause);
    }
    if let Some(cause) = kisi_user_barrier(facts, view, person) {
        return blocked(cause);
    }
    let targets: Vec<AccessTarget> = open_now.iter().map(|(g, _)| g.target).collect();
    if let Some(cause) = restriction_cause(view, lock, &targets) {
        return blocked(cause);
    }
    let verified_in_kisi = view.lock(lock).is_some()
        && view.user(person).is_some()
        && open_now.iter().all(|(_, c)| *c == Coverage::Covers);
    Explanation::MayOpen {
        grants: open_now.into_iter().map(|(g, _)| g.clone()).collect(),
        verified_in_kisi,
    }
}

pub(crate) fn first_entitlement_cause(
    facts: &LocationFacts,
    person: PersonId,
    now: DateTime<Utc>,
) -> DenialCause {
    entitlement_causes(facts, person, now)
        .into_iter()
        .next()
        .unwrap_or(DenialCause::NoBookingOrSubscription)
}

/// The person has running or upcoming grants, but none reaches the lock.
fn unreached_lock_cause(
    facts: &LocationFacts,
    view: &KisiView,
    live: &[&MergedGrant],
    lock: KisiLockId,
    now: DateTime<Utc>,
) -> DenialCause {
    if let Some(cause) = place_filter_cause(facts, view, lock) {
        return cause;
    }
    let deleted = live.iter().find_map(|g| match g.target {
        AccessTarget::Group(group) if view.is_group_deleted(group) => Some(group),
        _ => None,
    });
    if let Some(group) = deleted {
        return DenialCause::GroupDeleted {
            group,
            group_name: view.target_name(AccessTarget::Group(group)),
        };
    }
    let mut groups: Vec<String> = live.iter().map(|g| view.target_name(g.target)).collect();
    groups.dedup();
    DenialCause::LockNotInGroups {
        lock,
        lock_name: view.lock_name(lock),
        groups,
        plans: plan_names(facts, live),
        others_in_groups: others_in_groups(facts, live, now),
    }
}

/// The names of the plans behind `live`, for the member's words ("Your Flex plan doesn't
/// include the Server Room"); R5: a company's plan counts when the person has it through it.
fn plan_names(facts: &LocationFacts, live: &[&MergedGrant]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for grant in live {
        for provenance in &grant.provenances {
            let Provenance::Subscription {
                subscription,
                item,
                via,
            } = *provenance
            else {
                continue;
            };
            let held = match via {
                SubscriptionVia::Holder => facts
                    .personal_subscriptions_of(grant.person)
                    .find(|s| s.id == subscription),
                SubscriptionVia::CompanyMember(company) | SubscriptionVia::Beneficiary(company) => {
                    facts
                        .subscriptions_of_company(company)
                        .find(|s| s.id == subscription)
                }
            };
            let plan = held
                .and_then(|s| s.items.iter().find(|i| i.id == item))
                .and_then(|i| match i.kind {
                    ItemKind::Plan(plan) => facts.plan(plan),
                    _ => None,
                });
            if let Some(plan) = plan
                && !names.contains(&plan.name)
            {
                names.push(plan.name.clone());
            }
        }
    }
    names
}

/// How many other people have access now or ahead through the groups of `live`: whom adding a
/// lock to those groups would let in too.
fn others_in_groups(facts: &LocationFacts, live: &[&MergedGrant], now: DateTime<Utc>) -> usize {
    let Some(person) = live.first().map(|g| g.person) else {
        return 0;
    };
    let groups: Vec<AccessTarget> = live
        .iter()
        .map(|g| g.target)
        .filter(|t| matches!(t, AccessTarget::Group(_)))
        .collect();
    facts
        .people()
        .filter(|other| other.id != person)
        .filter(|other| {
            grants_for_person(facts, other.id)
                .iter()
                .any(|g| groups.contains(&g.target) && !g.window.has_ended_by(now))
        })
        .count()
}

/// Grants reach the lock but none is open now: R1 (subscription not started) when the earliest of
/// them is a subscription's, otherwise "opens at".
fn not_open_yet_cause(facts: &LocationFacts, reaching: &[(&MergedGrant, Coverage)]) -> DenialCause {
    let earliest = reaching
        .iter()
        .map(|(g, _)| *g)
        .min_by_key(|g| g.window.from());
    match earliest {
        Some(grant) => opens_later_cause(facts, grant),
        None => DenialCause::NoBookingOrSubscription,
    }
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
    let every_group = |restricted: fn(&crate::kisi_view::KisiGroup) -> bool| {
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

/// Why the person's Access page shows no locks (A5: never "No locks" without its reason). Empty
/// when the person does have a lock they can see now.
pub fn explain_no_locks(
    facts: &LocationFacts,
    view: &KisiView,
    person: PersonId,
    now: DateTime<Utc>,
) -> Vec<DenialCause> {
    let page = crate::access_page::access_page(facts, view, person, now);
    if page.open_now.is_empty() {
        page.blocked
    } else {
        Vec::new()
    }
}
