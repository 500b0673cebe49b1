//! Live events in the app: the hub's change notices reach the webview as the Tauri event
//! [`LIVE_EVENT`], so staff pages update without reload as in a browser. In hub mode this process
//! reads the hub's server-sent events with the person's token (which never enters the webview);
//! at the front desk it listens to its own hub in-process. How that goes is [`LIVE_STATUS_EVENT`]
//! (the UI's `LiveStatus`): `offline` while the hub cannot be reached, `signed_out` once the hub
//! refused the session (401) to the live events or to a hub request made through the app.

use std::time::Duration;

use doorlink_api::auth::AccountView;
use doorlink_api::desktop::DesktopEvent;
use doorlink_api::events::ChangeNotice;
use doorlink_store::SecretValue;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::{broadcast, watch};

use crate::desktop::{CommandError, Desktop, LiveSource};
use crate::hub_client::HubClient;

/// One change notice (or `lagged`: notices were lost, reload what is shown), as `{kind, data}`.
pub const LIVE_EVENT: &str = DesktopEvent::Live.name();
/// The state of the live events, as the UI's `LiveStatus` names it.
pub const LIVE_STATUS_EVENT: &str = DesktopEvent::LiveStatus.name();

/// Waits between attempts to reach a hub that did not answer: soon at first, then calmer.
const RETRY_AFTER: [Duration; 4] = [
    Duration::from_secs(1),
    Duration::from_secs(3),
    Duration::from_secs(10),
    Duration::from_secs(30),
];

pub use doorlink_api::desktop::LiveStatus;

/// What the webview receives for each event: the SSE event name and its JSON data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveMessage {
    pub kind: String,
    pub data: serde_json::Value,
}

/// The last status, for a page that starts listening after it was announced.
#[derive(Debug)]
pub(crate) struct CurrentLiveStatus(watch::Sender<LiveStatus>);

impl CurrentLiveStatus {
    pub(crate) fn new() -> Self {
        Self(watch::Sender::new(LiveStatus::Connecting))
    }

    pub(crate) fn get(&self) -> LiveStatus {
        *self.0.borrow()
    }
}

/// Follows the signed-in person's live notices for as long as the app runs, starting over
/// whenever the session changes.
pub(crate) fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let Some(desktop) = app.try_state::<Desktop>().map(|d| d.inner().clone()) else {
            return;
        };
        let mut session = desktop.session_changes();
        loop {
            session.borrow_and_update();
            let follow = follow(&app, desktop.live_source().await);
            tokio::select! {
                () = follow => {}
                changed = session.changed() => if changed.is_err() { return },
            }
        }
    });
}

/// Forwards one session's notices; returns only when there is nothing to follow.
async fn follow<R: Runtime>(app: &AppHandle<R>, source: LiveSource) {
    match source {
        LiveSource::SignedOut => {
            set_status(app, LiveStatus::Offline);
            std::future::pending::<()>().await;
        }
        LiveSource::FrontDesk { notices, viewer } => follow_in_process(app, notices, &viewer).await,
        LiveSource::Hub { hub, token } => follow_hub(app, &hub, &token).await,
    }
}

async fn follow_in_process<R: Runtime>(
    app: &AppHandle<R>,
    mut notices: broadcast::Receiver<ChangeNotice>,
    viewer: &AccountView,
) {
    set_status(app, LiveStatus::Live);
    loop {
        match notices.recv().await {
            Ok(notice) if crate::desktop::may_see(viewer, &notice) => {
                emit(
                    app,
                    "change",
                    serde_json::to_value(&notice).unwrap_or_default(),
                );
            }
            Ok(_) => {}
            Err(broadcast::error::RecvError::Lagged(_)) => {
                emit(app, "lagged", serde_json::json!({}));
            }
            Err(broadcast::error::RecvError::Closed) => {
                // This computer's hub stopped (mode change, quitting).
                set_status(app, LiveStatus::Offline);
                std::future::pending::<()>().await;
            }
        }
    }
}

/// Reads the hub's events, reconnecting after a drop; `offline` while the hub cannot be reached.
async fn follow_hub<R: Runtime>(app: &AppHandle<R>, hub: &HubClient, token: &SecretValue) {
    let mut failures = 0_usize;
    loop {
        match hub.open_events(token).await {
            Ok(mut response) => {
                failures = 0;
                set_status(app, LiveStatus::Live);
                let mut parser = SseParser::default();
                loop {
                    match response.chunk().await {
                        Ok(Some(bytes)) => {
                            for message in parser.push(&bytes) {
                                emit(app, &message.kind, message.data);
                            }
                        }
                        Ok(None) => break,
                        Err(error) => {
                            tracing::info!(error = %hub.stream_failure(&error), "live events dropped");
                            break;
                        }
                    }
                }
                // Notices may have been missed while reconnecting: pages reload what they show.
                set_status(app, LiveStatus::Reconnecting);
                emit(app, "lagged", serde_json::json!({}));
            }
            Err(error) if error.is_signed_out() => {
                tracing::info!(%error, "live events refused: the session ended");
                set_status(app, LiveStatus::SignedOut);
                std::future::pending::<()>().await;
            }
            Err(error) => {
                tracing::info!(%error, "live events cannot reach the hub");
                set_status(
                    app,
                    if error.is_unreachable() {
                        LiveStatus::Offline
                    } else {
                        LiveStatus::Reconnecting
                    },
                );
                failures += 1;
            }
        }
        let wait = RETRY_AFTER[failures.min(RETRY_AFTER.len() - 1)];
        tokio::time::sleep(wait).await;
    }
}

