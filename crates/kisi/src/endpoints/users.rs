//! Users.

use serde_json::json;

use crate::call::Call;
use crate::client::KisiClient;
use crate::error::KisiError;
use crate::models::{NewUser, User, UserId};

impl KisiClient {
    /// Users matching `query`, typically an e-mail (`GET /users?query=`, all pages).
    pub async fn find_users(&self, query: &str) -> Result<Vec<User>, KisiError> {
        self.list_all(Call::get("/users").query("query", query.to_string()))
            .await
    }

    /// The user whose e-mail is exactly `email` (case-insensitive), if any. Kisi's search also
    /// matches partially, so the exact match is picked here.
    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<User>, KisiError> {
        let users = self.find_users(email).await?;
        Ok(users
            .into_iter()
            .find(|user| user.email.eq_ignore_ascii_case(email)))
    }

    /// Creates a managed user (`POST /users`, confirmed, no Kisi e-mails).
    /// A retry after a dropped connection may meet the user already created (422 on the
    /// e-mail); sync re-reads with [`KisiClient::find_user_by_email`].
    pub async fn create_managed_user(&self, user: &NewUser) -> Result<User, KisiError> {
        let body = json!({
            "user": { "email": user.email, "name": user.name, "send_emails": false, "confirm": true }
        });
        self.json(&Call::post("/users", body)).await
    }

    /// Deletes a user (`DELETE /users/{id}`).
    pub async fn delete_user(&self, id: UserId) -> Result<(), KisiError> {
        self.no_content(&Call::delete(format!("/users/{id}"))).await
    }
}
