//! I2: re-linking a person whose e-mail in Doorlink no longer matches their Kisi user (the fix of
//! [`Notice::EmailDrift`](crate::Notice::EmailDrift)). Not a Kisi connection: a location's
//! connection (C1–C3) is `connection.rs`.

use doorlink_core::{LocationId, PersonId};

use crate::clients::Use;
use crate::engine::{RunContext, SyncEngine, SyncReport};
use crate::error::Result;
use crate::mirror::Mirror;
use crate::plan::plan_unlink;

impl SyncEngine {
    /// I2: re-links a person whose e-mail in Doorlink no longer matches their Kisi user (the
    /// [`Notice::EmailDrift`](crate::Notice::EmailDrift) fix): undoes what Doorlink holds for the
    /// old user ([`plan_unlink`]), then syncs the person, which links them to the Kisi user of their
    /// current e-mail (found, or created as a managed user) and grants their access there.
    pub async fn relink_person(
        &self,
        location: LocationId,
        person: PersonId,
    ) -> Result<SyncReport> {
        let context = RunContext::default();
        self.exclusive(location, |fence| async move {
            let kisi = self.kisi(location, context, Use::Sync, fence).await?;
            let owned = Mirror::new(&self.store, location)
                .load(Some(person))
                .await?;
            let undone = self
                .execute(&kisi, location, context, plan_unlink(person, &owned))
                .await?;
            if !undone.succeeded() {
                return Ok(undone);
            }
            let mut report = self
                .sync_person_with(&kisi, location, person, context)
                .await?;
            report.applied += undone.applied;
            Ok(report)
        })
        .await
    }
}
