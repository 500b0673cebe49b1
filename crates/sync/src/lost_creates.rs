//! Creates whose answer was lost: a crash between Kisi's answer and the mirror write, or a timeout
//! or closed connection after Kisi acted (the Kisi client never sends such a create twice). The
//! intent is written before every create (`Intents::record_user_intent`, `record_grant_intent`),
//! so before planning, each open intent is looked up in Kisi: a user or grant found is Doorlink's
//! (I4) and goes into the mirror as owned, and the plan then keeps, replaces, revokes or deletes
//! it like any other — the person may have been disconnected meanwhile, the window no longer
//! wanted. The intent is settled either way.
//!
//! Without this, a lost create whose window then changed (the booking moved before the retry)
//! stayed in Kisi as nobody's: access beyond what the rules give, or, where Kisi refuses
//! overlapping assignments, a "foreign" role blocking the person's new grant for ever (found by
//! the random campaign).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use doorlink_core::{AccessTarget, KisiGroupId, KisiUserId, LocationId, PersonId};
use doorlink_store::{GrantIntent, GrantKind, KisiGroupLinkId, KisiRoleAssignmentId};
use kisi::{GroupId, KisiError, UserId};

use crate::apply::made_by_a_lost_create;
use crate::audit::{AuditedKisi, CallInfo};
use crate::engine::SyncEngine;
use crate::error::{Result, SyncError};
use crate::mirror::Mirror;
use crate::readopt::doorlink_groups;
use crate::view::{MirrorAssignment, MirrorLink, MirrorUser};

impl SyncEngine {
    /// Settles the open create intents of one person (or everyone at the location); returns the
    /// people whose lost grants were found and adopted.
    pub(crate) async fn settle_lost_creates(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
        person: Option<PersonId>,
    ) -> Result<BTreeSet<PersonId>> {
        let intents = self.store.intents();
        let mirror = Mirror::new(&self.store, location);
        let mut adopted = BTreeSet::new();
        for (person, email, since) in intents.open_user_intents(location, person).await? {
            if lost_user(kisi, mirror, person, &email, since).await? {
                tracing::warn!(
                    location = location.0,
                    person = person.0,
                    "a Kisi user whose create answer was lost is in Kisi; it is Doorlink's"
                );
                adopted.insert(person);
            }
            intents.clear_user_intents(location, person).await?;
        }
        let open = intents.open_grant_intents(location, person).await?;
        if open.is_empty() {
            return Ok(adopted);
        }
        let targets = doorlink_groups(mirror).await?;
        for intent in open {
            let found = match intent.kind {
                GrantKind::RoleAssignment => {
                    lost_assignments(kisi, mirror, &intent, &targets).await?
                }
                GrantKind::AccessLink => self.lost_links(kisi, mirror, &intent).await?,
            };
            if found > 0 {
                tracing::warn!(
                    location = location.0,
                    person = intent.person.0,
                    group = intent.group.0,
                    found,
                    "a grant whose create answer was lost is in Kisi; it is Doorlink's again"
                );
                adopted.insert(intent.person);
            }
            intents.clear_grant_intent(&intent).await?;
        }
        Ok(adopted)
    }

    /// Access links in the intent's group, to the person's e-mail, with its window, that the
    /// mirror does not know: adopted without their visit (the plan matches them to a wanted link by
    /// group and window).
    async fn lost_links(
        &self,
        kisi: &AuditedKisi,
        mirror: Mirror<'_>,
        intent: &GrantIntent,
    ) -> Result<usize> {
        let person = intent.person;
        let email = self.store.people().get(person).await?.email;
        let info = CallInfo::new(
            format!(
                "look for the visitor access link of {} to {}, {}, whose create answer was lost",
                mirror.words().person(person).await,
                mirror.words().group(intent.group).await,
                mirror.words().window(&intent.window).await
            ),
            "GET",
            format!("/group_links?group_id={}", intent.group),
            Some(person),
        );
        let links = kisi
            .call(info, kisi.client.group_links(GroupId(intent.group.0)))
            .await
            .map_err(|e| SyncError::kisi("list access links", e))?;
        let known: BTreeSet<KisiGroupLinkId> = mirror
            .load(Some(person))
            .await?
            .links
            .iter()
            .map(|l| l.kisi_id)
            .collect();
        let mut found = 0;
        for link in links {
            let id = KisiGroupLinkId(link.id.0);
            let same = link
                .email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email.as_str()))
                && link.valid_from == Some(intent.window.from())
                && link.valid_until == intent.window.until();
            if same && !known.contains(&id) {
                mirror
                    .add_link(&MirrorLink {
                        kisi_id: id,
                        visit: None,
                        person,
                        group: intent.group,
                        window: intent.window,
                    })
                    .await?;
                found += 1;
            }
        }
        Ok(found)
    }
}

