//! Password hashing with argon2 (the RustCrypto crate, default Argon2id parameters).

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::{ApiError, ApiResult};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted (argon2 takes any length; this bounds the work per attempt).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Refuses a password too short or too long, naming the field.
pub fn check_policy(field: &str, password: &str) -> ApiResult<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(ApiError::field(
            field,
            format!("must be at least {MIN_PASSWORD_CHARS} characters (it has {chars})"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(ApiError::field(
            field,
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// The argon2 PHC string of `password` with a fresh random salt. CPU-heavy: runs on the blocking
/// pool so it does not stall other requests.
pub async fn hash(password: &str) -> ApiResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|error| ApiError::Internal(format!("password hashing task: {error}")))?
}

fn hash_now(password: &str) -> ApiResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| ApiError::Internal(format!("password hashing: {error}")))
}

/// Whether `password` matches the stored PHC string. A malformed stored hash never matches.
pub async fn verify(password: &str, stored: &str) -> bool {
    let password = password.to_owned();
    let stored = stored.to_owned();
    tokio::task::spawn_blocking(move || verify_now(&password, &stored))
        .await
        .unwrap_or(false)
}

fn verify_now(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a random password nobody knows, verified against when the e-mail is unknown so
/// that a wrong e-mail and a wrong password cost the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_now(&crate::auth::sessions::new_token()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let stored = hash("correct horse battery").await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored).await);
        assert!(!verify("correct horse battery!", &stored).await);
    }

    #[tokio::test]
    async fn the_decoy_hash_matches_nothing() {
        assert!(decoy_hash().starts_with("$argon2id$"));
        assert!(!verify("", decoy_hash()).await);
        assert!(!verify("anything at all", decoy_hash()).await);
    }

    #[test]
    fn short_passwords_are_refused_with_the_rule() {
        let error = check_policy("password", "short").unwrap_err();
        assert!(error.to_string().contains("at least 10"), "{error}");
        assert!(check_policy("password", "long enough!").is_ok());
    }
}