/// Passes a hub call's answer through; a 401 means the hub no longer accepts the session, which
/// the UI hears as `signed_out` (back to sign-in, "Your session ended").
pub(crate) fn watch_for_refusal<R: Runtime, T>(
    app: &AppHandle<R>,
    answer: Result<T, CommandError>,
) -> Result<T, CommandError> {
    if let Err(error) = &answer
        && error.status == 401
    {
        tracing::info!(%error, "the hub refused the session");
        set_status(app, LiveStatus::SignedOut);
    }
    answer
}

fn set_status<R: Runtime>(app: &AppHandle<R>, status: LiveStatus) {
    if let Some(current) = app.try_state::<CurrentLiveStatus>() {
        let changed = current.0.send_if_modified(|last| {
            let changed = *last != status;
            *last = status;
            changed
        });
        if !changed {
            return;
        }
    }
    tracing::debug!(?status, "live events");
    let _ = app.emit(LIVE_STATUS_EVENT, status);
}

fn emit<R: Runtime>(app: &AppHandle<R>, kind: &str, data: serde_json::Value) {
    let _ = app.emit(
        LIVE_EVENT,
        LiveMessage {
            kind: kind.to_owned(),
            data,
        },
    );
}

/// Server-sent events from a byte stream that arrives in arbitrary pieces: `event:` names an
/// event, `data:` lines carry its JSON, a blank line ends it, `:` lines are keep-alives.
#[derive(Debug, Default)]
pub struct SseParser {
    pending: Vec<u8>,
}

impl SseParser {
    /// Takes the next piece of the stream and returns the events it completed.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<LiveMessage> {
        self.pending.extend_from_slice(bytes);
        let mut messages = Vec::new();
        while let Some((end, separator)) = find_event_end(&self.pending) {
            let block: Vec<u8> = self.pending.drain(..end + separator).collect();
            if let Some(message) = parse_block(&String::from_utf8_lossy(&block[..end])) {
                messages.push(message);
            }
        }
        messages
    }
}

/// Where the first complete event ends, and the length of the blank line after it.
fn find_event_end(bytes: &[u8]) -> Option<(usize, usize)> {
    (0..bytes.len()).find_map(|at| {
        let rest = &bytes[at..];
        if rest.starts_with(b"\r\n\r\n") {
            Some((at, 4))
        } else if rest.starts_with(b"\n\n") {
            Some((at, 2))
        } else {
            None
        }
    })
}

fn parse_block(block: &str) -> Option<LiveMessage> {
    let mut kind = None;
    let mut data: Vec<&str> = Vec::new();
    for line in block.lines() {
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => kind = Some(value.to_owned()),
            "data" => data.push(value),
            _ => {} // comments (keep-alive), id, retry
        }
    }
    if kind.is_none() && data.is_empty() {
        return None;
    }
    let text = data.join("\n");
    Some(LiveMessage {
        kind: kind.unwrap_or_else(|| "message".to_owned()),
        data: serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_notice_arrives_as_its_event_name_and_json() {
        let mut parser = SseParser::default();
        let messages =
            parser.push(b"event: change\ndata: {\"kind\":\"booking_changed\",\"people\":[4]}\n\n");
        assert_eq!(
            messages,
            [LiveMessage {
                kind: "change".to_owned(),
                data: serde_json::json!({"kind": "booking_changed", "people": [4]}),
            }]
        );
    }

    #[test]
    fn an_event_split_across_pieces_arrives_once_complete() {
        let mut parser = SseParser::default();
        assert!(parser.push(b"event: lag").is_empty());
        assert!(parser.push(b"ged\ndata: {}\r\n").is_empty());
        let messages = parser.push(b"\r\nevent: change\ndata: {\"kind\":\"x\"}\n\n");
        let kinds: Vec<&str> = messages.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["lagged", "change"]);
    }

    #[test]
    fn keep_alives_are_not_events() {
        let mut parser = SseParser::default();
        assert!(parser.push(b":\n\n: keep-alive\n\n").is_empty());
    }

    #[test]
    fn data_that_is_not_json_is_passed_on_as_text() {
        let mut parser = SseParser::default();
        let messages = parser.push(b"data: hello\ndata: world\n\n");
        assert_eq!(messages[0].kind, "message");
        assert_eq!(messages[0].data, serde_json::json!("hello\nworld"));
    }
}
