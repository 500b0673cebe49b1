//! How a client reaches Kisi: base URL, integration headers, timeout, retry policy, rate budget.

use std::num::NonZeroU32;
use std::time::Duration;

use crate::error::KisiError;
use crate::rate_budget::KISI_REQUESTS_PER_SECOND;
use crate::retry::RetryPolicy;
use crate::secret::Secret;

/// Kisi's production API.
pub const DEFAULT_BASE_URL: &str = "https://api.kisi.io";

/// Identifies Doorlink to Kisi as an integration partner (`X-Kisi-Integration-*` headers): Kisi
/// asks partners to send them, and may suspend an integration that fails too often, so it must
/// know whom to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// `X-Kisi-Integration-Identifier`.
    pub name: String,
    /// `X-Kisi-Integration-Contact`: an e-mail Kisi can reach the operator at; not sent when unset.
    pub contact: Option<String>,
}

impl Integration {
    /// The name Doorlink introduces itself with unless configured otherwise.
    pub const DEFAULT_NAME: &str = "Doorlink";

    /// Doorlink, with no contact.
    pub fn doorlink() -> Self {
        Self {
            name: Self::DEFAULT_NAME.to_owned(),
            contact: None,
        }
    }
}

/// How to reach Kisi, apart from who is calling: what an owner sign-in needs before there is
/// a credential, and what every client built from it shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// `https://api.kisi.io` in production; the emulator's URL in tests and the demo.
    pub base_url: String,
    pub integration: Option<Integration>,
    /// Per attempt, from sending the request to reading the whole answer.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Requests per second allowed per Kisi user (per credential while the user is unknown);
    /// `None` turns the client-side budget off.
    pub rate_limit: Option<NonZeroU32>,
}

impl Default for Connection {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            integration: None,
            timeout: Duration::from_secs(15),
            retry: RetryPolicy::default(),
            rate_limit: Some(KISI_REQUESTS_PER_SECOND),
        }
    }
}

impl Connection {
    /// Defaults (15 s timeout, 4 attempts, 5 requests/s) against `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            ..Self::default()
        }
    }
}

/// Everything a client for one credential needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KisiConfig {
    pub connection: Connection,
    /// The login secret ("API key") sent as `Authorization: KISI-LOGIN <secret>`.
    pub credential: Secret,
}

/// The base URL without trailing slash; only `http`/`https` make sense.
pub(crate) fn validated_base_url(raw: &str) -> Result<String, KisiError> {
    let url = url::Url::parse(raw).map_err(|err| KisiError::InvalidConfig {
        detail: format!("base URL {raw:?}: {err}"),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(KisiError::InvalidConfig {
            detail: format!("base URL {raw:?} must start with http:// or https://"),
        });
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_must_be_http_and_loses_its_trailing_slash() {
        assert_eq!(
            validated_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(matches!(
            validated_base_url("ftp://kisi"),
            Err(KisiError::InvalidConfig { .. })
        ));
        assert!(matches!(
            validated_base_url("not a url"),
            Err(KisiError::InvalidConfig { .. })
        ));
    }
}
