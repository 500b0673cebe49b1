//! What Doorlink owns in Kisi (I4): users (I1, I2), role assignments (R13), per-lock groups (M7)
//! and visitor access links (R10).

use std::collections::BTreeMap;

use doorlink_core::{KisiGroupId, KisiLockId, KisiUserId, LocationId, PersonId, VisitId, Window};
use sqlx::FromRow;

use super::person_rows::{LinkedUserRow, delete_person_rows, linked_user};
use super::{
    KisiGroupLinkId, KisiMirror, KisiRoleAssignmentId, MirrorAssignment, MirrorLink, MirrorUser,
};
use crate::codec::{Flag, instant, millis, opt_instant, target, target_parts};
use crate::error::{Result, on_constraint};
use crate::secrets::{SecretId, SecretValue, put_secret};

/// What a visitor access link's secret is bound to (the AEAD's associated data).
const LINK_SECRET_PURPOSE: &str = "kisi access link";

/// A visit's access link as Kisi created it (R10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitLink {
    pub kisi_id: KisiGroupLinkId,
    pub window: Window,
    /// What the visitor's link carries; `None` when Doorlink never received it.
    pub secret: Option<SecretValue>,
}

#[derive(FromRow)]
struct AssignmentRow {
    kisi_role_assignment_id: i64,
    person_id: i64,
    kisi_group_id: i64,
    target_kind: String,
    target_id: i64,
    valid_from: i64,
    valid_until: Option<i64>,
}

#[derive(FromRow)]
struct LinkRow {
    kisi_group_link_id: i64,
    visit_id: Option<i64>,
    person_id: i64,
    kisi_group_id: i64,
    valid_from: i64,
    valid_until: Option<i64>,
}

fn window(table: &'static str, from: i64, until: Option<i64>) -> Result<Window> {
    let from = instant(table, "valid_from", from)?;
    let until = opt_instant(table, "valid_until", until)?;
    Ok(Window::new(from, until)?)
}

