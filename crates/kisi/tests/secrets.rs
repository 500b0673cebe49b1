//! Secrets never reach the logs: every line the client (and reqwest/hyper below it) writes at
//! TRACE level during sign-in, normal calls, retries and failures is captured and searched.

use crate::common;

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use common::*;
use kisi::{KisiClient, OwnerCredentials, Secret, UnlockContext};
use kisi_emulator::Fault;
use tracing_subscriber::fmt::MakeWriter;

/// Collects everything written by the subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn no_key_password_or_login_secret_appears_in_the_logs() {
    let fixture = Fixture::start().await;
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let credentials = OwnerCredentials {
        domain: DOMAIN.to_owned(),
        email: OWNER_EMAIL.to_owned(),
        password: Secret::new(OWNER_PASSWORD),
    };
    let (login, signed_in) = KisiClient::sign_in(fixture.connection(), &credentials)
        .await
        .unwrap();
    fixture
        .emulator
        .control()
        .inject(Fault::ServerErrors { fraction: 0.5 });
    signed_in.current_user().await.unwrap();
    let refused = fixture
        .admin
        .unlock(fixture.lock("Reader door"), &UnlockContext::default())
        .await;
    assert!(refused.is_err());
    let member_login = fixture
        .admin
        .create_login_for_user(MEMBER_EMAIL)
        .await
        .unwrap();
    let _ = KisiClient::sign_in(
        fixture.connection(),
        &OwnerCredentials {
            password: Secret::new("wrong-password-123"),
            ..credentials
        },
    )
    .await;

    let logs = captured.text();
    assert!(
        logs.contains("Kisi call failed; retrying"),
        "the capture works: {logs}"
    );
    for secret in [
        fixture.ids.owner_api_key.as_str(),
        OWNER_PASSWORD,
        "wrong-password-123",
        login.secret.expose(),
        member_login.secret.expose(),
    ] {
        assert!(!logs.contains(secret), "a secret leaked into the logs");
    }
}
