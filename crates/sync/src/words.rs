//! A sync plan in plain words (issue 17 point 5): the one place its lines are written, for the
//! Admin › Sync page's dry run and `doorlink sync --dry-run` alike. People, groups and locks by
//! their names, times as wall-clock time in the location's zone; no ids, no rule codes (a reader
//! who wants the rule finds it in the code beside each line's `Operation` or `Notice`).

use chrono::{DateTime, Utc};
use doorlink_core::{
    AccessTarget, KisiGroupId, KisiLockId, KisiView, LocationFacts, LocationId, PersonId, Window,
    format_local, format_local_span,
};
use doorlink_store::Store;

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

fn lock(view: &KisiView, id: KisiLockId) -> String {
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

/// The names and times of one location as the sentences of the sync's Kisi calls (the audit log)
/// and its failures (the Sync page) say them, read from the store: the same words as the plan's
/// lines, for the work the plan does not list (a lost create looked for again, a person re-read
/// from Kisi before a re-sync, a reconnected person's user found again, a per-lock group).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocationWords<'a> {
    store: &'a Store,
    location: LocationId,
}

impl<'a> LocationWords<'a> {
    pub(crate) fn new(store: &'a Store, location: LocationId) -> Self {
        Self { store, location }
    }

    /// "Kreuzberg": the location's name, or words for one no longer in Doorlink.
    pub(crate) async fn location(&self) -> String {
        self.store.locations().get(self.location).await.map_or_else(
            |_| "a location no longer in Doorlink".to_owned(),
            |l| l.name,
        )
    }

    /// "Ana Amsel", or words for someone no longer in Doorlink's records.
    pub(crate) async fn person(&self, person: PersonId) -> String {
        self.store
            .people()
            .get(person)
            .await
            .map_or_else(|_| "someone no longer in Doorlink".to_owned(), |p| p.name)
    }

    /// "group \"Room Elbe\"", or an unnamed one when the directory does not hold it (never its id).
    pub(crate) async fn group(&self, group: KisiGroupId) -> String {
        match self
            .store
            .kisi_mirror()
            .group_name(self.location, group)
            .await
        {
            Ok(Some(name)) => format!("group \"{name}\""),
            _ => "a Kisi group Doorlink has no name for".to_owned(),
        }
    }

    /// "lock \"Front door\"", or an unnamed one when the directory does not hold it.
    pub(crate) async fn lock(&self, lock: KisiLockId) -> String {
        match self.store.kisi_mirror().kisi_view(self.location).await {
            Ok(view) => self::lock(&view, lock),
            Err(_) => "a Kisi lock Doorlink has no name for".to_owned(),
        }
    }

    /// An instant in the location's wall-clock time: "Mon 2 Mar 2026, 09:30 (Berlin time)".
    pub(crate) async fn instant(&self, at: DateTime<Utc>) -> String {
        match self.store.locations().get(self.location).await {
            Ok(location) => format_local(location.time_zone, at),
            Err(_) => "at a time of a location no longer in Doorlink".to_owned(),
        }
    }

    /// A window in the location's wall-clock time: "Mon 2 Mar 2026, 09:30–12:30 (Berlin time)".
    pub(crate) async fn window(&self, window: &Window) -> String {
        self.span(Some(window.from()), window.until()).await
    }

    /// A window as Kisi holds it (either end may be open), in the location's wall-clock time:
    /// "Mon 2 Mar 2026, 09:00–11:00 (Berlin time)", "until …", "with no end".
    pub(crate) async fn span(
        &self,
        from: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> String {
        let Ok(location) = self.store.locations().get(self.location).await else {
            // The location is gone mid-run: no zone to read its times in.
            return "at times of a location no longer in Doorlink".to_owned();
        };
        let zone = location.time_zone;
        match (from, until) {
            (Some(from), until) => format_local_span(zone, from, until),
            (None, Some(until)) => format!("until {}", format_local(zone, until)),
            (None, None) => "with no end".to_owned(),
        }
    }
}
