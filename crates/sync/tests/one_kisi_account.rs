//! Kisi counts 5 requests a second per user, shared by all of that user's logins. Two locations
//! connected with one Kisi account are one user to Kisi, so Doorlink paces them together.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::common;

use common::*;
use doorlink_store::NewLocation;
use doorlink_sync::{KisiCredentials, RunContext};
use kisi::{OwnerCredentials, RetryPolicy, Secret};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_locations_on_one_kisi_account_share_five_requests_a_second() {
    // Kisi's limit, and no retries: a single 429 fails the run.
    let space = Space::connected(|config| {
        config.kisi.rate_limit = std::num::NonZeroU32::new(5);
        config.kisi.retry = RetryPolicy::never();
    })
    .await;
    let engine = space.engine();
    let second = space
        .store
        .locations()
        .create(&NewLocation::new("Hive Annex", ZONE))
        .await
        .unwrap()
        .id;
    // One location with the owner's API key, the other with the owner's sign-in: two
    // credentials, one Kisi user.
    let key = KisiCredentials::ApiKey(Secret::new(space.ids.owner_api_key.clone()));
    let sign_in = KisiCredentials::OwnerLogin {
        credentials: OwnerCredentials {
            domain: "hive".to_owned(),
            email: "owner@hive.test".to_owned(),
            password: Secret::new("correct horse"),
        },
        otp_attempt: None,
    };
    for (location, credentials) in [(space.location, &key), (second, &sign_in)] {
        let connection = engine
            .connect(location, &space.emulator.base_url(), credentials)
            .await
            .unwrap();
        assert_eq!(
            connection.kisi_user.map(|u| u.0),
            Some(i64::try_from(space.ids.owner_id).unwrap()),
            "the connect learned whose key it is"
        );
    }
    space.control().set_rate_limit(Some(5));
    let before = space.control().requests_of_user(space.ids.owner_id);

    for _ in 0..2 {
        let (a, b) = tokio::join!(
            engine.reconcile_location(space.location, RunContext::default()),
            engine.reconcile_location(second, RunContext::default()),
        );
        a.unwrap();
        b.unwrap();
    }

    let after = space.control().requests_of_user(space.ids.owner_id);
    assert_eq!(after.rate_limited, before.rate_limited, "Kisi answered 429");
    assert!(
        after.allowed - before.allowed > 20,
        "enough calls to pass one second of the budget: {}",
        after.allowed - before.allowed
    );
}
