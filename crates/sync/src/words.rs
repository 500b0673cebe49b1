//! A sync plan in plain words (issue 17 point 5): the one place its lines are written, for the
//! Admin › Sync page's dry run and `doorlink sync --dry-run` alike. People, groups and locks by
//! their names, times as wall-clock time in the location's zone; no ids, no rule codes (a reader
//! who wants the rule finds it in the code beside each line's `Operation` or `Notice`).

use doorlink_core::{AccessTarget, KisiView, LocationFacts, PersonId, Window, format_local_span};

use crate::plan::{Notice, Operation, Plan};

/// A plan's lines: one per operation, then one per notice for staff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanWords {
    pub operations: Vec<String>,
    pub notices: Vec<String>,
}

/// The plan in words, with the people and Kisi names of `facts` and `view`.
pub fn plan_words(facts: &LocationFacts, view: &KisiView, plan: &Plan) -> PlanWords {
    PlanWords {
        operations: plan
            .operations
            .iter()
            .map(|op| operation_line(facts, view, op))
            .collect(),
        notices: plan
            .notices
            .iter()
            .map(|notice| notice_line(facts, view, notice))
            .collect(),
    }
}

/// "Ada Lovelace <ada@example.com>", or words for someone no longer in Doorlink's records.
fn name(facts: &LocationFacts, person: PersonId) -> String {
    facts.person(person).map_or_else(
        || "someone no longer in Doorlink".to_owned(),
        |p| format!("{} <{}>", p.name, p.email),
    )
}

/// "group \"Room Elbe\"", "lock \"Phone Booth\"", or an unnamed one when Kisi's directory does
/// not name it (never its id).
fn target(view: &KisiView, target: AccessTarget) -> String {
    match target {
        AccessTarget::Group(id) => view.group(id).map_or_else(
            || "a Kisi group Doorlink has no name for".to_owned(),
            |g| format!("group \"{}\"", g.name),
        ),
        AccessTarget::Lock(id) => lock(view, id),
    }
}

fn lock(view: &KisiView, id: doorlink_core::KisiLockId) -> String {
    view.lock(id).map_or_else(
        || "a Kisi lock Doorlink has no name for".to_owned(),
        |l| format!("lock \"{}\"", l.name),
    )
}

/// "Mon 30 Mar 2026, 08:30–10:00 (Berlin time)", in the location's zone.
fn span(facts: &LocationFacts, window: &Window) -> String {
    format_local_span(facts.location().time_zone, window.from(), window.until())
}

fn operation_line(facts: &LocationFacts, view: &KisiView, operation: &Operation) -> String {
    match operation {
        Operation::EnsureUser { person, .. } => format!(
            "link {} to a Kisi user (create a managed user if Kisi has none)",
            name(facts, *person)
        ),
        Operation::CreatePerLockGroup { lock: id } => {
            format!("create Doorlink's own Kisi group for {}", lock(view, *id))
        }
        Operation::DeleteAssignment {
            person,
            group,
            window,
            ..
        } => format!(
            "revoke {} from {}, {}",
            name(facts, *person),
            target(view, AccessTarget::Group(*group)),
            span(facts, window)
        ),
        Operation::CreateAssignment {
            person,
            target: t,
            window,
        } => format!(
            "grant {} {}, {}",
            name(facts, *person),
            target(view, *t),
            span(facts, window)
        ),
        Operation::DeleteLink { person, .. } => {
            format!("delete the visitor access link of {}", name(facts, *person))
        }
        Operation::CreateLink {
            person,
            target: t,
            window,
            ..
        } => format!(
            "send {} a visitor access link to {}, {}",
            name(facts, *person),
            target(view, *t),
            span(facts, window)
        ),
        Operation::DeleteUser { person, .. } => {
            format!("delete the Kisi user of {}", name(facts, *person))
        }
        Operation::ForgetPerson { person } => format!(
            "stop managing {} in Kisi, leaving their Kisi user",
            name(facts, *person)
        ),
    }
}

fn notice_line(facts: &LocationFacts, view: &KisiView, notice: &Notice) -> String {
    match notice {
        Notice::TargetOrphaned { person, target: t } => format!(
            "{} no longer exists in Kisi, so {} does not get it; select an existing group",
            target(view, *t),
            name(facts, *person)
        ),
        Notice::EmailDrift {
            person,
            doorlink_email,
            kisi_email,
            ..
        } => format!(
            "{} has the e-mail {doorlink_email} in Doorlink but is linked to the Kisi user {kisi_email}; re-link them",
            name(facts, *person)
        ),
        Notice::UnconfirmedKisiUser { person, .. } => format!(
            "{}'s Kisi user never confirmed their e-mail, so Kisi refuses their unlocks; ask them to open Kisi's confirmation e-mail",
            name(facts, *person)
        ),
        Notice::UserNotOwned { person, .. } => format!(
            "{}'s Kisi user was not created by Doorlink, so it is left in place",
            name(facts, *person)
        ),
    }
}
