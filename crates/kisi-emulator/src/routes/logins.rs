//! `POST /logins` (owner sign-in, or a login on behalf of a managed user) and `DELETE /login`
//! (kisi-api.md, "Logins").

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{AppState, parse_document};
use crate::auth::{Caller, LoggedUser};
use crate::errors::ApiError;
use crate::lock;
use crate::paging::{Page, paged};
use crate::query::QueryParams;
use crate::state::Store;
use crate::state::logins::{Login, Principal};

const LOGIN_TYPES: [&str; 2] = ["device", "api"];

#[derive(Debug, Default, Deserialize)]
struct LoginFields {
    #[serde(rename = "type")]
    kind: Option<String>,
    email: Option<String>,
    expire: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct Credentials {
    domain: Option<String>,
    email: Option<String>,
    password: Option<String>,
    /// The two-factor code, for users with two-factor sign-in.
    otp_attempt: Option<String>,
}

pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Option<Caller>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let document = parse_document(&body)?;
    let fields: LoginFields = match document.get("login") {
        Some(login) => serde_json::from_value(login.clone())
            .map_err(|error| ApiError::invalid("login", error.to_string()))?,
        None => LoginFields::default(),
    };
    let expire = parse_expire(fields.expire.as_ref())?;
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    let login = match document.get("user") {
        Some(user) => {
            let credentials: Credentials = serde_json::from_value(user.clone())
                .map_err(|error| ApiError::invalid("user", error.to_string()))?;
            let kind = fields.kind.as_deref().unwrap_or("device");
            if !LOGIN_TYPES.contains(&kind) {
                return Err(ApiError::invalid("type", "must be device or api"));
            }
            sign_in(&mut store, &credentials, kind, expire, now)?
        }
        None => {
            let caller = caller.ok_or(ApiError::Unauthorized)?;
            caller.require_admin(&store)?;
            on_behalf(&mut store, &fields, expire, now)?
        }
    };
    let user = store
        .users
        .get(&login.user_id)
        .ok_or(ApiError::ServerError)?;
    let body = json!({
        "id": login.id,
        "type": login.kind,
        "expire": login.expire,
        "secret": login.secret,
        "scram_credentials": {},
        "user": { "id": user.id, "email": user.email, "name": user.name },
    });
    let mut response = Json(body).into_response();
    response
        .extensions_mut()
        .insert(LoggedUser(Some(login.user_id)));
    Ok(response)
}

/// Owner (or admin) sign-in with domain, e-mail and password; counted against the login quota.
fn sign_in(
    store: &mut Store,
    credentials: &Credentials,
    kind: &str,
    expire: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Login, ApiError> {
    let domain_matches = store.organization.as_ref().is_some_and(|org| {
        credentials
            .domain
            .as_deref()
            .is_some_and(|domain| domain.trim().eq_ignore_ascii_case(&org.domain))
    });
    let user = credentials
        .email
        .as_deref()
        .and_then(|email| store.user_by_email(email.trim()))
        .filter(|user| {
            domain_matches && user.password.is_some() && user.password == credentials.password
        })
        .ok_or(ApiError::Unauthorized)?;
    if !user.confirmed {
        return Err(ApiError::UnconfirmedEmail);
    }
    let user_id = user.id;
    if let Some(code) = store.two_factor_codes.get(&user_id)
        && credentials.otp_attempt.as_deref().map(str::trim) != Some(code.as_str())
    {
        return Err(ApiError::Unauthorized);
    }
    if store.sign_in_logins(user_id) >= store.login_quota {
        return Err(ApiError::LoginQuotaExceeded);
    }
    Ok(store.create_login(user_id, kind, expire, true, now))
}

/// A `device` login for a managed user, made with an admin's key; unlocks made with it are
/// attributed to that user.
fn on_behalf(
    store: &mut Store,
    fields: &LoginFields,
    expire: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Login, ApiError> {
    let email = fields.email.as_deref().map(str::trim).unwrap_or_default();
    if email.is_empty() {
        return Err(ApiError::invalid("email", "can't be blank"));
    }
    if fields.kind.as_deref().unwrap_or("device") != "device" {
        return Err(ApiError::invalid(
            "type",
            "must be device for a login on behalf of a user",
        ));
    }
    let user = store.user_by_email(email).ok_or(ApiError::Forbidden)?;
    if !user.confirmed {
        return Err(ApiError::UnconfirmedEmail);
    }
    if !user.managed {
        return Err(ApiError::Forbidden);
    }
    let user_id = user.id;
    Ok(store.create_login(user_id, "device", expire, false, now))
}

/// `expire` arrives as a boolean or, in Kisi's own examples, as the string `"false"`.
fn parse_expire(value: Option<&Value>) -> Result<bool, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(true),
        Some(Value::Bool(expire)) => Ok(*expire),
        Some(Value::String(text)) if text == "true" => Ok(true),
        Some(Value::String(text)) if text == "false" => Ok(false),
        Some(_) => Err(ApiError::invalid("expire", "must be true or false")),
    }
}

/// `GET /logins`: the current user's logins, without their secrets (conformance: the official
/// client lists them).
pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let page = Page::from_query(&query)?;
    let user_id = caller.user_id()?;
    let store = lock(&shared.store);
    let logins: Vec<_> = store
        .logins
        .values()
        .filter(|login| login.user_id == user_id)
        .collect();
    Ok(paged(logins, page))
}

pub(crate) async fn sign_out(
    State(shared): State<AppState>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    match caller.0 {
        Principal::User { login_id, .. } => {
            lock(&shared.store).delete_login(login_id);
            Ok(StatusCode::NO_CONTENT)
        }
        Principal::Link { .. } => Err(ApiError::Forbidden),
    }
}
