//! The desktop's client of a Doorlink hub: sign-in, the person's Access page, their own Kisi
//! login, and the unlock outcomes it reports for the audit log. Wire types come from
//! `doorlink-api`, the one contract the hub, the UI and this shell share.

use std::time::Duration;

use doorlink_api::auth::{RedeemInvitationRequest, SessionView, SignInRequest};
use doorlink_api::common::Done;
use doorlink_api::desktop::NOT_PROXIED;
use doorlink_api::error::{ErrorBody, FieldProblem};
use doorlink_api::me::{KisiLoginView, MyAccess, UnlockReport};
use doorlink_api::routes;
use doorlink_store::SecretValue;
use reqwest::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

/// A loopback hub answers in milliseconds; a remote one over a poor link should still not make
/// the Access page wait long before it falls back to the cache (A6).
const TIMEOUT: Duration = Duration::from_secs(8);

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The hub could not be reached at all: the A6 case.
    #[error("the hub at {url} cannot be reached ({detail})")]
    Unreachable { url: String, detail: String },
    /// The hub's own error shape: its status, code, message and refused fields.
    #[error("{message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
        fields: Vec<FieldProblem>,
    },
    #[error("the hub's answer to {path} could not be read: {detail}")]
    InvalidAnswer { path: String, detail: String },
    #[error("{0}")]
    InvalidUrl(String),
    /// Something answers at the address, but not a Doorlink hub.
    #[error("{url} answers, but it is not a Doorlink hub ({detail}); check the address")]
    NotAHub { url: String, detail: String },
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

/// The hub's live events send a keep-alive every 15 s: a minute of silence is a dead connection.
const EVENTS_SILENCE: Duration = Duration::from_secs(60);

/// A client for one hub. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HubClient {
    base: Url,
    http: reqwest::Client,
    /// For the live events: open for as long as the hub sends, so no overall timeout.
    streaming: reqwest::Client,
}

