//! Who did what in Doorlink (issue 17 point 13): every request that changes something, made by a
//! signed-in account, is written to the audit log with its actor, its words, the person it was
//! about, the location and whether it was done, refused (4xx: validation, authorization, conflict)
//! or failed (5xx).
//!
//! Why a middleware and one table rather than a call in each handler: the middleware wraps every
//! matched API route, so a new route is recorded the day it is added (with generic words until
//! [`words`] names it, and `every_changing_route_has_words` fails until it does), and a refused
//! attempt is recorded even though the handler never ran (the role extractor refused it). A
//! handler that knows more (the booking's room, times and booker) adds an [`ActionNote`] to its
//! answer; the middleware takes it from there.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::{Method, Response};
use axum::middleware::Next;
use axum::response::{IntoResponseParts, ResponseParts};
use doorlink_api::routes;
use doorlink_core::{LocationId, PersonId};
use doorlink_store::{AuditActor, AuditOutcome, NewActionEntry};

use crate::auth::CurrentUser;
use crate::state::AppState;

/// What a route does, in words: once done ("Cancelled a booking") and as an attempt ("cancel a
/// booking"), or not recorded as an action (signing in and out, a member's own unlocks, which the
/// log already holds as Kisi calls or desktop claims).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Words {
    Action {
        done: &'static str,
        attempt: &'static str,
    },
    NotAnAction,
}

const fn action(done: &'static str, attempt: &'static str) -> Option<Words> {
    Some(Words::Action { done, attempt })
}

