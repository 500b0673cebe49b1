//! Groups and the locks in them.

use serde_json::json;

use crate::call::Call;
use crate::client::KisiClient;
use crate::endpoints::locks::join_ids;
use crate::error::KisiError;
use crate::models::{Group, GroupId, GroupLock, GroupLockId, LockId, NewGroup};

impl KisiClient {
    /// Groups of the organization (`GET /groups`, all pages); `ids` empty means all of them.
    pub async fn groups(&self, ids: &[GroupId]) -> Result<Vec<Group>, KisiError> {
        let mut call = Call::get("/groups");
        if !ids.is_empty() {
            call = call.query("ids", join_ids(ids));
        }
        self.list_all(call).await
    }

    /// Creates a group (`POST /groups`) with app access on (`login_enabled: true`): Doorlink's
    /// members unlock from the Access page, which Kisi counts as an app. A retry after a dropped
    /// connection may create it twice.
    pub async fn create_group(&self, group: &NewGroup) -> Result<Group, KisiError> {
        let body = json!({
            "group": { "name": group.name, "description": group.description, "login_enabled": true }
        });
        self.json(&Call::post("/groups", body)).await
    }

    /// The locks of `group_id` (`GET /group_locks?group_id=`, all pages).
    pub async fn group_locks(&self, group_id: GroupId) -> Result<Vec<GroupLock>, KisiError> {
        self.list_all(Call::get("/group_locks").query("group_id", group_id.to_string()))
            .await
    }

    /// Puts `lock_id` into `group_id` (`POST /group_locks`).
    pub async fn add_lock_to_group(
        &self,
        group_id: GroupId,
        lock_id: LockId,
    ) -> Result<GroupLock, KisiError> {
        let body = json!({ "group_lock": { "group_id": group_id, "lock_id": lock_id } });
        self.json(&Call::post("/group_locks", body)).await
    }

    /// Takes a lock out of its group (`DELETE /group_locks/{id}`).
    pub async fn remove_group_lock(&self, id: GroupLockId) -> Result<(), KisiError> {
        self.no_content(&Call::delete(format!("/group_locks/{id}")))
            .await
    }
}
