//! The payload corpus: every response the client reads, as Kisi's docs show it (`payloads/`, with
//! its sources), parses with the client's models; and no mix of `null`, absent and unknown fields
//! makes a list lose a readable record (issue 13: one `null` used to stop a location's sync).
#![allow(
    clippy::panic,
    clippy::unreachable,
    reason = "a payload file that cannot be read should stop the test loudly"
)]

use std::collections::BTreeMap;

use kisi::{
    CurrentUser, Event, Group, GroupLink, GroupLock, Lock, Login, Place, RoleAssignment, User,
    UserLogin, readable_items,
};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

fn payload(name: &str) -> Value {
    let path = format!("{}/tests/payloads/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every record of a list payload is read; none is skipped.
fn every_record<T: DeserializeOwned>(name: &str) -> Vec<T> {
    let Value::Array(items) = payload(name) else {
        panic!("{name} is not a list")
    };
    let count = items.len();
    let read: Vec<T> = readable_items(name, items);
    assert_eq!(read.len(), count, "{name}: a record was skipped");
    read
}

fn one<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(payload(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_lock_with_null_restriction_flags_does_not_stop_the_list() {
    // Kisi's own example (docs, "Implement in-app unlocks") answers the three flags as null.
    let locks: Vec<Lock> = every_record("locks.json");
    let lock = &locks[0];
    assert!(!lock.reader_restriction_enabled && !lock.geofence_restriction_enabled);
    assert!(!lock.time_restriction_enabled);
    assert_eq!(lock.geofence_restriction_radius, Some(300.0));
    assert_eq!(
        lock.time_restriction_time_zone.as_deref(),
        Some("Europe/Budapest")
    );
    // The door's state is read as given (the example's placeholders), never defaulted.
    assert_eq!((lock.online, lock.locked_down), (Some(false), Some(false)));
}

#[test]
fn a_created_role_assignment_without_user_id_is_read() {
    // Kisi's "Assign access rights" answers {id, role_id, type, group_id}: no user_id.
    let created: RoleAssignment = one("role_assignment_created.json");
    assert_eq!(created.user_id, None);
    assert!(created.group_id.is_some());
}

#[test]
fn listed_role_assignments_without_group_id_are_read() {
    let listed: Vec<RoleAssignment> = every_record("role_assignments.json");
    assert!(listed.iter().all(|ra| ra.group_id.is_none()));
}

#[test]
fn a_user_search_answer_without_confirmed_reads_as_unconfirmed() {
    let users: Vec<User> = every_record("users.json");
    assert!(!users[0].confirmed, "unknown reads as unconfirmed (I3)");
    let created: User = one("user_created.json");
    assert_eq!(created.email, "user@example.com");
}

#[test]
fn a_login_on_behalf_without_its_own_id_is_read() {
    let login: UserLogin = one("login_on_behalf.json");
    assert_eq!(login.id, None);
    assert_eq!(login.user.email, "user@example.com");
    let _: Login = one("login_sign_in.json");
    let _: CurrentUser = one("current_user.json");
}

#[test]
fn places_groups_group_locks_links_and_events_with_nulls_and_extras_are_read() {
    let _: Vec<Place> = every_record("places.json");
    let groups: Vec<Group> = every_record("groups.json");
    assert_eq!(groups[0].members_count, None, "unknown stays unknown (M8)");
    assert_eq!(
        groups[0].login_enabled, None,
        "unknown app access stays unknown"
    );
    assert_eq!(groups[0].primary_device_restriction_enabled, None);
    let _: Vec<GroupLock> = every_record("group_locks.json");
    let link: GroupLink = one("group_link_created.json");
    assert!(link.secret.is_some());
    let _: Vec<Event> = every_record("events.json");
}

#[test]
fn one_unreadable_record_is_skipped_and_the_others_are_kept() {
    let Value::Array(mut items) = payload("locks.json") else {
        unreachable!()
    };
    let mut broken = items[0].clone();
    broken["id"] = json!("not-an-id");
    let mut second = items[0].clone();
    second["id"] = json!(7);
    items.extend([broken, second]);
    let read: Vec<Lock> = readable_items("/locks", items);
    assert_eq!(read.iter().map(|l| l.id.0).collect::<Vec<_>>(), [0, 7]);
}

// --- Property: random null / absent / extra fields never cost a readable record ----------------

/// One model: a full record from the corpus, and the fields without which it is unreadable.
struct Model {
    record: Value,
    required: &'static [&'static str],
    read: fn(Vec<Value>) -> usize,
}

fn count<T: DeserializeOwned>(items: Vec<Value>) -> usize {
    readable_items::<T>("/property", items).len()
}

fn first(name: &str) -> Value {
    match payload(name) {
        Value::Array(mut items) => items.remove(0),
        other => other,
    }
}

fn models() -> Vec<Model> {
    vec![
        Model {
            record: first("locks.json"),
            required: &["id"],
            read: count::<Lock>,
        },
        Model {
            record: first("places.json"),
            required: &["id"],
            read: count::<Place>,
        },
        Model {
            record: first("groups.json"),
            required: &["id"],
            read: count::<Group>,
        },
        Model {
            record: first("users.json"),
            required: &["id", "email"],
            read: count::<User>,
        },
        Model {
            record: first("role_assignment_created.json"),
            required: &["id"],
            read: count::<RoleAssignment>,
        },
        Model {
            record: first("group_locks.json"),
            required: &["id", "group_id", "lock_id"],
            read: count::<GroupLock>,
        },
        Model {
            record: first("group_link_created.json"),
            required: &["id", "group_id"],
            read: count::<GroupLink>,
        },
        Model {
            record: first("events.json"),
            required: &["type", "created_at"],
            read: count::<Event>,
        },
    ]
}

/// What happens to one optional field of one record.
#[derive(Debug, Clone, Copy)]
enum Change {
    Keep,
    Null,
    Absent,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![Just(Change::Keep), Just(Change::Null), Just(Change::Absent)]
}

fn extra_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z ]{0,12}".prop_map(Value::from),
        Just(json!({"nested": [1, {"deeper": null}]})),
    ]
}

