//! I1–I3: linking a person to a Kisi user, creating a managed user when Kisi has none.

use doorlink_core::{Email, KisiUserId, PersonId};

use super::{Applier, refused_as_duplicate};
use crate::audit::CallInfo;
use crate::error::{Result, SyncError};
use crate::view::MirrorUser;

impl Applier<'_> {
    /// I1, I2, I3: create a managed user; when Kisi already has a user with the e-mail (a 422
    /// "taken"), link to it instead. It is Doorlink's own (I4) when Doorlink set out to create
    /// it before (the intent is written before every create, so a create whose answer was lost
    /// to a crash or a timeout is recognised); otherwise, added by hand, it is not owned and
    /// Doorlink will never delete it.
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
        // Only an intent of an earlier attempt, whose answer never came, makes a found user ours.
        let intents = self.store.intents();
        let intended_before = intents
            .user_intended(self.location, person, email.as_str())
            .await?;
        intents
            .record_user_intent(self.location, person, email)
            .await?;
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
                if !intended_before {
                    // Kisi refused this create: it made nothing, so no intent is left open.
                    intents.clear_user_intents(self.location, person).await?;
                }
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
                let owned = intended_before
                    && user.confirmed
                    && user.email.eq_ignore_ascii_case(email.as_str());
                (user, owned)
            }
            Err(error) => return Err(SyncError::kisi("create a managed Kisi user", error)),
        };
        let linked = MirrorUser {
            kisi_user: KisiUserId(user.id.0),
            kisi_email: user.email.to_lowercase(),
            confirmed: user.confirmed,
            owned,
        };
        self.mirror().save_user(person, &linked).await?;
        intents.clear_user_intents(self.location, person).await?;
        Ok(())
    }
}
