//! The change feed between hubs on one PostgreSQL database (issue 14): `NOTIFY` on one channel,
//! `LISTEN` on it in every hub. The store only carries text: what a payload says (a change
//! notice, the hub that sent it) is the hub's business. The store stays the only owner of the
//! connection details: [`Store::change_feed`] hands out a feed that can announce and listen.
//!
//! SQLite has no feed (one hub per file; the revision row, `revision.rs`, keeps caches honest).

use std::fmt;
use std::sync::Arc;

use sqlx::AnyPool;
use sqlx::postgres::PgListener;

use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};

/// The one channel every hub announces on and listens to.
pub const CHANNEL: &str = "doorlink_changes";

/// The largest payload PostgreSQL carries: "shorter than 8000 bytes" (NOTIFY's documentation).
pub const MAX_PAYLOAD_BYTES: usize = 7999;

/// The announcing and listening ends of the feed; cheap to clone.
#[derive(Clone)]
pub struct ChangeFeed {
    pool: AnyPool,
    /// The database URL (with its password): a listener holds a connection of its own.
    url: Arc<str>,
}

impl fmt::Debug for ChangeFeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChangeFeed")
            .field("url", &crate::db::redacted_url(&self.url))
            .finish_non_exhaustive()
    }
}

/// What a listener heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// One payload, as announced (by any hub, this one included).
    Payload(String),
    /// The connection was lost and is back, listening again: payloads announced meanwhile are
    /// lost, so whatever they would have refreshed must be reloaded.
    Reconnected,
}

impl Store {
    /// The change feed of this database: `Some` on PostgreSQL, `None` on SQLite.
    pub fn change_feed(&self) -> Option<ChangeFeed> {
        match (self.backend(), self.database_url()) {
            (Backend::Postgres, Some(url)) => Some(ChangeFeed {
                pool: self.pool().clone(),
                url: url.clone(),
            }),
            _ => None,
        }
    }
}

impl ChangeFeed {
    /// Sends `payload` to every listener on the database (this hub's too), on a pooled
    /// connection. Refused when longer than [`MAX_PAYLOAD_BYTES`]: the caller trims.
    pub async fn announce(&self, payload: &str) -> Result<()> {
        if payload.len() > MAX_PAYLOAD_BYTES {
            return Err(StoreError::Invalid {
                field: "payload",
                reason: format!(
                    "a change feed payload is at most {MAX_PAYLOAD_BYTES} bytes, this one has {}",
                    payload.len()
                ),
            });
        }
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A listener on its own connection, listening once this returns.
    pub async fn listen(&self) -> Result<ChangeListener> {
        let mut listener = PgListener::connect(&self.url).await?;
        listener.listen(CHANNEL).await?;
        Ok(ChangeListener(listener))
    }
}

/// One hub's `LISTEN` connection.
#[derive(Debug)]
pub struct ChangeListener(PgListener);

impl ChangeListener {
    /// Waits for the next payload. A dropped connection is re-established (and `LISTEN` issued
    /// again) before this answers [`Heard::Reconnected`]; an error means it could not be: drop
    /// the listener and [`ChangeFeed::listen`] again after a pause.
    pub async fn next(&mut self) -> Result<Heard> {
        Ok(match self.0.try_recv().await? {
            Some(notification) => Heard::Payload(notification.payload().to_owned()),
            None => Heard::Reconnected,
        })
    }
}