impl KisiMirror<'_> {
    /// The Kisi user linked to the person at the location, if any.
    pub async fn user(&self, location: LocationId, person: PersonId) -> Result<Option<MirrorUser>> {
        let row: Option<(i64, String, Flag, Flag)> = sqlx::query_as(
            "SELECT kisi_user_id, kisi_email, confirmed, owned FROM kisi_users \
             WHERE location_id = $1 AND person_id = $2",
        )
        .bind(location.0)
        .bind(person.0)
        .fetch_optional(self.store.pool())
        .await?;
        Ok(row.map(|(user, kisi_email, confirmed, owned)| MirrorUser {
            kisi_user: KisiUserId(user),
            kisi_email,
            confirmed: confirmed.into(),
            owned: owned.into(),
        }))
    }

    /// Every Kisi user linked to a person at the location (the whole-location plan reads them all).
    pub async fn users(&self, location: LocationId) -> Result<BTreeMap<PersonId, MirrorUser>> {
        let rows: Vec<LinkedUserRow> = sqlx::query_as(
            "SELECT person_id, kisi_user_id, kisi_email, confirmed, owned FROM kisi_users \
             WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows.into_iter().map(linked_user).collect())
    }

    /// Links (or re-links, I2) the person to a Kisi user.
    pub async fn save_user(
        &self,
        location: LocationId,
        person: PersonId,
        user: &MirrorUser,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO kisi_users (location_id, person_id, kisi_user_id, kisi_email, confirmed, \
                                     owned, synced_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (location_id, person_id) DO UPDATE SET \
                 kisi_user_id = excluded.kisi_user_id, kisi_email = excluded.kisi_email, \
                 confirmed = excluded.confirmed, owned = excluded.owned, \
                 synced_at = excluded.synced_at",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(user.kisi_user.0)
        .bind(&user.kisi_email)
        .bind(user.confirmed)
        .bind(user.owned)
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await
        .map_err(on_constraint(
            "Kisi user",
            &format!(
                "Kisi user {} is already linked to another person",
                user.kisi_user
            ),
            "the person or location does not exist",
        ))?;
        Ok(())
    }

    /// R15: forgets everything Doorlink held in Kisi for the person at the location, their own Kisi
    /// login (A4) included.
    pub async fn forget_person(&self, location: LocationId, person: PersonId) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        delete_person_rows(&mut tx, location, person, false).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Role assignments Doorlink owns at the location, for one person or everybody.
    pub async fn assignments(
        &self,
        location: LocationId,
        person: Option<PersonId>,
    ) -> Result<Vec<MirrorAssignment>> {
        let rows: Vec<AssignmentRow> = sqlx::query_as(
            "SELECT kisi_role_assignment_id, person_id, kisi_group_id, target_kind, target_id, \
                    valid_from, valid_until \
             FROM kisi_role_assignments WHERE location_id = $1 AND ($2 IS NULL OR person_id = $2) \
             ORDER BY person_id, kisi_role_assignment_id",
        )
        .bind(location.0)
        .bind(person.map(|p| p.0))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(MirrorAssignment {
                    kisi_id: KisiRoleAssignmentId(row.kisi_role_assignment_id),
                    person: PersonId(row.person_id),
                    group: KisiGroupId(row.kisi_group_id),
                    target: target("kisi_role_assignments", &row.target_kind, row.target_id)?,
                    window: window("kisi_role_assignments", row.valid_from, row.valid_until)?,
                })
            })
            .collect()
    }

    /// Records a role assignment Kisi confirmed; recording it twice is harmless.
    pub async fn add_assignment(
        &self,
        location: LocationId,
        assignment: &MirrorAssignment,
    ) -> Result<()> {
        let (kind, target_id) = target_parts(assignment.target);
        sqlx::query(
            "INSERT INTO kisi_role_assignments (location_id, person_id, kisi_role_assignment_id, \
                 kisi_group_id, target_kind, target_id, valid_from, valid_until, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (location_id, kisi_role_assignment_id) DO NOTHING",
        )
        .bind(location.0)
        .bind(assignment.person.0)
        .bind(assignment.kisi_id.0)
        .bind(assignment.group.0)
        .bind(kind)
        .bind(target_id)
        .bind(millis(assignment.window.from()))
        .bind(assignment.window.until().map(millis))
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Forgets a role assignment Kisi confirmed removed (or reported already gone).
    pub async fn remove_assignment(
        &self,
        location: LocationId,
        id: KisiRoleAssignmentId,
    ) -> Result<()> {
        sqlx::query(
            "DELETE FROM kisi_role_assignments \
             WHERE location_id = $1 AND kisi_role_assignment_id = $2",
        )
        .bind(location.0)
        .bind(id.0)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// M7: the group Doorlink owns for a single lock, if it made one.
    pub async fn lock_group(
        &self,
        location: LocationId,
        lock: KisiLockId,
    ) -> Result<Option<KisiGroupId>> {
        let group: Option<i64> = sqlx::query_scalar(
            "SELECT kisi_group_id FROM kisi_lock_groups WHERE location_id = $1 AND kisi_lock_id = $2",
        )
        .bind(location.0)
        .bind(lock.0)
        .fetch_optional(self.store.pool())
        .await?;
        Ok(group.map(KisiGroupId))
    }

    /// M7: every per-lock group Doorlink owns at the location.
    pub async fn lock_groups(
        &self,
        location: LocationId,
    ) -> Result<BTreeMap<KisiLockId, KisiGroupId>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT kisi_lock_id, kisi_group_id FROM kisi_lock_groups WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(lock, group)| (KisiLockId(lock), KisiGroupId(group)))
            .collect())
    }

    /// M7: records the group Kisi created for a single lock.
    pub async fn save_lock_group(
        &self,
        location: LocationId,
        lock: KisiLockId,
        group: KisiGroupId,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO kisi_lock_groups (location_id, kisi_lock_id, kisi_group_id, created_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (location_id, kisi_lock_id) DO UPDATE SET \
                 kisi_group_id = excluded.kisi_group_id, created_at = excluded.created_at",
        )
        .bind(location.0)
        .bind(lock.0)
        .bind(group.0)
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Forgets a per-lock group (it was deleted in Kisi and will be made again).
    pub async fn remove_lock_group(&self, location: LocationId, lock: KisiLockId) -> Result<()> {
        sqlx::query("DELETE FROM kisi_lock_groups WHERE location_id = $1 AND kisi_lock_id = $2")
            .bind(location.0)
            .bind(lock.0)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// Visitor access links Doorlink owns at the location, for one person or everybody.
    pub async fn links(
        &self,
        location: LocationId,
        person: Option<PersonId>,
    ) -> Result<Vec<MirrorLink>> {
        let rows: Vec<LinkRow> = sqlx::query_as(
            "SELECT kisi_group_link_id, visit_id, person_id, kisi_group_id, valid_from, valid_until \
             FROM kisi_group_links WHERE location_id = $1 AND ($2 IS NULL OR person_id = $2) \
             ORDER BY person_id, kisi_group_link_id",
        )
        .bind(location.0)
        .bind(person.map(|p| p.0))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(MirrorLink {
                    kisi_id: KisiGroupLinkId(row.kisi_group_link_id),
                    visit: row.visit_id.map(VisitId),
                    person: PersonId(row.person_id),
                    group: KisiGroupId(row.kisi_group_id),
                    window: window("kisi_group_links", row.valid_from, row.valid_until)?,
                })
            })
            .collect()
    }

    /// Records an access link Kisi confirmed; recording it twice is harmless.
    pub async fn add_link(&self, location: LocationId, link: &MirrorLink) -> Result<()> {
        sqlx::query(
            "INSERT INTO kisi_group_links (location_id, visit_id, person_id, kisi_group_link_id, \
                 kisi_group_id, valid_from, valid_until, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (location_id, kisi_group_link_id) DO NOTHING",
        )
        .bind(location.0)
        .bind(link.visit.map(|v| v.0))
        .bind(link.person.0)
        .bind(link.kisi_id.0)
        .bind(link.group.0)
        .bind(millis(link.window.from()))
        .bind(link.window.until().map(millis))
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Forgets an access link Kisi confirmed removed (or reported already gone), with its secret.
    pub async fn remove_link(&self, location: LocationId, id: KisiGroupLinkId) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        sqlx::query(
            "DELETE FROM secrets WHERE id IN (SELECT link_secret_id FROM kisi_group_links \
                 WHERE location_id = $1 AND kisi_group_link_id = $2)",
        )
        .bind(location.0)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM kisi_group_links WHERE location_id = $1 AND kisi_group_link_id = $2",
        )
        .bind(location.0)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// R10: keeps the secret Kisi answered when it created an access link (encrypted, like the
    /// location's credential), so the front desk can show, copy and send the visitor's link. A
    /// link not recorded, or already holding its secret, is left as it is.
    pub async fn keep_link_secret(
        &self,
        location: LocationId,
        id: KisiGroupLinkId,
        secret: &SecretValue,
    ) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let held: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT link_secret_id FROM kisi_group_links \
             WHERE location_id = $1 AND kisi_group_link_id = $2",
        )
        .bind(location.0)
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?;
        if held != Some(None) {
            return Ok(());
        }
        let secret = put_secret(self.store, &mut tx, LINK_SECRET_PURPOSE, secret).await?;
        sqlx::query(
            "UPDATE kisi_group_links SET link_secret_id = $1 \
             WHERE location_id = $2 AND kisi_group_link_id = $3",
        )
        .bind(secret.0)
        .bind(location.0)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The access link Kisi holds for a visit (R10), newest first: `None` while the sync has not
    /// created it; a link whose secret Doorlink never received (adopted after a lost answer) comes
    /// without it.
    pub async fn visit_link(&self, visit: VisitId) -> Result<Option<VisitLink>> {
        let row: Option<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT kisi_group_link_id, valid_from, valid_until, link_secret_id \
             FROM kisi_group_links WHERE visit_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(visit.0)
        .fetch_optional(self.store.pool())
        .await?;
        let Some((kisi_id, from, until, secret)) = row else {
            return Ok(None);
        };
        let secret = match secret {
            Some(id) => Some(self.store.secrets().get(SecretId(id)).await?),
            None => None,
        };
        Ok(Some(VisitLink {
            kisi_id: KisiGroupLinkId(kisi_id),
            window: window("kisi_group_links", from, until)?,
            secret,
        }))
    }
}
