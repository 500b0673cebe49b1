//! The demo's sign-ins: one account per role, printed by `doorlink demo`.

use anyhow::{Context, Result, anyhow};
use doorlink_core::Email;
use doorlink_hub::hash_password;
use doorlink_store::{AccountRole, Store};

use crate::demo_space::{self, DemoSpace, cast};

/// One demo sign-in, printed by `doorlink demo`.
#[derive(Debug, Clone)]
pub struct SignIn {
    pub role: AccountRole,
    pub email: String,
    pub password: String,
}

/// The demo's sign-ins: the demo member (a person with a subscription, bookings and a manual
/// grant), front-desk staff and an admin. Fixed passwords: the demo listens on loopback only.
pub fn sign_ins() -> Vec<SignIn> {
    let sign_in = |role, email: &str, password: &str| SignIn {
        role,
        email: email.to_owned(),
        password: password.to_owned(),
    };
    vec![
        sign_in(
            AccountRole::Member,
            demo_space::MEMBER_EMAIL,
            "harbor-member-demo",
        ),
        sign_in(
            AccountRole::Staff,
            "frontdesk@harbor.example",
            "harbor-staff-demo",
        ),
        sign_in(
            AccountRole::Admin,
            "owner@harbor.example",
            "harbor-admin-demo",
        ),
    ]
}

/// Creates the demo's accounts; the member's belongs to the demo member's person.
pub(super) async fn create_accounts(store: &Store, space: &DemoSpace) -> Result<Vec<SignIn>> {
    let sign_ins = sign_ins();
    for sign_in in &sign_ins {
        let email = Email::parse(&sign_in.email)?;
        let person = (sign_in.role == AccountRole::Member).then(|| space.person(cast::MEMBER).id);
        let hash = hash_password(&sign_in.password)
            .await
            .map_err(|error| anyhow!("hashing a demo password: {error}"))?;
        store
            .accounts()
            .create(&email, sign_in.role, person, &hash)
            .await
            .with_context(|| format!("creating the demo account {}", sign_in.email))?;
    }
    Ok(sign_ins)
}
