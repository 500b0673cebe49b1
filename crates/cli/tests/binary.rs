//! The `doorlink` binary itself: `--help` for every command, and `explain` / `sync --dry-run`
//! against a demo space on disk.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions stop loudly too"
)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use chrono::Utc;
use doorlink_cli::commands::demo;
use doorlink_cli::data;
use doorlink_cli::demo_space::{MEMBER_EMAIL, names};
use doorlink_store::{NewBooking, Store};

fn doorlink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_doorlink"))
        .args(args)
        // The developer's own hub settings must not leak into the test.
        .env_remove("DOORLINK_DATA")
        .env_remove("DOORLINK_DATABASE")
        .env_remove("DOORLINK_DATABASE_URL")
        .env_remove("DOORLINK_CONFIG")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_names_every_command() {
    let help = doorlink(&["--help"]);
    assert!(help.status.success());
    let text = stdout(&help);
    for command in ["serve", "demo", "explain", "sync"] {
        assert!(text.contains(command), "{command} missing from:\n{text}");
    }
}

#[test]
fn each_command_explains_its_flags() {
    for (command, flags) in [
        ("serve", &["--config", "--listen", "--data"][..]),
        ("demo", &["--data", "--port", "--emulator-port"][..]),
        (
            "explain",
            &["--lock", "--location", "--data", "<EMAIL>"][..],
        ),
        ("sync", &["--dry-run", "--location", "--data"][..]),
    ] {
        let help = doorlink(&[command, "--help"]);
        assert!(help.status.success(), "{command} --help: {}", stderr(&help));
        let text = stdout(&help);
        for flag in flags {
            assert!(
                text.contains(flag),
                "`{command} --help` lacks {flag}:\n{text}"
            );
        }
    }
}

/// A synced demo space written to `dir/doorlink.db`, as `doorlink demo --data dir` leaves it.
async fn demo_on_disk(dir: &Path) -> kisi_emulator::RunningEmulator {
    let emulator = demo::start_emulator(0).await.unwrap();
    let store = Store::open(data::database_path(dir)).await.unwrap();
    demo::prepare_space(&store, &emulator, Utc::now())
        .await
        .unwrap();
    store.close().await;
    emulator
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_prints_the_reader_restriction_and_its_fix() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = demo_on_disk(dir.path()).await;
    let data = dir.path().to_str().unwrap();

    let output = doorlink(&[
        "explain",
        MEMBER_EMAIL,
        "--lock",
        names::READER_RESTRICTED_LOCK,
        "--data",
        data,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Cannot open \"Server Room\" now."), "{text}");
    assert!(text.contains("Fix: Ask a Kisi administrator"), "{text}");

    let stranger = doorlink(&["explain", "nobody@example.com", "--data", data]);
    assert!(!stranger.status.success());
    assert!(
        stderr(&stranger).contains("nobody@example.com"),
        "{}",
        stderr(&stranger)
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_dry_run_of_a_synced_demo_has_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = demo_on_disk(dir.path()).await;

    let output = doorlink(&["sync", "--dry-run", "--data", dir.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("nothing to do"),
        "{}",
        stdout(&output)
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_applies_what_the_dry_run_showed() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = demo_on_disk(dir.path()).await;
    let data = dir.path().to_str().unwrap();
    let store = Store::open(data::database_path(dir.path())).await.unwrap();
    let location = store.locations().list().await.unwrap()[0].id;
    let elbe = store
        .catalog()
        .resources(location)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == names::ROOM_ELBE)
        .unwrap();
    let booker = store
        .people()
        .by_email("viktor.novak@example.com")
        .await
        .unwrap()
        .unwrap();
    let start = Utc::now() + chrono::Duration::days(4);
    store
        .bookings()
        .create(&NewBooking {
            resource: elbe.id,
            booker: booker.id,
            invitees: BTreeSet::new(),
            start,
            end: start + chrono::Duration::hours(1),
        })
        .await
        .unwrap();
    store.close().await;
    let before = emulator.control().state().role_assignments.len();

    let preview = doorlink(&["sync", "--dry-run", "--data", data]);
    assert!(
        stdout(&preview).contains("group \"Room Elbe\""),
        "{}",
        stdout(&preview)
    );
    let applied = doorlink(&["sync", "--data", data]);
    assert!(applied.status.success(), "{}", stderr(&applied));
    assert!(
        stdout(&applied).contains("0 failed"),
        "{}",
        stdout(&applied)
    );
    assert_eq!(
        emulator.control().state().role_assignments.len(),
        before + 1
    );
    let settled = doorlink(&["sync", "--dry-run", "--data", data]);
    assert!(
        stdout(&settled).contains("nothing to do"),
        "{}",
        stdout(&settled)
    );
    emulator.shutdown().await;
}

#[test]
fn commands_refuse_a_folder_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let output = doorlink(&["sync", "--dry-run", "--data", dir.path().to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no Doorlink database"),
        "{}",
        stderr(&output)
    );
}
