//! Kisi counts its 5 requests a second per user, shared by all of that user's logins: Doorlink's
//! clients of one Kisi user draw from one budget, whatever credential each holds.

use crate::common;

use common::*;
use kisi::{Connection, KisiClient, KisiConfig, OwnerCredentials, RetryPolicy, Secret, UserId};
use kisi_emulator::EmulatorConfig;

/// Calls each client makes; together well past one second of the user's budget.
const CALLS_EACH: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_logins_of_one_kisi_user_share_five_requests_a_second() {
    // Kisi's limit, and no retries: a single 429 fails the call.
    let fixture = Fixture::start_with(EmulatorConfig {
        rate_limit_per_second: Some(5),
        ..EmulatorConfig::default()
    })
    .await;
    let connection = Connection {
        retry: RetryPolicy::never(),
        ..fixture.connection()
    };
    // The owner's API key, and a second login of the same owner (another location's connect).
    let (second, _) = KisiClient::sign_in(
        connection.clone(),
        &OwnerCredentials {
            domain: DOMAIN.to_owned(),
            email: OWNER_EMAIL.to_owned(),
            password: Secret::new(OWNER_PASSWORD),
        },
    )
    .await
    .unwrap();
    let owner = UserId(fixture.owner().0);
    let client = |credential: Secret| {
        KisiClient::for_user(
            KisiConfig {
                connection: connection.clone(),
                credential,
            },
            owner,
        )
        .unwrap()
    };
    let (first, second) = (
        client(Secret::new(fixture.ids.owner_api_key.clone())),
        client(second.secret),
    );
    let before = fixture
        .emulator
        .control()
        .requests_of_user(fixture.ids.owner_id);

    let calls = |kisi: KisiClient| async move {
        let mut failures = Vec::new();
        for _ in 0..CALLS_EACH {
            if let Err(error) = kisi.current_user().await {
                failures.push(error.to_string());
            }
        }
        failures
    };
    let (a, b) = tokio::join!(tokio::spawn(calls(first)), tokio::spawn(calls(second)));

    let failures: Vec<String> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    assert!(failures.is_empty(), "Kisi refused: {failures:?}");
    let after = fixture
        .emulator
        .control()
        .requests_of_user(fixture.ids.owner_id);
    assert_eq!(after.rate_limited, before.rate_limited);
    assert_eq!(after.allowed - before.allowed, 2 * CALLS_EACH as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_told_to_one_login_holds_every_login_of_that_user() {
    let fixture = Fixture::start_with(EmulatorConfig {
        rate_limit_per_second: None,
        ..EmulatorConfig::default()
    })
    .await;
    let connection = Connection {
        retry: RetryPolicy::never(),
        ..fixture.connection()
    };
    let (second, _) = KisiClient::sign_in(
        connection.clone(),
        &OwnerCredentials {
            domain: DOMAIN.to_owned(),
            email: OWNER_EMAIL.to_owned(),
            password: Secret::new(OWNER_PASSWORD),
        },
    )
    .await
    .unwrap();
    let owner = UserId(fixture.owner().0);
    let client = |credential: Secret| {
        KisiClient::for_user(
            KisiConfig {
                connection: connection.clone(),
                credential,
            },
            owner,
        )
        .unwrap()
    };
    let (told, other) = (
        client(Secret::new(fixture.ids.owner_api_key.clone())),
        client(second.secret),
    );
    // Kisi answers the next request 429 with `Retry-After: 1`.
    fixture
        .emulator
        .control()
        .inject(kisi_emulator::Fault::TooManyRequests { count: 1 });
    let refused = told.current_user().await.unwrap_err();
    assert!(refused.retry_after().is_some(), "{refused:?}");

    let started = std::time::Instant::now();
    other.current_user().await.unwrap();

    // A lower bound only: a slow machine makes it longer, never shorter.
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "the other login of the same user went ahead after {:?}",
        started.elapsed()
    );
}
