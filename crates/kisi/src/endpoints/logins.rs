//! Logins: owner sign-in, logins on behalf of managed users, sign-out, current user.

use serde_json::json;

use crate::call::Call;
use crate::client::KisiClient;
use crate::config::{Connection, KisiConfig};
use crate::error::KisiError;
use crate::models::{CurrentUser, Login, UserLogin};
use crate::secret::Secret;

/// What an organization owner types to connect Doorlink without an API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerCredentials {
    /// The organization's Kisi domain.
    pub domain: String,
    pub email: String,
    pub password: Secret,
}

impl KisiClient {
    /// Owner sign-in (`POST /logins`, type `device`): creates a login for the owner and returns
    /// it with a client that uses its secret. See [`KisiClient::sign_in_with_code`].
    pub async fn sign_in(
        connection: Connection,
        credentials: &OwnerCredentials,
    ) -> Result<(Login, KisiClient), KisiError> {
        Self::sign_in_with_code(connection, credentials, None).await
    }

    /// Owner sign-in with the account's two-factor code when it has one (`otp_attempt`). The
    /// login is made with `expire: false`: Doorlink's key must not lapse after months without use.
    ///
    /// Fails with `Unauthorized` for wrong credentials (or a wrong or missing code),
    /// `UnconfirmedEmail`, or `LoginQuotaExceeded` when the account already has too many API logins.
    /// A retry after a dropped connection may create a second login (each counts towards the
    /// quota); callers that care can list logins in the dashboard.
    pub async fn sign_in_with_code(
        connection: Connection,
        credentials: &OwnerCredentials,
        otp_attempt: Option<&str>,
    ) -> Result<(Login, KisiClient), KisiError> {
        let anonymous = KisiClient::anonymous(&connection)?;
        let mut user = json!({
            "domain": credentials.domain,
            "email": credentials.email,
            "password": credentials.password.expose(),
        });
        if let Some(code) = otp_attempt {
            user["otp_attempt"] = json!(code);
        }
        let body = json!({ "login": { "type": "device", "expire": false }, "user": user });
        let login: Login = anonymous.json(&Call::post("/logins", body)).await?;
        let client = KisiClient::new(KisiConfig {
            connection,
            credential: login.secret.clone(),
        })?;
        Ok((login, client))
    }

    /// Creates a device login on behalf of the managed user `email` (`POST /logins` with the
    /// admin key, `expire: false`), so their unlocks are attributed to them in Kisi.
    /// A retry after a dropped connection may leave an extra login for that user.
    pub async fn create_login_for_user(&self, email: &str) -> Result<UserLogin, KisiError> {
        let body = json!({ "login": { "type": "device", "email": email, "expire": "false" } });
        self.json(&Call::post("/logins", body)).await
    }

    /// Signs the current login out (`DELETE /login`); its secret stops working.
    pub async fn sign_out(&self) -> Result<(), KisiError> {
        self.no_content(&Call::delete("/login")).await
    }

    /// The user this client's key belongs to (`GET /user`); the way to validate a key.
    pub async fn current_user(&self) -> Result<CurrentUser, KisiError> {
        self.json(&Call::get("/user")).await
    }
}
