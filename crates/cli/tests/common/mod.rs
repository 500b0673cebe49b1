//! Shared set-up: a demo space built, connected and synced exactly as `doorlink demo` does it;
//! `doorlink serve` as a child process a test can kill -9 and restart (`hub_process`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    reason = "test set-up stops loudly; not every test file uses every helper"
)]

pub(crate) mod hub_process;
pub(crate) mod postgres;

use chrono::Utc;
use doorlink_cli::commands::demo;
use doorlink_cli::demo_space::DemoSpace;
use doorlink_store::Store;
use kisi_emulator::RunningEmulator;

/// The emulator with the demo seed, an in-memory store holding the synced demo space.
pub(crate) async fn synced_demo() -> (RunningEmulator, Store, DemoSpace) {
    let emulator = demo::start_emulator(0).await.unwrap();
    let store = Store::open_in_memory().await.unwrap();
    let space = demo::prepare_space(&store, &emulator, Utc::now())
        .await
        .unwrap();
    (emulator, store, space)
}
