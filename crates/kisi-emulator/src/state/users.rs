//! The organization and its users: the owner, managed users created through the API
//! (`confirm`, `send_emails`), and regular users someone added by hand in the dashboard.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::errors::ApiError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: u64,
    pub name: String,
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    pub email: String,
    pub name: String,
    /// An unconfirmed user gets `unconfirmed_email` on sign-in, on-behalf login, `GET /locks`
    /// and unlock.
    pub confirmed: bool,
    pub access_enabled: bool,
    /// Created through `POST /users`: Doorlink may log in on its behalf.
    pub managed: bool,
    /// The owner and administrators may manage users, groups and assignments.
    pub admin: bool,
    pub send_emails: bool,
    pub created_at: DateTime<Utc>,
    /// Only users who can sign in (the owner, seeded admins) have one. Never serialized.
    #[serde(skip_serializing, default)]
    pub password: Option<String>,
}

/// What it takes to add a user.
#[derive(Debug, Clone)]
pub(crate) struct NewUser {
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) confirmed: bool,
    pub(crate) managed: bool,
    pub(crate) admin: bool,
    pub(crate) send_emails: bool,
    pub(crate) password: Option<String>,
}

impl Store {
    pub(crate) fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .values()
            .find(|user| user.email.eq_ignore_ascii_case(email))
    }

    /// Users whose e-mail or name contains `query` (case-insensitive), as `GET /users?query=`.
    pub(crate) fn search_users(&self, query: &str) -> Vec<&User> {
        let query = query.to_lowercase();
        self.users
            .values()
            .filter(|user| {
                user.email.to_lowercase().contains(&query)
                    || user.name.to_lowercase().contains(&query)
            })
            .collect()
    }

    pub(crate) fn add_user(&mut self, new: NewUser, now: DateTime<Utc>) -> Result<User, ApiError> {
        let email = new.email.trim().to_owned();
        if !looks_like_email(&email) {
            return Err(ApiError::invalid("email", "is invalid"));
        }
        // A name is optional (Kisi's docs: `POST /users` needs only the e-mail).
        if self.user_by_email(&email).is_some() {
            return Err(ApiError::invalid("email", "has already been taken"));
        }
        let user = User {
            id: self.next_id(),
            email,
            name: new.name.trim().to_owned(),
            confirmed: new.confirmed,
            access_enabled: true,
            managed: new.managed,
            admin: new.admin,
            send_emails: new.send_emails,
            created_at: now,
            password: new.password,
        };
        self.users.insert(user.id, user.clone());
        Ok(user)
    }

    /// Removes a user with their logins and role assignments. The owner cannot be removed.
    pub(crate) fn delete_user(&mut self, id: u64) -> Result<(), ApiError> {
        if self.owner_id == Some(id) || !self.users.contains_key(&id) {
            return Err(ApiError::Forbidden);
        }
        self.users.remove(&id);
        self.logins.retain(|_, login| login.user_id != id);
        self.role_assignments
            .retain(|_, assignment| assignment.user_id != id);
        Ok(())
    }
}

/// Deliberately loose, like most server-side checks: something@something.something.
pub(crate) fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}
