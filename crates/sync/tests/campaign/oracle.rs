//! The oracle: what the rules engine (`desired_access_for_location`) says Kisi should hold, compared
//! with what the emulator holds. Everything is keyed by e-mail, group and window, so an object
//! Doorlink made twice shows up as duplicated and one it lost track of as extra.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use doorlink_core::{AccessTarget, DisconnectMode, LocationFacts, desired_access_for_location};
use doorlink_sync::LOCK_GROUP_PREFIX;
use kisi_emulator::{AssignmentSource, Snapshot};

/// (e-mail, Kisi group, valid_from, valid_until): one role assignment or access link.
pub(crate) type Key = (String, u64, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// What Kisi was found to hold against what the rules want, for the people Doorlink manages.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    pub(crate) missing: Vec<String>,
    pub(crate) extra: Vec<String>,
    pub(crate) duplicated: Vec<String>,
    /// Owned objects whose window ended before now, not yet cleaned up: they open nothing. Allowed
    /// at sampled instants (no sync of that person ran since), not at the end.
    pub(crate) expired_leftovers: usize,
    /// Desired assignments valid at this instant (a person entitled now) that Kisi holds.
    pub(crate) entitled_now: usize,
}

impl Verdict {
    pub(crate) fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.duplicated.is_empty()
    }
}

/// Objects made by hand in the Kisi dashboard (I4: Doorlink must never remove or edit them).
#[derive(Debug, Default, Clone)]
pub(crate) struct Foreign {
    /// Users added by hand, by id, with their e-mail.
    pub(crate) users: BTreeMap<u64, String>,
    /// Role assignments added by hand, as they were made.
    pub(crate) assignments: Vec<kisi_emulator::RoleAssignment>,
}

impl Foreign {
    /// Hand-made objects Kisi no longer holds as they were made: each one is I4 broken.
    pub(crate) fn touched(&self, kisi: &Snapshot) -> Vec<String> {
        let mut touched = Vec::new();
        for (id, email) in &self.users {
            if !kisi.users.iter().any(|u| u.id == *id) {
                touched.push(format!("hand-made user {id} <{email}> deleted"));
            }
        }
        for made in &self.assignments {
            if !kisi.role_assignments.iter().any(|a| a == made) {
                touched.push(format!(
                    "hand-made role assignment {} gone or edited",
                    made.id
                ));
            }
        }
        touched
    }

    fn is_hand_made_user_of(&self, email: &str) -> bool {
        self.users.values().any(|e| e.eq_ignore_ascii_case(email))
    }
}

/// Kisi group of a target: the group itself, or Doorlink's per-lock group (M7) found by name.
fn group_of(target: AccessTarget, kisi: &Snapshot) -> Option<u64> {
    match target {
        AccessTarget::Group(group) => u64::try_from(group.0).ok(),
        AccessTarget::Lock(lock) => {
            let lock = u64::try_from(lock.0).ok()?;
            let name = &kisi.locks.iter().find(|l| l.id == lock)?.name;
            let wanted = format!("{LOCK_GROUP_PREFIX}{name}");
            kisi.groups.iter().find(|g| g.name == wanted).map(|g| g.id)
        }
    }
}

