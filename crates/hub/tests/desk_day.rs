//! The front desk's day (issue 17, point 8): `GET /api/locations/{id}/desk-day` shows a Berlin
//! location's bookings, visitors and day passes by the location's days and hours — across
//! midnight, on the days the clocks change — and what needs the desk now; members are refused.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use std::collections::BTreeSet;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use common::{TestHub, Who, code, fields};
use doorlink_core::{
    BookingId, DoorAccess, KisiGroupId, PersonId, ProductKind, ResourceId, ResourceKind,
};
use doorlink_store::{Backoff, NewBooking, OutboxScope};
use serde_json::Value;

/// A wall-clock time in Berlin (the test hub's location), as an instant.
fn berlin(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Berlin
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

async fn desk_day(hub: &TestHub, query: &str) -> Value {
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/locations/{}/desk-day?{query}", hub.location.0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body
}

async fn room(hub: &TestHub, name: &str) -> ResourceId {
    hub.state
        .store()
        .catalog()
        .create_resource(
            hub.location,
            name,
            ResourceKind::Room,
            &DoorAccess::groups([KisiGroupId(7)]),
        )
        .await
        .unwrap()
        .id
}

async fn book(
    hub: &TestHub,
    resource: ResourceId,
    booker: PersonId,
    invitees: &[PersonId],
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> BookingId {
    hub.state
        .store()
        .bookings()
        .create(&NewBooking {
            resource,
            booker,
            invitees: invitees.iter().copied().collect::<BTreeSet<_>>(),
            start,
            end,
        })
        .await
        .unwrap()
        .id
}

fn booking_ids(day: &Value) -> Vec<i64> {
    day["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_i64().unwrap())
        .collect()
}

fn hour_labels(day: &Value) -> Vec<&str> {
    day["hours"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["local"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_member_is_refused_the_desk_day_and_staff_and_admins_get_it() {
    let hub = TestHub::new().await;
    let uri = format!("/api/locations/{}/desk-day", hub.location.0);
    assert_eq!(
        hub.status_only(Who::Member, Method::GET, &uri).await,
        StatusCode::FORBIDDEN,
        "a member reading the desk's day (everyone's bookings and names)"
    );
    assert_eq!(
        hub.status_only(Who::Nobody, Method::GET, &uri).await,
        StatusCode::UNAUTHORIZED
    );
    for who in [Who::Staff, Who::Admin] {
        assert_eq!(
            hub.status_only(who, Method::GET, &uri).await,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn without_a_date_the_day_is_the_locations_today_not_utcs() {
    // 23:30 UTC on 24 Nov is already 00:30 on 25 Nov in Berlin.
    let hub = TestHub::at(Utc.with_ymd_and_hms(2026, 11, 24, 23, 30, 0).unwrap()).await;
    let view = desk_day(&hub, "").await;
    assert_eq!(view["time_zone"], "Europe/Berlin");
    assert_eq!(view["days"].as_array().unwrap().len(), 1);
    assert_eq!(view["days"][0]["date"], "2026-11-25");
    assert_eq!(view["days"][0]["starts_at"], "2026-11-24T23:00:00Z");
    assert_eq!(view["now"]["at_local"], "2026-11-25 00:30");
}

#[tokio::test]
async fn a_booking_across_midnight_shows_on_both_days_and_says_so() {
    let hub = TestHub::at(berlin(2026, 11, 24, 12, 0)).await;
    let spree = room(&hub, "Spree").await;
    let ana = hub.member.person.unwrap();
    let ben = hub.other_member.person.unwrap();
    let late = book(
        &hub,
        spree,
        ana,
        &[ben],
        (berlin(2026, 11, 24, 22, 0), berlin(2026, 11, 25, 2, 0)),
    )
    .await;
    // Ends exactly at the day's first midnight: belongs to the day before only.
    let evening = book(
        &hub,
        spree,
        ben,
        &[],
        (berlin(2026, 11, 23, 20, 0), berlin(2026, 11, 24, 0, 0)),
    )
    .await;
    let week = desk_day(&hub, "date=2026-11-23&days=3").await;
    let days = week["days"].as_array().unwrap();
    assert_eq!(booking_ids(&days[0]), [evening.0]);
    assert_eq!(booking_ids(&days[1]), [late.0]);
    assert_eq!(booking_ids(&days[2]), [late.0]);
    let (tuesday, wednesday) = (&days[1]["bookings"][0], &days[2]["bookings"][0]);
    assert_eq!(tuesday["start_local"], "2026-11-24 22:00");
    assert_eq!(tuesday["end_local"], "2026-11-25 02:00");
    assert_eq!(
        (&tuesday["from_earlier_day"], &tuesday["into_later_day"]),
        (&Value::Bool(false), &Value::Bool(true))
    );
    assert_eq!(
        (&wednesday["from_earlier_day"], &wednesday["into_later_day"]),
        (&Value::Bool(true), &Value::Bool(false))
    );
    assert_eq!(tuesday["booker"]["name"], "Ana");
    assert_eq!(tuesday["invitees"][0]["name"], "Ben");
    assert_eq!(week["resources"][0]["name"], "Spree");
    assert_eq!(week["resources"][0]["kind"], "room");
}

#[tokio::test]
async fn berlins_spring_forward_day_has_23_hours_and_its_fall_back_day_25() {
    let hub = TestHub::at(berlin(2026, 3, 20, 12, 0)).await;
    let spree = room(&hub, "Spree").await;
    let ana = hub.member.person.unwrap();
    // 01:30–03:30 on the spring-forward day lasts one hour: 02:00–03:00 does not exist.
    book(
        &hub,
        spree,
        ana,
        &[],
        (berlin(2026, 3, 29, 1, 30), berlin(2026, 3, 29, 3, 30)),
    )
    .await;
    let spring = desk_day(&hub, "date=2026-03-29").await;
    let day = &spring["days"][0];
    let labels = hour_labels(day);
    assert_eq!(labels.len(), 23);
    assert_eq!(&labels[..4], ["00:00", "01:00", "03:00", "04:00"]);
    assert_eq!(labels.last(), Some(&"23:00"));
    assert_eq!(day["starts_at"], "2026-03-28T23:00:00Z");
    assert_eq!(day["ends_at"], "2026-03-29T22:00:00Z");
    let booking = &day["bookings"][0];
    assert_eq!(booking["start"], "2026-03-29T00:30:00Z");
    assert_eq!(booking["end"], "2026-03-29T01:30:00Z");
    assert_eq!(booking["start_local"], "2026-03-29 01:30");
    assert_eq!(booking["end_local"], "2026-03-29 03:30");

    let autumn = desk_day(&hub, "date=2026-10-25").await;
    let labels = hour_labels(&autumn["days"][0]);
    assert_eq!(labels.len(), 25);
    assert_eq!(&labels[..5], ["00:00", "01:00", "02:00", "02:00", "03:00"]);
    assert_eq!(autumn["days"][0]["starts_at"], "2026-10-24T22:00:00Z");
    assert_eq!(autumn["days"][0]["ends_at"], "2026-10-25T23:00:00Z");
}

#[tokio::test]
async fn a_cancelled_booking_is_not_shown_and_one_cancelled_later_ends_there() {
    let hub = TestHub::at(berlin(2026, 11, 24, 8, 0)).await;
    let spree = room(&hub, "Spree").await;
    let ana = hub.member.person.unwrap();
    let cancelled = book(
        &hub,
        spree,
        ana,
        &[],
        (berlin(2026, 11, 24, 9, 0), berlin(2026, 11, 24, 10, 0)),
    )
    .await;
    let shortened = book(
        &hub,
        spree,
        ana,
        &[],
        (berlin(2026, 11, 24, 12, 0), berlin(2026, 11, 24, 16, 0)),
    )
    .await;
    let bookings = hub.state.store().bookings();
    bookings.cancel(cancelled, None).await.unwrap();
    bookings
        .cancel(shortened, Some(berlin(2026, 11, 24, 14, 0)))
        .await
        .unwrap();
    let view = desk_day(&hub, "date=2026-11-24").await;
    let day = &view["days"][0];
    assert_eq!(booking_ids(day), [shortened.0]);
    assert_eq!(day["bookings"][0]["end_local"], "2026-11-24 14:00");
}

#[tokio::test]
async fn a_bad_date_or_span_is_a_422_naming_the_parameter() {
    let hub = TestHub::new().await;
    for (query, field) in [
        ("date=24.11.2026", "date"),
        ("date=2026-02-30", "date"),
        ("date=2026-1-5", "date"),
        ("date=1899-12-31", "date"),
        ("date=2026-11-24%27%20OR%201%3D1", "date"),
        ("days=0", "days"),
        ("days=8", "days"),
        ("days=-1", "days"),
        ("days=seven", "days"),
    ] {
        let (status, body) = hub
            .call(
                Who::Staff,
                Method::GET,
                &format!("/api/locations/{}/desk-day?{query}", hub.location.0),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(code(&body), "validation_failed", "{query}: {body}");
        assert_eq!(fields(&body), [field], "{query}: {body}");
    }
    assert_eq!(
        hub.status_only(Who::Staff, Method::GET, "/api/locations/999/desk-day")
            .await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_desk_sees_visitors_day_passes_who_has_access_now_holds_and_failures() {
    let now = berlin(2026, 11, 24, 10, 30);
    let hub = TestHub::at(now).await;
    let store = hub.state.store();
    let spree = room(&hub, "Spree").await;
    let ana = hub.member.person.unwrap();
    let ben = hub.other_member.person.unwrap();
    let cleo = store
        .people()
        .create("Cleo Visitor", "cleo@example.com")
        .await
        .unwrap()
        .id;
    let dora = store
        .people()
        .create("Dora Daypass", "dora@example.com")
        .await
        .unwrap()
        .id;
    let door = DoorAccess::groups([KisiGroupId(7)]);
    // Ana's booking runs now; Ben's too, but Ben is on hold (R14): he has no access now.
    book(
        &hub,
        spree,
        ana,
        &[],
        (berlin(2026, 11, 24, 10, 0), berlin(2026, 11, 24, 11, 0)),
    )
    .await;
    let desk = store
        .catalog()
        .create_resource(hub.location, "Desk 1", ResourceKind::Desk, &door)
        .await
        .unwrap()
        .id;
    book(
        &hub,
        desk,
        ben,
        &[],
        (berlin(2026, 11, 24, 9, 0), berlin(2026, 11, 24, 17, 0)),
    )
    .await;
    store.holds().hold(hub.location, ben).await.unwrap();
    let policy = store
        .catalog()
        .create_visitor_policy(hub.location, "Guests", &door)
        .await
        .unwrap()
        .id;
    store
        .passes()
        .create_visit(
            cleo,
            policy,
            berlin(2026, 11, 24, 14, 0),
            berlin(2026, 11, 24, 16, 0),
        )
        .await
        .unwrap();
    let product = store
        .catalog()
        .create_product(hub.location, "Day Pass", ProductKind::DayPass, &door)
        .await
        .unwrap()
        .id;
    store
        .passes()
        .sell_day_pass(dora, product, now.with_timezone(&Berlin).date_naive())
        .await
        .unwrap();
    // Kisi refused Ana's access twice: the desk must see it, with her name.
    let outbox = store.outbox();
    for claim in outbox.claim(10, Duration::from_secs(60)).await.unwrap() {
        if claim.entry.scope
            == (OutboxScope::Person {
                location: hub.location,
                person: ana,
            })
        {
            outbox
                .fail(
                    &claim,
                    "Kisi answered 500. What to do: nothing yet",
                    Backoff::DEFAULT,
                )
                .await
                .unwrap();
        } else {
            outbox.complete(&claim).await.unwrap();
        }
    }

    let view = desk_day(&hub, "").await;
    let day = &view["days"][0];
    assert_eq!(day["visits"][0]["visitor"]["name"], "Cleo Visitor");
    assert_eq!(day["visits"][0]["policy"], "Guests");
    assert_eq!(
        day["visits"][0]["expected_arrival_local"],
        "2026-11-24 14:00"
    );
    assert_eq!(day["day_passes"][0]["person"]["name"], "Dora Daypass");
    assert_eq!(day["day_passes"][0]["product"], "Day Pass");
    let names: Vec<&str> = view["now"]["access"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["person"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Ana", "Dora Daypass"],
        "Ben is on hold and Cleo arrives at 14:00: neither opens a door now"
    );
    assert_eq!(
        view["now"]["access"][0]["via"][0],
        "booking of Spree, 10:00–11:00"
    );
    assert_eq!(view["now"]["on_hold"][0]["person"]["name"], "Ben");
    let failure = &view["now"]["failures"][0];
    assert_eq!(failure["person"]["name"], "Ana");
    assert_eq!(
        failure["message"],
        "Kisi answered 500. What to do: nothing yet"
    );
    assert_eq!(view["now"]["kisi"]["failing_entries"], 1);
}
