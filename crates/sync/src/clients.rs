//! One Kisi client per location, built from the store's connection row (base URL and decrypted
//! credential) and kept while the connection stays the same.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use doorlink_core::{KisiUserId, LocationId, PersonId};
use doorlink_store::{SecretId, Store};
use kisi::{KisiClient, KisiConfig, Secret};

use crate::error::{Result, SyncError};
use crate::words::LocationWords;

/// Whether a call may use a connection an admin disconnected (C3: only the explicit "revoke
/// everything Doorlink granted" may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    Sync,
    RevokeAfterDisconnect,
}

#[derive(Default)]
pub(crate) struct Clients {
    cached: Mutex<HashMap<LocationId, Cached>>,
    /// Each person's own client (A4), with the login secret it was built for.
    people: Mutex<HashMap<(LocationId, PersonId), (Secret, KisiClient)>>,
    /// People's logins are made one at a time (see `logins`).
    pub(crate) making_logins: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Clients {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clients")
            .field("cached", &self.lock().keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A client, valid while the connection keeps its base URL and credential.
#[derive(Debug, Clone)]
struct Cached {
    base_url: String,
    credential: SecretId,
    kisi_user: Option<KisiUserId>,
    client: KisiClient,
}

impl Clients {
    pub(crate) async fn client_for(
        &self,
        store: &Store,
        template: &kisi::Connection,
        location: LocationId,
        purpose: Use,
    ) -> Result<KisiClient> {
        let Some(connection) = store.locations().connection(location).await? else {
            return Err(SyncError::not_connected(store, location).await);
        };
        if !connection.is_active() && purpose == Use::Sync {
            return Err(SyncError::Disconnected {
                location,
                location_name: LocationWords::new(store, location).location().await,
            });
        }
        if let Some(cached) = self.lock().get(&location)
            && cached.base_url == connection.base_url
            && cached.credential == connection.credential
            && cached.kisi_user == connection.kisi_user
        {
            return Ok(cached.client.clone());
        }
        let secret = Secret::new(store.locations().credential(location).await?.expose());
        let config = KisiConfig {
            connection: kisi::Connection {
                base_url: connection.base_url.clone(),
                ..template.clone()
            },
            credential: secret,
        };
        // Kisi's rate budget is per user: locations connected with one account share it.
        let client = match connection.kisi_user {
            Some(user) => KisiClient::for_user(config, kisi::UserId(user.0)),
            None => KisiClient::new(config),
        }
        .map_err(|e| SyncError::kisi("build the Kisi client", e))?;
        self.lock().insert(
            location,
            Cached {
                base_url: connection.base_url,
                credential: connection.credential,
                kisi_user: connection.kisi_user,
                client: client.clone(),
            },
        );
        Ok(client)
    }

    /// The kept client of a person's login, or a new one from `build` when the secret changed.
    pub(crate) fn person_client(
        &self,
        key: (LocationId, PersonId),
        secret: &Secret,
        build: impl FnOnce() -> Result<KisiClient>,
    ) -> Result<KisiClient> {
        let mut people = self
            .people
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((kept, client)) = people.get(&key)
            && kept == secret
        {
            return Ok(client.clone());
        }
        let client = build()?;
        people.insert(key, (secret.clone(), client.clone()));
        Ok(client)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<LocationId, Cached>> {
        self.cached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
