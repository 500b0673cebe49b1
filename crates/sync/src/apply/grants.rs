//! Role assignments (R13 windows, enforced by Kisi through `valid_from`/`valid_until`) and visitor
//! access links (R10), each adopted instead of duplicated when Kisi already has it.

use doorlink_core::{AccessTarget, Email, KisiGroupId, KisiUserId, PersonId, VisitId, Window};
use doorlink_store::{GrantIntent, GrantKind, KisiGroupLinkId, KisiRoleAssignmentId};
use kisi::{
    GroupLinkId, KisiError, NewGroupLink, NewRoleAssignment, RoleAssignment, RoleAssignmentId,
    UserId,
};

use super::{Applier, kisi_group, refused_as_duplicate};
use crate::audit::CallInfo;
use crate::error::{Result, SyncError};
use crate::view::{MirrorAssignment, MirrorLink};

impl Applier<'_> {
    pub(super) async fn create_assignment(
        &self,
        person: PersonId,
        target: AccessTarget,
        window: Window,
    ) -> Result<()> {
        let Some(user) = self.mirror().user(person).await? else {
            return Err(SyncError::NoKisiUser {
                person,
                person_name: self.words().person(person).await,
            });
        };
        let group = self.group_for(target).await?;
        let owned = |id: RoleAssignmentId| MirrorAssignment {
            kisi_id: KisiRoleAssignmentId(id.0),
            person,
            group,
            target,
            window,
        };
        // A create of this very grant whose answer was lost (a crash, a timeout where Kisi
        // acted) may have been made by any earlier run, not only this entry's: look first.
        let intent = GrantIntent {
            location: self.location,
            person,
            kind: GrantKind::RoleAssignment,
            group,
            window,
        };
        let intents = self.store.intents();
        if (self.cautious || intents.grant_intended(&intent).await?)
            && let Some(id) = exact(
                &self.assignments_in(person, user.kisi_user, group).await?,
                window,
            )
        {
            return self.adopt_assignment(&owned(id), &intent).await;
        }
        intents.record_grant_intent(&intent).await?;
        let new = NewRoleAssignment {
            user_id: UserId(user.kisi_user.0),
            group_id: kisi_group(group),
            valid_from: Some(window.from()),
            valid_until: window.until(),
        };
        let info = CallInfo::new(
            format!(
                "grant {} to {}, {}",
                self.words().group(group).await,
                self.words().person(person).await,
                self.words().window(&window).await
            ),
            "POST",
            "/role_assignments",
            Some(person),
        );
        match self
            .kisi
            .call(info, self.kisi.client.create_role_assignment(&new))
            .await
        {
            Ok(created) => self.adopt_assignment(&owned(created.id), &intent).await,
            Err(error) if refused_as_duplicate(&error) => {
                let held = self.assignments_in(person, user.kisi_user, group).await?;
                if let Some(id) = exact(&held, window) {
                    return self.adopt_assignment(&owned(id), &intent).await;
                }
                // Kisi refused this create and holds no such grant: nothing is left in doubt.
                intents.clear_grant_intent(&intent).await?;
                // Kisi refuses an overlap: name a role Doorlink does not own that stands in the
                // way (I4: Doorlink never removes it itself).
                let ours = self
                    .store
                    .kisi_mirror()
                    .assignments(self.location, Some(person))
                    .await?;
                let foreign = held
                    .iter()
                    .find(|a| overlaps(a, window) && !ours.iter().any(|o| o.kisi_id.0 == a.id.0));
                match foreign {
                    Some(blocking) => Err(SyncError::ForeignAssignmentBlocks {
                        person,
                        person_name: self.words().person(person).await,
                        group: self.words().group(group).await,
                        assignment: blocking.id.0,
                        window: self
                            .words()
                            .span(blocking.valid_from, blocking.valid_until)
                            .await,
                    }),
                    None => Err(SyncError::kisi("grant a role assignment", error)),
                }
            }
            Err(error @ KisiError::GroupNotFound { .. }) => {
                intents.clear_grant_intent(&intent).await?;
                self.group_deleted(target, group).await?;
                Err(SyncError::kisi("grant a role assignment", error))
            }
            // A 5xx, a timeout or a dropped connection may have come after Kisi acted: the
            // intent stays, and whichever run writes this grant next looks for it first.
            Err(error) => Err(SyncError::kisi("grant a role assignment", error)),
        }
    }

    /// The assignment is Doorlink's (I4): into the mirror, and its create intent is settled.
    async fn adopt_assignment(
        &self,
        assignment: &MirrorAssignment,
        intent: &GrantIntent,
    ) -> Result<()> {
        self.mirror().add_assignment(assignment).await?;
        self.store.intents().clear_grant_intent(intent).await?;
        Ok(())
    }

    /// The user's assignments in `group`, as Kisi holds them now.
    async fn assignments_in(
        &self,
        person: PersonId,
        user: KisiUserId,
        group: KisiGroupId,
    ) -> Result<Vec<RoleAssignment>> {
        let info = CallInfo::new(
            format!(
                "look for a grant of {} to {} already in Kisi",
                self.words().group(group).await,
                self.words().person(person).await
            ),
            "GET",
            format!("/role_assignments?user_id={user}"),
            Some(person),
        );
        let existing = self
            .kisi
            .call(
                info,
                self.kisi.client.role_assignments_of_user(UserId(user.0)),
            )
            .await
            .map_err(|e| SyncError::kisi("list a user's role assignments", e))?;
        Ok(existing
            .into_iter()
            .filter(|a| a.group_id == Some(kisi_group(group)))
            .collect())
    }

    pub(super) async fn create_link(
        &self,
        person: PersonId,
        visit: VisitId,
        email: &Email,
        name: &str,
        target: AccessTarget,
        window: Window,
    ) -> Result<()> {
        let group = self.group_for(target).await?;
        let owned = |id: GroupLinkId| MirrorLink {
            kisi_id: KisiGroupLinkId(id.0),
            visit: Some(visit),
            person,
            group,
            window,
        };
        let intent = GrantIntent {
            location: self.location,
            person,
            kind: GrantKind::AccessLink,
            group,
            window,
        };
        let intents = self.store.intents();
        if self.cautious || intents.grant_intended(&intent).await? {
            let info = CallInfo::new(
                format!(
                    "look for the visitor access link of {} already in Kisi",
                    self.words().person(person).await
                ),
                "GET",
                format!("/group_links?group_id={group}"),
                Some(person),
            );
            let links = self
                .kisi
                .call(info, self.kisi.client.group_links(kisi_group(group)))
                .await
                .map_err(|e| SyncError::kisi("list access links", e))?;
            let existing = links.into_iter().find(|l| {
                l.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email.as_str()))
                    && l.valid_from == Some(window.from())
                    && l.valid_until == window.until()
            });
            if let Some(link) = existing {
                return self.adopt_link(&owned(link.id), &intent).await;
            }
        }
        intents.record_grant_intent(&intent).await?;
        let new = NewGroupLink {
            name: format!("Visit of {name}"),
            group_id: kisi_group(group),
            email: Some(email.as_str().to_owned()),
            valid_from: Some(window.from()),
            valid_until: window.until(),
        };
        let info = CallInfo::new(
            format!(
                "create a visitor access link for {}, {}",
                self.words().person(person).await,
                self.words().window(&window).await
            ),
            "POST",
            "/group_links",
            Some(person),
        );
        match self
            .kisi
            .call(info, self.kisi.client.create_group_link(&new))
            .await
        {
            // Kisi e-mails the link to the visitor; Doorlink keeps its secret too (encrypted) so
            // the front desk can show, copy and send it (issue 17, point 9).
            Ok(link) => {
                let mirrored = owned(link.id);
                self.adopt_link(&mirrored, &intent).await?;
                if let Some(secret) = &link.secret {
                    self.mirror()
                        .keep_link_secret(mirrored.kisi_id, secret.expose())
                        .await?;
                }
                Ok(())
            }
            Err(error @ KisiError::GroupNotFound { .. }) => {
                intents.clear_grant_intent(&intent).await?;
                self.group_deleted(target, group).await?;
                Err(SyncError::kisi("create an access link", error))
            }
            // A 5xx, a timeout or a dropped connection may have come after Kisi acted: the intent
            // stays (see `create_assignment`).
            Err(error) => Err(SyncError::kisi("create an access link", error)),
        }
    }

    async fn adopt_link(&self, link: &MirrorLink, intent: &GrantIntent) -> Result<()> {
        self.mirror().add_link(link).await?;
        self.store.intents().clear_grant_intent(intent).await?;
        Ok(())
    }
}

/// The assignment with exactly `window` (a create whose answer was lost).
fn exact(held: &[RoleAssignment], window: Window) -> Option<RoleAssignmentId> {
    held.iter()
        .find(|a| a.valid_from == Some(window.from()) && a.valid_until == window.until())
        .map(|a| a.id)
}

/// Whether Kisi's assignment shares an instant with `window` (absent bounds are open).
fn overlaps(a: &RoleAssignment, window: Window) -> bool {
    let starts_before_end = a
        .valid_from
        .is_none_or(|from| window.until().is_none_or(|until| from < until));
    let ends_after_start = a.valid_until.is_none_or(|until| window.from() < until);
    starts_before_end && ends_after_start
}