/// A record: per-field changes, unknown fields, and whether a required field is broken.
fn record_plan() -> impl Strategy<Value = (Vec<Change>, BTreeMap<String, Value>, bool)> {
    (
        prop::collection::vec(change(), 40),
        prop::collection::btree_map("x_[a-z_]{1,10}", extra_value(), 0..4),
        prop::bool::weighted(0.2),
    )
}

fn mutate(model: &Model, plan: &(Vec<Change>, BTreeMap<String, Value>, bool)) -> Value {
    let (changes, extras, broken) = plan;
    let Value::Object(fields) = &model.record else {
        unreachable!()
    };
    let mut out = Map::new();
    for ((name, value), change) in fields.iter().zip(changes.iter().cycle()) {
        if model.required.contains(&name.as_str()) {
            out.insert(name.clone(), value.clone());
            continue;
        }
        match change {
            Change::Keep => {
                out.insert(name.clone(), value.clone());
            }
            Change::Null => {
                out.insert(name.clone(), Value::Null);
            }
            Change::Absent => {}
        }
    }
    for (name, value) in extras {
        out.insert(name.clone(), value.clone());
    }
    if *broken {
        out.insert(model.required[0].to_owned(), Value::Null);
    }
    Value::Object(out)
}

proptest! {
    #[test]
    fn random_nulls_absent_and_unknown_fields_never_fail_the_whole_list(
        plans in prop::collection::vec(record_plan(), 1..12),
    ) {
        for model in models() {
            let items: Vec<Value> = plans.iter().map(|plan| mutate(&model, plan)).collect();
            let intact = plans.iter().filter(|(_, _, broken)| !broken).count();
            prop_assert_eq!((model.read)(items), intact, "{}", model.record);
        }
    }
}
