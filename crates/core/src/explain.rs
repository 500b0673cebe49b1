//! The explainer: the first rule standing between a person and a lock (A5), or the grants that let
//! them through; and why a person has no locks at all.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::barriers::{
    kisi_user_barrier, opens_later_cause, person_barrier, person_merged_grants, place_filter_cause,
    restriction_cause,
};
use crate::denial::DenialCause;
use crate::entitlement::entitlement_causes;
use crate::facts::LocationFacts;
use crate::ids::{KisiLockId, PersonId};
use crate::kisi_view::{Coverage, KisiView};
use crate::model::door_access::AccessTarget;
use crate::model::subscription::ItemKind;
use crate::rules::{MergedGrant, Provenance, SubscriptionVia, grants_for_person};
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
