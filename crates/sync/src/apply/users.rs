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
            format!(
                "create a managed Kisi user for {}",
                self.words().person(person).await
            ),
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
                if intended_before.is_none() {
                    // Kisi refused this create: it made nothing, so no intent is left open.
                    intents.clear_user_intents(self.location, person).await?;
                }
                let info = CallInfo::new(
                    format!(
                        "find the Kisi user of {} by e-mail",
                        self.words().person(person).await
                    ),
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
                let owned = made_by_a_lost_create(&user, email.as_str(), intended_before);
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

/// How far Kisi's clock and Doorlink's may disagree.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(5);

/// I4: whether the Kisi user found with the person's e-mail is the one a create of Doorlink's
/// made, whose answer was lost. Only with a create in doubt since `intended_since`, and only a
/// user Kisi made after that first attempt (give or take the clocks' skew): a user made by hand
/// before Doorlink ever tried stays foreign, also when Doorlink's first attempt then failed
/// without an answer (found by the random campaign: such a user was later deleted by R15's
/// "delete the Kisi user"). A user made by hand while a create is in doubt cannot be told apart.
pub(crate) fn made_by_a_lost_create(
    user: &kisi::User,
    email: &str,
    intended_since: Option<chrono::DateTime<chrono::Utc>>,
) -> bool {
    let Some(since) = intended_since else {
        return false;
    };
    user.confirmed
        && user.email.eq_ignore_ascii_case(email)
        && user
            .created_at
            .is_none_or(|created| created + CLOCK_SKEW >= since)
}
