//! The planner: a pure comparison of the access the rules give (core's [`DesiredAccess`]) with what
//! Doorlink owns in Kisi (the [`MirrorView`]), giving the Kisi operations that close the gap. No
//! IO: the worker applies the plan, the dry run shows it.

use std::collections::{BTreeMap, BTreeSet};

use doorlink_core::{
    AccessTarget, DesiredAccess, DisconnectMode, Email, KisiGroupId, KisiLockId, KisiUserId,
    LocationFacts, Person, PersonId, VisitId, Window,
};
use kisi::{GroupLinkId, RoleAssignmentId};
use serde::Serialize;

use crate::view::{DirectoryView, MirrorAssignment, MirrorLink, MirrorUser, MirrorView};

/// One change to make in Kisi (and then in the mirror).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum Operation {
    /// I1, I2: link the person to a Kisi user, creating a managed user if Kisi has none with their
    /// e-mail.
    EnsureUser {
        person: PersonId,
        email: Email,
        name: String,
    },
    /// M7: create Doorlink's own group holding just this lock.
    CreatePerLockGroup { lock: KisiLockId },
    /// Remove an owned role assignment that is no longer desired (or whose window changed).
    DeleteAssignment {
        person: PersonId,
        assignment: RoleAssignmentId,
        group: KisiGroupId,
        window: Window,
    },
    /// Write one merged grant (R13) with `valid_from`/`valid_until` so Kisi enforces the window.
    CreateAssignment {
        person: PersonId,
        target: AccessTarget,
        window: Window,
    },
    /// Remove a visitor access link that is no longer desired.
    DeleteLink { person: PersonId, link: GroupLinkId },
    /// R10: a visitor access link for the visit's window, sent to the visitor's e-mail.
    CreateLink {
        person: PersonId,
        visit: VisitId,
        email: Email,
        name: String,
        target: AccessTarget,
        window: Window,
    },
    /// R15 "delete": delete the Kisi user Doorlink created (Kisi drops its assignments with it).
    DeleteUser { person: PersonId, user: KisiUserId },
    /// R15 "disconnect": stop managing the person; Kisi keeps the user and what it holds. The
    /// mirror remembers the user, so a reconnect re-adopts it and its grants in Doorlink's groups.
    ForgetPerson { person: PersonId },
}

impl Operation {
    /// The person the operation is for (`None` for shared objects such as per-lock groups).
    pub fn person(&self) -> Option<PersonId> {
        match self {
            Operation::CreatePerLockGroup { .. } => None,
            Operation::EnsureUser { person, .. }
            | Operation::DeleteAssignment { person, .. }
            | Operation::CreateAssignment { person, .. }
            | Operation::DeleteLink { person, .. }
            | Operation::CreateLink { person, .. }
            | Operation::DeleteUser { person, .. }
            | Operation::ForgetPerson { person } => Some(*person),
        }
    }

    /// Whether the operation writes to Kisi (forgetting a person only touches the mirror).
    pub fn calls_kisi(&self) -> bool {
        !matches!(self, Operation::ForgetPerson { .. })
    }
}

/// Something staff should know that the plan cannot fix by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "notice")]
pub enum Notice {
    /// C4: a grant names a group or lock that Kisi no longer has; it is not written.
    TargetOrphaned {
        person: PersonId,
        target: AccessTarget,
    },
    /// I2: the person's e-mail changed in Doorlink; their grants stay on the linked Kisi user
    /// until staff re-link, instead of creating a second Kisi user.
    EmailDrift {
        person: PersonId,
        user: KisiUserId,
        doorlink_email: Email,
        kisi_email: String,
    },
    /// I3: the linked Kisi user is a regular user who never confirmed their e-mail; Kisi refuses
    /// their unlocks until they open Kisi's confirmation e-mail.
    UnconfirmedKisiUser { person: PersonId, user: KisiUserId },
    /// R15, I4: staff asked to delete the person's Kisi user, but Doorlink did not create it, so
    /// it only revokes what it granted and leaves the user.
    UserNotOwned { person: PersonId, user: KisiUserId },
}

