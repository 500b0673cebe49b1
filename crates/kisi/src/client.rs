//! The transport every endpoint goes through: headers, timeout, rate budget, retry, error
//! decoding and paging. Endpoint files only say which path, which body, which model.

use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tracing::{debug, warn};

use crate::call::Call;
use crate::config::{Connection, KisiConfig, validated_base_url};
use crate::error::KisiError;
use crate::models::{UserId, readable_items};
use crate::rate_budget::{
    BudgetKey, Caller, Lane, RateBudget, SharedBudget, SharedCaller, shared_key, shared_wait,
};
use crate::secret::Secret;

/// Page size used when listing; the client follows `X-Collection-Range`, so a server that
/// returns fewer per page still yields everything.
const PAGE_SIZE: usize = 100;

/// A Kisi client for one credential. Cheap to clone: clones share the connection pool and the
/// credential's rate budget (as do separately built clients of the same credential).
#[derive(Debug, Clone)]
pub struct KisiClient {
    inner: Arc<Inner>,
    /// Whether this client's calls go before or after others waiting for the budget.
    lane: Lane,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    /// As configured, with the base URL normalised (no trailing slash).
    connection: Connection,
    budget: Option<RateBudget>,
    /// The key of this client's budget shared with other processes (see [`SharedBudget`]).
    shared_key: Option<String>,
    /// Where slots of that budget are reserved, once [`KisiClient::sharing_budget`] said.
    shared: Option<Arc<dyn SharedBudget>>,
}

impl KisiClient {
    /// Builds a client; fails only on a configuration that can never work (bad base URL,
    /// a credential that is not a valid header value).
    ///
    /// Its rate budget is the credential's own; prefer [`KisiClient::for_user`] when the Kisi user
    /// behind the credential is known.
    pub fn new(config: KisiConfig) -> Result<Self, KisiError> {
        let who = Caller::Credential(config.credential.fingerprint());
        let shared = SharedCaller::Credential(config.credential.expose());
        Self::build(config.connection, Some(&config.credential), who, shared)
    }

    /// A client of a credential that belongs to Kisi user `user`: it shares the 5 requests a
    /// second with every other client of that user in this process, as Kisi counts them.
    pub fn for_user(config: KisiConfig, user: UserId) -> Result<Self, KisiError> {
        Self::build(
            config.connection,
            Some(&config.credential),
            Caller::User(user.0),
            SharedCaller::User(user.0),
        )
    }

    /// A client without credential, for owner sign-in (Kisi rate-limits these per IP).
    pub(crate) fn anonymous(connection: &Connection) -> Result<Self, KisiError> {
        Self::build(
            connection.clone(),
            None,
            Caller::Anonymous,
            SharedCaller::Anonymous,
        )
    }

