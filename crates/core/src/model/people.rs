//! People, their e-mail address, companies and company memberships.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{CompanyId, PersonId};
use crate::time::Window;

/// An e-mail address, normalised: trimmed and lower-cased, so two spellings of one address are equal
/// (a person is matched to a Kisi user by e-mail, I2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// The longest address SMTP can carry (RFC 5321: a 256-octet path less its angle brackets).
    pub const MAX_CHARS: usize = 254;

    /// Checks the shape only (one `local@domain`, no spaces or control characters, at most
    /// [`Email::MAX_CHARS`]): whether mail arrives is for Kisi's confirmation to find out.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let malformed = |problem: String| ValidationError::MalformedEmail {
            field: "email",
            problem,
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(ValidationError::EmptyEmail { field: "email" });
        }
        let chars = trimmed.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(malformed(format!(
                "it has {chars} characters, at most {} are allowed",
                Self::MAX_CHARS
            )));
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return Err(ValidationError::EmailWithoutAt {
                field: "email",
                value: trimmed.to_owned(),
            });
        };
        if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(malformed(
                "it contains spaces, line breaks or control characters".to_owned(),
            ));
        }
        if local.is_empty() || local.contains('@') {
            return Err(malformed(
                "it needs one '@' with a name before it, as in name@example.com".to_owned(),
            ));
        }
        if domain.is_empty() || domain.starts_with('.') || domain.ends_with('.') {
            return Err(malformed(
                "it needs a domain after the '@', as in name@example.com".to_owned(),
            ));
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = ValidationError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

/// A person: member, invitee, visitor or manual-grant holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub email: Email,
}

impl Person {
    pub fn new(
        id: PersonId,
        name: impl Into<String>,
        email: &str,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            id,
            name: name.into(),
            email: Email::parse(email)?,
        })
    }
}

/// A company (business account). Its subscriptions grant access to its members (R5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
}

/// One interval during which a person belongs to a company; a person may have several (left and
/// re-joined), and belong to several companies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyMembership {
    pub person: PersonId,
    pub company: CompanyId,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

impl CompanyMembership {
    pub fn new(
        person: PersonId,
        company: CompanyId,
        joined_at: DateTime<Utc>,
        left_at: Option<DateTime<Utc>>,
    ) -> Result<Self, ValidationError> {
        if let Some(left) = left_at
            && left <= joined_at
        {
            return Err(ValidationError::EndNotAfterStart {
                field: "left_at",
                start_field: "joined_at",
                start: joined_at.to_rfc3339(),
                end: left.to_rfc3339(),
            });
        }
        Ok(Self {
            person,
            company,
            joined_at,
            left_at,
        })
    }

    /// The membership as a window (R5: gained at once on joining, lost at once on leaving).
    pub fn window(&self) -> Option<Window> {
        match self.left_at {
            Some(left) => Window::bounded(self.joined_at, left),
            None => Some(Window::starting(self.joined_at)),
        }
    }
}
