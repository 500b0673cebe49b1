//! Change notices across hubs (issue 14): on PostgreSQL every notice this hub publishes is
//! announced on the database's change feed (`NOTIFY`, see `doorlink_store::change_feed`), and
//! every notice another hub announced is published here, so a write on hub A refreshes the
//! pages open on hub B. On SQLite there is no feed: one hub per file.
//!
//! On the wire, one JSON object per notice: `{"from":"<hub>","change":{ChangeNotice}}`, or, when
//! the notice does not fit in a payload (a sync pass naming thousands of people),
//! `{"from":"<hub>","reload":{"location_id":1}}`: the receiving hubs drop that location's caches
//! and tell every open page to reload what it shows (the `lagged` event). A reload names nobody,
//! so members may hear it too (M-rule of `routes/events.rs`: never a notice about another member);
//! a member named in the big notice still refreshes.

use std::time::Duration;

use doorlink_api::events::{ChangeKind, ChangeNotice};
use doorlink_core::LocationId;
use doorlink_store::change_feed::MAX_PAYLOAD_BYTES;
use doorlink_store::{ChangeFeed, ChangeListener, Heard};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::state::AppState;

/// The longest pause between two attempts to reach the database again.
const MAX_PAUSE: Duration = Duration::from_secs(30);

/// One announcement on the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Announcement {
    /// The announcing hub's instance id: a hub skips its own.
    from: String,
    #[serde(flatten)]
    says: Says,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Says {
    Change(ChangeNotice),
    /// A notice too big for a payload: reload everything at this location (every location when
    /// `None`).
    Reload {
        location_id: Option<i64>,
    },
}

/// The payload announcing `notice`: the notice itself, or a reload when it would not fit.
fn payload(from: &str, notice: ChangeNotice) -> String {
    let location_id = notice.location_id;
    let full = Announcement {
        from: from.to_owned(),
        says: Says::Change(notice),
    };
    match serde_json::to_string(&full) {
        Ok(json) if json.len() <= MAX_PAYLOAD_BYTES => json,
        _ => {
            let reload = Announcement {
                from: from.to_owned(),
                says: Says::Reload { location_id },
            };
            // A string id and an optional number: always serializes, always fits.
            serde_json::to_string(&reload).unwrap_or_default()
        }
    }
}

/// Starts the feed when the store has one (PostgreSQL): listening before this returns, so a hub
/// that answered its first request hears every later notice; announcing from then on. The
/// tasks end when the hub stops (they are aborted with the other background tasks).
pub(crate) async fn start(state: &AppState) -> Vec<JoinHandle<()>> {
    let Some(feed) = state.store().change_feed() else {
        return Vec::new();
    };
    let (outgoing, notices) = mpsc::unbounded_channel();
    if !state.announce_to(outgoing) {
        // A second hub over the same state: the first one's feed serves both.
        return Vec::new();
    }
    let listener = match feed.listen().await {
        Ok(listener) => Some(listener),
        Err(error) => {
            tracing::warn!(%error, "change feed: cannot listen yet; other hubs' changes reach open pages once it can");
            None
        }
    };
    vec![
        tokio::spawn(announce(state.instance().to_owned(), feed.clone(), notices)),
        tokio::spawn(listen(state.clone(), feed, listener)),
    ]
}

/// Announces every notice this hub publishes, in order. A failed announcement is logged: the
/// other hubs' pages miss that refresh (their caches are still checked against the revision).
async fn announce(
    from: String,
    feed: ChangeFeed,
    mut notices: mpsc::UnboundedReceiver<ChangeNotice>,
) {
    while let Some(notice) = notices.recv().await {
        if let Err(error) = feed.announce(&payload(&from, notice)).await {
            tracing::warn!(%error, "change feed: a change notice did not reach the other hubs");
        }
    }
}

/// Publishes here what the other hubs announce, and a reload after every gap (the connection
/// dropped: what was announced meanwhile is lost).
async fn listen(state: AppState, feed: ChangeFeed, mut listener: Option<ChangeListener>) {
    let mut pause = Duration::from_secs(1);
    loop {
        let Some(current) = listener.as_mut() else {
            match feed.listen().await {
                Ok(again) => {
                    tracing::info!("change feed: listening again");
                    listener = Some(again);
                    pause = Duration::from_secs(1);
                    state.reload_everything(None);
                }
                Err(error) => {
                    tracing::warn!(%error, ?pause, "change feed: cannot listen; trying again");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(MAX_PAUSE);
                }
            }
            continue;
        };
        match current.next().await {
            Ok(Heard::Payload(payload)) => hear(&state, &payload),
            Ok(Heard::Reconnected) => {
                tracing::info!("change feed: connection lost and back; open pages reload");
                state.reload_everything(None);
            }
            Err(error) => {
                tracing::warn!(%error, "change feed: connection lost");
                listener = None;
            }
        }
    }
}

/// One announcement heard: another hub's notice is published here (the sync worker woken for
/// a write, as the writing hub's was: this hub may hold the location's lease); this hub's own
/// is skipped (it was published when made).
fn hear(state: &AppState, payload: &str) {
    let announcement: Announcement = match serde_json::from_str(payload) {
        Ok(announcement) => announcement,
        Err(error) => {
            tracing::debug!(%error, "change feed: an announcement this hub does not understand");
            return;
        }
    };
    if announcement.from == state.instance() {
        return;
    }
    match announcement.says {
        Says::Change(notice) => {
            if notice.kind != ChangeKind::SyncChanged {
                state.sync().wake();
            }
            state.publish_here(notice);
        }
        Says::Reload { location_id } => {
            state.sync().wake();
            state.reload_everything(location_id.map(LocationId));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(people: usize) -> ChangeNotice {
        ChangeNotice {
            kind: ChangeKind::SyncChanged,
            location_id: Some(3),
            people: (1_000_000..).take(people).collect(),
            id: None,
        }
    }

    #[test]
    fn a_notice_that_fits_travels_whole() {
        let json = payload("a1", notice(5));
        let heard: Announcement = serde_json::from_str(&json).unwrap();
        assert_eq!(heard.from, "a1");
        assert_eq!(heard.says, Says::Change(notice(5)));
    }

    #[test]
    fn a_sync_pass_naming_two_thousand_people_travels_as_a_reload_of_its_location() {
        // The adversary: a full reconcile's notice, ~16 KB of ids, twice NOTIFY's limit.
        let json = payload("a1", notice(2_000));
        assert!(json.len() <= MAX_PAYLOAD_BYTES, "{}", json.len());
        let heard: Announcement = serde_json::from_str(&json).unwrap();
        assert_eq!(
            heard.says,
            Says::Reload {
                location_id: Some(3)
            }
        );
        assert!(!json.contains("1000000"), "no person is named: {json}");
    }
}
