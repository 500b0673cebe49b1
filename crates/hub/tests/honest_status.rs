//! Issue 17, honest status, through the hub's routes against the Kisi emulator over TCP: every view
//! that states a person's access says whether Kisi confirmed it (confirmed, pending, failing
//! since …) in the reader's words, the Kisi connection says how Kisi answers, and a group deleted
//! in Kisi is found (the directory is read again when Kisi answers "not found") and shown on the
//! Sync page, the dry run and the person's page (C4).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::kisi_space;

use doorlink_core::{LocationId, PersonId};
use doorlink_store::OutboxScope;
use doorlink_sync::DIRECTORY_OUTDATED;
use kisi_emulator::Fault;
use kisi_space::{KisiSpace, id_named};
use serde_json::{Value, json};

/// What a member reads while their change is queued, and while writing it to Kisi fails: the
/// words of the hub's honest status, read here as the member reads them.
const MEMBER_PENDING: &str = "Kisi has not confirmed this yet; it usually takes a few seconds";
const MEMBER_FAILING: &str = "Doorlink cannot reach Kisi right now; staff have been told";

/// The Kisi status of the first (only) location of an Access page.
fn kisi_of(access: &Value) -> Value {
    access["locations"][0]["kisi"].clone()
}

async fn staff_view_of_ana(space: &KisiSpace) -> Value {
    space
        .admin
        .get(&format!(
            "/api/people/{}/access?location_id={}",
            space.ana, space.location
        ))
        .await
}

async fn connection(space: &KisiSpace) -> Value {
    space
        .admin
        .get(&format!("/api/locations/{}/kisi", space.location))
        .await
}