    fn build(
        mut connection: Connection,
        credential: Option<&Secret>,
        who: Caller,
        shared_who: SharedCaller<'_>,
    ) -> Result<Self, KisiError> {
        connection.base_url = validated_base_url(&connection.base_url)?;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(secret) = credential {
            let mut auth =
                header_value(&format!("KISI-LOGIN {}", secret.expose()), "the credential")?;
            auth.set_sensitive(true);
            headers.insert(AUTHORIZATION, auth);
        }
        if let Some(integration) = &connection.integration {
            headers.insert(
                HeaderName::from_static("x-kisi-integration-identifier"),
                header_value(&integration.name, "the integration name")?,
            );
            if let Some(contact) = &integration.contact {
                headers.insert(
                    HeaderName::from_static("x-kisi-integration-contact"),
                    header_value(contact, "the integration contact")?,
                );
            }
        }
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(connection.timeout)
            .build()
            .map_err(|err| KisiError::InvalidConfig {
                detail: err.to_string(),
            })?;
        let budget = connection.rate_limit.map(|per_second| {
            RateBudget::shared(BudgetKey {
                base_url: connection.base_url.clone(),
                who,
                per_second,
            })
        });
        let shared_key = shared_key(&connection.base_url, shared_who);
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                connection,
                budget,
                shared_key,
                shared: None,
            }),
            lane: Lane::Interactive,
        })
    }

    /// This client with its rate budget also shared through `shared` with every other process
    /// calling Kisi as the same user (issue 14: hubs on one database). Each call takes its slot
    /// from this process's budget first, then reserves one of the shared budget and waits for
    /// it. A client without a rate budget or without credential is returned as it is.
    #[must_use]
    pub fn sharing_budget(self, shared: Arc<dyn SharedBudget>) -> Self {
        if self.inner.budget.is_none() || self.inner.shared_key.is_none() {
            return self;
        }
        self.rebuilt(|inner| inner.shared = Some(shared))
    }

    /// This client with a process-local budget of its own, as a client built in another process
    /// has: tests play two hubs in one process with it. Its shared budget (if any) stays shared.
    #[doc(hidden)]
    #[must_use]
    pub fn as_if_in_another_process(self) -> Self {
        let Some(per_second) = self.inner.connection.rate_limit else {
            return self;
        };
        let key = BudgetKey {
            base_url: self.inner.connection.base_url.clone(),
            who: Caller::Anonymous,
            per_second,
        };
        self.rebuilt(|inner| inner.budget = Some(RateBudget::separate(&key)))
    }

    fn rebuilt(self, change: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Inner {
            http: self.inner.http.clone(),
            connection: self.inner.connection.clone(),
            budget: self.inner.budget.clone(),
            shared_key: self.inner.shared_key.clone(),
            shared: self.inner.shared.clone(),
        };
        change(&mut inner);
        Self {
            inner: Arc::new(inner),
            lane: self.lane,
        }
    }

    /// This client with its calls in `lane` of the shared budget (interactive by default).
    #[must_use]
    pub fn in_lane(&self, lane: Lane) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            lane,
        }
    }

    /// Waits until this client's next call would leave without waiting for the budget (at once
    /// for a client without one), leaving the slot free: bulk work waits here, and can still give
    /// way to interactive work that arrives meanwhile.
    pub async fn until_free(&self) {
        if let Some(budget) = &self.inner.budget {
            budget.until_free(self.lane).await;
        }
    }

    /// The base URL this client talks to, without trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.connection.base_url
    }

    /// The connection settings this client was built with.
    pub fn connection(&self) -> &Connection {
        &self.inner.connection
    }

    /// Sends `call` and decodes a JSON answer into `T`.
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: &Call) -> Result<T, KisiError> {
        let answer = self.send(call).await?;
        decode(&call.path, &answer.body)
    }

    /// Sends `call` and ignores the body of a success (204 and the like).
    pub(crate) async fn no_content(&self, call: &Call) -> Result<(), KisiError> {
        self.send(call).await.map(drop)
    }

    /// Fetches every page of a list endpoint, following `limit`/`offset` and
    /// `X-Collection-Range: <start>-<end>/<count>` until `count` items were read.
    pub(crate) async fn list_all<T: DeserializeOwned>(
        &self,
        call: Call,
    ) -> Result<Vec<T>, KisiError> {
        let mut items: Vec<T> = Vec::new();
        self.list_pages(call, |page: Vec<T>| {
            items.extend(page);
            ControlFlow::Continue(())
        })
        .await?;
        Ok(items)
    }

    /// Reads a list endpoint page by page (as [`Self::list_all`]), handing each page's readable
    /// items to `on_page`, which may stop the reading early.
    pub(crate) async fn list_pages<T: DeserializeOwned>(
        &self,
        call: Call,
        mut on_page: impl FnMut(Vec<T>) -> ControlFlow<()>,
    ) -> Result<(), KisiError> {
        // Records Kisi listed, readable or not: the next page's offset.
        let mut listed = 0;
        loop {
            let page_call = call
                .clone()
                .query("limit", PAGE_SIZE.to_string())
                .query("offset", listed.to_string());
            let answer = self.send(&page_call).await?;
            let page: Vec<serde_json::Value> = decode(&call.path, &answer.body)?;
            let page_len = page.len();
            listed += page_len;
            let stop = on_page(readable_items(&call.path, page)).is_break();
            let done = match collection_count(&answer.headers) {
                Some(count) => page_len == 0 || listed >= count,
                // Without the header, a short page is the last one.
                None => page_len < PAGE_SIZE,
            };
            if stop || done {
                return Ok(());
            }
        }
    }

    /// One logical call: waits for the rate budget before every attempt, retries what
    /// [`KisiError::is_retryable`] allows with backoff, and gives up after the policy's bound.
    async fn send(&self, call: &Call) -> Result<Answer, KisiError> {
        let inner = &self.inner;
        let mut attempts = 0;
        loop {
            attempts += 1;
            if let Some(budget) = &inner.budget {
                budget.until_ready(self.lane).await;
                if let (Some(shared), Some(key)) = (&inner.shared, &inner.shared_key) {
                    let wait = shared_wait(shared.as_ref(), key, budget.period()).await;
                    if !wait.is_zero() {
                        tokio::time::sleep(wait).await;
                    }
                }
            }
            let (error, reached_kisi) = match self.attempt(call).await {
                Ok(answer) => return Ok(answer),
                Err(failed) => failed,
            };
            // Kisi's Retry-After holds for the user, so for every client sharing the budget.
            if let (Some(budget), Some(wait)) = (&inner.budget, error.retry_after()) {
                budget.pause(wait);
            }
            // A create whose answer was lost (a timeout or a connection closed after the request
            // went out) may have been carried out: sending it again could make a second user,
            // assignment or access link. The caller, who can look in Kisi first, decides.
            let answer_lost = reached_kisi
                && matches!(error, KisiError::Timeout { .. } | KisiError::Network { .. });
            let next_delay = (error.is_retryable() && (call.is_idempotent() || !answer_lost))
                .then(|| {
                    inner
                        .connection
                        .retry
                        .next_delay(attempts, error.retry_after())
                })
                .flatten();
            let Some(delay) = next_delay else {
                debug!(method = %call.method, path = %call.path, attempts, %error, "Kisi call failed");
                return Err(error);
            };
            warn!(method = %call.method, path = %call.path, attempts, ?delay, %error, "Kisi call failed; retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One try. A failure says whether the request may have reached Kisi (everything but a
    /// failed connect).
    async fn attempt(&self, call: &Call) -> Result<Answer, (KisiError, bool)> {
        let inner = &self.inner;
        let url = format!("{}{}", inner.connection.base_url, call.path);
        let mut request = inner
            .http
            .request(call.method.clone(), url)
            .query(&call.query);
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|err| (self.transport_error(call, &err), !err.is_connect()))?;
        let status = response.status();
        let headers = response.headers().clone();
        log_deprecation(call, &headers);
        let body = response
            .bytes()
            .await
            .map_err(|err| (self.transport_error(call, &err), true))?
            .to_vec();
        debug!(method = %call.method, path = %call.path, status = status.as_u16(), "Kisi answered");
        if status.is_success() {
            return Ok(Answer { headers, body });
        }
        Err((
            KisiError::from_response(status, &body, retry_after(status, &headers), call.lock_id),
            true,
        ))
    }

    fn transport_error(&self, call: &Call, err: &reqwest::Error) -> KisiError {
        let (method, path) = (call.method.to_string(), call.path.clone());
        if err.is_timeout() {
            KisiError::Timeout {
                method,
                path,
                timeout: self.inner.connection.timeout,
            }
        } else {
            // The chain names the cause ("connection closed before message completed", ...).
            let mut detail = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(cause) = source {
                detail = format!("{detail}: {cause}");
                source = cause.source();
            }
            KisiError::Network {
                method,
                path,
                detail,
            }
        }
    }
}

struct Answer {
    headers: HeaderMap,
    body: Vec<u8>,
}

fn decode<T: DeserializeOwned>(path: &str, body: &[u8]) -> Result<T, KisiError> {
    serde_json::from_slice(body).map_err(|err| KisiError::InvalidResponse {
        path: path.to_owned(),
        detail: err.to_string(),
    })
}

fn header_value(value: &str, what: &str) -> Result<HeaderValue, KisiError> {
    HeaderValue::from_str(value).map_err(|_| KisiError::InvalidConfig {
        detail: format!("{what} contains characters not allowed in an HTTP header"),
    })
}

/// `Retry-After` in seconds, as Kisi (and the emulator) send it on 429.
fn retry_after(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    if status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// The total from `X-Collection-Range: 0-24/120` or `*/0`.
fn collection_count(headers: &HeaderMap) -> Option<usize> {
    let range = headers.get("x-collection-range")?.to_str().ok()?;
    range.rsplit_once('/')?.1.trim().parse().ok()
}

/// Kisi announces endpoint retirement with `Deprecation` / `Sunset`; say so loudly in the logs.
fn log_deprecation(call: &Call, headers: &HeaderMap) {
    let deprecation = headers.get("deprecation").and_then(|v| v.to_str().ok());
    let sunset = headers.get("sunset").and_then(|v| v.to_str().ok());
    if deprecation.is_some() || sunset.is_some() {
        warn!(method = %call.method, path = %call.path, ?deprecation, ?sunset, "Kisi marks this endpoint as deprecated");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &'static str, value: &'static str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(name, HeaderValue::from_static(value));
        map
    }

    #[test]
    fn collection_range_gives_the_total() {
        assert_eq!(
            collection_count(&headers("x-collection-range", "0-24/120")),
            Some(120)
        );
        assert_eq!(
            collection_count(&headers("x-collection-range", "*/0")),
            Some(0)
        );
        assert_eq!(
            collection_count(&headers("x-collection-range", "garbage")),
            None
        );
        assert_eq!(collection_count(&HeaderMap::new()), None);
    }

    #[test]
    fn retry_after_is_read_in_seconds_only_on_429() {
        let map = headers("retry-after", "3");
        assert_eq!(
            retry_after(StatusCode::TOO_MANY_REQUESTS, &map),
            Some(Duration::from_secs(3))
        );
        assert_eq!(retry_after(StatusCode::SERVICE_UNAVAILABLE, &map), None);
    }

    /// Collects what a `tracing` subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn logs_of(action: impl FnOnce()) -> String {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, action);
        String::from_utf8(captured.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn deprecation_and_sunset_headers_are_logged_with_the_endpoint() {
        let mut map = headers("deprecation", "true");
        map.insert(
            "sunset",
            HeaderValue::from_static("Wed, 01 Jul 2026 00:00:00 GMT"),
        );
        let logs = logs_of(|| log_deprecation(&Call::get("/places"), &map));
        assert!(logs.contains("deprecated"), "{logs}");
        assert!(
            logs.contains("/places") && logs.contains("01 Jul 2026"),
            "{logs}"
        );
    }

    #[test]
    fn answers_without_deprecation_headers_log_nothing() {
        let logs = logs_of(|| log_deprecation(&Call::get("/places"), &HeaderMap::new()));
        assert!(logs.is_empty(), "{logs}");
    }

    #[test]
    fn client_debug_output_never_contains_the_credential() {
        let client = KisiClient::new(KisiConfig {
            connection: Connection::new("http://127.0.0.1:1"),
            credential: Secret::new("super-secret-key"),
        })
        .unwrap();
        assert!(!format!("{client:?}").contains("super-secret-key"));
    }
}
