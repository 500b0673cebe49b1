//! The first admin of a hub that has no account yet, created by a program that runs the hub in
//! its own process (the desktop app at the front desk, asked by the person at that computer).
//! Deliberately not an HTTP route: on a fresh hub, whoever reached it first would become admin.

use doorlink_core::Email;

use crate::auth::passwords::{self, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::auth::sessions::account_view;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use doorlink_api::auth::AccountView;

pub use doorlink_api::desktop::PasswordRule;

/// The password rule the form shows next to its field (the same as every sign-in's).
pub const PASSWORD_RULE: PasswordRule = PasswordRule {
    min_chars: MIN_PASSWORD_CHARS,
    max_chars: MAX_PASSWORD_CHARS,
};

/// What the person at the front desk typed.
#[derive(Debug, Clone, Copy)]
pub struct FirstAdmin<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

/// True while the hub has no account at all: its first admin is still to be created.
pub async fn needs_first_admin(state: &AppState) -> ApiResult<bool> {
    Ok(state.store().accounts().list().await?.is_empty())
}

/// Creates the hub's first account, an admin, with a person record carrying their name (linked
/// to the person of that e-mail if one exists). Every refused field is named at once; once the
/// hub has any account this is refused (409): everyone else comes in by invitation.
pub async fn create_first_admin(state: &AppState, admin: FirstAdmin<'_>) -> ApiResult<AccountView> {
    let email = Email::parse(admin.email);
    let mut problems = Vec::new();
    if admin.name.trim().is_empty() {
        problems.push(("name", "must not be empty".to_owned()));
    }
    if let Err(error) = &email {
        problems.push(("email", error.to_string()));
    }
    if let Err(ApiError::Validation { fields, .. }) =
        passwords::check_policy("password", admin.password)
    {
        problems.extend(fields.into_iter().map(|field| ("password", field.problem)));
    }
    let email = match email {
        Ok(email) if problems.is_empty() => email,
        _ => return Err(ApiError::fields(problems)),
    };

    // Cheap early answer before hashing; the store's transaction is what refuses a racing second.
    if !needs_first_admin(state).await? {
        return Err(ApiError::Conflict(
            "this hub already has its first admin; sign in, and ask an admin for an invitation \
             to add anyone else"
                .to_owned(),
        ));
    }
    let hash = passwords::hash(admin.password).await?;
    let account = state
        .store()
        .accounts()
        .create_first_admin(admin.name.trim(), &email, &hash)
        .await?;
    tracing::info!(email = %email, "first admin created");
    Ok(account_view(&account))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HubConfig;
    use doorlink_store::Store;

    async fn fresh_hub() -> AppState {
        let store = Store::open_in_memory().await.unwrap();
        AppState::new(store, HubConfig::with_database(":memory:"))
    }

    const ADA: FirstAdmin<'static> = FirstAdmin {
        name: "Ada Okafor",
        email: "Ada@Harbor.example",
        password: "a long enough password",
    };

    #[tokio::test]
    async fn a_fresh_hub_gets_its_first_admin_once() {
        let state = fresh_hub().await;
        assert!(needs_first_admin(&state).await.unwrap());
        let admin = create_first_admin(&state, ADA).await.unwrap();
        assert_eq!(admin.email, "ada@harbor.example");
        assert!(admin.person_id.is_some());
        assert!(!needs_first_admin(&state).await.unwrap());

        let again = FirstAdmin {
            email: "eve@harbor.example",
            ..ADA
        };
        let refused = create_first_admin(&state, again).await.unwrap_err();
        assert!(matches!(refused, ApiError::Conflict(_)), "{refused:?}");
        assert_eq!(state.store().accounts().list().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn the_first_admin_signs_in_with_the_password_they_chose() {
        let state = fresh_hub().await;
        create_first_admin(&state, ADA).await.unwrap();
        let email = Email::parse(ADA.email).unwrap();
        let (_, hash) = state
            .store()
            .accounts()
            .credentials(&email)
            .await
            .unwrap()
            .unwrap();
        assert!(passwords::verify(ADA.password, &hash.unwrap()).await);
    }

    #[tokio::test]
    async fn every_refused_field_is_named_and_nothing_is_created() {
        let state = fresh_hub().await;
        let bad = FirstAdmin {
            name: "  ",
            email: "ada.harbor.example",
            password: "short",
        };
        let ApiError::Validation { fields, .. } =
            create_first_admin(&state, bad).await.unwrap_err()
        else {
            panic!("expected field problems");
        };
        let named: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, ["name", "email", "password"]);
        assert!(
            fields[2].problem.contains("at least 10 characters"),
            "{}",
            fields[2].problem
        );
        assert!(needs_first_admin(&state).await.unwrap());
    }

    #[tokio::test]
    async fn a_person_already_on_file_with_that_email_becomes_the_admin() {
        let state = fresh_hub().await;
        let ada = state
            .store()
            .people()
            .create("Ada O.", "ada@harbor.example")
            .await
            .unwrap();
        let admin = create_first_admin(&state, ADA).await.unwrap();
        assert_eq!(admin.person_id, Some(ada.id.0));
    }
}
