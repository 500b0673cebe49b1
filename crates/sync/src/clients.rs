//! One Kisi client per location, built from the store's connection row (base URL and decrypted
//! credential) and kept while the connection stays the same.
//!
//! Every Kisi client of a credential is built by [`kisi_client`], which shares its rate budget
//! through the store with every other hub (and `doorlink sync`) on the same database (issue 14):
//! two hubs calling as one Kisi user keep to Kisi's 5 requests a second together.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use doorlink_core::{KisiUserId, LocationId, PersonId};
use doorlink_store::{SecretId, Store};
use kisi::{KisiClient, KisiConfig, KisiError, Secret, SharedBudget, SharedBudgetError};

use crate::error::{Result, SyncError};
use crate::words::LocationWords;

/// Kisi's rate budget shared through the store: a slot reserved in the `kisi_rate_slots` row of
/// the budget's key (one write transaction, the store's clock).
#[derive(Debug, Clone)]
struct StoreBudget(Store);

impl SharedBudget for StoreBudget {
    fn reserve<'a>(
        &'a self,
        key: &'a str,
        period: Duration,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<Duration, SharedBudgetError>> + Send + 'a>>
    {
        Box::pin(async move {
            self.0
                .kisi_rate_slots()
                .reserve(key, period)
                .await
                .map_err(SharedBudgetError::from)
        })
    }
}

/// `client` with its rate budget shared through `store` with every other process on the same
/// database.
pub fn sharing_budget(store: &Store, client: KisiClient) -> KisiClient {
    client.sharing_budget(Arc::new(StoreBudget(store.clone())))
}

/// The one place a Kisi client of a credential is built: budgeted per Kisi user when `user` is
/// known (Kisi counts per user: locations connected with one account share it), per credential
/// otherwise, and shared through `store` with the other hubs on its database.
pub fn kisi_client(
    store: &Store,
    config: KisiConfig,
    user: Option<KisiUserId>,
) -> std::result::Result<KisiClient, KisiError> {
    let client = match user {
        Some(user) => KisiClient::for_user(config, kisi::UserId(user.0)),
        None => KisiClient::new(config),
    }?;
    Ok(sharing_budget(store, client))
}

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
        let client = kisi_client(store, config, connection.kisi_user)
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
