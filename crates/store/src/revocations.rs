//! Revocation receipts (issue 15): for every revocation Kisi confirmed, when the change that ended
//! the access was made and when Kisi answered; the Sync page's time-to-revoke reads them. A
//! receipt is kept with its `revocation.completed` outcome event in one write, once per revocation.

use chrono::{DateTime, Utc};
use doorlink_core::outcome::{Outcome, RevocationOutcome};
use doorlink_core::{LocationId, PersonId};

use crate::codec::{instant, millis};
use crate::db::Store;
use crate::error::Result;
use crate::outcomes::record_outcome;

/// A revocation Kisi confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReceipt {
    pub location: LocationId,
    pub person: PersonId,
    pub person_name: String,
    /// What was revoked, in words.
    pub what: String,
    /// Names the revocation (the Kisi object and its kind), never when it was noticed: the same
    /// revocation confirmed again (a run repeated after a crash) keeps one receipt.
    pub key: String,
    pub ended_at: DateTime<Utc>,
    pub confirmed_at: DateTime<Utc>,
}

/// A kept receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationReceipt {
    pub id: i64,
    pub person: Option<PersonId>,
    pub person_name: Option<String>,
    pub what: String,
    pub ended_at: DateTime<Utc>,
    pub confirmed_at: DateTime<Utc>,
}

impl RevocationReceipt {
    /// From the change to Kisi's confirmation (never below zero).
    pub fn millis(&self) -> i64 {
        (self.confirmed_at - self.ended_at)
            .num_milliseconds()
            .max(0)
    }
}

/// id, person, their name, what, ended, confirmed.
type ReceiptRow = (i64, Option<i64>, Option<String>, String, i64, i64);

#[derive(Debug, Clone, Copy)]
pub struct Revocations<'s> {
    store: &'s Store,
}

impl Store {
    pub fn revocations(&self) -> Revocations<'_> {
        Revocations { store: self }
    }
}

impl Revocations<'_> {
    /// Keeps the receipt and its `revocation.completed` event, once per `receipt.key`.
    pub async fn record(&self, receipt: &NewReceipt) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO revocation_receipts (key, location_id, person_id, what, ended_at, \
             confirmed_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING",
        )
        .bind(&receipt.key)
        .bind(receipt.location.0)
        .bind(receipt.person.0)
        .bind(&receipt.what)
        .bind(millis(receipt.ended_at))
        .bind(millis(receipt.confirmed_at))
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 1 {
            let outcome = Outcome::RevocationCompleted(RevocationOutcome {
                person_id: receipt.person.0,
                person_name: receipt.person_name.clone(),
                what: receipt.what.clone(),
                ended_at: receipt.ended_at,
                confirmed_at: receipt.confirmed_at,
                millis: (receipt.confirmed_at - receipt.ended_at)
                    .num_milliseconds()
                    .max(0),
            });
            record_outcome(
                &mut tx,
                receipt.location,
                &format!("revocation.completed {}", receipt.key),
                outcome,
                self.store.now(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The receipts of `location` confirmed at or after `since`, newest first.
    pub async fn since(
        &self,
        location: LocationId,
        since: DateTime<Utc>,
    ) -> Result<Vec<RevocationReceipt>> {
        let rows: Vec<ReceiptRow> = sqlx::query_as(
            "SELECT r.id, r.person_id, p.name, r.what, r.ended_at, r.confirmed_at \
             FROM revocation_receipts r LEFT JOIN people p ON p.id = r.person_id \
             WHERE r.location_id = $1 AND r.confirmed_at >= $2 \
             ORDER BY r.confirmed_at DESC, r.id DESC",
        )
        .bind(location.0)
        .bind(millis(since))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|(id, person, name, what, ended, confirmed)| {
                Ok(RevocationReceipt {
                    id,
                    person: person.map(PersonId),
                    person_name: name,
                    what,
                    ended_at: instant("revocation_receipts", "ended_at", ended)?,
                    confirmed_at: instant("revocation_receipts", "confirmed_at", confirmed)?,
                })
            })
            .collect()
    }
}
