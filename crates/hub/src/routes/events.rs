//! Live change notices over server-sent events. Staff get every notice; a member only those that
//! name them (never another member's changes).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeNotice;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};
use tokio_stream::{Stream, StreamExt};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use doorlink_store::{Account, AccountRole};

use crate::auth::CurrentUser;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// Whether `user` may see `notice`: staff see everything; a member only notices naming their
/// person.
pub(crate) fn may_see(user: &CurrentUser, notice: &ChangeNotice) -> bool {
    may_see_as(&user.account, notice)
}

fn may_see_as(account: &Account, notice: &ChangeNotice) -> bool {
    account.role >= AccountRole::Staff
        || account.person.is_some_and(|p| notice.people.contains(&p.0))
}

/// A stream of `change` events, each a JSON `ChangeNotice`. A client that falls behind, or whose
/// hub lost notices from the other hubs on its database, gets a `lagged` event and should reload
/// what it shows.
#[utoipa::path(get, path = doorlink_api::routes::EVENTS, tag = "events",
    responses((status = 200, description = "text/event-stream of ChangeNotice JSON objects", body = ChangeNotice, content_type = "text/event-stream"),
              (status = 401, body = ErrorBody)))]
async fn events(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    enum Item {
        Send(Event),
        Skip,
        Stop,
    }
    // Each notice is sent only while the session still counts, with the account's role now: a
    // disabled, demoted or signed-out account's open stream ends (its reconnect is refused with
    // 401) instead of hearing on.
    let hash = user.token_hash.clone();
    let checks = state.clone();
    // A reload (notices lost between hubs, see `change_feed.rs`) is told like a lag of this
    // stream: the `lagged` event, which names nobody, so members hear it too.
    let reloads = BroadcastStream::new(state.subscribe_reloads())
        .map(|_| Err(BroadcastStreamRecvError::Lagged(0)));
    let notices = BroadcastStream::new(state.subscribe())
        .merge(reloads)
        .filter(move |received| !matches!(received, Ok(notice) if !may_see(&user, notice)))
        .then(move |received| {
            let (state, hash) = (checks.clone(), hash.clone());
            async move {
                let now = state
                    .store()
                    .accounts()
                    .peek_session(&hash, state.idle_timeout())
                    .await;
                let Ok(Some(session)) = now else {
                    return Item::Stop;
                };
                match received {
                    Ok(notice) if may_see_as(&session.account, &notice) => {
                        serde_json::to_string(&notice).map_or(Item::Skip, |json| {
                            Item::Send(Event::default().event("change").data(json))
                        })
                    }
                    Ok(_) => Item::Skip,
                    Err(_lagged) => Item::Send(Event::default().event("lagged").data("{}")),
                }
            }
        });
    // The stream ends when the hub stops, so a graceful shutdown does not wait on open pages.
    let stop =
        WatchStream::new(state.stopping()).filter_map(|stopping| stopping.then_some(Item::Stop));
    let stream = notices
        .merge(stop)
        .take_while(|item| !matches!(item, Item::Stop))
        .filter_map(|item| match item {
            Item::Send(event) => Some(Ok(event)),
            Item::Skip | Item::Stop => None,
        });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
