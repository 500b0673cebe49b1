//! Events: Kisi's audit log.

use std::ops::ControlFlow;

use chrono::{DateTime, Utc};

use crate::call::Call;
use crate::client::KisiClient;
use crate::error::KisiError;
use crate::models::Event;

/// At most this many pages are read looking for events since an instant when Kisi does not list
/// newest first (its order is not documented): 10,000 events at 100 a page.
pub const MAX_EVENT_PAGES: usize = 100;

/// What [`KisiClient::events_since`] read.
#[derive(Debug, Clone, Default)]
pub struct EventsSince {
    /// The events at or after the instant asked for, in Kisi's order.
    pub events: Vec<Event>,
    /// False when the reading stopped at [`MAX_EVENT_PAGES`] before it could know it had every
    /// event since the instant (Kisi listed oldest first and has more than that).
    pub complete: bool,
}

impl KisiClient {
    /// Every event Kisi lists (`GET /events`, all pages). Kisi's filters for this endpoint are
    /// not documented, so none are offered.
    pub async fn events(&self) -> Result<Vec<Event>, KisiError> {
        self.list_all(Call::get("/events")).await
    }

    /// The events Kisi lists that happened at or after `since`, reading no further than needed.
    /// Kisi's filters and order for `GET /events` are not documented (docs/kisi-api.md), so no
    /// filter is sent and the order is read from the answer: while pages run newest first the
    /// reading stops at the first page reaching back before `since`; a list in any other order is
    /// read to its end, at most [`MAX_EVENT_PAGES`] pages.
    pub async fn events_since(&self, since: DateTime<Utc>) -> Result<EventsSince, KisiError> {
        let mut read = EventsSince::default();
        let mut pages = 0;
        let mut newest_first = true;
        let mut previous: Option<DateTime<Utc>> = None;
        let mut stopped_early = false;
        self.list_pages(Call::get("/events"), |page: Vec<Event>| {
            pages += 1;
            for event in &page {
                if previous.is_some_and(|before| event.created_at > before) {
                    newest_first = false;
                }
                previous = Some(event.created_at);
            }
            let reaches_back = page.iter().any(|event| event.created_at < since);
            read.events
                .extend(page.into_iter().filter(|event| event.created_at >= since));
            if newest_first && reaches_back {
                return ControlFlow::Break(());
            }
            if pages >= MAX_EVENT_PAGES {
                stopped_early = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })
        .await?;
        read.complete = !stopped_early;
        Ok(read)
    }
}
