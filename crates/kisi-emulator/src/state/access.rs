//! Access rights: role assignments with optional `valid_from`/`valid_until` windows, and visitor
//! access links (group links) (kisi-api.md, "Users and access rights").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use super::logins::new_secret;
use super::users::looks_like_email;
use crate::errors::ApiError;

/// The only role Doorlink hands out; others are accepted so foreign assignments can exist.
pub const ROLE_GROUP_BASIC: &str = "group_basic";
const KNOWN_GROUP_ROLES: [&str; 2] = [ROLE_GROUP_BASIC, "group_manager"];
/// Kisi caps e-mail access links per organization.
pub const MAX_EMAIL_GROUP_LINKS: usize = 1000;

/// Who created an assignment: Doorlink through the API, or a person in the Kisi dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentSource {
    Api,
    Dashboard,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub id: u64,
    pub user_id: u64,
    pub role_id: String,
    pub group_id: u64,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub source: AssignmentSource,
}

/// Whether one user may hold overlapping role assignments in one group. Kisi's answer is not
/// documented (kisi-api.md, "Corrections"), so the emulator models both and Doorlink must keep
/// its promises under each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlapPolicy {
    /// An overlapping second assignment is a 422 `valid_from` "overlaps another role".
    #[default]
    Refuse,
    /// Any number of assignments, overlapping or identical.
    Allow,
}

/// One change to the role assignments, in the order Kisi made it ([`crate::Control::assignment_history`]):
/// lets a test replay who held which grant at every moment (R8 "no gap").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentChange {
    /// `true` when the assignment was created, `false` when it was removed.
    pub created: bool,
    pub assignment: RoleAssignment,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupLink {
    pub id: u64,
    pub name: String,
    pub group_id: u64,
    pub email: Option<String>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Works as a `KISI-LOGIN` key limited to the group's locks (see `auth`).
    pub secret: String,
}

/// A window `[valid_from, valid_until)`; either end may be open.
pub(crate) fn window_contains(
    valid_from: Option<DateTime<Utc>>,
    valid_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    valid_from.is_none_or(|from| from <= now) && valid_until.is_none_or(|until| now < until)
}

fn check_window(
    valid_from: Option<DateTime<Utc>>,
    valid_until: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    match (valid_from, valid_until) {
        (Some(from), Some(until)) if until <= from => {
            Err(ApiError::invalid("valid_until", "must be after valid_from"))
        }
        _ => Ok(()),
    }
}

/// What it takes to create a role assignment.
#[derive(Debug, Clone)]
pub(crate) struct NewRoleAssignment {
    pub(crate) user_id: u64,
    pub(crate) group_id: u64,
    pub(crate) role_id: String,
    pub(crate) valid_from: Option<DateTime<Utc>>,
    pub(crate) valid_until: Option<DateTime<Utc>>,
    pub(crate) source: AssignmentSource,
}

/// What it takes to create an access link.
#[derive(Debug, Clone)]
pub(crate) struct NewGroupLink {
    pub(crate) name: String,
    pub(crate) group_id: u64,
    pub(crate) email: Option<String>,
    pub(crate) valid_from: Option<DateTime<Utc>>,
    pub(crate) valid_until: Option<DateTime<Utc>>,
}

impl Store {
    /// Under [`OverlapPolicy::Refuse`] a user may hold several roles in one group only with
    /// windows that do not overlap: two bookings on different days are two assignments
    /// (access-rules.md R13), while an overlapping second one is a 422. The overlap check also
    /// catches a client that writes the same grant twice. Under [`OverlapPolicy::Allow`] anything
    /// goes, duplicates too.
    pub(crate) fn add_role_assignment(
        &mut self,
        new: NewRoleAssignment,
        now: DateTime<Utc>,
    ) -> Result<RoleAssignment, ApiError> {
        if !KNOWN_GROUP_ROLES.contains(&new.role_id.as_str()) {
            return Err(ApiError::invalid(
                "role_id",
                format!(
                    "is not a group role (allowed: {})",
                    KNOWN_GROUP_ROLES.join(", ")
                ),
            ));
        }
        check_window(new.valid_from, new.valid_until)?;
        self.existing_group(new.group_id)?;
        if !self.users.contains_key(&new.user_id) {
            return Err(ApiError::Forbidden);
        }
        let overlapping = self.role_assignments.values().any(|a| {
            a.user_id == new.user_id
                && a.group_id == new.group_id
                && windows_overlap(
                    (a.valid_from, a.valid_until),
                    (new.valid_from, new.valid_until),
                )
        });
        if overlapping && self.overlaps == OverlapPolicy::Refuse {
            return Err(ApiError::invalid(
                "valid_from",
                "overlaps another role of this user in this group",
            ));
        }
        let assignment = RoleAssignment {
            id: self.next_id(),
            user_id: new.user_id,
            role_id: new.role_id,
            group_id: new.group_id,
            valid_from: new.valid_from,
            valid_until: new.valid_until,
            created_at: now,
            source: new.source,
        };
        self.assignment_history.push(AssignmentChange {
            created: true,
            assignment: assignment.clone(),
        });
        self.role_assignments
            .insert(assignment.id, assignment.clone());
        Ok(assignment)
    }

