//! The shell's logic without a window: one [`Desktop`] per app, built over a data folder. The
//! Tauri commands are thin wrappers over these methods, and tests drive them with a temp folder,
//! a real hub and the Kisi emulator.

mod live_source;
mod mode_switch;
mod unlock_reports;

pub use live_source::{LiveSource, may_see};
pub use unlock_reports::ReportsSent;

pub use mode_switch::URL_FIELD;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use doorlink_api::auth::{AccountView, SessionView};
use doorlink_api::me::UnlockOutcome;
use doorlink_store::SecretValue;
use serde::Serialize;
use tokio::sync::{Mutex, RwLock, watch};

use crate::access::DesktopAccess;
use crate::cache::{AccountKey, Cache};
pub use crate::error::CommandError;
use crate::hub_client::{HubClient, parse_hub_url};
use crate::kisi_unlock::KisiUnlocker;
use crate::mode::{Settings, SignedIn};
use crate::secrets::{SecretName, Secrets, SecretsBackend, SecretsError};

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

/// What the settings page and the first-start screen show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionStatus {
    pub settings: Settings,
    pub secrets_backend: SecretsBackend,
    /// Whether the person's own Kisi login is ready for unlocking (A4).
    pub can_unlock_directly: bool,
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
    settings: Mutex<Settings>,
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
        settings: Settings,
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

    pub async fn settings(&self) -> Settings {
        self.inner.settings.lock().await.clone()
    }

    /// Applies `change` to the settings and returns the new ones (the caller persists them).
    pub async fn update_settings(&self, change: impl FnOnce(Settings) -> Settings) -> Settings {
        let mut settings = self.inner.settings.lock().await;
        let updated = change(settings.clone());
        if updated.signed_in.is_none() {
            self.set_connected(None).await;
        }
        *settings = updated.clone();
        updated
    }

    pub async fn status(&self) -> SessionStatus {
        let can_unlock_directly = self
            .inner
            .connected
            .read()
            .await
            .as_ref()
            .is_some_and(|connected| connected.unlocker.is_some());
        SessionStatus {
            settings: self.settings().await,
            secrets_backend: self.inner.secrets.backend(),
            can_unlock_directly,
        }
    }

    /// Signs in to the hub at `hub_url`: keeps the session token and the person's own Kisi login
    /// in the keychain, and caches their doors. Returns the session as the webview may see it (its
    /// tokens blanked: they never leave this process) and the settings to persist.
    pub async fn sign_in(
        &self,
        hub_url: &str,
        email: &str,
        password: &str,
    ) -> Result<(SessionView, Settings), CommandError> {
        let hub = HubClient::new(parse_hub_url(hub_url)?)?;
        let session = hub.sign_in(email, password).await?;
        self.adopt_session(hub, session).await
    }

    /// Redeems an invitation at the hub at `hub_url` (sets the person's password) and signs in
    /// with the session it yields, exactly as [`Desktop::sign_in`] does.
    pub async fn redeem_invitation(
        &self,
        hub_url: &str,
        invitation: &str,
        password: &str,
    ) -> Result<(SessionView, Settings), CommandError> {
        let hub = HubClient::new(parse_hub_url(hub_url)?)?;
        let session = hub.redeem_invitation(invitation, password).await?;
        self.adopt_session(hub, session).await
    }

    /// Keeps a fresh session of `hub`: its token and the person's Kisi login in the keychain,
    /// their doors in the cache.
    async fn adopt_session(
        &self,
        hub: HubClient,
        session: SessionView,
    ) -> Result<(SessionView, Settings), CommandError> {
        let signed_in = SignedIn {
            hub_url: hub.base_url().to_owned(),
            account: session.account.clone(),
        };
        let token = SecretValue::new(session.token.clone());
        self.blocking_secret_set(
            SecretName::HubSession {
                hub_url: signed_in.hub_url.clone(),
                email: signed_in.account.email.clone(),
            },
            token.clone(),
        )
        .await?;
        let unlocker = self.fetch_kisi_login(&hub, &token, &signed_in).await;
        tracing::info!(hub = %signed_in.hub_url, role = ?signed_in.account.role, kisi_login = unlocker.is_some(), "signed in");
        self.set_connected(Some(Connected {
            signed_in: signed_in.clone(),
            hub,
            token,
            unlocker,
        }))
        .await;
        let settings = self
            .update_settings(|settings| Settings {
                signed_in: Some(signed_in),
                ..settings
            })
            .await;
        // The first refresh fills the cache; failing here only means the page shows it later.
        if let Err(error) = self.refresh_access(Utc::now()).await {
            tracing::warn!(%error, "first refresh after sign-in failed");
        }
        let for_webview = SessionView {
            token: String::new(),
            csrf_token: String::new(),
            ..session
        };
        Ok((for_webview, settings))
    }

    /// Signs out at the hub when it can be reached, and forgets the token, the Kisi login and the
    /// cached doors on this computer in any case. Returns the settings to persist.
    pub async fn sign_out(&self) -> Result<Settings, CommandError> {
        let connected = self.set_connected(None).await;
        if let Some(connected) = connected {
            if let Err(error) = connected.hub.sign_out(&connected.token).await {
                tracing::warn!(%error, "the hub could not be told about the sign-out");
            }
            let (hub_url, email) = (
                connected.signed_in.hub_url.clone(),
                connected.signed_in.account.email.clone(),
            );
            for name in [
                SecretName::HubSession {
                    hub_url: hub_url.clone(),
                    email: email.clone(),
                },
                SecretName::KisiLogin { hub_url, email },
            ] {
                self.blocking_secret_delete(name).await?;
            }
            self.inner.cache.forget(&connected.account()).await?;
        }
        Ok(self
            .update_settings(|settings| Settings {
                signed_in: None,
                ..settings
            })
            .await)
    }

    /// The Access page from the cache, re-read at `now` by the local clock: instant, no network.
    pub async fn cached_access(&self, now: DateTime<Utc>) -> Result<DesktopAccess, CommandError> {
        let account = self.account().await.ok_or_else(CommandError::signed_out)?;
        let last = self.inner.cache.load(&account).await?;
        Ok(DesktopAccess::cached(last.as_ref(), now))
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
                Ok(DesktopAccess::confirmed(access))
            }
            Err(error) if error.is_unreachable() => {
                tracing::info!(%error, "showing the cached doors");
                let last = self.inner.cache.load(&connected.account()).await?;
                Ok(DesktopAccess::cached(last.as_ref(), now)
                    .offline(format!("{error}. Unlocking needs a connection.")))
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
        self.update_settings(|settings| Settings {
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

    /// Rebuilds the live connection from the settings and the keychain, without the network.
    async fn restore_session(&self) -> Result<(), CommandError> {
        let Some(signed_in) = self.settings().await.signed_in else {
            return Ok(());
        };
        let hub = HubClient::new(parse_hub_url(&signed_in.hub_url)?)?;
        let token = self
            .blocking_secret_get(SecretName::HubSession {
                hub_url: signed_in.hub_url.clone(),
                email: signed_in.account.email.clone(),
            })
            .await?;
        let Some(token) = token else {
            tracing::warn!(
                "the session token is gone from the keychain; the person must sign in again"
            );
            return Ok(());
        };
        let kisi_secret = self
            .blocking_secret_get(SecretName::KisiLogin {
                hub_url: signed_in.hub_url.clone(),
                email: signed_in.account.email.clone(),
            })
            .await?;
        let unlocker = kisi_secret.and_then(|stored| {
            let (base_url, secret) = stored.expose().split_once(' ')?;
            KisiUnlocker::new(base_url, secret)
                .inspect_err(|error| tracing::warn!(%error, "the stored Kisi login is unusable"))
                .ok()
        });
        self.set_connected(Some(Connected {
            signed_in,
            hub,
            token,
            unlocker,
        }))
        .await;
        Ok(())
    }

    /// Asks the hub for the person's own Kisi login and keeps it in the keychain, stored as
    /// "<kisi base url> <secret>" (the URL is not secret, but it belongs with the secret).
    async fn fetch_kisi_login(
        &self,
        hub: &HubClient,
        token: &SecretValue,
        signed_in: &SignedIn,
    ) -> Option<KisiUnlocker> {
        let login = match hub.my_kisi_login(token).await {
            Ok(login) => login,
            Err(error) => {
                tracing::info!(%error, "no Kisi login from the hub; unlocking waits until there is one");
                return None;
            }
        };
        let unlocker = KisiUnlocker::for_login(&login)
            .inspect_err(|error| tracing::warn!(%error, "the hub's Kisi login is unusable"))
            .ok()?;
        let name = SecretName::KisiLogin {
            hub_url: signed_in.hub_url.clone(),
            email: signed_in.account.email.clone(),
        };
        let stored = SecretValue::new(format!("{} {}", login.base_url, login.secret));
        if let Err(error) = self.blocking_secret_set(name, stored).await {
            tracing::warn!(%error, "the Kisi login could not be kept; it is used for this run only");
        }
        Some(unlocker)
    }

    async fn retry_kisi_login(&self, connected: &Connected) {
        let unlocker = self
            .fetch_kisi_login(&connected.hub, &connected.token, &connected.signed_in)
            .await;
        if unlocker.is_some()
            && let Some(current) = self.inner.connected.write().await.as_mut()
        {
            current.unlocker = unlocker;
        }
    }

    // Keychain calls block on D-Bus (or disk): keep them off the async workers.

    async fn blocking_secret_set(
        &self,
        name: SecretName,
        value: SecretValue,
    ) -> Result<(), CommandError> {
        let secrets = self.inner.secrets.clone();
        join(tokio::task::spawn_blocking(move || {
            secrets.set(&name, &value)
        }))
        .await
    }

    async fn blocking_secret_get(
        &self,
        name: SecretName,
    ) -> Result<Option<SecretValue>, CommandError> {
        let secrets = self.inner.secrets.clone();
        join(tokio::task::spawn_blocking(move || secrets.get(&name))).await
    }

    async fn blocking_secret_delete(&self, name: SecretName) -> Result<(), CommandError> {
        let secrets = self.inner.secrets.clone();
        join(tokio::task::spawn_blocking(move || secrets.delete(&name))).await
    }
}

async fn join<T>(
    task: tokio::task::JoinHandle<Result<T, SecretsError>>,
) -> Result<T, CommandError> {
    task.await
        .map_err(|error| {
            CommandError::new(
                "local_storage",
                format!("the keychain task failed: {error}"),
            )
        })?
        .map_err(CommandError::from)
}
