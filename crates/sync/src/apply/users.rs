//! I1–I3: linking a person to a Kisi user, creating a managed user when Kisi has none.

use doorlink_core::{Email, KisiUserId, PersonId};

use super::{Applier, refused_as_duplicate};
use crate::audit::CallInfo;
use crate::error::{Result, SyncError};
use crate::view::MirrorUser;

impl Applier<'_> {
    /// I1, I2, I3: create a managed user; when Kisi already has a user with the e-mail (a 422
    /// "taken", e.g. added by hand or created by a run whose answer was lost), link to it instead,
    /// as not owned (I4: Doorlink cannot prove it created it, so it will never delete it).
    pub(super) async fn ensure_user(
        &self,
        person: PersonId,
        email: &Email,
        name: &str,
    ) -> Result<()> {
        if self.mirror().user(person).await?.is_some() {
            return Ok(());
        }
        let display_name = if name.trim().is_empty() {
            email.as_str()
        } else {
            name
        };
        let new = kisi::NewUser {
            email: email.as_str().to_owned(),
            name: display_name.to_owned(),
        };
        let info = CallInfo::new(
            format!("create a managed Kisi user for person {person}"),
            "POST",
            "/users",
            Some(person),
        );
        let (user, owned) = match self
            .kisi
            .call(info, self.kisi.client.create_managed_user(&new))
            .await
        {
            Ok(user) => (user, true),
            Err(error) if refused_as_duplicate(&error) => {
                let info = CallInfo::new(
                    format!("find the Kisi user of person {person} by e-mail"),
                    "GET",
                    "/users?query=<e-mail>",
                    Some(person),
                );
                let found = self
                    .kisi
                    .call(info, self.kisi.client.find_user_by_email(email.as_str()))
                    .await
                    .map_err(|e| SyncError::kisi("find a Kisi user by e-mail", e))?;
                let Some(user) = found else {
                    return Err(SyncError::kisi("create a managed Kisi user", error));
                };
                if !user.confirmed {
                    tracing::warn!(
                        person = person.0,
                        user = user.id.0,
                        "the Kisi user is an unconfirmed regular user (I3); they must confirm their e-mail"
                    );
                }
                (user, false)
            }
            Err(error) => return Err(SyncError::kisi("create a managed Kisi user", error)),
        };
        let linked = MirrorUser {
            kisi_user: KisiUserId(user.id.0),
            kisi_email: user.email.to_lowercase(),
            confirmed: user.confirmed,
            owned,
        };
        self.mirror().save_user(person, &linked).await
    }
}