/// The words of every route that changes something, keyed by method and route path: the one
/// place they live. `None` for a route not named here yet (recorded with generic words).
pub(crate) fn words(method: &Method, route: &str) -> Option<Words> {
    let m = method.as_str();
    match (m, route) {
        (
            "POST",
            routes::AUTH_SIGN_IN | routes::AUTH_SIGN_OUT | routes::AUTH_INVITATIONS_REDEEM,
        )
        | ("POST", routes::ME_LOCKS_LOCK_ID_UNLOCK | routes::ME_UNLOCK_EVENTS)
        // Kisi's deliveries: kept as door events, not as anyone's action.
        | ("POST", routes::KISI_WEBHOOKS_LOCATION) => Some(Words::NotAnAction),
        ("POST", routes::AUTH_PASSWORD) => {
            action("Changed their password", "change their password")
        }
        ("POST", routes::AUTH_SESSIONS_END_OTHERS) => action(
            "Signed out their other sessions",
            "sign out their other sessions",
        ),
        ("DELETE", routes::AUTH_SESSIONS_ID) => {
            action("Ended one of their sessions", "end one of their sessions")
        }
        ("POST", routes::AUTH_INVITATIONS) => action("Invited an account", "invite an account"),
        ("DELETE", routes::AUTH_INVITATIONS_ID) => {
            action("Withdrew an invitation", "withdraw an invitation")
        }
        ("POST", routes::ACCOUNTS_ID_DISABLE) => {
            action("Disabled an account", "disable an account")
        }
        ("POST", routes::ACCOUNTS_ID_ENABLE) => action("Enabled an account", "enable an account"),
        ("PUT", routes::ACCOUNTS_ID_ROLE) => {
            action("Changed an account's role", "change an account's role")
        }
        ("POST", routes::ACCOUNTS_ID_SESSIONS_END) => action(
            "Signed an account out everywhere",
            "sign an account out everywhere",
        ),
        ("POST", routes::BOOKINGS) => action("Booked a resource", "book a resource"),
        ("POST", routes::BOOKINGS_ID_CANCEL) => action("Cancelled a booking", "cancel a booking"),
        ("PUT", routes::BOOKINGS_ID_INVITEES) => action(
            "Changed a booking's invitees",
            "change a booking's invitees",
        ),
        ("PUT", routes::BOOKINGS_ID_TIME) => action("Moved a booking", "move a booking"),
        ("POST", routes::COMPANIES) => action("Added a company", "add a company"),
        ("PATCH", routes::COMPANIES_ID) => action("Edited a company", "edit a company"),
        ("POST", routes::COMPANIES_ID_MEMBERS) => {
            action("Added a member to a company", "add a member to a company")
        }
        ("DELETE", routes::COMPANIES_ID_MEMBERS_PERSON_ID) => action(
            "Removed a member from a company",
            "remove a member from a company",
        ),
        ("POST", routes::DAY_PASSES) => action("Sold a day pass", "sell a day pass"),
        ("DELETE", routes::DAY_PASSES_ID) => action("Deleted a day pass", "delete a day pass"),
        ("POST", routes::DAY_PASSES_ID_CANCEL) => {
            action("Cancelled a day pass", "cancel a day pass")
        }
        ("POST", routes::LOCATIONS) => action("Added a location", "add a location"),
        ("PATCH", routes::LOCATIONS_ID) => action("Edited the location", "edit the location"),
        ("POST", routes::LOCATIONS_ID_KISI) => action("Connected Kisi", "connect Kisi"),
        ("POST", routes::LOCATIONS_ID_KISI_DISCONNECT) => {
            action("Disconnected Kisi", "disconnect Kisi")
        }
        ("PUT", routes::LOCATIONS_ID_KISI_PLACE) => {
            action("Chose the Kisi place", "choose the Kisi place")
        }
        ("POST", routes::LOCATIONS_ID_KISI_WEBHOOK) => action(
            "Set up the Kisi event webhook (new secret)",
            "set up the Kisi event webhook",
        ),
        ("POST", routes::LOCATIONS_ID_KISI_WEBHOOK_BACKFILL) => action(
            "Read Kisi's door events for missed deliveries",
            "read Kisi's door events",
        ),
        ("PUT", routes::LOCATIONS_ID_PRESENCE_SETTINGS) => action(
            "Changed how people are checked in and out",
            "change how people are checked in and out",
        ),
        ("DELETE", routes::LOCATIONS_ID_KISI_WEBHOOK) => action(
            "Removed the Kisi event webhook",
            "remove the Kisi event webhook",
        ),
        ("POST", routes::OUTCOME_ENDPOINTS) => action(
            "Added an outcome webhook endpoint",
            "add an outcome webhook endpoint",
        ),
        ("PUT", routes::OUTCOME_ENDPOINTS_ID) => action(
            "Changed an outcome webhook endpoint",
            "change an outcome webhook endpoint",
        ),
        ("DELETE", routes::OUTCOME_ENDPOINTS_ID) => action(
            "Removed an outcome webhook endpoint",
            "remove an outcome webhook endpoint",
        ),
        ("POST", routes::OUTCOME_ENDPOINTS_ID_SECRET) => action(
            "Gave an outcome webhook endpoint a new secret",
            "give an outcome webhook endpoint a new secret",
        ),
        ("POST", routes::OUTCOME_ENDPOINTS_ID_TEST) => action(
            "Sent a test event to an outcome webhook endpoint",
            "send a test event",
        ),
        ("POST", routes::OUTCOME_DELIVERIES_ID_SEND_AGAIN) => action(
            "Sent an outcome event again",
            "send an outcome event again",
        ),
        ("POST", routes::LOCATIONS_ID_SYNC_RETRY) => {
            action("Asked Kisi to be synced now", "sync Kisi now")
        }
        ("POST", routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_HOLD) => {
            action("Put a person on hold", "put a person on hold")
        }
        ("DELETE", routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_HOLD) => {
            action("Lifted a person's hold", "lift a person's hold")
        }
        ("POST", routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_DISCONNECT) => action(
            "Unlinked a person from their Kisi user",
            "unlink a person from their Kisi user",
        ),
        ("POST", routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_RECONNECT) => action(
            "Linked a person to their Kisi user again",
            "link a person to their Kisi user again",
        ),
        ("POST", routes::LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_RESYNC) => {
            action("Synced a person with Kisi", "sync a person with Kisi")
        }
        ("POST", routes::MANUAL_GRANTS) => action("Granted door access", "grant door access"),
        ("POST", routes::MANUAL_GRANTS_ID_END) => action("Ended a door grant", "end a door grant"),
        ("POST", routes::PEOPLE) => action("Added a person", "add a person"),
        ("PATCH", routes::PEOPLE_ID) => action("Edited a person", "edit a person"),
        ("POST", routes::PLANS) => action("Added a plan", "add a plan"),
        ("PATCH", routes::PLANS_ID) => action("Edited a plan", "edit a plan"),
        ("PUT", routes::PLANS_ID_DOOR_ACCESS) => {
            action("Changed a plan's doors", "change a plan's doors")
        }
        ("POST", routes::PRODUCTS) => action("Added a product", "add a product"),
        ("PATCH", routes::PRODUCTS_ID) => action("Edited a product", "edit a product"),
        ("PUT", routes::PRODUCTS_ID_DOOR_ACCESS) => {
            action("Changed a product's doors", "change a product's doors")
        }
        ("POST", routes::RESOURCES) => action("Added a resource", "add a resource"),
        ("PATCH", routes::RESOURCES_ID) => action("Edited a resource", "edit a resource"),
        ("PUT", routes::RESOURCES_ID_DOOR_ACCESS) => {
            action("Changed a resource's doors", "change a resource's doors")
        }
        ("POST", routes::SUBSCRIPTIONS) => action("Added a subscription", "add a subscription"),
        ("PUT", routes::SUBSCRIPTIONS_ID_BENEFICIARIES) => action(
            "Changed who a subscription covers",
            "change who a subscription covers",
        ),
        ("POST", routes::SUBSCRIPTIONS_ID_CANCEL) => {
            action("Cancelled a subscription", "cancel a subscription")
        }
        ("PUT", routes::SUBSCRIPTIONS_ID_END) => action(
            "Changed when a subscription ends",
            "change when a subscription ends",
        ),
        ("POST", routes::SUBSCRIPTIONS_ID_ITEMS) => {
            action("Added to a subscription", "add to a subscription")
        }
        ("DELETE", routes::SUBSCRIPTIONS_ID_ITEMS_ITEM_ID) => {
            action("Removed from a subscription", "remove from a subscription")
        }
        ("PUT", routes::SUBSCRIPTIONS_ID_ITEMS_ITEM_ID_DOOR_ACCESS) => action(
            "Changed a subscription item's doors",
            "change a subscription item's doors",
        ),
        ("POST", routes::VISITOR_POLICIES) => {
            action("Added a visitor policy", "add a visitor policy")
        }
        ("PATCH", routes::VISITOR_POLICIES_ID) => {
            action("Edited a visitor policy", "edit a visitor policy")
        }
        ("PUT", routes::VISITOR_POLICIES_ID_DOOR_ACCESS) => action(
            "Changed a visitor policy's doors",
            "change a visitor policy's doors",
        ),
        ("POST", routes::VISITS) => action("Registered a visit", "register a visit"),
        ("POST", routes::VISITS_ID_CANCEL) => action("Ended a visit", "end a visit"),
        ("POST", routes::VISITORS) => {
            action("Registered a visitor with a host", "register a visitor")
        }
        _ => None,
    }
}

