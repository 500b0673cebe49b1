//! "Re-sync now" for one person starts from Kisi, not from the mirror: an assignment
//! deleted by hand in the Kisi dashboard is still in the mirror, so a plan against the mirror
//! would see nothing to do until the next full reconcile. Two reads (the person's Kisi user by
//! e-mail, then that user's role assignments) bring the mirror back to what Kisi holds for them;
//! the plan that follows restores the rest.

use std::collections::BTreeSet;

use doorlink_core::{LocationId, PersonId};
use doorlink_store::KisiRoleAssignmentId;
use kisi::UserId;

use crate::audit::{AuditedKisi, CallInfo};
use crate::clients::Use;
use crate::engine::{RunContext, SyncEngine};
use crate::error::{Result, SyncError};
use crate::view::MirrorUser;
use crate::words::LocationWords;

/// What re-reading one person from Kisi changed in the mirror.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PersonRefresh {
    /// Owned role assignments Kisi no longer had (deleted by hand); the plan grants them again.
    pub assignments_gone: usize,
    /// The person's Kisi user itself was gone (or the e-mail now names another user, I2); the
    /// plan links or creates a user again (I1).
    pub user_gone: bool,
}

impl SyncEngine {
    /// Re-reads the person's Kisi user and role assignments at the location and forgets from the
    /// mirror what Kisi no longer has. A person Doorlink has no Kisi user for costs no call.
    pub async fn refresh_person_from_kisi(
        &self,
        location: LocationId,
        person: PersonId,
    ) -> Result<PersonRefresh> {
        let mirror = self.store.kisi_mirror();
        let Some(user) = mirror.user(location, person).await? else {
            return Ok(PersonRefresh::default());
        };
        self.exclusive(location, |fence| async move {
            let kisi = self
                .kisi(location, RunContext::default(), Use::Sync, fence)
                .await?;
            self.refresh_with(&kisi, location, person, &user).await
        })
        .await
    }

    pub(crate) async fn refresh_with(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
        person: PersonId,
        user: &MirrorUser,
    ) -> Result<PersonRefresh> {
        let mirror = self.store.kisi_mirror();
        let info = CallInfo::new(
            format!(
                "re-read the Kisi user of {} before re-syncing them",
                LocationWords::new(&self.store, location)
                    .person(person)
                    .await
            ),
            "GET",
            "/users?query=<e-mail>",
            Some(person),
        );
        let found = kisi
            .call(info, kisi.client.find_user_by_email(&user.kisi_email))
            .await
            .map_err(|e| SyncError::kisi("find a Kisi user by e-mail", e))?;
        if found.is_none_or(|u| u.id.0 != user.kisi_user.0) {
            tracing::warn!(
                location = location.0,
                person = person.0,
                user = user.kisi_user.0,
                "the person's Kisi user is gone from Kisi; re-sync links or creates one again"
            );
            mirror.forget_person(location, person).await?;
            return Ok(PersonRefresh {
                assignments_gone: 0,
                user_gone: true,
            });
        }
        let info = CallInfo::new(
            format!(
                "re-read the Kisi grants of {} before re-syncing them",
                LocationWords::new(&self.store, location)
                    .person(person)
                    .await
            ),
            "GET",
            format!("/role_assignments?user_id={}", user.kisi_user.0),
            Some(person),
        );
        let held = kisi
            .call(
                info,
                kisi.client
                    .role_assignments_of_user(UserId(user.kisi_user.0)),
            )
            .await
            .map_err(|e| SyncError::kisi("list a user's role assignments", e))?;
        let in_kisi: BTreeSet<KisiRoleAssignmentId> =
            held.iter().map(|a| KisiRoleAssignmentId(a.id.0)).collect();
        let mut assignments_gone = 0;
        for owned in mirror.assignments(location, Some(person)).await? {
            if !in_kisi.contains(&owned.kisi_id) {
                tracing::warn!(
                    location = location.0,
                    person = person.0,
                    assignment = owned.kisi_id.0,
                    "an owned role assignment was deleted in Kisi; re-sync grants it again"
                );
                mirror.remove_assignment(location, owned.kisi_id).await?;
                assignments_gone += 1;
            }
        }
        Ok(PersonRefresh {
            assignments_gone,
            user_gone: false,
        })
    }
}
