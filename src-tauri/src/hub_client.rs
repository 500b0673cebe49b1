//! The desktop's client of a Doorlink hub: sign-in, the person's Access page, their own Kisi
//! login, and the unlock outcomes it reports for the audit log. Wire types come from
//! `doorlink-api`, the one contract the hub, the UI and this shell share.

use std::time::Duration;

use doorlink_api::auth::{SessionView, SignInRequest};
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{KisiLoginView, MyAccess};
use doorlink_store::SecretValue;
use reqwest::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

/// The hub's routes this shell calls (crates/hub/src/routes).
mod route {
    pub(super) const SIGN_IN: &str = "api/auth/sign-in";
    pub(super) const SIGN_OUT: &str = "api/auth/sign-out";
    pub(super) const MY_ACCESS: &str = "api/me/access";
    pub(super) const MY_KISI_LOGIN: &str = "api/me/kisi-login";
}

/// A loopback hub answers in milliseconds; a remote one over a poor link should still not make
/// the Access page wait long before it falls back to the cache (A6).
const TIMEOUT: Duration = Duration::from_secs(8);

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The hub could not be reached at all: the A6 case.
    #[error("the hub at {url} cannot be reached ({detail})")]
    Unreachable { url: String, detail: String },
    #[error("the hub refused: {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the hub's answer to {path} could not be read: {detail}")]
    InvalidAnswer { path: String, detail: String },
    #[error("{0}")]
    InvalidUrl(String),
}

impl HubError {
    /// True when the cause is the connection, not the request: show the cache and say so (A6).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Unreachable { .. })
            || matches!(self, Self::Refused { status, .. } if *status >= 502)
    }

    /// True when the session is no longer valid: the person must sign in again.
    pub fn is_signed_out(&self) -> bool {
        matches!(self, Self::Refused { status: 401, .. })
    }
}

/// Parses what a person typed as the hub's address. Plain `http` is accepted only on this
/// computer (loopback): elsewhere the session token would cross the network in clear.
pub fn parse_hub_url(raw: &str) -> Result<Url, HubError> {
    let trimmed = raw.trim();
    let mut url = Url::parse(trimmed).map_err(|error| {
        HubError::InvalidUrl(format!(
            "hub address {trimmed:?} is not a URL ({error}); write it like https://doorlink.example.com"
        ))
    })?;
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(HubError::InvalidUrl(format!(
                "hub address {trimmed:?} must use https:// (plain http:// is allowed only for \
                 this computer: localhost or 127.0.0.1)"
            )));
        }
        other => {
            return Err(HubError::InvalidUrl(format!(
                "hub address {trimmed:?} must start with https:// (not {other}://)"
            )));
        }
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// A client for one hub. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HubClient {
    base: Url,
    http: reqwest::Client,
}

impl HubClient {
    pub fn new(base: Url) -> Result<Self, HubError> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(3))
            .build()
            .map_err(|error| HubError::InvalidUrl(error.to_string()))?;
        Ok(Self { base, http })
    }

    /// The hub's address, as the cache and the keychain key their entries.
    pub fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SessionView, HubError> {
        let body = SignInRequest {
            email: email.trim().to_owned(),
            password: password.to_owned(),
        };
        self.send(reqwest::Method::POST, route::SIGN_IN, None, Some(&body))
            .await
    }

    pub async fn sign_out(&self, token: &SecretValue) -> Result<(), HubError> {
        let request = self.request(reqwest::Method::POST, route::SIGN_OUT, Some(token))?;
        let response = request
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        match response.status() {
            // Already signed out (expired) is what we wanted anyway.
            status if status.is_success() || status == StatusCode::UNAUTHORIZED => Ok(()),
            _ => Err(refusal(response).await),
        }
    }

    pub async fn my_access(&self, token: &SecretValue) -> Result<MyAccess, HubError> {
        self.send::<(), _>(reqwest::Method::GET, route::MY_ACCESS, Some(token), None)
            .await
    }

    /// A4: the person's own Kisi login, created for them by the hub with the admin credential.
    pub async fn my_kisi_login(&self, token: &SecretValue) -> Result<KisiLoginView, HubError> {
        self.send::<(), _>(
            reqwest::Method::GET,
            route::MY_KISI_LOGIN,
            Some(token),
            None,
        )
        .await
    }

    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&SecretValue>,
    ) -> Result<reqwest::RequestBuilder, HubError> {
        let url = self
            .base
            .join(path)
            .map_err(|error| HubError::InvalidUrl(error.to_string()))?;
        let mut request = self.http.request(method, url);
        if let Some(token) = token {
            request = request.bearer_auth(token.expose());
        }
        Ok(request)
    }

    async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&SecretValue>,
        body: Option<&B>,
    ) -> Result<T, HubError> {
        let mut request = self.request(method, path, token)?;
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        if !response.status().is_success() {
            return Err(refusal(response).await);
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|error| self.unreachable(&error))?;
        serde_json::from_slice(&bytes).map_err(|error| HubError::InvalidAnswer {
            path: path.to_owned(),
            detail: error.to_string(),
        })
    }

    fn unreachable(&self, error: &reqwest::Error) -> HubError {
        let mut detail = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            detail = format!("{detail}: {cause}");
            source = cause.source();
        }
        HubError::Unreachable {
            url: self.base_url().to_owned(),
            detail,
        }
    }
}

/// The hub's one error shape, or the bare status when the answer is not that shape.
async fn refusal(response: reqwest::Response) -> HubError {
    let status = response.status();
    let body = response.bytes().await.unwrap_or_default();
    match serde_json::from_slice::<ErrorBody>(&body) {
        Ok(ErrorBody { error }) => HubError::Refused {
            status: status.as_u16(),
            code: error.code,
            message: error.message,
        },
        Err(_) => HubError::Refused {
            status: status.as_u16(),
            code: "unexpected".to_owned(),
            message: format!("the hub answered {status}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_address_gets_a_trailing_slash_so_routes_join_below_it() {
        let url = parse_hub_url(" https://doorlink.example.com/space ").unwrap();
        assert_eq!(url.as_str(), "https://doorlink.example.com/space/");
        assert_eq!(
            url.join(route::MY_ACCESS).unwrap().as_str(),
            "https://doorlink.example.com/space/api/me/access"
        );
    }

    #[test]
    fn plain_http_is_allowed_on_this_computer_only() {
        assert!(parse_hub_url("http://127.0.0.1:8080").is_ok());
        assert!(parse_hub_url("http://localhost:8080").is_ok());
        assert!(parse_hub_url("http://[::1]:8080").is_ok());
        let error = parse_hub_url("http://doorlink.example.com").unwrap_err();
        assert!(error.to_string().contains("https://"), "{error}");
    }

    #[test]
    fn other_schemes_and_garbage_are_refused_with_an_example() {
        let error = parse_hub_url("doorlink.example.com").unwrap_err();
        assert!(
            error.to_string().contains("https://doorlink.example.com"),
            "{error}"
        );
        assert!(parse_hub_url("ftp://doorlink.example.com").is_err());
    }

    #[tokio::test]
    async fn a_hub_that_is_not_running_is_unreachable_not_a_refusal() {
        // Bind and drop: nothing listens on that port afterwards.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let hub =
            HubClient::new(parse_hub_url(&format!("http://127.0.0.1:{port}")).unwrap()).unwrap();
        let error = hub.my_access(&SecretValue::new("token")).await.unwrap_err();
        assert!(error.is_unreachable(), "{error}");
        assert!(error.to_string().contains("cannot be reached"), "{error}");
    }
}
