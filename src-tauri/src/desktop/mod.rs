//! The shell's logic without a window: one [`Desktop`] per app, built over a data folder. The
//! Tauri commands are thin wrappers over these methods, and tests drive them with a temp folder,
//! a real hub and the Kisi emulator. One file per concern: `session` (sign-in and out),
//! `first_admin` (the front desk's first account),
//! `mode_switch`, `unlock_reports` (A4's audit trail), `live_source` (change notices).

mod first_admin;
mod live_source;
mod mode_switch;
mod session;
mod unlock_reports;

pub use live_source::{LiveSource, may_see};
pub use mode_switch::URL_FIELD;
pub use unlock_reports::ReportsSent;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use doorlink_api::auth::AccountView;
use doorlink_api::desktop::{DesktopAccess, DesktopSettings, DesktopStatus, SignedIn};
use doorlink_api::me::UnlockOutcome;
use doorlink_store::SecretValue;
use tokio::sync::{Mutex, RwLock, watch};

use crate::access;
use crate::cache::{AccountKey, Cache};
pub use crate::error::CommandError;
use crate::hub_client::HubClient;
use crate::kisi_unlock::KisiUnlocker;
use crate::secrets::Secrets;

/// Who is signed in and the live connections that go with it.
#[derive(Debug, Clone)]
struct Connected {
    signed_in: SignedIn,
    hub: HubClient,
    token: SecretValue,
    /// `None` when the hub has no Kisi login for this person (staff without a person, or a
    /// location not connected to Kisi yet).
    unlocker: Option<KisiUnlocker>,
}

impl Connected {
    fn account(&self) -> AccountKey {
        AccountKey {
            hub_url: self.signed_in.hub_url.clone(),
            email: self.signed_in.account.email.clone(),
        }
    }
}

/// The shell's state. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Desktop {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    data_dir: PathBuf,
    cache: Cache,
    secrets: Secrets,
    settings: Mutex<DesktopSettings>,
    connected: RwLock<Option<Connected>>,
    /// The hub this computer runs in front-desk mode.
    front_desk: Mutex<Option<crate::front_desk::FrontDeskHub>>,
    /// Changes whenever the session does (sign-in, sign-out, a mode change): the live events
    /// reconnect as the new person, or stop.
    session_changes: watch::Sender<()>,
    /// Held while the unlock reports are being sent, so each is sent once.
    sending_reports: Mutex<()>,
}

