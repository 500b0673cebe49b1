//! C1/C2: connecting a location to Kisi. Sync checks the credential and the account (every call
//! audited), keeps whose Kisi user it is (Kisi's rate budget is per user), stores the connection,
//! and signs Doorlink's own previous login out so reconnecting leaves none behind (Kisi expires a
//! user's oldest login past 40, which may be another integration's key).

use doorlink_core::{KisiUserId, LocationId};
use doorlink_store::{KisiAuth, KisiConnection, SecretValue, StoreError};
use kisi::{KisiClient, KisiConfig, KisiError, OwnerCredentials, Secret};

use crate::audit::{CallInfo, audited};
use crate::clients::{kisi_client, sharing_budget};
use crate::engine::SyncEngine;

/// What an admin typed to connect a location.
#[derive(Debug, Clone)]
pub enum KisiCredentials {
    /// The account owner's sign-in; Doorlink makes a login for itself and keeps only its secret.
    OwnerLogin {
        credentials: OwnerCredentials,
        /// The account's two-factor code, when it has two-factor sign-in.
        otp_attempt: Option<String>,
    },
    /// An API key the admin made in Kisi.
    ApiKey(Secret),
}

/// C2: why a connect was refused, each in its own words. Kisi's own text is in the log; the
/// variants carry Kisi's code where it helps support.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The base URL is not one Doorlink talks to Kisi over.
    #[error("{0}")]
    BaseUrl(String),
    /// 401 on the owner's sign-in: e-mail, password, domain or two-factor code wrong.
    #[error("Kisi did not accept the owner's sign-in")]
    OwnerLoginRefused,
    /// 401 for an API key.
    #[error("Kisi did not accept the API key")]
    ApiKeyRefused,
    /// I3: the owner's Kisi user never confirmed its e-mail.
    #[error("the Kisi user has not confirmed its e-mail address")]
    UnconfirmedEmail,
    /// The account has too many logins for another.
    #[error("the Kisi account has too many logins")]
    LoginQuotaExceeded,
    /// The credential works but may not manage groups: not the owner or an administrator.
    #[error("the Kisi account is not the owner or an administrator of the organization")]
    NotOwner,
    /// Kisi could not be reached (network, timeout): the only failure called "unreachable".
    #[error("Kisi could not be reached: {0}")]
    Unreachable(KisiError),
    /// Any other answer of Kisi's (5xx, an unexpected status, an unreadable body).
    #[error("Kisi refused the connect: {0}")]
    Kisi(KisiError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ConnectError {
    fn from_kisi(error: KisiError) -> Self {
        match error {
            KisiError::Network { .. } | KisiError::Timeout { .. } => Self::Unreachable(error),
            KisiError::InvalidConfig { detail } => Self::BaseUrl(detail),
            KisiError::UnconfirmedEmail { .. } => Self::UnconfirmedEmail,
            KisiError::LoginQuotaExceeded { .. } => Self::LoginQuotaExceeded,
            other => Self::Kisi(other),
        }
    }
}

/// Kisi is spoken to over https only; plain http only to this computer (the emulator, the demo).
pub fn kisi_base_url(raw: &str) -> Result<String, ConnectError> {
    let refused =
        |why: &str| ConnectError::BaseUrl(format!("{why}; Kisi's is {}", kisi::DEFAULT_BASE_URL));
    let trimmed = raw.trim();
    if trimmed.len() > 2048 {
        return Err(refused("is longer than 2048 characters"));
    }
    let url = url::Url::parse(trimmed).map_err(|_| refused("is not a URL"))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(refused(
                "must start with https:// (http only to this computer)",
            ));
        }
        _ => return Err(refused("must start with https://")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refused("must not carry a user name or password"));
    }
    Ok(trimmed.trim_end_matches('/').to_owned())
}

impl SyncEngine {
    /// C1/C2: checks the credential and the account, stores the connection (the secret
    /// encrypted, with whose Kisi user it is) and signs Doorlink's previous login out.
    pub async fn connect(
        &self,
        location: LocationId,
        base_url: &str,
        credentials: &KisiCredentials,
    ) -> Result<KisiConnection, ConnectError> {
        let base_url = kisi_base_url(base_url)?;
        let previous = self.own_login(location).await;
        let (auth, secret, user) = self
            .check_credentials(location, &base_url, credentials)
            .await?;
        let connection = self
            .store
            .locations()
            .connect(
                location,
                &base_url,
                &auth,
                &SecretValue::new(secret.expose()),
            )
            .await?;
        self.store.locations().set_kisi_user(location, user).await?;
        if let Some((old_base_url, old)) = previous
            && old != secret
        {
            self.sign_out(location, &old_base_url, old).await;
        }
        let connection = KisiConnection {
            kisi_user: Some(user),
            ..connection
        };
        Ok(connection)
    }