fn instant(value: &Value) -> chrono::DateTime<chrono::Utc> {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a time: {value}"))
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_every_kisi_call_failing_access_says_failing_since_and_the_connection_says_kisi_fails()
{
    // Ana's booking of the room, running now, is in Kisi.
    let space = KisiSpace::start().await;
    let access = space.ana_access().await;
    assert_eq!(kisi_of(&access)["state"], "confirmed", "{access:#}");
    let health = connection(&space).await["health"].clone();
    assert!(health["last_success_at"].is_string(), "{health:#}");
    assert!(health["failing_since"].is_null(), "{health:#}");

    // The adversary: Kisi fails every call. Ana books the room again, for later today.
    space
        .kisi
        .control()
        .inject(Fault::ServerErrors { fraction: 1.0 });
    space
        .book_room(chrono::Duration::hours(3), chrono::Duration::hours(4))
        .await;
    let queued = kisi_of(&space.ana_access().await);
    assert_eq!(queued["state"], "pending", "{queued:#}");
    assert_eq!(queued["message"], MEMBER_PENDING);
    let before_failure = chrono::Utc::now();
    space.sync().await;

    // The member reads words for members, with since when.
    let access = space.ana_access().await;
    let kisi = kisi_of(&access);
    assert_eq!(kisi["state"], "failing", "{access:#}");
    assert_eq!(kisi["message"], MEMBER_FAILING);
    let since = instant(&kisi["failing_since"]);
    assert!(
        since >= before_failure - chrono::Duration::seconds(1),
        "{kisi:#}"
    );
    // Staff read the error and its fix, on the person's page and in the explain API.
    let staff = kisi_of(&staff_view_of_ana(&space).await);
    assert_eq!(staff["state"], "failing");
    assert_eq!(instant(&staff["failing_since"]), since);
    let message = staff["message"].as_str().unwrap();
    assert!(
        message.contains("Kisi") && message.contains("What to do: "),
        "{message}"
    );
    let explained = space
        .admin
        .get(&format!(
            "/api/people/{}/locks/{}/explain?location_id={}",
            space.ana, space.room_lock, space.location
        ))
        .await;
    assert_eq!(explained["may_open"], true, "{explained:#}");
    assert_eq!(explained["kisi"]["state"], "failing", "{explained:#}");
    assert!(
        explained["kisi"]["message"]
            .as_str()
            .unwrap()
            .contains("What to do: ")
    );
    let own = space
        .member
        .get(&format!("/api/me/locks/{}/explain", space.room_lock))
        .await;
    assert_eq!(own["kisi"]["state"], "failing", "{own:#}");
    assert_eq!(own["kisi"]["message"], MEMBER_FAILING);

    // The connection is still there, and says Kisi fails since then, with the fix for staff.
    let view = connection(&space).await;
    let health = &view["health"];
    assert!(view["disconnected_at"].is_null());
    let failing_since = instant(&health["failing_since"]);
    assert!(
        failing_since >= instant(&health["last_success_at"]),
        "{health:#}"
    );
    assert!(
        failing_since >= before_failure - chrono::Duration::seconds(1),
        "{health:#}"
    );
    assert!(
        health["failing_entries"].as_i64().unwrap() >= 1,
        "{health:#}"
    );
    assert!(
        health["message"].as_str().unwrap().contains("What to do: "),
        "{health:#}"
    );

    // Kisi answers again: the entry is written, and every view says so.
    space.kisi.control().clear_faults();
    let written = space
        .state
        .sync()
        .run_now(OutboxScope::Person {
            location: LocationId(space.location),
            person: PersonId(space.ana),
        })
        .await
        .unwrap();
    assert!(written);
    let kisi = kisi_of(&space.ana_access().await);
    assert_eq!(kisi["state"], "confirmed", "{kisi:#}");
    assert!(kisi["failing_since"].is_null());
    let health = connection(&space).await["health"].clone();
    assert!(health["failing_since"].is_null(), "{health:#}");
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kisi_answering_group_not_found_rereads_the_directory_and_every_orphan_shows_at_once() {
    let space = KisiSpace::start().await;
    // A plan mapped to a second group, with nobody on it: no grant ever touches that group.
    let directory = space
        .admin
        .get(&format!("/api/locations/{}/kisi/catalogue", space.location))
        .await;
    let it_group = id_named(&directory["groups"], "IT Staff");
    space
        .admin
        .post(
            "/api/plans",
            json!({"location_id": space.location, "name": "Server Care", "door_access": {"groups": [it_group]}}),
        )
        .await;
    space.sync().await;
    let sync_page = format!("/api/sync/status?location_id={}", space.location);
    let dry_run = format!("/api/locations/{}/sync/dry-run", space.location);
    assert_eq!(
        space.admin.get(&sync_page).await["orphaned_mappings"],
        json!([])
    );

    // The adversary: both groups are deleted in the Kisi dashboard. Nothing Doorlink reads says so
    // yet (the "Up to date").
    for group in [space.room_group, it_group] {
        space
            .kisi
            .control()
            .delete_group(u64::try_from(group).unwrap())
            .unwrap();
    }
    assert_eq!(
        space.admin.get(&sync_page).await["orphaned_mappings"],
        json!([])
    );

    // Ben books the room: granting him meets Kisi's "Group is not found", which asks for the
    // location's full reconcile.
    let ben = space
        .admin
        .post(
            "/api/people",
            json!({"name": "Ben Okafor", "email": "ben@harbor.example"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let now = chrono::Utc::now();
    space
        .admin
        .post(
            "/api/bookings",
            json!({
                "resource_id": space.room, "booker_id": ben,
                "start": (now + chrono::Duration::hours(2)).to_rfc3339(),
                "end": (now + chrono::Duration::hours(3)).to_rfc3339(),
            }),
        )
        .await;
    space.state.sync().run_once().await.unwrap();
    let queue = space.admin.get(&sync_page).await["queue"].clone();
    assert!(
        queue
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["person_id"].is_null() && e["reason"] == DIRECTORY_OUTDATED),
        "the directory is read again: {queue:#}"
    );
    space.sync().await;

    // The Sync page and the dry run name both mappings, the untouched one too (C4).
    let orphaned = space.admin.get(&sync_page).await["orphaned_mappings"].clone();
    let orphaned: Vec<&str> = orphaned
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        orphaned
            .iter()
            .any(|w| w.starts_with("resource \"Elbe\": \"Room Elbe\" no longer exists in Kisi")),
        "{orphaned:#?}"
    );
    assert!(
        orphaned
            .iter()
            .any(|w| w.starts_with("plan \"Server Care\": \"IT Staff\" no longer exists in Kisi")),
        "{orphaned:#?}"
    );
    let notices = space.admin.get(&dry_run).await["notices"].clone();
    for warning in &orphaned {
        assert!(
            notices.as_array().unwrap().iter().any(|n| n == warning),
            "the dry run names {warning}: {notices:#}"
        );
    }
    // Ana's page, as staff and she see it, says the room's group was deleted in Kisi (A5).
    let causes: Vec<String> = staff_view_of_ana(&space).await["locations"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cause"].as_str().unwrap().to_owned())
        .collect();
    assert!(causes.contains(&"group_deleted".to_owned()), "{causes:?}");
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_periodic_reconcile_finds_a_group_deleted_in_kisi_without_any_grant_touching_it() {
    // The hub's default: every connected location is reconciled every 15 minutes.
    let defaults = doorlink_hub::HubConfig::with_database("doorlink.db");
    assert!(defaults.run_sync_worker);
    assert_eq!(
        defaults.sync.reconcile_interval,
        Some(std::time::Duration::from_secs(15 * 60))
    );
    let space = KisiSpace::start().await;
    space
        .kisi
        .control()
        .delete_group(u64::try_from(space.room_group).unwrap())
        .unwrap();

    // What the periodic reconcile asks for, run by the worker.
    space.state.sync().enqueue_reconciles().await.unwrap();
    space.sync().await;

    let orphaned = space
        .admin
        .get(&format!("/api/sync/status?location_id={}", space.location))
        .await["orphaned_mappings"]
        .clone();
    assert_eq!(orphaned.as_array().unwrap().len(), 1, "{orphaned:#}");
    space.stop().await;
}
