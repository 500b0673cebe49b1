//! A4: each person's own Kisi login at a location, made on their behalf with the admin
//! credential so their unlocks carry their name in Kisi. Sync is the one place that makes Kisi
//! calls: the login is made through the location's configured client and written to the audit log.
//!
//! Kisi keeps at most 40 logins per user and expires the oldest beyond that, so a person's login is
//! made once and stored (sealed) by the store; a restart reuses it. The stored row is the truth:
//! every use reads it, so a login the store forgot (C3 disconnect, R15) is never used again, and a
//! new one is made only when none is stored or Kisi refused the stored one.

use doorlink_core::{KisiUserId, LocationId, PersonId};
use doorlink_store::{PersonKisiLogin, SecretValue};
use kisi::{KisiClient, KisiConfig, KisiError, LockId, Secret, UnlockContext};

use crate::audit::CallInfo;
use crate::clients::kisi_client;
use crate::engine::SyncEngine;
use crate::error::{Result, SyncError};
use crate::words::LocationWords;

/// A person's own Kisi login at a location, as the desktop app receives it.
#[derive(Debug, Clone)]
pub struct PersonLogin {
    pub kisi_user_id: i64,
    /// The e-mail of the Kisi user it was made for.
    pub email: String,
    pub secret: Secret,
    pub base_url: String,
}

/// Who a login is for.
#[derive(Debug, Clone, Copy)]
struct Owner<'a> {
    location: LocationId,
    person: PersonId,
    email: &'a str,
}

impl SyncEngine {
    /// A4: the person's own login: the stored one, or a new one made with the admin credential
    /// and stored when none is (or the stored one was made for another e-mail, I2).
    pub async fn person_login(
        &self,
        location: LocationId,
        person: PersonId,
        email: &str,
    ) -> Result<PersonLogin> {
        let owner = Owner {
            location,
            person,
            email,
        };
        Ok(self.login_of(owner).await?.0)
    }

    /// A4: opens the lock with the person's own login. When Kisi answers 401 for the login
    /// (signed out in the dashboard, expired), makes a new login once and tries again with it.
    /// The outer error is Doorlink's side failing; the inner one is Kisi's answer to the unlock.
    pub async fn unlock_as(
        &self,
        location: LocationId,
        person: PersonId,
        email: &str,
        lock: LockId,
        context: &UnlockContext,
    ) -> Result<Result<String, KisiError>> {
        let owner = Owner {
            location,
            person,
            email,
        };
        let (login, client) = match self.login_of(owner).await {
            Ok(found) => found,
            Err(SyncError::Kisi { source, .. }) => return Ok(Err(source)),
            Err(other) => return Err(other),
        };
        match client.unlock(lock, context).await {
            Err(KisiError::Unauthorized { .. }) => {
                tracing::warn!(
                    location = location.0,
                    person = person.0,
                    "Kisi refused the person's login (401); making a new one"
                );
                match self.renew(owner, &login.secret).await {
                    Ok((_, fresh)) => Ok(fresh.unlock(lock, context).await),
                    Err(SyncError::Kisi { source, .. }) => Ok(Err(source)),
                    Err(other) => Err(other),
                }
            }
            answered => Ok(answered),
        }
    }

    /// The stored login and its client, or a new one; logins are made one at a time, so two
    /// first unlocks (or two 401s) make one login, not two.
    async fn login_of(&self, owner: Owner<'_>) -> Result<(PersonLogin, KisiClient)> {
        if let Some(found) = self.stored_login(owner).await? {
            return Ok(found);
        }
        let _one_at_a_time = self.clients.making_logins.lock().await;
        // Another request may have made it while this one waited.
        if let Some(found) = self.stored_login(owner).await? {
            return Ok(found);
        }
        self.make_login(owner).await
    }

    /// Kisi refused `refused` (401): forgets it and makes a new login, unless another request
    /// already replaced it.
    async fn renew(&self, owner: Owner<'_>, refused: &Secret) -> Result<(PersonLogin, KisiClient)> {
        let _one_at_a_time = self.clients.making_logins.lock().await;
        if let Some(found) = self.stored_login(owner).await?
            && found.0.secret != *refused
        {
            return Ok(found);
        }
        self.store
            .kisi_mirror()
            .forget_person_login(owner.location, owner.person)
            .await?;
        self.make_login(owner).await
    }

    /// The stored login for the person's current e-mail, with its client.
    async fn stored_login(&self, owner: Owner<'_>) -> Result<Option<(PersonLogin, KisiClient)>> {
        let stored = self
            .store
            .kisi_mirror()
            .person_login(owner.location, owner.person)
            .await?
            .filter(|login| login.email.eq_ignore_ascii_case(owner.email));
        let Some(stored) = stored else {
            return Ok(None);
        };
        let admin = self.kisi_outside_lease(owner.location).await?;
        let login = PersonLogin {
            kisi_user_id: stored.kisi_user.0,
            email: stored.email,
            secret: Secret::new(stored.secret.expose()),
            base_url: admin.client.base_url().to_owned(),
        };
        let client = self.person_client(owner, &login, admin.client.connection())?;
        Ok(Some((login, client)))
    }

    /// Makes a new login on the person's behalf with the admin credential (audited), stores it.
    async fn make_login(&self, owner: Owner<'_>) -> Result<(PersonLogin, KisiClient)> {
        let admin = self.kisi_outside_lease(owner.location).await?;
        let info = CallInfo::new(
            format!(
                "make a Kisi login for {}",
                LocationWords::new(&self.store, owner.location)
                    .person(owner.person)
                    .await
            ),
            "POST",
            "/logins",
            Some(owner.person),
        );
        let made = admin
            .call(info, admin.client.create_login_for_user(owner.email))
            .await
            .map_err(|e| SyncError::kisi("make the person's Kisi login", e))?;
        let stored = PersonKisiLogin {
            kisi_user: KisiUserId(made.user.id.0),
            email: made.user.email,
            secret: SecretValue::new(made.secret.expose()),
        };
        self.store
            .kisi_mirror()
            .save_person_login(owner.location, owner.person, &stored)
            .await?;
        tracing::info!(
            location = owner.location.0,
            person = owner.person.0,
            "made and stored a Kisi login on the person's behalf"
        );
        let login = PersonLogin {
            kisi_user_id: stored.kisi_user.0,
            email: stored.email,
            secret: made.secret,
            base_url: admin.client.base_url().to_owned(),
        };
        let client = self.person_client(owner, &login, admin.client.connection())?;
        Ok((login, client))
    }

    /// The person's client, with the location's connection settings (timeout, retries, rate
    /// budget, integration headers); kept while the login stays the same.
    fn person_client(
        &self,
        owner: Owner<'_>,
        login: &PersonLogin,
        connection: &kisi::Connection,
    ) -> Result<KisiClient> {
        self.clients
            .person_client((owner.location, owner.person), &login.secret, || {
                kisi_client(
                    &self.store,
                    KisiConfig {
                        connection: connection.clone(),
                        credential: login.secret.clone(),
                    },
                    Some(KisiUserId(login.kisi_user_id)),
                )
                .map_err(|e| SyncError::kisi("build the person's Kisi client", e))
            })
    }
}
