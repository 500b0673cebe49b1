//! Every error variant, as the product sees it: decoded from real answers over TCP.
//! (Unlock refusals, 422 and group errors are also exercised in their families' tests.)

use crate::common;

use std::time::Duration;

use common::*;
use kisi::{
    Connection, GroupId, KisiClient, KisiConfig, KisiError, NewGroupLink, NewUser,
    OwnerCredentials, RetryPolicy, Secret, UnlockContext,
};
use kisi_emulator::{EmulatorConfig, Fault};

#[tokio::test]
async fn each_kisi_refusal_maps_to_its_own_variant() {
    let fixture = Fixture::start().await;
    let admin = &fixture.admin;
    let none = UnlockContext::default();

    let unauthorized = fixture
        .client(Secret::new("bogus"), fast_retry())
        .places()
        .await
        .unwrap_err();
    assert!(
        matches!(unauthorized, KisiError::Unauthorized { .. }),
        "{unauthorized:?}"
    );

    let forbidden = admin
        .groups(&[])
        .await
        .map(|_| ())
        .and(admin.group_locks(GroupId(31_337)).await.map(|_| ()));
    assert!(
        matches!(forbidden, Err(KisiError::Forbidden { .. })),
        "{forbidden:?}"
    );

    let reader = admin
        .unlock(fixture.lock("Reader door"), &none)
        .await
        .unwrap_err();
    assert!(
        matches!(reader, KisiError::ReaderRestricted { .. }),
        "{reader:?}"
    );

    let geofence = admin
        .unlock(fixture.lock("Geo door"), &none)
        .await
        .unwrap_err();
    assert!(
        matches!(geofence, KisiError::GeofenceRestricted { .. }),
        "{geofence:?}"
    );

    let invalid = admin
        .create_managed_user(&NewUser {
            email: String::new(),
            name: String::new(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(invalid, KisiError::Invalid { ref fields, .. } if !fields.is_empty()),
        "{invalid:?}"
    );

    fixture
        .emulator
        .control()
        .delete_group(fixture.group("Annex").0.unsigned_abs())
        .unwrap();
    let link = NewGroupLink {
        name: "Guest".to_owned(),
        group_id: fixture.group("Annex"),
        email: None,
        valid_from: None,
        valid_until: None,
    };
    let gone = admin.create_group_link(&link).await.unwrap_err();
    assert!(matches!(gone, KisiError::GroupNotFound { .. }), "{gone:?}");

    for err in [&unauthorized, &reader, &geofence, &invalid, &gone] {
        assert!(!err.is_retryable(), "{err:?} must not be retried");
    }
}

#[tokio::test]
async fn owner_sign_in_failures_are_unauthorized_unconfirmed_or_quota() {
    let fixture = Fixture::start().await;
    let credentials = |email: &str, password: &str| OwnerCredentials {
        domain: DOMAIN.to_owned(),
        email: email.to_owned(),
        password: Secret::new(password),
    };
    let wrong = KisiClient::sign_in(fixture.connection(), &credentials(OWNER_EMAIL, "nope"))
        .await
        .unwrap_err();
    assert!(matches!(wrong, KisiError::Unauthorized { .. }), "{wrong:?}");
    let unconfirmed = KisiClient::sign_in(
        fixture.connection(),
        &credentials(UNCONFIRMED_EMAIL, UNCONFIRMED_PASSWORD),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(unconfirmed, KisiError::UnconfirmedEmail { .. }),
        "{unconfirmed:?}"
    );
    fixture.emulator.control().set_login_quota(0);
    let quota = KisiClient::sign_in(
        fixture.connection(),
        &credentials(OWNER_EMAIL, OWNER_PASSWORD),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(quota, KisiError::LoginQuotaExceeded { .. }),
        "{quota:?}"
    );
}

#[tokio::test]
async fn rate_limited_carries_the_retry_after_kisi_sent() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::TooManyRequests { count: 1 });
    let err = fixture
        .admin_with(RetryPolicy::never())
        .places()
        .await
        .unwrap_err();
    let KisiError::RateLimited {
        retry_after,
        message,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*retry_after, message.as_str()),
        (Some(Duration::from_secs(1)), "Too many requests")
    );
    assert!(err.to_string().contains("retry after 1s"));
}

#[tokio::test]
async fn without_a_client_budget_a_burst_meets_kisis_own_limit() {
    // The server's limit is real: with the client's budget off and no retries, a burst of calls
    // by one user is cut off with 429. (With the budget on, see the rate_budget benchmark.)
    let fixture = Fixture::start_with(EmulatorConfig::default()).await;
    let client = KisiClient::new(KisiConfig {
        connection: Connection {
            rate_limit: None,
            retry: RetryPolicy::never(),
            ..fixture.connection()
        },
        credential: Secret::new(fixture.ids.owner_api_key.clone()),
    })
    .unwrap();
    let mut limited = 0;
    for _ in 0..12 {
        if let Err(KisiError::RateLimited { .. }) = client.current_user().await {
            limited += 1;
        }
    }
    assert!(limited > 0, "12 calls at once must exceed 5/s");
}

#[tokio::test]
async fn with_the_client_budget_the_same_burst_never_sees_a_429() {
    let fixture = Fixture::start().await;
    let client = fixture.admin_with(RetryPolicy::never());
    let clone = client.clone();
    let (a, b) = tokio::join!(
        async {
            for _ in 0..6 {
                client.current_user().await?;
            }
            Ok::<_, KisiError>(())
        },
        async {
            for _ in 0..6 {
                clone.current_user().await?;
            }
            Ok::<_, KisiError>(())
        },
    );
    a.unwrap();
    b.unwrap();
}

#[tokio::test]
async fn a_server_error_names_the_status_and_is_retryable() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::ServerErrors { fraction: 1.0 });
    let err = fixture
        .admin_with(RetryPolicy::never())
        .places()
        .await
        .unwrap_err();
    assert!(
        matches!(err, KisiError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(err.to_string().contains("HTTP 500"));
}

#[tokio::test]
async fn an_unreachable_kisi_is_a_network_error() {
    let fixture = Fixture::start().await;
    let base_url = fixture.emulator.base_url();
    let key = fixture.ids.owner_api_key.clone();
    fixture.emulator.shutdown().await;
    let client = KisiClient::new(KisiConfig {
        connection: Connection {
            retry: RetryPolicy::never(),
            ..Connection::new(base_url)
        },
        credential: Secret::new(key.clone()),
    })
    .unwrap();
    let err = client.places().await.unwrap_err();
    assert!(
        matches!(err, KisiError::Network { ref method, ref path, .. } if method == "GET" && path == "/places"),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(!err.to_string().contains(&key), "errors never show the key");
}

#[tokio::test]
async fn a_timeout_is_reported_with_the_limit() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .inject(Fault::Latency(Duration::from_secs(2)));
    let client = KisiClient::new(KisiConfig {
        connection: Connection {
            timeout: Duration::from_millis(100),
            retry: RetryPolicy::never(),
            ..fixture.connection()
        },
        credential: Secret::new(fixture.ids.owner_api_key.clone()),
    })
    .unwrap();
    let err = client.places().await.unwrap_err();
    assert!(matches!(err, KisiError::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("/places"));
}

#[test]
fn a_bad_base_url_is_a_configuration_error() {
    let err = KisiClient::new(KisiConfig {
        connection: Connection::new("kisi.example"),
        credential: Secret::new("k"),
    })
    .unwrap_err();
    assert!(matches!(err, KisiError::InvalidConfig { .. }), "{err:?}");
}