impl Desktop {
    /// Opens the cache and the secrets in `data_dir` and restores the last session from
    /// `settings` (no network: the hub is asked only by [`Desktop::refresh_access`]).
    pub async fn open(
        data_dir: &Path,
        settings: DesktopSettings,
        secrets: Secrets,
    ) -> Result<Self, CommandError> {
        std::fs::create_dir_all(data_dir).map_err(|error| {
            CommandError::new(
                "local_storage",
                format!(
                    "cannot create the data folder {}: {error}",
                    data_dir.display()
                ),
            )
        })?;
        let cache = Cache::open(&data_dir.join("access-cache.sqlite")).await?;
        let desktop = Self {
            inner: Arc::new(Inner {
                data_dir: data_dir.to_owned(),
                cache,
                secrets,
                settings: Mutex::new(settings),
                connected: RwLock::new(None),
                front_desk: Mutex::new(None),
                session_changes: watch::Sender::new(()),
                sending_reports: Mutex::new(()),
            }),
        };
        desktop.restore_session().await?;
        Ok(desktop)
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    pub async fn settings(&self) -> DesktopSettings {
        self.inner.settings.lock().await.clone()
    }

    /// Applies `change` to the settings and returns the new ones (the caller persists them).
    pub async fn update_settings(
        &self,
        change: impl FnOnce(DesktopSettings) -> DesktopSettings,
    ) -> DesktopSettings {
        let mut settings = self.inner.settings.lock().await;
        let updated = change(settings.clone());
        if updated.signed_in.is_none() {
            self.set_connected(None).await;
        }
        *settings = updated.clone();
        updated
    }

    pub async fn status(&self) -> DesktopStatus {
        let can_unlock_directly = self
            .inner
            .connected
            .read()
            .await
            .as_ref()
            .is_some_and(|connected| connected.unlocker.is_some());
        DesktopStatus {
            settings: self.settings().await,
            secrets_backend: self.inner.secrets.backend(),
            can_unlock_directly,
        }
    }

    /// The Access page from the cache, re-read at `now` by the local clock: instant, no network.
    pub async fn cached_access(&self, now: DateTime<Utc>) -> Result<DesktopAccess, CommandError> {
        let account = self.account().await.ok_or_else(CommandError::signed_out)?;
        let last = self.inner.cache.load(&account).await?;
        Ok(access::cached(last.as_ref(), now))
    }

    /// Asks the hub, caches its answer and returns it; when the hub cannot be reached, returns the
    /// cached doors with when they were last confirmed and unlock disabled (A6).
    pub async fn refresh_access(&self, now: DateTime<Utc>) -> Result<DesktopAccess, CommandError> {
        let connected = self
            .connected()
            .await
            .ok_or_else(CommandError::signed_out)?;
        match connected.hub.my_access(&connected.token).await {
            Ok(access) => {
                self.inner.cache.save(&connected.account(), &access).await?;
                if connected.unlocker.is_none() {
                    self.retry_kisi_login(&connected).await;
                }
                // The hub answers: send what it missed while it could not be reached.
                self.send_unlock_reports_in_background();
                Ok(access::confirmed(access))
            }
            Err(error) if error.is_unreachable() => {
                tracing::info!(%error, "showing the cached doors");
                let last = self.inner.cache.load(&connected.account()).await?;
                Ok(access::offline(
                    access::cached(last.as_ref(), now),
                    format!("{error}. Unlocking needs a connection."),
                ))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// A4: presses `lock_id` straight at Kisi with the person's own login, then reports the
    /// outcome to the hub for its audit log (queued first, so an unreachable hub gets it later).
    pub async fn unlock(&self, lock_id: i64) -> Result<UnlockOutcome, CommandError> {
        let connected = self
            .connected()
            .await
            .ok_or_else(CommandError::signed_out)?;
        let Some(unlocker) = &connected.unlocker else {
            return Err(CommandError::new(
                "no_kisi_login",
                "Your hub has not given this computer a Kisi login yet (the location may not be \
                 connected to Kisi); ask the front desk, then sign in again.",
            ));
        };
        let pressed_at = Utc::now();
        let outcome = unlocker.unlock(lock_id).await;
        self.queue_unlock_report(&connected, &outcome, pressed_at)
            .await;
        self.send_unlock_reports_in_background();
        Ok(outcome)
    }

    /// Any other hub call of the UI, with the person's token (see `HubClient::proxy`).
    pub async fn hub_request(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value, CommandError> {
        let connected = self
            .connected()
            .await
            .ok_or_else(CommandError::signed_out)?;
        Ok(connected
            .hub
            .proxy(method, path, query, body, &connected.token)
            .await?)
    }

    /// The address of this computer's own hub (front-desk mode), started on first use.
    pub async fn front_desk_hub_url(&self) -> Result<String, CommandError> {
        let mut front_desk = self.inner.front_desk.lock().await;
        if let Some(hub) = front_desk.as_ref() {
            return Ok(hub.running.base_url());
        }
        let last_port = self.settings().await.front_desk_port;
        let hub = crate::front_desk::start(&self.inner.data_dir, last_port).await?;
        let url = hub.running.base_url();
        let port = hub.running.local_addr().port();
        *front_desk = Some(hub);
        // The live events now follow this hub in-process rather than over loopback.
        self.inner.session_changes.send_replace(());
        self.update_settings(|settings| DesktopSettings {
            front_desk_port: Some(port),
            ..settings
        })
        .await;
        Ok(url)
    }

    /// Stops this computer's hub (leaving front-desk mode).
    pub async fn stop_front_desk(&self) {
        if let Some(hub) = self.inner.front_desk.lock().await.take() {
            hub.running.shutdown().await;
        }
    }

    /// The account signed in on this computer, as the hub described it at sign-in.
    pub async fn current_account(&self) -> Result<AccountView, CommandError> {
        let settings = self.inner.settings.lock().await;
        settings
            .signed_in
            .as_ref()
            .map(|signed_in| signed_in.account.clone())
            .ok_or_else(CommandError::signed_out)
    }

    async fn account(&self) -> Option<AccountKey> {
        let settings = self.inner.settings.lock().await;
        settings.signed_in.as_ref().map(|signed_in| AccountKey {
            hub_url: signed_in.hub_url.clone(),
            email: signed_in.account.email.clone(),
        })
    }

    /// Replaces the live session (returning the previous one) and tells whoever follows it.
    async fn set_connected(&self, connected: Option<Connected>) -> Option<Connected> {
        let previous = std::mem::replace(&mut *self.inner.connected.write().await, connected);
        self.inner.session_changes.send_replace(());
        previous
    }

    async fn connected(&self) -> Option<Connected> {
        self.inner.connected.read().await.clone()
    }
}
