//! Role assignments: group memberships with an optional validity window, enforced by Kisi.

use serde_json::json;

use crate::call::Call;
use crate::client::KisiClient;
use crate::error::KisiError;
use crate::models::{GroupId, NewRoleAssignment, RoleAssignment, RoleAssignmentId, UserId};

/// The only role Doorlink hands out: basic membership of a group.
const GROUP_BASIC_ROLE: &str = "group_basic";

impl KisiClient {
    /// Makes `user_id` a member of `group_id` between `valid_from` and `valid_until`
    /// (`POST /role_assignments`, role `group_basic`). A retry after a dropped connection may
    /// create a duplicate; sync re-reads with [`KisiClient::role_assignments_of_user`].
    pub async fn create_role_assignment(
        &self,
        assignment: &NewRoleAssignment,
    ) -> Result<RoleAssignment, KisiError> {
        let body = json!({
            "role_assignment": {
                "user_id": assignment.user_id,
                "role_id": GROUP_BASIC_ROLE,
                "group_id": assignment.group_id,
                "valid_from": assignment.valid_from,
                "valid_until": assignment.valid_until,
            }
        });
        self.json(&Call::post("/role_assignments", body)).await
    }

    /// Every role assignment of `user_id` (all pages).
    pub async fn role_assignments_of_user(
        &self,
        user_id: UserId,
    ) -> Result<Vec<RoleAssignment>, KisiError> {
        self.list_all(Call::get("/role_assignments").query("user_id", user_id.to_string()))
            .await
    }

    /// Every role assignment in `group_id` (all pages).
    pub async fn role_assignments_of_group(
        &self,
        group_id: GroupId,
    ) -> Result<Vec<RoleAssignment>, KisiError> {
        self.list_all(Call::get("/role_assignments").query("group_id", group_id.to_string()))
            .await
    }

    /// Removes a role assignment (`DELETE /role_assignments/{id}`); changing a window is
    /// delete and re-create.
    pub async fn delete_role_assignment(&self, id: RoleAssignmentId) -> Result<(), KisiError> {
        self.no_content(&Call::delete(format!("/role_assignments/{id}")))
            .await
    }
}