    pub(crate) fn add_group_link(
        &mut self,
        new: NewGroupLink,
        now: DateTime<Utc>,
    ) -> Result<GroupLink, ApiError> {
        if new.name.trim().is_empty() {
            return Err(ApiError::invalid("name", "can't be blank"));
        }
        if let Some(email) = &new.email {
            if !looks_like_email(email) {
                return Err(ApiError::invalid("email", "is invalid"));
            }
            let with_email = self
                .group_links
                .values()
                .filter(|l| l.email.is_some())
                .count();
            if with_email >= MAX_EMAIL_GROUP_LINKS {
                return Err(ApiError::invalid(
                    "base",
                    format!("at most {MAX_EMAIL_GROUP_LINKS} e-mail access links per organization"),
                ));
            }
        }
        check_window(new.valid_from, new.valid_until)?;
        self.existing_group(new.group_id)?;
        let link = GroupLink {
            id: self.next_id(),
            name: new.name.trim().to_owned(),
            group_id: new.group_id,
            email: new.email,
            valid_from: new.valid_from,
            valid_until: new.valid_until,
            created_at: now,
            secret: new_secret(),
        };
        self.group_links.insert(link.id, link.clone());
        Ok(link)
    }

    /// Groups in which the user holds an assignment valid at `now`.
    pub(crate) fn current_group_ids(&self, user_id: u64, now: DateTime<Utc>) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .role_assignments
            .values()
            .filter(|a| a.user_id == user_id && window_contains(a.valid_from, a.valid_until, now))
            .map(|a| a.group_id)
            .filter(|group_id| self.groups.get(group_id).is_some_and(|g| g.login_enabled))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Whether two optional-bounded half-open windows share an instant (`None` = unbounded on that side).
fn windows_overlap(
    a: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    b: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
) -> bool {
    let starts_before_end =
        |from: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>| match (from, until) {
            (Some(from), Some(until)) => from < until,
            _ => true,
        };
    starts_before_end(a.0, b.1) && starts_before_end(b.0, a.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_window_includes_its_start_and_excludes_its_end() {
        let from = Some(at("2026-03-02T09:00:00Z"));
        let until = Some(at("2026-03-02T10:00:00Z"));
        assert!(!window_contains(from, until, at("2026-03-02T08:59:59Z")));
        assert!(window_contains(from, until, at("2026-03-02T09:00:00Z")));
        assert!(window_contains(from, until, at("2026-03-02T09:59:59Z")));
        assert!(!window_contains(from, until, at("2026-03-02T10:00:00Z")));
    }

    #[test]
    fn open_ended_windows_are_open_on_that_side() {
        assert!(window_contains(None, None, at("2000-01-01T00:00:00Z")));
        assert!(window_contains(
            None,
            Some(at("2026-01-01T00:00:00Z")),
            at("2025-12-31T23:00:00Z")
        ));
        assert!(window_contains(
            Some(at("2026-01-01T00:00:00Z")),
            None,
            at("2030-01-01T00:00:00Z")
        ));
    }

    #[test]
    fn a_window_ending_before_it_starts_is_invalid() {
        let error = check_window(
            Some(at("2026-03-02T10:00:00Z")),
            Some(at("2026-03-02T09:00:00Z")),
        );
        assert_eq!(
            error,
            Err(ApiError::invalid("valid_until", "must be after valid_from"))
        );
    }
}
