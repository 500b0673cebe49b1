//! The rows the mirror keeps per person, as both what Doorlink owns ([`super::owned`]) and what a
//! disconnect released (R15, [`super::released`]) read and delete them; kept below both so neither
//! imports the other.

use doorlink_core::{KisiUserId, LocationId, PersonId};
use sqlx::AnyConnection;

use super::MirrorUser;
use crate::codec::Flag;
use crate::error::Result;

/// Deletes what the mirror holds for the person (assignments, user link, own login, and the
/// access links unless `keep_links`).
pub(super) async fn delete_person_rows(
    conn: &mut AnyConnection,
    location: LocationId,
    person: PersonId,
    keep_links: bool,
) -> Result<()> {
    let links = "DELETE FROM kisi_group_links WHERE location_id = $1 AND person_id = $2";
    for sql in [
        "DELETE FROM kisi_person_logins WHERE location_id = $1 AND person_id = $2",
        "DELETE FROM kisi_role_assignments WHERE location_id = $1 AND person_id = $2",
        links,
        "DELETE FROM kisi_users WHERE location_id = $1 AND person_id = $2",
    ] {
        if keep_links && sql == links {
            continue;
        }
        sqlx::query(sql)
            .bind(location.0)
            .bind(person.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A person's linked Kisi user as `SELECT person_id, kisi_user_id, kisi_email, confirmed, owned`
/// reads it (from the linked users, or from those a disconnect released).
pub(super) type LinkedUserRow = (i64, i64, String, Flag, Flag);

pub(super) fn linked_user(
    (person, user, kisi_email, confirmed, owned): LinkedUserRow,
) -> (PersonId, MirrorUser) {
    let user = MirrorUser {
        kisi_user: KisiUserId(user),
        kisi_email,
        confirmed: confirmed.into(),
        owned: owned.into(),
    };
    (PersonId(person), user)
}
