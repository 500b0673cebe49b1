//! Retries under injected faults: what is retried, what is not, and giving up after the bound.
//!
//! The emulator's faults are counted deterministically, so a "probe" call after the one under
//! test shows exactly how many requests the client made.

use crate::common;

use std::time::Duration;

use common::*;
use kisi::{
    Connection, GroupId, KisiClient, KisiConfig, KisiError, NewGroup, NewUser, RetryPolicy, Secret,
};
use kisi_emulator::Fault;

fn attempts(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        ..fast_retry()
    }
}

#[tokio::test]
async fn dropped_connections_are_retried_until_kisi_answers() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::DropConnections { count: 3 });
    let me = fixture
        .admin_with(attempts(4))
        .current_user()
        .await
        .unwrap();
    assert_eq!(me.id, fixture.owner());
}

#[tokio::test]
async fn gives_up_after_the_bound_with_a_network_error() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::DropConnections { count: 5 });
    let err = fixture
        .admin_with(attempts(4))
        .current_user()
        .await
        .unwrap_err();
    assert!(
        matches!(err, KisiError::Network { ref path, .. } if path == "/user"),
        "{err:?}"
    );
    // Exactly four attempts: the fifth drop is still waiting for the next request.
    let probe = fixture
        .admin_with(RetryPolicy::never())
        .current_user()
        .await
        .unwrap_err();
    assert!(matches!(probe, KisiError::Network { .. }), "{probe:?}");
    fixture
        .admin_with(RetryPolicy::never())
        .current_user()
        .await
        .unwrap();
}

#[tokio::test]
async fn occasional_server_errors_are_invisible_to_the_caller() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::ServerErrors { fraction: 0.5 });
    for _ in 0..6 {
        fixture.admin.current_user().await.unwrap();
    }
}

#[tokio::test]
async fn persistent_server_errors_give_up_with_a_server_error() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::ServerErrors { fraction: 1.0 });
    let err = fixture.admin_with(attempts(3)).places().await.unwrap_err();
    let KisiError::Server {
        status,
        code,
        message,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*status, code.as_str(), message.as_str()),
        (500, "", "Something went wrong")
    );
}

#[tokio::test]
async fn too_many_requests_is_retried_after_retry_after() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::TooManyRequests { count: 1 });
    fixture
        .admin_with(attempts(2))
        .current_user()
        .await
        .unwrap();
}

#[tokio::test]
async fn too_many_requests_gives_up_after_the_bound_with_retry_after() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::TooManyRequests { count: 3 });
    let err = fixture
        .admin_with(attempts(2))
        .current_user()
        .await
        .unwrap_err();
    let KisiError::RateLimited { retry_after, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(1)));
    // Exactly two attempts: the third 429 is still waiting.
    let probe = fixture
        .admin_with(RetryPolicy::never())
        .current_user()
        .await
        .unwrap_err();
    assert!(matches!(probe, KisiError::RateLimited { .. }), "{probe:?}");
}

/// With every 2nd request failing, a call that made one request leaves the failure for the probe.
async fn assert_made_exactly_one_request(fixture: &Fixture) {
    let probe = fixture
        .admin_with(RetryPolicy::never())
        .current_user()
        .await;
    assert!(
        matches!(probe, Err(KisiError::Server { .. })),
        "the refused call was retried: {probe:?}"
    );
}

#[tokio::test]
async fn forbidden_is_never_retried() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::ServerErrors { fraction: 0.5 });
    let err = fixture
        .admin_with(attempts(4))
        .group_locks(GroupId(987_654))
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::Forbidden { .. }), "{err:?}");
    assert_made_exactly_one_request(&fixture).await;
}

#[tokio::test]
async fn invalid_payload_is_never_retried() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::ServerErrors { fraction: 0.5 });
    let bad = NewUser {
        email: "nope".to_owned(),
        name: "Nope".to_owned(),
    };
    let err = fixture
        .admin_with(attempts(4))
        .create_managed_user(&bad)
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::Invalid { .. }), "{err:?}");
    assert_made_exactly_one_request(&fixture).await;
}

#[tokio::test]
async fn unauthorized_is_never_retried() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::ServerErrors { fraction: 0.5 });
    let stranger = fixture.client(Secret::new("wrong-key"), attempts(4));
    let err = stranger.current_user().await.unwrap_err();
    assert!(matches!(err, KisiError::Unauthorized { .. }), "{err:?}");
    assert_made_exactly_one_request(&fixture).await;
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_not_sent_again_so_kisi_makes_one_group() {
    // Kisi acted, then the connection closed before its answer: the client cannot tell this from
    // a request Kisi never handled, and a second POST could make a second group (or assignment,
    // or access link). It gives the failure back; the caller looks in Kisi first.
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::LostAnswers { count: 1 });
    let new = NewGroup {
        name: "Made once".to_owned(),
        description: None,
    };
    let err = fixture
        .admin_with(attempts(3))
        .create_group(&new)
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::Network { .. }), "{err:?}");
    let state = fixture.emulator.control().state();
    assert_eq!(
        state
            .groups
            .iter()
            .filter(|group| group.name == "Made once")
            .count(),
        1,
        "Kisi made it, and was not asked again"
    );
}

#[tokio::test]
async fn a_read_whose_answer_was_lost_is_simply_asked_again() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::LostAnswers { count: 2 });
    let me = fixture
        .admin_with(attempts(3))
        .current_user()
        .await
        .unwrap();
    assert_eq!(me.id, fixture.owner());
}

#[tokio::test]
async fn a_slow_kisi_times_out_after_the_retries() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::Latency(Duration::from_secs(2)));
    let client = KisiClient::new(KisiConfig {
        connection: Connection {
            timeout: Duration::from_millis(150),
            retry: attempts(2),
            ..fixture.connection()
        },
        credential: Secret::new(fixture.ids.owner_api_key.clone()),
    })
    .unwrap();
    let err = client.current_user().await.unwrap_err();
    assert!(
        matches!(err, KisiError::Timeout { timeout, .. } if timeout == Duration::from_millis(150)),
        "{err:?}"
    );
    assert!(err.is_retryable());
    fixture.emulator.control().clear_faults();
    client.current_user().await.unwrap();
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_is_returned_at_once_for_the_caller_to_reschedule() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::TooManyRequests { count: 1 });
    let impatient = RetryPolicy {
        max_retry_after: Duration::from_millis(500),
        ..attempts(4)
    };
    let err = fixture
        .admin_with(impatient)
        .current_user()
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)), "{err:?}");
    fixture
        .admin_with(RetryPolicy::never())
        .current_user()
        .await
        .unwrap();
}
