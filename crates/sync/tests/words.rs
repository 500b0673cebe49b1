//! A sync plan in words (issue 17 point 5): names and the location's wall-clock time, never ids
//! or UTC, for the Admin › Sync page and `doorlink sync --dry-run` alike.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failed read should stop the test loudly"
)]

use crate::common;

use common::*;
use doorlink_core::{DoorAccess, KisiGroupId};
use doorlink_sync::plan_words;

/// The adversary: a plan holding both kinds of lines that used to leak ids — a grant of a named
/// group, and a room mapped to a group Kisi does not have (no name to show, so the old words fell
/// back to "group 424242" and "person 2") — with times stored in UTC.
#[tokio::test]
async fn no_plan_line_names_an_id_or_utc() {
    let space = Space::start().await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ghost = space
        .room("Ghost Room", DoorAccess::groups([KisiGroupId(424_242)]))
        .await;
    let ana = space.person("Ana Amsel", "ana@hive.test").await;
    let ben = space.person("Ben Berg", "ben@hive.test").await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space
        .book(
            ghost,
            ben,
            &[],
            berlin("2026-03-02 13:00"),
            berlin("2026-03-02 14:00"),
        )
        .await;

    let store = space.engine().store();
    let plan = space.engine().plan_location(space.location).await.unwrap();
    let facts = store.load_location_facts(space.location).await.unwrap();
    let view = store.kisi_mirror().kisi_view(space.location).await.unwrap();
    let words = plan_words(&facts, &view, &plan);
    let lines: Vec<&String> = words.operations.iter().chain(&words.notices).collect();

    // Booked 10:00–12:00 Berlin; the booking's grace widens the grant by half an hour each side.
    assert!(
        lines.iter().any(|l| l.contains(
            "grant Ana Amsel <ana@hive.test> group \"Room A\", Mon 2 Mar 2026, 09:30–12:30 (Berlin time)"
        )),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l
            .starts_with("grant Ben Berg <ben@hive.test> a Kisi group Doorlink has no name for")),
        "the unnamed group is worded, not numbered: {lines:#?}"
    );
    let id_like = regex_free_id_like;
    for line in &lines {
        assert!(!line.contains("UTC"), "{line}");
        assert!(!line.contains("+00:00"), "{line}");
        assert!(!id_like(line, "person "), "{line}");
        assert!(!id_like(line, "group "), "{line}");
        assert!(!id_like(line, "lock "), "{line}");
        assert!(!line.contains("424242"), "{line}");
        assert!(
            !line.contains("(C4)") && !line.contains("(I2)"),
            "no rule codes: {line}"
        );
    }
}

/// Whether `line` holds `word` followed by a number ("person 2", "group 424242").
fn regex_free_id_like(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(at, _)| {
        line[at + word.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// The adversary: the audit log's Kisi calls, which the Sync page quotes as its "last successful
/// Kisi call", used to read "grant group 29 to person 1 from 2026-03-02 08:30:00 UTC …".
#[tokio::test]
async fn the_audit_logs_kisi_calls_name_people_and_groups_in_local_time() {
    let space = Space::start().await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana Amsel", "ana@hive.test").await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space.sync().await;

    let filter = doorlink_store::AuditFilter {
        person: Some(ana),
        ..doorlink_store::AuditFilter::default()
    };
    let page = space
        .engine()
        .store()
        .audit()
        .list(&filter, None, 50)
        .await
        .unwrap();
    let words: Vec<&str> = page.entries.iter().map(|e| e.operation.as_str()).collect();
    assert!(
        words.contains(
            &"grant group \"Room A\" to Ana Amsel, Mon 2 Mar 2026, 09:30–12:30 (Berlin time)"
        ),
        "{words:#?}"
    );
    for line in &words {
        assert!(!line.contains("UTC"), "{line}");
        assert!(!regex_free_id_like(line, "person "), "{line}");
        assert!(!regex_free_id_like(line, "group "), "{line}");
    }
}

/// The adversary: a role someone gave Ana by hand in the Kisi dashboard overlaps Doorlink's grant,
/// so Kisi refuses it; staff read that failure on the Sync page and Ana's page. It used to read
/// "Kisi refuses to grant group 15 to person 39: their role assignment 7 in that group (from
/// 2026-03-02 08:00:00 UTC until …)". Now: the group and the person by name, the blocking role's
/// window in the location's time (Berlin), no Doorlink ids, no UTC; only Kisi's own reference to
/// the blocking role, by which staff find it in Kisi.
#[tokio::test]
async fn a_grant_kisi_refuses_for_a_role_made_by_hand_names_the_group_and_berlin_time() {
    let space = Space::start().await;
    let group = space.group("Room A");
    let room = space.room("Room A", DoorAccess::groups([group])).await;
    let by_hand = space
        .control()
        .add_regular_user("ana@hive.test", "Ana by hand", true)
        .unwrap();
    let blocking = space
        .control()
        .add_role_assignment_by_hand(
            by_hand.id,
            u64::try_from(group.0).unwrap(),
            Some(berlin("2026-03-02 09:00")),
            Some(berlin("2026-03-02 11:00")),
        )
        .unwrap();
    let ana = space.person("Ana Amsel", "ana@hive.test").await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space.sync().await;

    let entry = space
        .store
        .outbox()
        .entry_of(doorlink_store::OutboxScope::Person {
            location: space.location,
            person: ana,
        })
        .await
        .unwrap()
        .expect("the refused grant stays queued");
    let error = entry.last_error.expect("the refusal is recorded for staff");
    assert!(
        error.contains(
            &format!("Kisi refuses to grant group \"Room A\" to Ana Amsel: their role assignment {} in that group (Mon 2 Mar 2026, 09:00–11:00 (Berlin time)) was not made by Doorlink", blocking.id)
        ),
        "{error}"
    );
    assert!(
        !error.contains("UTC") && !error.contains("+00:00"),
        "{error}"
    );
    assert!(!regex_free_id_like(&error, "group "), "{error}");
    assert!(!regex_free_id_like(&error, "person "), "{error}");
}
