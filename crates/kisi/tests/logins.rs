//! Logins: owner sign-in, logins for managed users, sign-out, current user.

use crate::common;

use common::*;
use kisi::{
    KisiClient, KisiError, LockFilter, NewRoleAssignment, OwnerCredentials, Secret, UnlockContext,
};

fn owner_credentials(password: &str) -> OwnerCredentials {
    OwnerCredentials {
        domain: DOMAIN.to_owned(),
        email: OWNER_EMAIL.to_owned(),
        password: Secret::new(password),
    }
}

#[tokio::test]
async fn owner_sign_in_returns_a_login_whose_client_works() {
    let fixture = Fixture::start().await;
    let (login, client) =
        KisiClient::sign_in(fixture.connection(), &owner_credentials(OWNER_PASSWORD))
            .await
            .unwrap();
    assert!(!login.secret.expose().is_empty());
    let me = client.current_user().await.unwrap();
    assert_eq!(me.email, OWNER_EMAIL);
    assert_eq!(me.id, fixture.owner());
}

#[tokio::test]
async fn wrong_password_is_unauthorized() {
    let fixture = Fixture::start().await;
    let err = KisiClient::sign_in(fixture.connection(), &owner_credentials("wrong"))
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::Unauthorized { .. }), "{err:?}");
}

#[tokio::test]
async fn unconfirmed_user_cannot_sign_in_and_is_told_why() {
    let fixture = Fixture::start().await;
    let credentials = OwnerCredentials {
        domain: DOMAIN.to_owned(),
        email: UNCONFIRMED_EMAIL.to_owned(),
        password: Secret::new(UNCONFIRMED_PASSWORD),
    };
    let err = KisiClient::sign_in(fixture.connection(), &credentials)
        .await
        .unwrap_err();
    let KisiError::UnconfirmedEmail { message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        message,
        "You have to confirm your email address before continuing."
    );
}

#[tokio::test]
async fn sign_in_over_the_login_quota_is_refused_with_its_own_error() {
    let fixture = Fixture::start().await;
    fixture.emulator.control().set_login_quota(1);
    KisiClient::sign_in(fixture.connection(), &owner_credentials(OWNER_PASSWORD))
        .await
        .unwrap();
    let err = KisiClient::sign_in(fixture.connection(), &owner_credentials(OWNER_PASSWORD))
        .await
        .unwrap_err();
    assert!(
        matches!(err, KisiError::LoginQuotaExceeded { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("remove some logins in the Kisi dashboard")
    );
}

#[tokio::test]
async fn an_unknown_api_key_is_unauthorized() {
    let fixture = Fixture::start().await;
    let client = fixture.client(Secret::new("not-a-real-key"), fast_retry());
    let err = client.current_user().await.unwrap_err();
    assert!(matches!(err, KisiError::Unauthorized { .. }), "{err:?}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn current_user_names_the_owner_of_the_api_key() {
    let fixture = Fixture::start().await;
    let me = fixture.admin.current_user().await.unwrap();
    assert_eq!((me.id, me.email.as_str()), (fixture.owner(), OWNER_EMAIL));
}

#[tokio::test]
async fn sign_out_makes_the_secret_stop_working() {
    let fixture = Fixture::start().await;
    let (_, client) = KisiClient::sign_in(fixture.connection(), &owner_credentials(OWNER_PASSWORD))
        .await
        .unwrap();
    client.sign_out().await.unwrap();
    let err = client.current_user().await.unwrap_err();
    assert!(matches!(err, KisiError::Unauthorized { .. }), "{err:?}");
}

#[tokio::test]
async fn login_for_a_managed_member_acts_as_that_member() {
    let fixture = Fixture::start().await;
    let member = fixture.user(MEMBER_EMAIL);
    let login = fixture
        .admin
        .create_login_for_user(MEMBER_EMAIL)
        .await
        .unwrap();
    assert_eq!(
        (login.user.id, login.user.email.as_str()),
        (member, MEMBER_EMAIL)
    );

    let as_member = fixture.client(login.secret, fast_retry());
    assert_eq!(as_member.current_user().await.unwrap().id, member);
    // Without any group the member sees no locks; after joining Annex exactly its door.
    assert!(
        as_member
            .locks(&LockFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    let assignment = NewRoleAssignment {
        user_id: member,
        group_id: fixture.group("Annex"),
        valid_from: None,
        valid_until: None,
    };
    fixture
        .admin
        .create_role_assignment(&assignment)
        .await
        .unwrap();
    let visible: Vec<_> = as_member
        .locks(&LockFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(visible, vec![fixture.lock("Annex door")]);
    assert_eq!(
        as_member
            .unlock(fixture.lock("Annex door"), &UnlockContext::default())
            .await
            .unwrap(),
        "Unlocked!"
    );
}

#[tokio::test]
async fn login_for_an_unknown_email_is_forbidden_like_any_unknown_id() {
    let fixture = Fixture::start().await;
    let err = fixture
        .admin
        .create_login_for_user("nobody@hive.test")
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::Forbidden { .. }), "{err:?}");
}
