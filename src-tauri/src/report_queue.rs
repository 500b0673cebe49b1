//! The queue of unlock outcomes not yet reported to the hub (A4), in the local SQLite
//! cache: a report is written before it is first sent and removed once the hub took it, so
//! nothing is lost while the hub is unreachable or the app restarts, and nothing is sent twice.

use chrono::{DateTime, Utc};
use doorlink_api::me::UnlockReport;
use sqlx::{Row, SqlitePool};

use crate::cache::{AccountKey, Cache, CacheError};

/// One waiting report and its place in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedReport {
    pub id: i64,
    pub report: UnlockReport,
}

/// The waiting reports of every account on this computer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ReportQueue {
    pool: SqlitePool,
}

impl ReportQueue {
    /// The unlock reports waiting for the hub, kept in the cache's file.
    pub fn in_cache(cache: &Cache) -> Self {
        Self {
            pool: cache.pool().clone(),
        }
    }

    /// Keeps `report` until the hub of `account` has taken it.
    pub async fn push(
        &self,
        account: &AccountKey,
        report: &UnlockReport,
    ) -> Result<(), CacheError> {
        let json = serde_json::to_string(report)
            .map_err(|error| CacheError::Corrupt(format!("unlock report ({error})")))?;
        sqlx::query("INSERT INTO unlock_report (account, pressed_at, report) VALUES (?, ?, ?)")
            .bind(account.as_column())
            .bind(report.at)
            .bind(json)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Up to `limit` of the account's reports, oldest first (the order they happened in).
    pub async fn oldest(
        &self,
        account: &AccountKey,
        limit: u32,
    ) -> Result<Vec<QueuedReport>, CacheError> {
        let rows = sqlx::query(
            "SELECT id, report FROM unlock_report WHERE account = ? \
             ORDER BY pressed_at, id LIMIT ?",
        )
        .bind(account.as_column())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let json: String = row.try_get("report")?;
                let report = decode(&json)
                    .map_err(|error| CacheError::Corrupt(format!("unlock report ({error})")))?;
                Ok(QueuedReport {
                    id: row.try_get("id")?,
                    report,
                })
            })
            .collect()
    }

    /// Forgets a report the hub took (or refused for good).
    pub async fn remove(&self, id: i64) -> Result<(), CacheError> {
        sqlx::query("DELETE FROM unlock_report WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes every report (of any account) pressed before `cutoff` and returns them, for the
    /// log: the hub refuses reports older than 30 days (A4), so they can never be sent.
    pub async fn drop_pressed_before(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<UnlockReport>, CacheError> {
        let rows = sqlx::query("DELETE FROM unlock_report WHERE pressed_at < ? RETURNING report")
            .bind(cutoff)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .filter_map(|row| row.try_get::<String, _>("report").ok())
            .filter_map(|json| decode(&json).ok())
            .collect())
    }

    /// How many reports wait for `account`'s hub.
    pub async fn waiting(&self, account: &AccountKey) -> Result<u64, CacheError> {
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM unlock_report WHERE account = ?")
            .bind(account.as_column())
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }
}

/// A report an older version queued may name its cause by a code that is gone (`offline`): it is
/// still sent, without the cause, rather than blocking the queue behind it.
fn decode(json: &str) -> serde_json::Result<UnlockReport> {
    serde_json::from_str(json).or_else(|error| {
        let mut value: serde_json::Value = serde_json::from_str(json)?;
        match value.get_mut("cause") {
            Some(cause) if cause.is_string() => {
                *cause = serde_json::Value::Null;
                serde_json::from_value(value)
            }
            _ => Err(error),
        }
    })
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn ana() -> AccountKey {
        AccountKey {
            hub_url: "http://127.0.0.1:8080".to_owned(),
            email: "ana@example.com".to_owned(),
        }
    }

    fn pressed(lock_id: i64, at: DateTime<Utc>) -> UnlockReport {
        UnlockReport {
            lock_id,
            location_id: 1,
            unlocked: true,
            cause: None,
            message: "Unlocked".to_owned(),
            at,
        }
    }

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    async fn queue() -> ReportQueue {
        ReportQueue::in_cache(&Cache::open_in_memory().await.unwrap())
    }

    #[tokio::test]
    async fn reports_come_back_oldest_first_whatever_order_they_were_queued_in() {
        let queue = queue().await;
        queue.push(&ana(), &pressed(2, at(22, 11))).await.unwrap();
        queue.push(&ana(), &pressed(1, at(22, 9))).await.unwrap();
        queue.push(&ana(), &pressed(3, at(22, 12))).await.unwrap();
        let locks: Vec<i64> = queue
            .oldest(&ana(), 10)
            .await
            .unwrap()
            .iter()
            .map(|queued| queued.report.lock_id)
            .collect();
        assert_eq!(locks, [1, 2, 3]);
    }

    #[test]
    fn a_report_an_older_version_queued_with_the_gone_offline_cause_is_still_sent() {
        let old = r#"{"lock_id":3,"location_id":1,"unlocked":false,"cause":"offline","message":"x","at":"2026-11-22T09:00:00Z"}"#;
        let report = decode(old).unwrap();
        assert_eq!((report.lock_id, report.cause), (3, None));
        assert!(decode(r#"{"lock_id":"three"}"#).is_err());
    }

    #[tokio::test]
    async fn a_removed_report_is_not_offered_again() {
        let queue = queue().await;
        queue.push(&ana(), &pressed(1, at(22, 9))).await.unwrap();
        queue.push(&ana(), &pressed(2, at(22, 10))).await.unwrap();
        let first = queue.oldest(&ana(), 1).await.unwrap().remove(0);
        queue.remove(first.id).await.unwrap();
        let left = queue.oldest(&ana(), 10).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].report.lock_id, 2);
        assert_eq!(queue.waiting(&ana()).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn each_account_sends_only_its_own_reports() {
        let queue = queue().await;
        let ben = AccountKey {
            email: "ben@example.com".to_owned(),
            ..ana()
        };
        queue.push(&ana(), &pressed(1, at(22, 9))).await.unwrap();
        assert!(queue.oldest(&ben, 10).await.unwrap().is_empty());
        assert_eq!(queue.waiting(&ana()).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn reports_older_than_the_cutoff_are_dropped_and_handed_back_for_the_log() {
        let queue = queue().await;
        let now = at(22, 12);
        let cutoff = now - Duration::days(30);
        queue
            .push(&ana(), &pressed(1, cutoff - Duration::seconds(1)))
            .await
            .unwrap();
        queue.push(&ana(), &pressed(2, cutoff)).await.unwrap();
        let dropped = queue.drop_pressed_before(cutoff).await.unwrap();
        assert_eq!(dropped.len(), 1);
        assert_eq!(dropped[0].lock_id, 1);
        let left = queue.oldest(&ana(), 10).await.unwrap();
        assert_eq!(
            left[0].report.lock_id, 2,
            "exactly 30 days old is still sent"
        );
    }

    #[tokio::test]
    async fn waiting_reports_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        ReportQueue::in_cache(&Cache::open(&path).await.unwrap())
            .push(&ana(), &pressed(1, at(22, 9)))
            .await
            .unwrap();
        let reopened = ReportQueue::in_cache(&Cache::open(&path).await.unwrap());
        assert_eq!(reopened.waiting(&ana()).await.unwrap(), 1);
    }
}
