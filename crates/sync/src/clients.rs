//! One Kisi client per location, built from the store's connection row (base URL and decrypted
//! credential) and kept while the connection stays the same.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use doorlink_core::LocationId;
use doorlink_store::{Credential, Store};
use kisi::{KisiClient, KisiConfig, Secret};

use crate::error::{Result, SyncError};

/// Whether a call may use a connection an admin disconnected (C3: only the explicit "revoke
/// everything Doorlink granted" may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    Sync,
    RevokeAfterDisconnect,
}

#[derive(Debug, Default)]
pub(crate) struct Clients {
    cached: Mutex<HashMap<LocationId, Cached>>,
}

#[derive(Debug, Clone)]
struct Cached {
    connected_at: DateTime<Utc>,
    base_url: String,
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
        let connection = store
            .locations()
            .connection(location)
            .await?
            .ok_or(SyncError::NotConnected { location })?;
        if !connection.is_active() && purpose == Use::Sync {
            return Err(SyncError::Disconnected { location });
        }
        if let Some(cached) = self.lock().get(&location)
            && cached.connected_at == connection.connected_at
            && cached.base_url == connection.base_url
        {
            return Ok(cached.client.clone());
        }
        let secret = match store.locations().credential(location).await? {
            Credential::Secret(value) => Secret::new(value.expose()),
            Credential::Keychain(entry) => {
                return Err(SyncError::CredentialInKeychain { location, entry });
            }
        };
        let config = KisiConfig {
            connection: kisi::Connection {
                base_url: connection.base_url.clone(),
                ..template.clone()
            },
            credential: secret,
        };
        let client =
            KisiClient::new(config).map_err(|e| SyncError::kisi("build the Kisi client", e))?;
        self.lock().insert(
            location,
            Cached {
                connected_at: connection.connected_at,
                base_url: connection.base_url,
                client: client.clone(),
            },
        );
        Ok(client)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<LocationId, Cached>> {
        self.cached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
