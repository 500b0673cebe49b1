//! A4: unlocking goes straight from this computer to Kisi with the person's own Kisi login, so
//! Kisi's audit log names the person. The client is built once per login and kept warm (its
//! connection pool and rate budget), so a click costs one request and nothing else.

use std::time::Duration;

use doorlink_api::common::Reason;
use doorlink_api::me::{KisiLoginView, UnlockOutcome};
use kisi::{Connection, KisiClient, KisiConfig, KisiError, LockId, Secret, UnlockContext};

/// A person pressing a door waits for the answer; a dead network must not hold them long.
const UNLOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// The person's Kisi client, ready to unlock.
#[derive(Debug, Clone)]
pub struct KisiUnlocker {
    client: KisiClient,
}

impl KisiUnlocker {
    /// A client for the login the hub delivered (`base_url` is the emulator in tests).
    pub fn new(base_url: &str, secret: &str) -> Result<Self, KisiError> {
        let connection = Connection {
            timeout: UNLOCK_TIMEOUT,
            ..Connection::new(base_url)
        };
        Self::with_connection(connection, secret)
    }

    /// A client with its own connection settings (the latency benchmark turns the rate budget
    /// off, since a person never presses five doors a second).
    pub fn with_connection(connection: Connection, secret: &str) -> Result<Self, KisiError> {
        let client = KisiClient::new(KisiConfig {
            connection,
            credential: Secret::new(secret),
        })?;
        Ok(Self { client })
    }

    pub fn for_login(login: &KisiLoginView) -> Result<Self, KisiError> {
        Self::new(&login.base_url, &login.secret)
    }

    /// Presses the door and says what happened in plain words, with the fix when it failed.
    pub async fn unlock(&self, lock_id: i64) -> UnlockOutcome {
        let started = std::time::Instant::now();
        let result = self
            .client
            .unlock(LockId(lock_id), &UnlockContext::default())
            .await;
        tracing::info!(lock_id, ok = result.is_ok(), elapsed = ?started.elapsed(), "unlock answered by Kisi");
        outcome(lock_id, result)
    }
}

/// The UI's outcome of one press: Kisi's answer, or the failure as a reason with its fix.
pub fn outcome(lock_id: i64, result: Result<String, KisiError>) -> UnlockOutcome {
    match result {
        Ok(message) => UnlockOutcome::unlocked(lock_id, message),
        Err(error) => {
            let reason = reason_for(lock_id, &error);
            UnlockOutcome {
                lock_id,
                unlocked: false,
                message: reason.message.clone(),
                reason: Some(reason),
            }
        }
    }
}

/// The refusal as the hub words it ([`doorlink_hub::refusal_reason`]): one cause, one code.
pub fn reason_for(lock_id: i64, error: &KisiError) -> Reason {
    tracing::info!(lock_id, %error, "Kisi refused the unlock");
    doorlink_hub::refusal_reason(
        doorlink_sync::unlock_refusal(error),
        &format!("lock {lock_id}"),
        doorlink_sync::kisi_error_code(error).as_deref(),
        doorlink_hub::Audience::Member,
    )
}

#[cfg(test)]
mod tests {
    use doorlink_api::common::Cause;

    use super::*;

    #[test]
    fn a_reader_restricted_door_says_to_use_the_phone() {
        let outcome = outcome(
            3,
            Err(KisiError::ReaderRestricted {
                lock_id: Some(LockId(3)),
                message: "Please ask an administrator to disable the Kisi Reader restriction."
                    .to_owned(),
            }),
        );
        assert!(!outcome.unlocked);
        let reason = outcome.reason.unwrap();
        assert_eq!(reason.cause, Cause::ReaderRestriction);
        assert!(reason.fix.contains("phone"));
    }

    #[test]
    fn a_network_failure_says_unlocking_needs_a_connection() {
        let outcome = outcome(
            3,
            Err(KisiError::Network {
                method: "POST".to_owned(),
                path: "/locks/3/unlock".to_owned(),
                detail: "connection refused".to_owned(),
            }),
        );
        let reason = outcome.reason.unwrap();
        assert_eq!(reason.cause, Cause::KisiUnreachable);
        assert!(reason.fix.contains("needs a connection"));
    }

    #[test]
    fn kisis_own_message_is_passed_on_when_the_door_opens() {
        let outcome = outcome(3, Ok("Unlocked!".to_owned()));
        assert!(outcome.unlocked);
        assert_eq!(outcome.message, "Unlocked!");
        assert_eq!(outcome.reason, None);
    }
}
