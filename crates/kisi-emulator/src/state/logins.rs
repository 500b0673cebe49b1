//! Logins (API keys): owner sign-in, logins on behalf of managed users, the per-user cap and the
//! owner-sign-in quota (kisi-api.md, "Logins").

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Store;

/// Kisi keeps at most this many logins per user and expires the oldest beyond it.
pub const MAX_LOGINS_PER_USER: usize = 40;
/// Logins unused for this long expire unless created with `expire: false` (current Kisi docs).
pub const UNUSED_LOGIN_LIFETIME_DAYS: i64 = 180;
/// Logins made on behalf of managed users expire sooner: after 14 days unused unless created
/// with `expire: "false"` ("Log in on behalf of users").
pub const UNUSED_ON_BEHALF_LOGIN_LIFETIME_DAYS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Login {
    pub id: u64,
    pub user_id: u64,
    /// `device` or `api`.
    #[serde(rename = "type")]
    pub kind: String,
    pub expire: bool,
    /// Created by an owner's password sign-in: counts against the login quota.
    pub from_sign_in: bool,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    /// The API key. Never serialized: snapshots and logs must not carry secrets.
    #[serde(skip_serializing, default)]
    pub secret: String,
}

/// Who a valid `KISI-LOGIN` secret speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Principal {
    User {
        user_id: u64,
        login_id: u64,
    },
    /// A visitor's access link (group link) used as a key: may only list and unlock its locks.
    Link {
        link_id: u64,
    },
}

impl Store {
    /// Creates a login, expiring the user's oldest beyond [`MAX_LOGINS_PER_USER`].
    pub(crate) fn create_login(
        &mut self,
        user_id: u64,
        kind: &str,
        expire: bool,
        from_sign_in: bool,
        now: DateTime<Utc>,
    ) -> Login {
        let login = Login {
            id: self.next_id(),
            user_id,
            kind: kind.to_owned(),
            expire,
            from_sign_in,
            created_at: now,
            last_used_at: now,
            secret: new_secret(),
        };
        self.logins.insert(login.id, login.clone());
        let mut own: Vec<(DateTime<Utc>, u64)> = self
            .logins
            .values()
            .filter(|l| l.user_id == user_id)
            .map(|l| (l.created_at, l.id))
            .collect();
        own.sort_unstable();
        let excess = own.len().saturating_sub(MAX_LOGINS_PER_USER);
        for (_, id) in own.into_iter().take(excess) {
            self.logins.remove(&id);
        }
        login
    }

    /// Active logins the user created by signing in with a password (the quota's count).
    pub(crate) fn sign_in_logins(&self, user_id: u64) -> usize {
        self.logins
            .values()
            .filter(|l| l.user_id == user_id && l.from_sign_in)
            .count()
    }

    /// Resolves a secret, expiring it first if it went unused too long; marks it used.
    pub(crate) fn authenticate(&mut self, secret: &str, now: DateTime<Utc>) -> Option<Principal> {
        if let Some(login) = self.logins.values_mut().find(|l| l.secret == secret) {
            let lifetime = TimeDelta::days(if login.from_sign_in {
                UNUSED_LOGIN_LIFETIME_DAYS
            } else {
                UNUSED_ON_BEHALF_LOGIN_LIFETIME_DAYS
            });
            if login.expire && now - login.last_used_at > lifetime {
                let id = login.id;
                self.logins.remove(&id);
                return None;
            }
            login.last_used_at = now;
            return Some(Principal::User {
                user_id: login.user_id,
                login_id: login.id,
            });
        }
        self.group_links
            .values()
            .find(|link| link.secret == secret)
            .map(|link| Principal::Link { link_id: link.id })
    }

    pub(crate) fn delete_login(&mut self, id: u64) {
        self.logins.remove(&id);
    }
}

/// A random, unguessable key (two v4 UUIDs' worth of randomness, hex).
pub(crate) fn new_secret() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}
