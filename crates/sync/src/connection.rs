//! The connection-level operations of C3: disconnecting a location stops every future grant and
//! revocation (the worker then leaves its entries alone) and leaves what is in Kisi in place;
//! revoking everything Doorlink granted at a location is a separate, explicit choice.
//!
//! Re-linking a person after an e-mail change (I2) is `relink.rs`.
//!
//! Holds (R14) and disconnecting or deleting a person (R15) are facts written through the store
//! (`Holds::hold`, `KisiDisconnections::disconnect_person`); they enqueue the person, and the planner turns
//! them into revocations, "forget" or a user deletion.

use doorlink_core::LocationId;
use doorlink_store::KisiConnection;

use crate::clients::Use;
use crate::engine::{RunContext, SyncEngine, SyncReport};
use crate::error::Result;
use crate::mirror::Mirror;
use crate::plan::{Operation, Plan};

impl SyncEngine {
    /// C3: disconnects the location. Grants already in Kisi stay active; nothing is written to
    /// Kisi for this location until it is connected again. The people's own Kisi logins (A4) are
    /// signed out and forgotten: a reconnect may name another account, and they were made with
    /// this one.
    ///
    /// A sync of the location already running stops before its next Kisi call, and this returns
    /// only once it let go: no write of the location leaves after "disconnected" is answered.
    pub async fn disconnect(&self, location: LocationId) -> Result<KisiConnection> {
        // Inactive first, so whoever takes the lease after the fence finds nothing to do.
        let connection = self.store.locations().disconnect(location).await?;
        self.fence_and_wait(location).await?;
        // Logins made on the people's behalf never expire (`expire: "false"`): sign them out
        // rather than leave live keys behind in Kisi.
        for (_, login) in self.store.kisi_mirror().person_logins(location).await? {
            let secret = kisi::Secret::new(login.secret.expose());
            self.sign_out(location, &connection.base_url, secret).await;
        }
        let forgotten = self
            .store
            .kisi_mirror()
            .forget_person_logins(location)
            .await?;
        tracing::info!(
            location = location.0,
            forgotten,
            "disconnected from Kisi; the people's own Kisi logins are forgotten"
        );
        Ok(connection)
    }

    /// C3's explicit choice: revokes every role assignment and access link Doorlink granted at the
    /// location (also after a disconnect, with the kept credential, which Doorlink then signs out
    /// when it is a login of its own). Users and Doorlink's per-lock
    /// groups stay; nothing Doorlink does not own is touched (I4).
    pub async fn revoke_everything(&self, location: LocationId) -> Result<SyncReport> {
        let context = RunContext::default();
        let report = self
            .exclusive(location, |fence| async move {
                let kisi = self
                    .kisi(location, context, Use::RevokeAfterDisconnect, fence)
                    .await?;
                let planned = self.plan_revoke_everything(location).await?;
                self.execute(&kisi, location, context, planned).await
            })
            .await?;
        // After a disconnect the kept login served only this revocation: once everything is
        // revoked, Doorlink signs its own login out rather than leave it among the owner's 40.
        if report.succeeded()
            && let Some(connection) = self.store.locations().connection(location).await?
            && !connection.is_active()
            && let Some((base_url, secret)) = self.own_login(location).await
        {
            self.sign_out(location, &base_url, secret).await;
        }
        Ok(report)
    }

    /// The dry run of [`SyncEngine::revoke_everything`].
    pub async fn plan_revoke_everything(&self, location: LocationId) -> Result<Plan> {
        let owned = Mirror::new(&self.store, location).load(None).await?;
        let assignments = owned
            .assignments
            .iter()
            .map(|a| Operation::DeleteAssignment {
                person: a.person,
                assignment: kisi::RoleAssignmentId(a.kisi_id.0),
                group: a.group,
                window: a.window,
            });
        let links = owned.links.iter().map(|l| Operation::DeleteLink {
            person: l.person,
            link: kisi::GroupLinkId(l.kisi_id.0),
        });
        Ok(Plan {
            operations: assignments.chain(links).collect(),
            notices: Vec::new(),
        })
    }
}
