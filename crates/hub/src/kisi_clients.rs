//! Kisi clients per location: the admin client built from the stored connection, and each
//! person's own login (created on their behalf with the admin credential) so their unlocks carry
//! their name in Kisi (A4). Clients are kept so the 5 requests/second budget is shared per login.
//!
//! Kisi keeps at most 40 logins per user and expires the oldest beyond that, so a person's login is
//! made once and stored (sealed) by the store; a hub restart reuses it. The stored row is the truth:
//! every use reads it, so a login the store forgot (C3 disconnect, R15 through the sync worker) is
//! never used again, and a new one is made only when none is stored or Kisi refused the stored one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use doorlink_core::{KisiUserId, LocationId, PersonId};
use doorlink_store::{Credential, PersonKisiLogin, SecretValue, Store};
use kisi::{Connection, KisiClient, KisiConfig, KisiError, LockId, Secret, UnlockContext};

use crate::error::{ApiError, ApiResult};

/// A person's own Kisi login at a location.
#[derive(Debug, Clone)]
pub struct PersonLogin {
    pub client: PersonClient,
    pub kisi_user_id: i64,
    pub email: String,
    pub secret: Secret,
    pub base_url: String,
}

/// The Kisi client of one person's login. When Kisi answers 401 for the login (signed out in the
/// dashboard, expired), it makes a new login once and retries with it.
#[derive(Debug, Clone)]
pub struct PersonClient {
    client: KisiClient,
    secret: Secret,
    owner: LoginOwner,
}

/// Whose login a client holds, and where to make a new one. Holds the client set weakly: the set
/// keeps the clients, so a strong reference back would never be freed.
#[derive(Debug, Clone)]
struct LoginOwner {
    clients: Weak<Clients>,
    store: Store,
    location: LocationId,
    person: PersonId,
    email: String,
}

impl PersonClient {
    /// A4: opens the lock with the person's own login; see [`KisiClient::unlock`].
    pub async fn unlock(&self, lock: LockId, context: &UnlockContext) -> Result<String, KisiError> {
        match self.client.unlock(lock, context).await {
            Err(refused @ KisiError::Unauthorized { .. }) => {
                let owner = &self.owner;
                tracing::warn!(
                    location = owner.location.0,
                    person = owner.person.0,
                    "Kisi refused the person's login (401); making a new one"
                );
                let Some(clients) = owner.clients.upgrade() else {
                    return Err(refused);
                };
                match (KisiClients { inner: clients })
                    .renew(owner, &self.secret)
                    .await
                {
                    Ok(fresh) => fresh.client.client.unlock(lock, context).await,
                    Err(LoginError::Kisi(error)) => Err(error),
                    Err(LoginError::Hub(error)) => {
                        tracing::error!(%error, "no new Kisi login could be made for the person");
                        Err(refused)
                    }
                }
            }
            other => other,
        }
    }
}

/// Why a person's login could not be had: Kisi said no, or the hub's own side failed.
#[derive(Debug)]
enum LoginError {
    Kisi(KisiError),
    Hub(ApiError),
}

impl From<KisiError> for LoginError {
    fn from(error: KisiError) -> Self {
        Self::Kisi(error)
    }
}

impl From<LoginError> for ApiError {
    fn from(error: LoginError) -> Self {
        match error {
            LoginError::Kisi(error) => error.into(),
            LoginError::Hub(error) => error,
        }
    }
}

/// Kisi clients per location and per person; cheap to clone (one shared set).
#[derive(Debug, Clone, Default)]
pub struct KisiClients {
    inner: Arc<Clients>,
}

#[derive(Debug, Default)]
struct Clients {
    admin: Mutex<HashMap<LocationId, KisiClient>>,
    people: Mutex<HashMap<(LocationId, PersonId), PersonLogin>>,
    /// Logins are made one at a time, so two first unlocks (or two 401s) make one login, not two.
    making: tokio::sync::Mutex<()>,
}

impl KisiClients {
    /// Forgets the clients of a location (after connect or disconnect).
    pub fn forget(&self, location: LocationId) {
        lock(&self.inner.admin).remove(&location);
        lock(&self.inner.people).retain(|(at, _), _| *at != location);
    }

