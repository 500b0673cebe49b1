//! The demo's Kisi side: the emulator with the demo seed, and the first sync of the demo space.

use std::net::{Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use doorlink_store::{Clock, Store};
use doorlink_sync::{SyncConfig, SyncEngine, Worker};
use kisi_emulator::{EmulatorConfig, RunningEmulator, Seed};

use crate::demo_space::{self, DemoSpace};

/// Requests per second the demo's Kisi emulator allows, and the pace sync keeps towards it.
/// Real Kisi allows 5 per user; the demo runs faster so the first sync of forty people takes
/// seconds, not a minute. Both sides use the same figure, so the pacing is still exercised.
pub const DEMO_KISI_REQUESTS_PER_SECOND: u32 = 100;

/// The Kisi connection settings sync uses in the demo: the emulator's pace, otherwise defaults.
pub fn demo_kisi_connection(base_url: &str) -> kisi::Connection {
    kisi::Connection {
        rate_limit: NonZeroU32::new(DEMO_KISI_REQUESTS_PER_SECOND),
        ..kisi::Connection::new(base_url)
    }
}

/// Starts the Kisi emulator with the demo seed on loopback (`port` 0 = any free port).
pub async fn start_emulator(port: u16) -> Result<RunningEmulator> {
    let seed = Seed::demo().context("loading the emulator's demo seed")?;
    kisi_emulator::start(EmulatorConfig {
        rate_limit_per_second: Some(DEMO_KISI_REQUESTS_PER_SECOND),
        seed: Some(seed),
        listen: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, port))),
        ..EmulatorConfig::default()
    })
    .await
    .with_context(|| format!("starting the Kisi emulator on 127.0.0.1:{port}"))
}

/// Builds the demo space into `store`, connects it to `emulator` with the seed owner's API key
/// and syncs it once, so Kisi already holds every grant when the demo prints its sign-ins.
pub async fn prepare_space(
    store: &Store,
    emulator: &RunningEmulator,
    now: DateTime<Utc>,
) -> Result<DemoSpace> {
    let seed = emulator
        .seed_ids()
        .context("the Kisi emulator was started without the demo seed")?;
    let space = demo_space::build(store, seed, now).await?;
    demo_space::connect(
        store,
        space.location,
        &emulator.base_url(),
        &seed.owner_api_key,
    )
    .await?;
    sync_until_settled(store, &emulator.base_url()).await?;
    Ok(space)
}

/// Runs the outbox until nothing is due, and fails if anything could not be written to Kisi.
pub async fn sync_until_settled(store: &Store, kisi_base_url: &str) -> Result<()> {
    let engine = SyncEngine::new(
        store.clone(),
        Clock::system(),
        SyncConfig {
            kisi: demo_kisi_connection(kisi_base_url),
            ..SyncConfig::default()
        },
    );
    let worker = Worker::new(Arc::new(engine));
    let pass = worker
        .drain()
        .await
        .context("syncing the demo space to Kisi")?;
    if pass.failed > 0 {
        let stuck: Vec<String> = store
            .outbox()
            .entries(None)
            .await?
            .into_iter()
            .filter_map(|entry| entry.last_error)
            .collect();
        bail!(
            "{} sync step(s) of the demo space failed: {}",
            pass.failed,
            stuck.join("; ")
        );
    }
    tracing::info!(entries = pass.completed, "demo space synced to Kisi");
    Ok(())
}

/// The morning so far at the doors, told to Kisi as taps at the readers (so Kisi's own events
/// list holds them, and the hub's first backfill brings them in): people arriving through the
/// front door over the last hours, the day guest's pass used, and a hot-desker refused at the
/// server room. Times are relative to `now`, so the history is as old as a morning whenever the
/// demo starts.
pub(super) fn tap_the_morning(
    emulator: &RunningEmulator,
    space: &DemoSpace,
    now: DateTime<Utc>,
) -> Result<()> {
    use demo_space::cast;
    let seed = emulator
        .seed_ids()
        .context("the Kisi emulator was started without the demo seed")?;
    let lock = |name: &str| {
        seed.locks
            .get(name)
            .copied()
            .with_context(|| format!("the demo seed has no lock {name:?}"))
    };
    let front_door = lock("Front Door")?;
    let server_room = lock(demo_space::names::READER_RESTRICTED_LOCK)?;
    let users = emulator.control().state().users;
    let kisi_user = |position: usize| {
        let email = space.person(position).email.as_str().to_owned();
        users
            .iter()
            .find(|user| user.email == email)
            .map(|user| user.id)
            .with_context(|| format!("{email} has no Kisi user after the demo's sync"))
    };
    let hot_desker = *cast::HOT_DESKERS.start();
    // The demo member is not among them: she is the one who walks in when you try the demo.
    let morning = [
        (190, hot_desker + 1, front_door),
        (170, hot_desker, front_door),
        (150, *cast::DEDICATED_DESKERS.start(), front_door),
        (120, cast::DAY_GUEST, front_door),
        (95, hot_desker, server_room),
    ];
    for (minutes_ago, position, lock) in morning {
        emulator.control().tap_at(
            lock,
            kisi_user(position)?,
            kisi_emulator::Credential::Card,
            now - chrono::Duration::minutes(minutes_ago),
        )?;
    }
    Ok(())
}