/// Compares Kisi with the rules at `now`. `strict`: expired leftovers count as extra.
pub(crate) fn compare(
    facts: &LocationFacts,
    kisi: &Snapshot,
    foreign: &Foreign,
    now: DateTime<Utc>,
    strict: bool,
) -> Verdict {
    let desired = desired_access_for_location(facts, now);
    let mut verdict = Verdict::default();
    let email_of = |person| {
        facts
            .person(person)
            .map(|p| p.email.as_str().to_lowercase())
    };
    // R15 "keep the Kisi user": Kisi keeps whatever it holds; Doorlink no longer looks.
    let kept: BTreeSet<String> = desired
        .disconnected
        .iter()
        .filter(|d| d.mode == DisconnectMode::KeepKisiUser)
        .filter_map(|d| email_of(d.person))
        .collect();
    let managed: BTreeSet<String> = facts
        .people()
        .map(|p| p.email.as_str().to_lowercase())
        .filter(|e| !kept.contains(e))
        .collect();

    let mut wanted: BTreeMap<Key, usize> = BTreeMap::new();
    let mut wanted_links: BTreeMap<Key, usize> = BTreeMap::new();
    for a in &desired.assignments {
        let (Some(email), Some(group)) = (email_of(a.person), group_of(a.target, kisi)) else {
            verdict
                .missing
                .push(format!("{a:?}: no Kisi group for its target"));
            continue;
        };
        let key = (email, group, Some(a.window.from()), a.window.until());
        *wanted.entry(key).or_default() += 1;
    }
    for l in &desired.links {
        let (Some(email), Some(group)) = (email_of(l.person), group_of(l.target, kisi)) else {
            verdict
                .missing
                .push(format!("{l:?}: no Kisi group for its target"));
            continue;
        };
        let key = (email, group, Some(l.window.from()), l.window.until());
        *wanted_links.entry(key).or_default() += 1;
    }

    let user_email: BTreeMap<u64, String> = kisi
        .users
        .iter()
        .map(|u| (u.id, u.email.to_lowercase()))
        .filter(|(_, e)| managed.contains(e))
        .collect();
    let mut held: BTreeMap<Key, usize> = BTreeMap::new();
    for a in &kisi.role_assignments {
        if a.source == AssignmentSource::Dashboard {
            continue;
        }
        if let Some(email) = user_email.get(&a.user_id) {
            let key = (email.clone(), a.group_id, a.valid_from, a.valid_until);
            *held.entry(key).or_default() += 1;
        }
    }
    let mut held_links: BTreeMap<Key, usize> = BTreeMap::new();
    for l in &kisi.group_links {
        if let Some(email) = l.email.as_deref().map(str::to_lowercase)
            && managed.contains(&email)
        {
            let key = (email, l.group_id, l.valid_from, l.valid_until);
            *held_links.entry(key).or_default() += 1;
        }
    }

    for (what, wanted, held) in [
        ("assignment", &wanted, &held),
        ("access link", &wanted_links, &held_links),
    ] {
        for key in wanted.keys() {
            if held.contains_key(key) {
                let (_, _, from, until) = key;
                if from.is_none_or(|f| f <= now) && until.is_none_or(|u| now < u) {
                    verdict.entitled_now += 1;
                }
            } else {
                verdict.missing.push(format!("{what} {key:?}"));
            }
        }
        for (key, n) in held {
            if *n > 1 {
                verdict.duplicated.push(format!("{what} {key:?} ×{n}"));
            }
            if wanted.contains_key(key) {
                continue;
            }
            let expired = key.3.is_some_and(|until| until <= now);
            if expired && !strict {
                verdict.expired_leftovers += 1;
            } else {
                verdict.extra.push(format!("{what} {key:?}"));
            }
        }
    }

    // One Kisi user per e-mail (I2); R15 "delete": Doorlink's own user is gone, a hand-made one
    // stays (I4).
    let mut users_per_email: BTreeMap<String, usize> = BTreeMap::new();
    for u in &kisi.users {
        *users_per_email.entry(u.email.to_lowercase()).or_default() += 1;
    }
    for (email, n) in &users_per_email {
        if *n > 1 {
            verdict.duplicated.push(format!("Kisi user <{email}> ×{n}"));
        }
    }
    for d in &desired.disconnected {
        if d.mode != DisconnectMode::DeleteKisiUser {
            continue;
        }
        if let Some(email) = email_of(d.person)
            && users_per_email.contains_key(&email)
            && !foreign.is_hand_made_user_of(&email)
        {
            verdict.extra.push(format!(
                "Kisi user <{email}> of a person disconnected with 'delete the Kisi user'"
            ));
        }
    }
    verdict
}

/// Everything Doorlink's connection wrote and Kisi holds: what must not change while the location
/// is disconnected (C3).
pub(crate) fn fingerprint(kisi: &Snapshot) -> BTreeSet<String> {
    let assignments = kisi
        .role_assignments
        .iter()
        .filter(|a| a.source == AssignmentSource::Api)
        .map(|a| format!("assignment {a:?}"));
    let links = kisi.group_links.iter().map(|l| {
        format!(
            "link {} {} {:?} {:?} {:?}",
            l.id, l.group_id, l.email, l.valid_from, l.valid_until
        )
    });
    let users = kisi
        .users
        .iter()
        .map(|u| format!("user {} {}", u.id, u.email));
    let groups = kisi
        .groups
        .iter()
        .map(|g| format!("group {} {}", g.id, g.name));
    assignments
        .chain(links)
        .chain(users)
        .chain(groups)
        .collect()
}
