//! R15 reconnect after "keep the Kisi user": the disconnect left the person's Kisi user and the
//! role assignments Doorlink had written in place, and the mirror forgot them. Reconnected, the
//! person's windows may have changed meanwhile; a new assignment overlapping an old one in the
//! same group is refused by Kisi (422), and the old ones are no longer Doorlink's to replace.
//!
//! So before planning, a reconnected person is linked to their released Kisi user again and its
//! assignments in Doorlink's groups (mapped groups and per-lock groups, M7) are re-adopted as owned
//! (they were Doorlink's, I4); the planner then keeps, replaces or revokes them like any other.

use std::collections::{BTreeMap, BTreeSet};

use chrono::DateTime;
use doorlink_core::{AccessTarget, KisiGroupId, LocationId, PersonId, Window};
use doorlink_store::{KisiRoleAssignmentId, MirrorAssignment, MirrorUser};
use kisi::{RoleAssignment, UserId};

use crate::audit::{AuditedKisi, CallInfo};
use crate::engine::SyncEngine;
use crate::error::{Result, SyncError};
use crate::mirror::Mirror;

/// The role Doorlink hands out (group membership); other roles were never Doorlink's.
const GROUP_BASIC_ROLE: &str = "group_basic";

impl SyncEngine {
    /// Re-adopts the released Kisi users of reconnected people (one person's, or everybody's at
    /// the location); returns the people re-adopted.
    pub(crate) async fn readopt_reconnected(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
        person: Option<PersonId>,
    ) -> Result<BTreeSet<PersonId>> {
        let released = self
            .store
            .kisi_mirror()
            .reconnected_users(location, person)
            .await?;
        let mut readopted = BTreeSet::new();
        if released.is_empty() {
            return Ok(readopted);
        }
        let targets = doorlink_groups(Mirror::new(&self.store, location)).await?;
        for (person, user) in released {
            if self.readopt(kisi, location, person, user, &targets).await? {
                readopted.insert(person);
            }
        }
        Ok(readopted)
    }

    async fn readopt(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
        person: PersonId,
        released: MirrorUser,
        targets: &BTreeMap<KisiGroupId, AccessTarget>,
    ) -> Result<bool> {
        let email = self.store.people().get(person).await?.email;
        let info = CallInfo::new(
            format!(
                "find the Kisi user of {}, reconnected, by e-mail",
                Mirror::new(&self.store, location)
                    .words()
                    .person(person)
                    .await
            ),
            "GET",
            "/users?query=<e-mail>",
            Some(person),
        );
        let found = kisi
            .call(info, kisi.client.find_user_by_email(email.as_str()))
            .await
            .map_err(|e| SyncError::kisi("find a Kisi user by e-mail", e))?;
        let mirror = self.store.kisi_mirror();
        // Deleted in Kisi meanwhile, or the person's e-mail now names another user (I2): nothing
        // of the old user is theirs; the plan links them like anyone new.
        let Some(user) = found.filter(|u| u.id.0 == released.kisi_user.0) else {
            mirror.drop_released(location, person).await?;
            return Ok(false);
        };
        let info = CallInfo::new(
            format!(
                "read the Kisi grants of {}, reconnected",
                Mirror::new(&self.store, location)
                    .words()
                    .person(person)
                    .await
            ),
            "GET",
            format!("/role_assignments?user_id={}", user.id),
            Some(person),
        );
        let held = kisi
            .call(
                info,
                kisi.client.role_assignments_of_user(UserId(user.id.0)),
            )
            .await
            .map_err(|e| SyncError::kisi("list a user's role assignments", e))?;
        let assignments: Vec<MirrorAssignment> = held
            .iter()
            .filter_map(|assignment| adoptable(person, assignment, targets))
            .collect();
        let linked = MirrorUser {
            kisi_email: user.email.to_lowercase(),
            confirmed: user.confirmed,
            ..released
        };
        mirror
            .readopt(location, person, &linked, &assignments)
            .await?;
        tracing::info!(
            location = location.0,
            person = person.0,
            user = user.id.0,
            assignments = assignments.len(),
            "reconnected person: their Kisi user and its grants in Doorlink's groups are Doorlink's again (R15)"
        );
        Ok(true)
    }
}

/// Every group Doorlink writes to at the location, with the mapping target it realises: the
/// mapped groups, and Doorlink's own per-lock groups (M7) for mapped single locks.
pub(crate) async fn doorlink_groups(
    mirror: Mirror<'_>,
) -> Result<BTreeMap<KisiGroupId, AccessTarget>> {
    let lock_groups = mirror.directory().await?.lock_groups;
    let mut groups: BTreeMap<KisiGroupId, AccessTarget> = lock_groups
        .into_iter()
        .map(|(lock, group)| (group, AccessTarget::Lock(lock)))
        .collect();
    for target in mirror.mapped_targets().await? {
        if let AccessTarget::Group(group) = target {
            groups.insert(group, target);
        }
    }
    Ok(groups)
}

/// The assignment as an owned mirror row, when it is a membership of one of Doorlink's groups.
fn adoptable(
    person: PersonId,
    assignment: &RoleAssignment,
    targets: &BTreeMap<KisiGroupId, AccessTarget>,
) -> Option<MirrorAssignment> {
    if assignment.role_id != GROUP_BASIC_ROLE {
        return None;
    }
    let group = KisiGroupId(assignment.group_id?.0);
    let target = *targets.get(&group)?;
    // Doorlink always writes `valid_from`; an assignment without one has been valid all along.
    let from = assignment.valid_from.unwrap_or(DateTime::UNIX_EPOCH);
    let window = Window::new(from, assignment.valid_until).ok()?;
    Some(MirrorAssignment {
        kisi_id: KisiRoleAssignmentId(assignment.id.0),
        person,
        group,
        target,
        window,
    })
}
