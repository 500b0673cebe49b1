//! R15: Kisi users Doorlink stopped managing but left in place ("keep the Kisi user"), with what
//! it held there. Reconnecting the person re-adopts the user and its role assignments in Doorlink's
//! groups (they were Doorlink's, I4), so the planner replaces them instead of writing windows that
//! overlap them, which Kisi refuses (422).

use doorlink_core::{LocationId, PersonId};

use super::person_rows::{LinkedUserRow, delete_person_rows, linked_user};
use super::{KisiMirror, MirrorAssignment, MirrorUser};
use crate::codec::{millis, target_parts};
use crate::error::Result;

impl KisiMirror<'_> {
    /// R15 "keep the Kisi user": forgets what Doorlink held for the person (like
    /// [`KisiMirror::forget_person`]) but remembers the Kisi user it was linked to, for a reconnect.
    /// Visitor access links stay Doorlink's: they go to an e-mail, not to the Kisi user, and a
    /// reconnected visitor's link is kept (or revoked) rather than issued a second time (found by
    /// the random campaign: forgotten, they stayed in Kisi as nobody's for ever).
    pub async fn release_person(&self, location: LocationId, person: PersonId) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        sqlx::query(
            "INSERT INTO kisi_released_users (location_id, person_id, kisi_user_id, kisi_email, \
                 confirmed, owned, released_at) \
             SELECT location_id, person_id, kisi_user_id, kisi_email, confirmed, owned, $3 \
             FROM kisi_users WHERE location_id = $1 AND person_id = $2 \
             ON CONFLICT (location_id, person_id) DO UPDATE SET \
                 kisi_user_id = excluded.kisi_user_id, kisi_email = excluded.kisi_email, \
                 confirmed = excluded.confirmed, owned = excluded.owned, \
                 released_at = excluded.released_at",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(millis(self.store.now()))
        .execute(&mut *tx)
        .await?;
        delete_person_rows(&mut tx, location, person, true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Released users of people who are no longer disconnected (reconnected, R15) and have no
    /// linked Kisi user yet: one person's, or everybody's at the location.
    pub async fn reconnected_users(
        &self,
        location: LocationId,
        person: Option<PersonId>,
    ) -> Result<Vec<(PersonId, MirrorUser)>> {
        let rows: Vec<LinkedUserRow> = sqlx::query_as(
            "SELECT r.person_id, r.kisi_user_id, r.kisi_email, r.confirmed, r.owned \
             FROM kisi_released_users r \
             WHERE r.location_id = $1 AND ($2 IS NULL OR r.person_id = $2) \
               AND NOT EXISTS (SELECT 1 FROM kisi_disconnections d \
                               WHERE d.location_id = r.location_id AND d.person_id = r.person_id) \
               AND NOT EXISTS (SELECT 1 FROM kisi_users u \
                               WHERE u.location_id = r.location_id AND u.person_id = r.person_id) \
             ORDER BY r.person_id",
        )
        .bind(location.0)
        .bind(person.map(|p| p.0))
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows.into_iter().map(linked_user).collect())
    }

    /// R15 reconnect: links the person to their released Kisi user again and records the role
    /// assignments Kisi still holds in Doorlink's groups as owned, in one transaction.
    pub async fn readopt(
        &self,
        location: LocationId,
        person: PersonId,
        user: &MirrorUser,
        assignments: &[MirrorAssignment],
    ) -> Result<()> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        sqlx::query(
            "INSERT INTO kisi_users (location_id, person_id, kisi_user_id, kisi_email, confirmed, \
                                     owned, synced_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(user.kisi_user.0)
        .bind(&user.kisi_email)
        .bind(user.confirmed)
        .bind(user.owned)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for assignment in assignments {
            let (kind, target_id) = target_parts(assignment.target);
            sqlx::query(
                "INSERT INTO kisi_role_assignments (location_id, person_id, \
                     kisi_role_assignment_id, kisi_group_id, target_kind, target_id, valid_from, \
                     valid_until, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (location_id, kisi_role_assignment_id) DO NOTHING",
            )
            .bind(location.0)
            .bind(person.0)
            .bind(assignment.kisi_id.0)
            .bind(assignment.group.0)
            .bind(kind)
            .bind(target_id)
            .bind(millis(assignment.window.from()))
            .bind(assignment.window.until().map(millis))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM kisi_released_users WHERE location_id = $1 AND person_id = $2")
            .bind(location.0)
            .bind(person.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets a released user that cannot be re-adopted (deleted in Kisi, or the person's e-mail
    /// now names another Kisi user).
    pub async fn drop_released(&self, location: LocationId, person: PersonId) -> Result<()> {
        sqlx::query("DELETE FROM kisi_released_users WHERE location_id = $1 AND person_id = $2")
            .bind(location.0)
            .bind(person.0)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }
}