    /// The admin client of an active connection.
    pub async fn admin(&self, store: &Store, location: LocationId) -> ApiResult<KisiClient> {
        if let Some(client) = lock(&self.inner.admin).get(&location) {
            return Ok(client.clone());
        }
        let connection = store
            .locations()
            .connection(location)
            .await?
            .filter(|c| c.is_active())
            .ok_or_else(|| {
                ApiError::Conflict(format!(
                    "location {location} is not connected to Kisi; an admin connects it in Integrations > Kisi"
                ))
            })?;
        let secret = match store.locations().credential(location).await? {
            Credential::Secret(value) => Secret::new(value.expose()),
            Credential::Keychain(entry) => {
                return Err(ApiError::Conflict(format!(
                    "the Kisi credential of location {location} is in the desktop's keychain ({entry}); only that desktop can use it"
                )));
            }
        };
        let client = KisiClient::new(KisiConfig {
            connection: Connection::new(connection.base_url),
            credential: secret,
        })?;
        lock(&self.inner.admin).insert(location, client.clone());
        Ok(client)
    }

    /// The person's own login (A4): the stored one, or a new one made with the admin credential
    /// and stored when none is (or the stored one was made for another e-mail, I2).
    pub async fn person(
        &self,
        store: &Store,
        location: LocationId,
        person: PersonId,
        email: &str,
    ) -> ApiResult<PersonLogin> {
        let owner = LoginOwner {
            clients: Arc::downgrade(&self.inner),
            store: store.clone(),
            location,
            person,
            email: email.to_owned(),
        };
        if let Some(login) = self.stored(&owner).await? {
            return Ok(login);
        }
        let _one_at_a_time = self.inner.making.lock().await;
        // Another request may have made it while this one waited.
        if let Some(login) = self.stored(&owner).await? {
            return Ok(login);
        }
        Ok(self.make(&owner).await?)
    }

    /// Kisi refused `refused` (401): forgets it and makes a new login, unless another request
    /// already replaced it.
    async fn renew(&self, owner: &LoginOwner, refused: &Secret) -> Result<PersonLogin, LoginError> {
        let _one_at_a_time = self.inner.making.lock().await;
        if let Some(login) = self.stored(owner).await.map_err(LoginError::Hub)?
            && login.secret != *refused
        {
            return Ok(login);
        }
        owner
            .store
            .kisi_mirror()
            .forget_person_login(owner.location, owner.person)
            .await
            .map_err(|e| LoginError::Hub(e.into()))?;
        lock(&self.inner.people).remove(&(owner.location, owner.person));
        self.make(owner).await
    }

    /// The stored login's client (built once per login and kept), if a login for the person's
    /// current e-mail is stored.
    async fn stored(&self, owner: &LoginOwner) -> ApiResult<Option<PersonLogin>> {
        let stored = owner
            .store
            .kisi_mirror()
            .person_login(owner.location, owner.person)
            .await?
            .filter(|login| login.email.eq_ignore_ascii_case(&owner.email));
        let Some(stored) = stored else {
            return Ok(None);
        };
        let key = (owner.location, owner.person);
        if let Some(kept) = lock(&self.inner.people).get(&key)
            && kept.secret.expose() == stored.secret.expose()
        {
            return Ok(Some(kept.clone()));
        }
        let base_url = self
            .admin(&owner.store, owner.location)
            .await?
            .base_url()
            .to_owned();
        let login = self.client_for(owner, stored, base_url)?;
        lock(&self.inner.people).insert(key, login.clone());
        Ok(Some(login))
    }

    /// Makes a new login on the person's behalf with the admin credential, stores it, keeps it.
    async fn make(&self, owner: &LoginOwner) -> Result<PersonLogin, LoginError> {
        let admin = self
            .admin(&owner.store, owner.location)
            .await
            .map_err(LoginError::Hub)?;
        let made = admin.create_login_for_user(&owner.email).await?;
        let stored = PersonKisiLogin {
            kisi_user: KisiUserId(made.user.id.0),
            email: made.user.email,
            secret: SecretValue::new(made.secret.expose()),
        };
        owner
            .store
            .kisi_mirror()
            .save_person_login(owner.location, owner.person, &stored)
            .await
            .map_err(|e| LoginError::Hub(e.into()))?;
        tracing::info!(
            location = owner.location.0,
            person = owner.person.0,
            "made and stored a Kisi login on the person's behalf"
        );
        let login = self
            .client_for(owner, stored, admin.base_url().to_owned())
            .map_err(LoginError::Hub)?;
        lock(&self.inner.people).insert((owner.location, owner.person), login.clone());
        Ok(login)
    }

    fn client_for(
        &self,
        owner: &LoginOwner,
        stored: PersonKisiLogin,
        base_url: String,
    ) -> ApiResult<PersonLogin> {
        let secret = Secret::new(stored.secret.expose());
        let client = KisiClient::new(KisiConfig {
            connection: Connection::new(base_url.clone()),
            credential: secret.clone(),
        })?;
        Ok(PersonLogin {
            client: PersonClient {
                client,
                secret: secret.clone(),
                owner: owner.clone(),
            },
            kisi_user_id: stored.kisi_user.0,
            email: stored.email,
            secret,
            base_url,
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