/// What a handler knows about the action it did, for the audit log: its words with names and
/// local times, the person it was about, its location. Returned as part of the handler's answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct ActionNote {
    pub words: Option<String>,
    pub subject: Option<PersonId>,
    pub location: Option<LocationId>,
}

impl IntoResponseParts for ActionNote {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        res.extensions_mut().insert(self);
        Ok(res)
    }
}

/// The most bytes of an error answer read for its message.
const MAX_ERROR_BYTES: usize = 16 * 1024;

fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The middleware: records every changing request of a signed-in account (see the module).
pub(crate) async fn record(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response<Body> {
    if !changes_something(request.method()) {
        return next.run(request).await;
    }
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let words = words(request.method(), &route);
    if words == Some(Words::NotAnAction) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    // Anonymous requests are not recorded: nobody to name, and the log must not be something
    // anyone on the network can fill. The handler gives them their 401.
    let Ok(user) = CurrentUser::from_request_parts(&mut parts, &state).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let params = RawPathParams::from_request_parts(&mut parts, &state)
        .await
        .ok();
    let param = |name: &str| -> Option<i64> {
        params
            .as_ref()?
            .iter()
            .find(|(key, _)| *key == name)
            .and_then(|(_, value)| value.parse().ok())
    };
    let mut location = param("location_id").map(LocationId);
    if location.is_none() && route.starts_with(routes::LOCATIONS_ID) {
        location = param("id").map(LocationId);
    }
    let mut subject = param("person_id").map(PersonId);
    if subject.is_none() && route == routes::PEOPLE_ID {
        subject = param("id").map(PersonId);
    }
    let method = parts.method.clone();
    let path = parts.uri.path().to_owned();
    let started = Instant::now();
    let response = next.run(Request::from_parts(parts, body)).await;
    let duration = started.elapsed();

    let status = response.status();
    let (mut parts, body) = response.into_parts();
    let note = parts.extensions.remove::<ActionNote>().unwrap_or_default();
    let (body, message) = if status.is_client_error() || status.is_server_error() {
        match axum::body::to_bytes(body, MAX_ERROR_BYTES).await {
            Ok(bytes) => {
                let message = error_message(&bytes);
                (Body::from(bytes), message)
            }
            Err(_) => (Body::empty(), None),
        }
    } else {
        (body, None)
    };
    let outcome = if status.is_success() || status.is_redirection() {
        AuditOutcome::Succeeded
    } else {
        AuditOutcome::Failed
    };
    let text = match (words, outcome) {
        (_, AuditOutcome::Succeeded) if note.words.is_some() => note.words.unwrap_or_default(),
        (Some(Words::Action { done, .. }), AuditOutcome::Succeeded) => done.to_owned(),
        (Some(Words::Action { attempt, .. }), AuditOutcome::Failed) => {
            format!("Tried to {attempt}")
        }
        (_, AuditOutcome::Succeeded) => format!("Changed {method} {route}"),
        (_, AuditOutcome::Failed) => format!("Tried to change {method} {route}"),
    };
    let actor = AuditActor {
        account: user.account.id,
        person: user.account.person,
        name: actor_name(&state, &user).await,
    };
    let entry = NewActionEntry {
        actor,
        location: note.location.or(location),
        subject: note.subject.or(subject),
        words: text,
        http_method: method.to_string(),
        path,
        outcome,
        http_status: status.as_u16(),
        message,
        duration,
    };
    if let Err(error) = state.store().audit().record_action(&entry).await {
        // The action happened; only its record is missing. Say so loudly in the hub's log.
        tracing::error!(%error, words = %entry.words, "could not record an action in the audit log");
    }
    Response::from_parts(parts, body)
}

/// The actor's name: their person's name, else the account's e-mail.
async fn actor_name(state: &AppState, user: &CurrentUser) -> String {
    if let Some(person) = user.account.person
        && let Ok(person) = state.store().people().get(person).await
    {
        return person.name;
    }
    user.account.email.to_string()
}

/// The message of an error answer, with the fields it names ("must not be in the past (at)").
fn error_message(bytes: &[u8]) -> Option<String> {
    let body: doorlink_api::error::ErrorBody = serde_json::from_slice(bytes).ok()?;
    let fields: Vec<String> = body
        .error
        .fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.problem))
        .collect();
    Some(if fields.is_empty() {
        body.error.message
    } else {
        format!("{} ({})", body.error.message, fields.join("; "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The adversary: a new route added without words. Every changing route of the OpenAPI
    /// document is named in [`words`], so none is recorded with generic words.
    #[test]
    fn every_changing_route_has_words() {
        let document = crate::openapi_document();
        let mut missing = Vec::new();
        for (path, item) in &document.paths.paths {
            for (method, present) in [
                (Method::POST, item.post.is_some()),
                (Method::PUT, item.put.is_some()),
                (Method::PATCH, item.patch.is_some()),
                (Method::DELETE, item.delete.is_some()),
            ] {
                if present && words(&method, path).is_none() {
                    missing.push(format!("{method} {path}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "routes without audit words: {missing:?}"
        );
    }
}
