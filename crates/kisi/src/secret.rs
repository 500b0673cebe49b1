//! A redacting newtype for API keys, login secrets and passwords.

use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Deserialize;

/// A Kisi login secret ("API key") or a password.
///
/// `Debug` and `Display` print `Secret(****)`, so a secret cannot leak through a log line or an
/// error message by accident; reading it takes an explicit [`Secret::expose`]. There is no
/// `Serialize`: request bodies expose the value deliberately, at the one place it is sent.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that has to send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A stable in-process fingerprint, used to share a rate budget between clients of the same
    /// credential without keeping the secret itself as a map key.
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.0.hash(&mut hasher);
        hasher.finish()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let secret = Secret::new("s3cr3t-login-key");
        assert_eq!(format!("{secret:?}"), "Secret(****)");
        assert_eq!(format!("{secret}"), "Secret(****)");
        assert!(!format!("{:?}", Some(&secret)).contains("s3cr3t"));
    }

    #[test]
    fn expose_returns_the_value() {
        assert_eq!(Secret::from("abc").expose(), "abc");
    }

    #[test]
    fn deserializes_from_a_plain_json_string() {
        let secret: Secret = serde_json::from_str("\"from-kisi\"").unwrap();
        assert_eq!(secret.expose(), "from-kisi");
    }

    #[test]
    fn equal_secrets_share_a_fingerprint_and_different_ones_do_not() {
        assert_eq!(
            Secret::from("a").fingerprint(),
            Secret::from("a").fingerprint()
        );
        assert_ne!(
            Secret::from("a").fingerprint(),
            Secret::from("b").fingerprint()
        );
    }
}