/// The managed user Doorlink set out to create for the person, when Kisi has it and the mirror
/// links the person to nobody: linked as Doorlink's own (I4), so R15's "delete the Kisi user"
/// deletes it. (Found by the random campaign: a person disconnected with "delete" after their
/// user's create answer was lost kept that user in Kisi for ever.)
async fn lost_user(
    kisi: &AuditedKisi,
    mirror: Mirror<'_>,
    person: PersonId,
    email: &str,
    since: DateTime<Utc>,
) -> Result<bool> {
    if mirror.user(person).await?.is_some() {
        return Ok(false);
    }
    let info = CallInfo::new(
        format!(
            "look for the Kisi user of {} whose create answer was lost",
            mirror.words().person(person).await
        ),
        "GET",
        "/users?query=<e-mail>",
        Some(person),
    );
    let found = kisi
        .call(info, kisi.client.find_user_by_email(email))
        .await
        .map_err(|e| SyncError::kisi("find a Kisi user by e-mail", e))?;
    // The same test as a create answered "taken" after an intent (`ensure_user`).
    let Some(user) = found.filter(|u| made_by_a_lost_create(u, email, Some(since))) else {
        return Ok(false);
    };
    let linked = MirrorUser {
        kisi_user: KisiUserId(user.id.0),
        kisi_email: user.email.to_lowercase(),
        confirmed: user.confirmed,
        owned: true,
    };
    mirror.save_user(person, &linked).await?;
    Ok(true)
}

/// The person's assignments in the intent's group with its window that the mirror does not know.
async fn lost_assignments(
    kisi: &AuditedKisi,
    mirror: Mirror<'_>,
    intent: &GrantIntent,
    targets: &BTreeMap<KisiGroupId, AccessTarget>,
) -> Result<usize> {
    let person = intent.person;
    // No Kisi user (deleted, or never linked): Kisi dropped or never had its grants.
    let Some(user) = mirror.user(person).await? else {
        return Ok(0);
    };
    let info = CallInfo::new(
        format!(
            "look for the grant of {} to {}, {}, whose create answer was lost",
            mirror.words().group(intent.group).await,
            mirror.words().person(person).await,
            mirror.words().window(&intent.window).await
        ),
        "GET",
        format!("/role_assignments?user_id={}", user.kisi_user),
        Some(person),
    );
    let held = match kisi
        .call(
            info,
            kisi.client
                .role_assignments_of_user(UserId(user.kisi_user.0)),
        )
        .await
    {
        Ok(held) => held,
        // The user is gone (deleted in the dashboard): Kisi dropped its grants with it.
        Err(KisiError::Forbidden { .. }) => return Ok(0),
        Err(error) => return Err(SyncError::kisi("list a user's role assignments", error)),
    };
    let known: BTreeSet<KisiRoleAssignmentId> = mirror
        .load(Some(person))
        .await?
        .assignments
        .iter()
        .map(|a| a.kisi_id)
        .collect();
    // A group no mapping names any more is still Doorlink's to revoke.
    let target = targets
        .get(&intent.group)
        .copied()
        .unwrap_or(AccessTarget::Group(intent.group));
    let mut found = 0;
    for assignment in held {
        let id = KisiRoleAssignmentId(assignment.id.0);
        let same = assignment.group_id.map(|g| g.0) == Some(intent.group.0)
            && assignment.valid_from == Some(intent.window.from())
            && assignment.valid_until == intent.window.until();
        if same && !known.contains(&id) {
            mirror
                .add_assignment(&MirrorAssignment {
                    kisi_id: id,
                    person,
                    group: intent.group,
                    target,
                    window: intent.window,
                })
                .await?;
            found += 1;
        }
    }
    Ok(found)
}
