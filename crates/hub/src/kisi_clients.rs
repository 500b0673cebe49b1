//! Kisi clients per location: the admin client built from the stored connection, and each
//! person's own login (created on their behalf with the admin credential) so their unlocks carry
//! their name in Kisi (A4). Clients are kept so the 5 requests/second budget is shared per login.

use std::collections::HashMap;
use std::sync::Mutex;

use doorlink_core::{LocationId, PersonId};
use doorlink_store::{Credential, Store};
use kisi::{Connection, KisiClient, KisiConfig, Secret};

use crate::error::{ApiError, ApiResult};

/// A person's own Kisi login at a location.
#[derive(Debug, Clone)]
pub struct PersonLogin {
    pub client: KisiClient,
    pub kisi_user_id: i64,
    pub email: String,
    pub secret: Secret,
    pub base_url: String,
}

#[derive(Debug, Default)]
pub struct KisiClients {
    admin: Mutex<HashMap<LocationId, KisiClient>>,
    people: Mutex<HashMap<(LocationId, PersonId), PersonLogin>>,
}

impl KisiClients {
    /// Forgets the clients of a location (after connect or disconnect).
    pub fn forget(&self, location: LocationId) {
        lock(&self.admin).remove(&location);
        lock(&self.people).retain(|(at, _), _| *at != location);
    }

    /// The admin client of an active connection.
    pub async fn admin(&self, store: &Store, location: LocationId) -> ApiResult<KisiClient> {
        if let Some(client) = lock(&self.admin).get(&location) {
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
        lock(&self.admin).insert(location, client.clone());
        Ok(client)
    }

    /// The person's own login, created once per hub run with the admin credential.
    pub async fn person(
        &self,
        store: &Store,
        location: LocationId,
        person: PersonId,
        email: &str,
    ) -> ApiResult<PersonLogin> {
        if let Some(login) = lock(&self.people).get(&(location, person)) {
            return Ok(login.clone());
        }
        let admin = self.admin(store, location).await?;
        let login = admin.create_login_for_user(email).await?;
        let base_url = admin.base_url().to_owned();
        let client = KisiClient::new(KisiConfig {
            connection: Connection::new(base_url.clone()),
            credential: login.secret.clone(),
        })?;
        let login = PersonLogin {
            client,
            kisi_user_id: login.user.id.0,
            email: login.user.email,
            secret: login.secret,
            base_url,
        };
        lock(&self.people).insert((location, person), login.clone());
        Ok(login)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
