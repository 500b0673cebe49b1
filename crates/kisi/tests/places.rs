//! Places.

use crate::common;

use common::*;

#[tokio::test]
async fn places_lists_every_place_with_its_location_and_zone() {
    let fixture = Fixture::start().await;
    let mut places = fixture.admin.places().await.unwrap();
    places.sort_by_key(|place| place.id);
    let names: Vec<_> = places.iter().map(|place| place.name.as_str()).collect();
    assert_eq!(names, ["Hive Berlin", "Hive Annex"]);
    let berlin = &places[0];
    assert_eq!(berlin.id, fixture.place("Hive Berlin"));
    assert_eq!(berlin.latitude, Some(HIVE_LATITUDE));
    assert_eq!(berlin.longitude, Some(HIVE_LONGITUDE));
    assert_eq!(berlin.time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(berlin.address.as_deref(), Some("Torstr. 1"));
}