/// The operations, in the order they must run: users and per-lock groups first (creates need
/// them), then revocations, then creations, each followed by the deletions of the owned
/// assignments it replaces (R8 make before break: a changed window is never absent; where Kisi
/// refuses the overlap, the executor swaps the pair at run time) and, for a person moved to
/// another group, by the revocations of the old one; then the R15 steps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub operations: Vec<Operation>,
    pub notices: Vec<Notice>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// How many Kisi writes the plan makes at most (its cost against the rate budget).
    pub fn kisi_writes(&self) -> usize {
        self.operations.iter().filter(|op| op.calls_kisi()).count()
    }
}

#[derive(Default)]
struct Phases {
    prepare: Vec<Operation>,
    delete: Vec<Operation>,
    create: Vec<Operation>,
    finish: Vec<Operation>,
    notices: Vec<Notice>,
    lock_groups_to_create: BTreeSet<KisiLockId>,
}

/// What the planner knows about one person.
#[derive(Default)]
struct PersonPlan<'a> {
    assignments: Vec<(AccessTarget, Window)>,
    links: Vec<(VisitId, AccessTarget, Window)>,
    owned_assignments: Vec<&'a MirrorAssignment>,
    owned_links: Vec<&'a MirrorLink>,
    on_hold: bool,
    disconnected: Option<DisconnectMode>,
}

/// Compares `desired` with `mirror` for every person either mentions. Pass a mirror limited to
/// the people `desired` was computed for (one person, or the whole location): an owned assignment
/// of someone else would otherwise be revoked.
pub fn plan(
    facts: &LocationFacts,
    desired: &DesiredAccess,
    mirror: &MirrorView,
    directory: &DirectoryView,
) -> Plan {
    let mut people: BTreeMap<PersonId, PersonPlan<'_>> = BTreeMap::new();
    for a in &desired.assignments {
        let entry = people.entry(a.person).or_default();
        entry.assignments.push((a.target, a.window));
    }
    for l in &desired.links {
        let entry = people.entry(l.person).or_default();
        entry.links.push((l.visit, l.target, l.window));
    }
    for &person in &desired.on_hold {
        people.entry(person).or_default().on_hold = true;
    }
    for d in &desired.disconnected {
        people.entry(d.person).or_default().disconnected = Some(d.mode);
    }
    for a in &mirror.assignments {
        people
            .entry(a.person)
            .or_default()
            .owned_assignments
            .push(a);
    }
    for l in &mirror.links {
        people.entry(l.person).or_default().owned_links.push(l);
    }
    for &person in mirror.users.keys() {
        people.entry(person).or_default();
    }

    let mut phases = Phases::default();
    for (person, wanted) in people {
        plan_person(facts, mirror, directory, person, wanted, &mut phases);
    }
    let Phases {
        mut prepare,
        delete,
        create,
        finish,
        notices,
        lock_groups_to_create,
    } = phases;
    prepare.extend(
        lock_groups_to_create
            .into_iter()
            .map(|lock| Operation::CreatePerLockGroup { lock }),
    );
    let mut operations = prepare;
    operations.extend(delete);
    operations.extend(create);
    operations.extend(finish);
    Plan {
        operations,
        notices,
    }
}

fn plan_person(
    facts: &LocationFacts,
    mirror: &MirrorView,
    directory: &DirectoryView,
    person: PersonId,
    mut wanted: PersonPlan<'_>,
    phases: &mut Phases,
) {
    let user = mirror.users.get(&person);
    if let Some(mode) = wanted.disconnected {
        plan_disconnected(person, mode, &wanted, user, phases);
        return;
    }
    if wanted.on_hold {
        // R14: revoke everything Doorlink granted; keep the user for when the hold ends.
        wanted.assignments.clear();
        wanted.links.clear();
    }
    let first_notice = phases.notices.len();
    let mut keep_target = |target: AccessTarget| {
        if directory.is_orphaned(target) {
            // Once per person and target, however many grants name it.
            let notice = Notice::TargetOrphaned { person, target };
            if !phases.notices[first_notice..].contains(&notice) {
                phases.notices.push(notice);
            }
            return false;
        }
        if let AccessTarget::Lock(lock) = target
            && !directory.lock_groups.contains_key(&lock)
        {
            phases.lock_groups_to_create.insert(lock);
        }
        true
    };
    wanted
        .assignments
        .retain(|&(target, _)| keep_target(target));
    wanted.links.retain(|&(_, target, _)| keep_target(target));

    if !wanted.assignments.is_empty() {
        match (user, facts.person(person)) {
            (None, Some(p)) => phases.prepare.push(Operation::EnsureUser {
                person,
                email: p.email.clone(),
                name: p.name.clone(),
            }),
            (Some(linked), Some(p)) => notice_user_problems(person, &p.email, linked, phases),
            // A person the facts no longer know gets nothing: `desired` cannot name them.
            (_, None) => {}
        }
    }

    diff_assignments(person, directory, &wanted, phases);
    diff_links(person, facts.person(person), directory, &wanted, phases);
}

