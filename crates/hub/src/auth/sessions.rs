//! Opaque tokens: 32 random bytes, given to the client once, stored only as SHA-256.

use chrono::Duration;
use doorlink_api::auth::{AccountView, Role, SessionView};
use doorlink_store::{Account, AccountRole};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A fresh random token, hex-encoded (64 characters).
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The SHA-256 of a token, hex-encoded: what the database keeps.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The CSRF token of a session, derived from its session token (SHA-256 under a label of its own):
/// `GET /api/auth/session` can hand it back after a browser reload although the store keeps only
/// hashes, and knowing it reveals nothing about the session token it came from.
pub(crate) fn csrf_token_for(session_token: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"doorlink csrf token\0");
    hasher.update(session_token.as_bytes());
    hex::encode(hasher.finalize())
}

/// Opens a session for `account`: a session token and its CSRF token, both stored hashed.
pub async fn open(state: &AppState, account: &Account) -> ApiResult<SessionView> {
    let token = new_token();
    let csrf_token = csrf_token_for(&token);
    let ttl = Duration::from_std(state.config().session_ttl)
        .map_err(|error| ApiError::Internal(format!("session ttl: {error}")))?;
    let expires_at = state.now() + ttl;
    state
        .store()
        .accounts()
        .create_session(
            account.id,
            &token_hash(&token),
            &token_hash(&csrf_token),
            expires_at,
        )
        .await?;
    tracing::info!(
        account = account.id.0,
        role = account.role.as_text(),
        "signed in"
    );
    Ok(SessionView {
        token,
        csrf_token,
        expires_at,
        account: account_view(account),
    })
}

pub(crate) fn account_view(account: &Account) -> AccountView {
    AccountView {
        id: account.id.0,
        email: account.email.to_string(),
        role: role_view(account.role),
        person_id: account.person.map(|p| p.0),
    }
}

pub(crate) fn role_view(role: AccountRole) -> Role {
    match role {
        AccountRole::Member => Role::Member,
        AccountRole::Staff => Role::Staff,
        AccountRole::Admin => Role::Admin,
    }
}

pub(crate) fn role_from_view(role: Role) -> AccountRole {
    match role {
        Role::Member => AccountRole::Member,
        Role::Staff => AccountRole::Staff,
        Role::Admin => AccountRole::Admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_32_random_bytes_and_never_repeat() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn the_csrf_token_is_stable_per_session_and_differs_from_the_session_token() {
        let token = new_token();
        assert_eq!(csrf_token_for(&token), csrf_token_for(&token));
        assert_ne!(csrf_token_for(&token), token);
        assert_ne!(csrf_token_for(&token), token_hash(&token));
        assert_ne!(csrf_token_for(&token), csrf_token_for(&new_token()));
    }

    #[test]
    fn the_stored_hash_is_sha256_of_the_token() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