impl HubClient {
    pub fn new(base: Url) -> Result<Self, HubError> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(3))
            .build()
            .map_err(|error| HubError::InvalidUrl(error.to_string()))?;
        let streaming = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .read_timeout(EVENTS_SILENCE)
            .build()
            .map_err(|error| HubError::InvalidUrl(error.to_string()))?;
        Ok(Self {
            base,
            http,
            streaming,
        })
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
        self.send(
            reqwest::Method::POST,
            routes::AUTH_SIGN_IN,
            None,
            Some(&body),
        )
        .await
    }

    /// Checks that a Doorlink hub answers at this address (first start, settings): asks for the
    /// session without one, which a hub refuses in its own error shape. Anything else answering
    /// there (another web server, a proxy's error page) is named as not a Doorlink hub.
    pub async fn check_is_a_hub(&self) -> Result<(), HubError> {
        let response = self
            .request(reqwest::Method::GET, routes::AUTH_SESSION, None)?
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        let status = response.status();
        let body = response.bytes().await.unwrap_or_default();
        let speaks_doorlink = serde_json::from_slice::<ErrorBody>(&body).is_ok();
        if status == StatusCode::UNAUTHORIZED && speaks_doorlink {
            return Ok(());
        }
        if status.as_u16() >= 502 {
            return Err(HubError::Unreachable {
                url: self.base_url().to_owned(),
                detail: format!("answered {status}"),
            });
        }
        Err(HubError::NotAHub {
            url: self.base_url().to_owned(),
            detail: format!("{status} to GET {}", routes::AUTH_SESSION),
        })
    }

    /// Sets the invited person's password and signs them in.
    pub async fn redeem_invitation(
        &self,
        invitation: &str,
        password: &str,
    ) -> Result<SessionView, HubError> {
        let body = RedeemInvitationRequest {
            token: invitation.trim().to_owned(),
            password: password.to_owned(),
        };
        self.send(
            reqwest::Method::POST,
            routes::AUTH_INVITATIONS_REDEEM,
            None,
            Some(&body),
        )
        .await
    }

    pub async fn sign_out(&self, token: &SecretValue) -> Result<(), HubError> {
        let request = self.request(reqwest::Method::POST, routes::AUTH_SIGN_OUT, Some(token))?;
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
        self.send::<(), _>(reqwest::Method::GET, routes::ME_ACCESS, Some(token), None)
            .await
    }

    /// A4: the person's own Kisi login, created for them by the hub with the admin credential.
    pub async fn my_kisi_login(&self, token: &SecretValue) -> Result<KisiLoginView, HubError> {
        self.send::<(), _>(
            reqwest::Method::GET,
            routes::ME_KISI_LOGIN,
            Some(token),
            None,
        )
        .await
    }

    /// A4: tells the hub about an unlock this computer made straight at Kisi, for the
    /// audit log (the actor is the token's person).
    pub async fn report_unlock(
        &self,
        token: &SecretValue,
        report: &UnlockReport,
    ) -> Result<(), HubError> {
        self.send::<_, Done>(
            reqwest::Method::POST,
            routes::ME_UNLOCK_EVENTS,
            Some(token),
            Some(report),
        )
        .await
        .map(drop)
    }

    /// Opens the hub's live events (server-sent events) with the person's token; read the body
    /// with `Response::chunk` and [`crate::live::SseParser`].
    pub async fn open_events(&self, token: &SecretValue) -> Result<reqwest::Response, HubError> {
        let url = self
            .base
            .join(below_base(routes::EVENTS))
            .map_err(|error| HubError::InvalidUrl(error.to_string()))?;
        let response = self
            .streaming
            .get(url)
            .bearer_auth(token.expose())
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        if !response.status().is_success() {
            return Err(refusal(response).await);
        }
        Ok(response)
    }

    /// The reason a live-events read failed, in the same words as any other request's.
    pub fn stream_failure(&self, error: &reqwest::Error) -> HubError {
        self.unreachable(error)
    }

    /// The UI's other hub calls (front desk, admin), sent with the person's token, which never
    /// enters the webview. `path` is below `/api`, as the UI's transport names it.
    pub async fn proxy(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&serde_json::Value>,
        token: &SecretValue,
    ) -> Result<serde_json::Value, HubError> {
        let method = proxied_method(method)?;
        let route = proxied_route(path)?;
        let mut request = self.request(method, &route, Some(token))?.query(query);
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
        if bytes.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|error| HubError::InvalidAnswer {
            path: route,
            detail: error.to_string(),
        })
    }

    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&SecretValue>,
    ) -> Result<reqwest::RequestBuilder, HubError> {
        let url = self
            .base
            .join(below_base(path))
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

/// A route path (`/api/…`) relative to the hub's base address, which may have a path of its own
/// (`https://example.com/space/`).
fn below_base(route: &str) -> &str {
    route.trim_start_matches('/')
}

fn proxied_route(path: &str) -> Result<String, HubError> {
    let refuse = |why: &str| HubError::Refused {
        status: 403,
        code: "forbidden".to_owned(),
        message: format!("the desktop app does not send {path:?} to the hub: {why}"),
        fields: Vec::new(),
    };
    if !path.starts_with('/') || path.contains("..") || path.contains("//") || path.contains('?') {
        return Err(refuse(
            "a route is a plain path below /api, such as /people/12",
        ));
    }
    let route = format!("/api{}", path.trim_end_matches('/'));
    if NOT_PROXIED.contains(&route.as_str()) {
        return Err(refuse("this route has its own desktop command"));
    }
    Ok(format!("api{path}"))
}

fn proxied_method(method: &str) -> Result<reqwest::Method, HubError> {
    match method {
        "GET" => Ok(reqwest::Method::GET),
        "POST" => Ok(reqwest::Method::POST),
        "PUT" => Ok(reqwest::Method::PUT),
        "PATCH" => Ok(reqwest::Method::PATCH),
        "DELETE" => Ok(reqwest::Method::DELETE),
        other => Err(HubError::Refused {
            status: 405,
            code: "validation_failed".to_owned(),
            message: format!("method {other:?} is not one of GET, POST, PUT, PATCH, DELETE"),
            fields: Vec::new(),
        }),
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
            fields: error.fields,
        },
        Err(_) => HubError::Refused {
            status: status.as_u16(),
            code: "internal".to_owned(),
            message: format!("the hub answered {status} without an explanation"),
            fields: Vec::new(),
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
            url.join(below_base(routes::ME_ACCESS)).unwrap().as_str(),
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

    #[test]
    fn the_proxy_keeps_secrets_and_sessions_to_their_own_commands() {
        assert_eq!(proxied_route("/people/12").unwrap(), "api/people/12");
        for secret in [
            "/me/kisi-login",
            "/auth/sign-in",
            "/auth/invitations/redeem/",
        ] {
            let error = proxied_route(secret).unwrap_err();
            assert!(error.to_string().contains("own desktop command"), "{error}");
        }
    }

    #[test]
    fn the_proxy_stays_below_api() {
        for escape in [
            "people",
            "/../openapi.json",
            "//evil.example/x",
            "/people?x=1",
        ] {
            assert!(proxied_route(escape).is_err(), "{escape}");
        }
        assert!(proxied_method("TRACE").is_err());
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