fn notice_user_problems(person: PersonId, email: &Email, linked: &MirrorUser, phases: &mut Phases) {
    if !linked.kisi_email.eq_ignore_ascii_case(email.as_str()) {
        phases.notices.push(Notice::EmailDrift {
            person,
            user: linked.kisi_user,
            doorlink_email: email.clone(),
            kisi_email: linked.kisi_email.clone(),
        });
    }
    if !linked.confirmed {
        phases.notices.push(Notice::UnconfirmedKisiUser {
            person,
            user: linked.kisi_user,
        });
    }
}

/// Exact matching: an owned assignment survives only if the same target, group and window is
/// still desired. Anything else is replaced: R8 "no gap", make before break — the new assignment
/// is created first and the owned ones it replaces (same group, overlapping or touching window)
/// are deleted right after it. Owned assignments nothing replaces are revocations and run first,
/// unless the person is granted another group in the same plan: then they follow the grants.
fn diff_assignments(
    person: PersonId,
    directory: &DirectoryView,
    wanted: &PersonPlan<'_>,
    phases: &mut Phases,
) {
    let mut unmatched: Vec<&MirrorAssignment> = wanted.owned_assignments.clone();
    let mut creates = Vec::new();
    for &(target, window) in &wanted.assignments {
        let group = directory.group_of(target);
        let found = unmatched
            .iter()
            .position(|a| a.target == target && Some(a.group) == group && a.window == window);
        match found {
            Some(at) => {
                unmatched.swap_remove(at);
            }
            None => creates.push((target, group, window)),
        }
    }
    let new_windows: Vec<Window> = creates.iter().map(|&(_, _, window)| window).collect();
    for (target, group, window) in creates {
        phases.create.push(Operation::CreateAssignment {
            person,
            target,
            window,
        });
        let (mut replaced, kept): (Vec<_>, Vec<_>) = unmatched
            .into_iter()
            .partition(|a| Some(a.group) == group && a.window.overlaps_or_touches(&window));
        unmatched = kept;
        replaced.sort_by_key(|a| a.kisi_id);
        phases
            .create
            .extend(replaced.into_iter().map(|a| delete_assignment(person, a)));
    }
    unmatched.sort_by_key(|a| a.kisi_id);
    // R8 across groups: a person whose access moves to another group for the same time (a
    // plan's or room's mapping changed) is granted the new group before losing the old one,
    // person by person, so nobody is locked out for the length of a bulk run. Other revocations
    // run first. Only where every grant names its group: the executor tells a replacement's
    // deletions from a move's by group.
    let groups_only = wanted
        .assignments
        .iter()
        .all(|(target, _)| matches!(target, AccessTarget::Group(_)));
    let (moved, revoked): (Vec<_>, Vec<_>) = unmatched
        .into_iter()
        .partition(|a| groups_only && new_windows.iter().any(|w| w.overlaps_or_touches(&a.window)));
    phases
        .delete
        .extend(revoked.into_iter().map(|a| delete_assignment(person, a)));
    phases
        .create
        .extend(moved.into_iter().map(|a| delete_assignment(person, a)));
}

fn delete_assignment(person: PersonId, a: &MirrorAssignment) -> Operation {
    Operation::DeleteAssignment {
        person,
        assignment: RoleAssignmentId(a.kisi_id.0),
        group: a.group,
        window: a.window,
    }
}

