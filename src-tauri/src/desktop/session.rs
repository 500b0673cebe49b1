//! Signing in and out: a session of the hub (by password or by an invitation), its token and the
//! person's own Kisi login kept in the keychain (A4), restored at start without the network.

use chrono::Utc;
use doorlink_api::auth::SessionView;
use doorlink_store::SecretValue;

use super::{Connected, Desktop};
use crate::error::CommandError;
use crate::hub_client::{HubClient, parse_hub_url};
use crate::kisi_unlock::KisiUnlocker;
use crate::secrets::{SecretName, SecretsError};
use doorlink_api::desktop::{DesktopSettings, SignedIn};

impl Desktop {
    /// Signs in to the hub at `hub_url`: keeps the session token and the person's own Kisi login
    /// in the keychain, and caches their doors. Returns the session as the webview may see it (its
    /// tokens blanked: they never leave this process) and the settings to persist.
    pub async fn sign_in(
        &self,
        hub_url: &str,
        email: &str,
        password: &str,
    ) -> Result<(SessionView, DesktopSettings), CommandError> {
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
    ) -> Result<(SessionView, DesktopSettings), CommandError> {
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
    ) -> Result<(SessionView, DesktopSettings), CommandError> {
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
            .update_settings(|settings| DesktopSettings {
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
    pub async fn sign_out(&self) -> Result<DesktopSettings, CommandError> {
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
            .update_settings(|settings| DesktopSettings {
                signed_in: None,
                ..settings
            })
            .await)
    }

    /// Rebuilds the live connection from the settings and the keychain, without the network.
    pub(super) async fn restore_session(&self) -> Result<(), CommandError> {
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

    pub(super) async fn retry_kisi_login(&self, connected: &Connected) {
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
