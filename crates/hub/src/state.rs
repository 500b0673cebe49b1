//! What every request handler shares: the store, the configuration, the clock, the change-notice
//! channel, the sign-in throttle and the unlock report limit.

use std::sync::{Arc, OnceLock, Weak};

use doorlink_api::events::{ChangeKind, ChangeNotice};
use doorlink_core::{LocationId, PersonId};
use doorlink_store::{Clock, Store};
use doorlink_sync::{SyncChange, SyncEngine, Worker};
use tokio::sync::{broadcast, mpsc, watch};

use crate::config::HubConfig;
use crate::facts_cache::FactsCache;
use crate::kisi_views::DirectoryCache;
use crate::throttle::SignInThrottle;
use crate::unlock_report_limit::UnlockReportLimit;

/// How many change notices a slow SSE client may fall behind before it skips ahead.
const EVENT_BUFFER: usize = 256;

/// The notice of what one sync worker run changed at a location (people named so their open
/// Access pages refresh).
fn sync_notice(change: &SyncChange) -> ChangeNotice {
    ChangeNotice {
        kind: ChangeKind::SyncChanged,
        location_id: Some(change.location.0),
        people: change.changes.people.iter().map(|p| p.0).collect(),
        id: None,
    }
}

/// The hub's shared state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    config: HubConfig,
    clock: Clock,
    events: broadcast::Sender<ChangeNotice>,
    /// "Reload everything": notices were lost (another hub's notice too big to carry, or the
    /// change feed's connection dropped). Open pages hear a `lagged` event.
    reloads: broadcast::Sender<()>,
    /// This hub's random id on the change feed, so it skips its own notices coming back.
    instance: String,
    /// Where published notices go to reach the other hubs on the database, once the change feed
    /// runs (PostgreSQL only, see `change_feed.rs`).
    feed: OnceLock<mpsc::UnboundedSender<ChangeNotice>>,
    throttle: SignInThrottle,
    unlock_reports: UnlockReportLimit,
    sync: Worker,
    directories: DirectoryCache,
    facts: FactsCache,
    /// Wakes the outcome webhook sender (issue 15).
    outcome_bell: crate::outcome_sender::SenderBell,
    /// Turns true when the hub stops serving, so endless responses (SSE) end and the graceful
    /// shutdown can finish.
    stopping: watch::Sender<bool>,
}

impl AppState {
    pub fn new(store: Store, config: HubConfig) -> Self {
        Self::with_clock(store, config, Clock::system())
    }

    /// State reading "now" from `clock` (tests move time instead of sleeping).
    pub fn with_clock(store: Store, config: HubConfig, clock: Clock) -> Self {
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let (reloads, _) = broadcast::channel(EVENT_BUFFER);
        let throttle = SignInThrottle::new(store.clone(), config.sign_in_attempts_per_minute);
        let engine = SyncEngine::new(store.clone(), clock.clone(), config.sync.clone());
        let inner = Arc::new_cyclic(|state: &Weak<Inner>| {
            // What the worker changed in Kisi or the mirror is published like a write route's
            // change: the caches of the location are dropped and open pages hear of it. Weak, as
            // the state owns the worker.
            let state = state.clone();
            let sync = Worker::new(Arc::new(engine)).on_change(move |change| {
                if let Some(inner) = state.upgrade() {
                    AppState { inner }.publish(sync_notice(change));
                }
            });
            Inner {
                store,
                config,
                clock,
                events,
                reloads,
                instance: format!("{:016x}", rand::random::<u64>()),
                feed: OnceLock::new(),
                throttle,
                unlock_reports: UnlockReportLimit::default(),
                sync,
                directories: DirectoryCache::default(),
                facts: FactsCache::default(),
                outcome_bell: crate::outcome_sender::SenderBell::default(),
                stopping: watch::Sender::new(false),
            }
        });
        Self { inner }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn config(&self) -> &HubConfig {
        &self.inner.config
    }

    /// How long a session may go unused (`HubConfig::session_idle`), as the store takes it.
    pub fn idle_timeout(&self) -> doorlink_store::IdleTimeout {
        doorlink_store::IdleTimeout(
            chrono::Duration::from_std(self.inner.config.session_idle)
                .unwrap_or(chrono::TimeDelta::MAX),
        )
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.clock.now()
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    pub fn throttle(&self) -> &SignInThrottle {
        &self.inner.throttle
    }

    /// How many desktop unlock reports each person may send (A4).
    pub fn unlock_report_limit(&self) -> &UnlockReportLimit {
        &self.inner.unlock_reports
    }

    /// The sync worker (and through it the engine): woken after every write.
    pub fn sync(&self) -> &Worker {
        &self.inner.sync
    }

    /// Recently read Kisi directories, per location.
    pub fn directory_cache(&self) -> &DirectoryCache {
        &self.inner.directories
    }

    /// Every location's facts, kept in memory for the member pages.
    /// Rung after queuing an outcome delivery, so the sender does not wait for its next poll.
    pub fn outcome_bell(&self) -> &crate::outcome_sender::SenderBell {
        &self.inner.outcome_bell
    }

    pub fn facts_cache(&self) -> &FactsCache {
        &self.inner.facts
    }

    /// Tells endless responses (the SSE streams) to end: the hub is stopping.
    pub fn begin_shutdown(&self) {
        self.inner.stopping.send_replace(true);
    }

    /// Turns true when the hub stops serving.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.inner.stopping.subscribe()
    }

    /// A receiver of every change notice published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ChangeNotice> {
        self.inner.events.subscribe()
    }

