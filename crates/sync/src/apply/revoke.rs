//! Revocations: an owned role assignment, an access link, or (R15) the Kisi user Doorlink
//! created. Something Kisi no longer has counts as revoked.

use doorlink_core::{KisiGroupId, KisiUserId, PersonId, Window};
use doorlink_store::{KisiGroupLinkId, KisiRoleAssignmentId};
use kisi::{GroupLinkId, RoleAssignmentId, UserId};

use super::{Applier, already_gone};
use crate::audit::CallInfo;
use crate::error::{Result, SyncError};

impl Applier<'_> {
    pub(super) async fn delete_assignment(
        &self,
        person: PersonId,
        assignment: RoleAssignmentId,
        group: KisiGroupId,
        window: &Window,
    ) -> Result<()> {
        self.revoke_assignment(person, assignment, group, window, "")
            .await
    }

    /// R8: deletes an owned assignment before the one that replaces it, because Kisi refuses two
    /// overlapping assignments of one user in one group; the audit log says a gap was unavoidable.
    pub(crate) async fn delete_before_its_replacement(
        &self,
        person: PersonId,
        assignment: RoleAssignmentId,
        group: KisiGroupId,
        window: &Window,
    ) -> Result<()> {
        self.revoke_assignment(
            person,
            assignment,
            group,
            window,
            " before its replacement (gap unavoidable: Kisi refuses overlapping role assignments in one group, so the new window is written right after)",
        )
        .await
    }

    async fn revoke_assignment(
        &self,
        person: PersonId,
        assignment: RoleAssignmentId,
        group: KisiGroupId,
        window: &Window,
        note: &str,
    ) -> Result<()> {
        let info = CallInfo::new(
            format!(
                "revoke {} ({}) from {}{note}",
                self.words().group(group).await,
                self.words().window(window).await,
                self.words().person(person).await
            ),
            "DELETE",
            format!("/role_assignments/{assignment}"),
            Some(person),
        );
        match self
            .kisi
            .call(info, self.kisi.client.delete_role_assignment(assignment))
            .await
        {
            Ok(()) => {}
            Err(error) if already_gone(&error) => {
                tracing::info!(%assignment, %error, "role assignment already gone from Kisi");
            }
            Err(error) => return Err(SyncError::kisi("revoke a role assignment", error)),
        }
        self.mirror()
            .remove_assignment(KisiRoleAssignmentId(assignment.0))
            .await
    }

    pub(super) async fn delete_link(&self, person: PersonId, link: GroupLinkId) -> Result<()> {
        let info = CallInfo::new(
            format!(
                "revoke the visitor access link of {}",
                self.words().person(person).await
            ),
            "DELETE",
            format!("/group_links/{link}"),
            Some(person),
        );
        match self
            .kisi
            .call(info, self.kisi.client.delete_group_link(link))
            .await
        {
            Ok(()) => {}
            Err(error) if already_gone(&error) => {}
            Err(error) => return Err(SyncError::kisi("revoke an access link", error)),
        }
        self.mirror().remove_link(KisiGroupLinkId(link.0)).await
    }

    /// R15: deletes the Kisi user (Kisi drops its assignments with it) and forgets the person.
    pub(super) async fn delete_user(&self, person: PersonId, user: KisiUserId) -> Result<()> {
        let info = CallInfo::new(
            format!(
                "delete the Kisi user of {}",
                self.words().person(person).await
            ),
            "DELETE",
            format!("/users/{user}"),
            Some(person),
        );
        match self
            .kisi
            .call(info, self.kisi.client.delete_user(UserId(user.0)))
            .await
        {
            Ok(()) => {}
            Err(error) if already_gone(&error) => {}
            Err(error) => return Err(SyncError::kisi("delete a Kisi user", error)),
        }
        self.mirror().forget_person(person).await
    }
}