/// Links match on visit, group and window. `visitor` is `None` only for a person the facts no
/// longer know, who has no desired links.
fn diff_links(
    person: PersonId,
    visitor: Option<&Person>,
    directory: &DirectoryView,
    wanted: &PersonPlan<'_>,
    phases: &mut Phases,
) {
    let mut unmatched: Vec<&MirrorLink> = wanted.owned_links.clone();
    for &(visit, target, window) in &wanted.links {
        let group = directory.group_of(target);
        let same = |l: &&MirrorLink| Some(l.group) == group && l.window == window;
        // A link whose visit the mirror lost (re-adopted after a reconnect, or after a create
        // whose answer was lost) serves any visit with the same group and window.
        let found = unmatched
            .iter()
            .position(|l| l.visit == Some(visit) && same(l))
            .or_else(|| unmatched.iter().position(|l| l.visit.is_none() && same(l)));
        match found {
            Some(at) => {
                unmatched.swap_remove(at);
            }
            None => {
                if let Some(visitor) = visitor {
                    phases.create.push(Operation::CreateLink {
                        person,
                        visit,
                        email: visitor.email.clone(),
                        name: visitor.name.clone(),
                        target,
                        window,
                    });
                }
            }
        }
    }
    unmatched.sort_by_key(|l| l.kisi_id);
    phases
        .delete
        .extend(unmatched.into_iter().map(|l| Operation::DeleteLink {
            person,
            link: GroupLinkId(l.kisi_id.0),
        }));
}

/// I2: what re-linking a person whose e-mail drifted undoes before the person is synced again:
/// their access links (re-issued to the new address), their assignments, and the link to the old
/// Kisi user, which is deleted if Doorlink created it (I4). The next sync then links the person to
/// the Kisi user of their current e-mail, creating it if needed.
pub fn plan_unlink(person: PersonId, owned: &MirrorView) -> Plan {
    let wanted = PersonPlan {
        owned_assignments: owned
            .assignments
            .iter()
            .filter(|a| a.person == person)
            .collect(),
        owned_links: owned.links.iter().filter(|l| l.person == person).collect(),
        ..PersonPlan::default()
    };
    let mut phases = Phases::default();
    let user = owned.users.get(&person);
    plan_disconnected(
        person,
        DisconnectMode::DeleteKisiUser,
        &wanted,
        user,
        &mut phases,
    );
    let mut operations = phases.delete;
    operations.extend(phases.finish);
    Plan {
        operations,
        notices: Vec::new(),
    }
}

/// R15. "Keep the Kisi user": Doorlink stops managing the person and leaves Kisi as it is.
/// "Delete the Kisi user": Doorlink deletes the user if it created it (I4); otherwise it revokes
/// what it granted and leaves the user.
fn plan_disconnected(
    person: PersonId,
    mode: DisconnectMode,
    wanted: &PersonPlan<'_>,
    user: Option<&MirrorUser>,
    phases: &mut Phases,
) {
    // "Keep" leaves the visitor access links Doorlink's (they go to an e-mail, not to the user):
    // links alone give nothing to forget.
    let knows_anything = user.is_some()
        || !wanted.owned_assignments.is_empty()
        || (mode == DisconnectMode::DeleteKisiUser && !wanted.owned_links.is_empty());
    if !knows_anything {
        return;
    }
    if mode == DisconnectMode::DeleteKisiUser {
        let revoke_links = wanted.owned_links.iter().map(|l| Operation::DeleteLink {
            person,
            link: GroupLinkId(l.kisi_id.0),
        });
        phases.delete.extend(revoke_links);
        match user {
            Some(linked) if linked.owned => {
                phases.finish.push(Operation::DeleteUser {
                    person,
                    user: linked.kisi_user,
                });
                return;
            }
            Some(linked) => phases.notices.push(Notice::UserNotOwned {
                person,
                user: linked.kisi_user,
            }),
            None => {}
        }
        let revoke_assignments =
            wanted
                .owned_assignments
                .iter()
                .map(|a| Operation::DeleteAssignment {
                    person,
                    assignment: RoleAssignmentId(a.kisi_id.0),
                    group: a.group,
                    window: a.window,
                });
        phases.delete.extend(revoke_assignments);
    }
    phases.finish.push(Operation::ForgetPerson { person });
}