    /// A receiver of every "reload everything" from now on (see [`AppState::reload_everything`]).
    pub fn subscribe_reloads(&self) -> broadcast::Receiver<()> {
        self.inner.reloads.subscribe()
    }

    /// This hub's id on the change feed.
    pub(crate) fn instance(&self) -> &str {
        &self.inner.instance
    }

    /// From now on every published notice is also handed to `feed`, which announces it to the
    /// other hubs on the database. Once only: a second feed is refused (`false`).
    pub(crate) fn announce_to(&self, feed: mpsc::UnboundedSender<ChangeNotice>) -> bool {
        self.inner.feed.set(feed).is_ok()
    }

    /// Tells open pages (SSE) that something changed, and first drops the cached facts and Kisi
    /// directory the change may have made stale, so the next read sees it; on PostgreSQL the
    /// other hubs' pages hear of it too (`change_feed.rs`). Nobody listening is fine.
    pub fn publish(&self, notice: ChangeNotice) {
        // A change here (a sync run, a door event) may have queued outcome webhooks.
        self.inner.outcome_bell.ring();
        if let Some(feed) = self.inner.feed.get() {
            let _ = feed.send(notice.clone());
        }
        self.publish_here(notice);
    }

    /// [`AppState::publish`] on this hub only: for a notice another hub announced.
    pub(crate) fn publish_here(&self, notice: ChangeNotice) {
        let location = notice.location_id.map(LocationId);
        // Sync changes only Kisi's mirror, which the facts do not hold: keep them.
        if notice.kind != ChangeKind::SyncChanged {
            self.inner.facts.forget(location);
        }
        self.inner.directories.forget(location);
        let _ = self.inner.events.send(notice);
    }

    /// Notices were lost (see `reloads`): drops the caches of `location` (every location when
    /// `None`) and tells every open page to reload what it shows.
    pub(crate) fn reload_everything(&self, location: Option<LocationId>) {
        self.inner.facts.forget(location);
        self.inner.directories.forget(location);
        let _ = self.inner.reloads.send(());
    }

    /// After a write: wakes the sync worker so the grant does not wait for the next poll, and tells
    /// open pages what changed.
    pub fn changed(
        &self,
        kind: ChangeKind,
        location: Option<LocationId>,
        people: impl IntoIterator<Item = PersonId>,
        id: Option<i64>,
    ) {
        self.inner.sync.wake();
        self.notify(kind, location, people, id);
    }

    /// Shorthand for [`AppState::publish`].
    pub fn notify(
        &self,
        kind: ChangeKind,
        location: Option<LocationId>,
        people: impl IntoIterator<Item = PersonId>,
        id: Option<i64>,
    ) {
        self.publish(ChangeNotice {
            kind,
            location_id: location.map(|l| l.0),
            people: people.into_iter().map(|p| p.0).collect(),
            id,
        });
    }
}