    /// The login Doorlink made for itself at the location (an owner sign-in), with its server;
    /// an API key is the admin's own and is never signed out.
    pub(crate) async fn own_login(&self, location: LocationId) -> Option<(String, Secret)> {
        let connection = self.store.locations().connection(location).await.ok()??;
        if !matches!(connection.auth, KisiAuth::OwnerLogin { .. }) {
            return None;
        }
        let value = self.store.locations().credential(location).await.ok()?;
        Some((connection.base_url, Secret::new(value.expose())))
    }

    /// Signs a login of Doorlink's own out (`DELETE /login`, audited). Best effort: a login
    /// Kisi no longer knows is already gone, and a failure must not undo the connect.
    pub(crate) async fn sign_out(&self, location: LocationId, base_url: &str, secret: Secret) {
        let config = KisiConfig {
            connection: kisi::Connection {
                base_url: base_url.to_owned(),
                ..self.config.kisi.clone()
            },
            credential: secret,
        };
        let client = match kisi_client(&self.store, config, None) {
            Ok(client) => client,
            Err(error) => {
                tracing::warn!(location = location.0, %error, "could not sign Doorlink's old Kisi login out");
                return;
            }
        };
        let info = CallInfo::new(
            "sign a Kisi login of Doorlink's out",
            "DELETE",
            "/login",
            None,
        );
        match audited(&self.store, location, None, info, client.sign_out()).await {
            Ok(()) | Err(KisiError::Unauthorized { .. }) => {
                tracing::info!(
                    location = location.0,
                    "signed Doorlink's previous Kisi login out"
                );
            }
            Err(error) => {
                tracing::warn!(location = location.0, %error, "could not sign Doorlink's old Kisi login out");
            }
        }
    }

    /// C2: the credential works, and belongs to the owner (or an administrator): how Doorlink
    /// is signed in, the secret to keep, and whose Kisi user it is.
    async fn check_credentials(
        &self,
        location: LocationId,
        base_url: &str,
        credentials: &KisiCredentials,
    ) -> Result<(KisiAuth, Secret, KisiUserId), ConnectError> {
        let connection = kisi::Connection {
            base_url: base_url.to_owned(),
            ..self.config.kisi.clone()
        };
        let (auth, secret, client) = match credentials {
            KisiCredentials::OwnerLogin {
                credentials,
                otp_attempt,
            } => {
                let info =
                    CallInfo::new("sign in as the Kisi account owner", "POST", "/logins", None);
                let signed_in =
                    KisiClient::sign_in_with_code(connection, credentials, otp_attempt.as_deref());
                let (login, client) = audited(&self.store, location, None, info, signed_in)
                    .await
                    .map_err(|error| match error {
                        KisiError::Unauthorized { .. } => ConnectError::OwnerLoginRefused,
                        other => ConnectError::from_kisi(other),
                    })?;
                let auth = KisiAuth::OwnerLogin {
                    account_email: credentials.email.clone(),
                    organization_domain: credentials.domain.clone(),
                    kisi_login_id: Some(login.id.0),
                };
                (auth, login.secret, sharing_budget(&self.store, client))
            }
            KisiCredentials::ApiKey(key) => {
                let config = KisiConfig {
                    connection,
                    credential: key.clone(),
                };
                let client =
                    kisi_client(&self.store, config, None).map_err(ConnectError::from_kisi)?;
                (KisiAuth::ApiKey, key.clone(), client)
            }
        };
        let refused = |error| match (error, credentials) {
            (KisiError::Unauthorized { .. }, KisiCredentials::ApiKey(_)) => {
                ConnectError::ApiKeyRefused
            }
            (KisiError::Unauthorized { .. }, _) => ConnectError::OwnerLoginRefused,
            (KisiError::Forbidden { .. }, _) => ConnectError::NotOwner,
            (other, _) => ConnectError::from_kisi(other),
        };
        let info = CallInfo::new("find whose Kisi credential this is", "GET", "/user", None);
        let user = audited(&self.store, location, None, info, client.current_user())
            .await
            .map_err(refused)?;
        // Only the owner (or an administrator) can read and manage groups; anyone else gets 403.
        let info = CallInfo::new(
            "check the Kisi account may manage groups",
            "GET",
            "/groups",
            None,
        );
        audited(&self.store, location, None, info, client.groups(&[]))
            .await
            .map_err(refused)?;
        Ok((auth, secret, KisiUserId(user.id.0)))
    }
}
