//! A location: one coworking site with its time zone, booking grace and Access-page settings.

use chrono::Duration;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{KisiPlaceId, LocationId};

/// The location's booking grace period (R6, R10), in whole minutes, 0 to 240.
///
/// Grace is *elapsed* time applied to the booking's instants, not wall-clock arithmetic: a booking
/// ending at 01:45 on the night clocks go back gets access until 30 real minutes later. Calendar
/// arithmetic (midnights, day passes, subscription dates) is done in the zone instead; see
/// [`crate::time`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct BookingGrace {
    minutes: u32,
}

impl BookingGrace {
    /// The seed's default: 30 minutes before and after each booking.
    pub const DEFAULT: BookingGrace = BookingGrace { minutes: 30 };

    /// The longest grace: four hours either side of a booking is already a half-day pass.
    pub const MAX_MINUTES: u32 = 240;

    pub fn from_minutes(minutes: i64) -> Result<Self, ValidationError> {
        u32::try_from(minutes)
            .ok()
            .filter(|&minutes| minutes <= Self::MAX_MINUTES)
            .map(|minutes| Self { minutes })
            .ok_or(ValidationError::GraceOutOfRange {
                max: Self::MAX_MINUTES,
                field: "booking_grace_minutes",
                minutes,
            })
    }

    pub fn minutes(self) -> u32 {
        self.minutes
    }

    pub fn duration(self) -> Duration {
        Duration::minutes(i64::from(self.minutes))
    }
}

impl Default for BookingGrace {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<i64> for BookingGrace {
    type Error = ValidationError;

    fn try_from(minutes: i64) -> Result<Self, Self::Error> {
        Self::from_minutes(minutes)
    }
}

impl From<BookingGrace> for i64 {
    fn from(grace: BookingGrace) -> Self {
        i64::from(grace.minutes)
    }
}

/// An IANA time zone as a person or a file names it ("Europe/Berlin"): the one parse of a zone's
/// name, refused with the `time_zone` field's words when it names no zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone(Tz);

impl TimeZone {
    /// The zone for calendar arithmetic.
    pub fn tz(self) -> Tz {
        self.0
    }

    /// Its IANA name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl std::str::FromStr for TimeZone {
    type Err = ValidationError;

    /// Surrounding blanks are ignored; anything else must be an IANA name as written there.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        name.trim()
            .parse::<Tz>()
            .map(Self)
            .map_err(|_| ValidationError::UnknownTimeZone {
                field: "time_zone",
                value: name.to_owned(),
            })
    }
}

impl TryFrom<&str> for TimeZone {
    type Error = ValidationError;

    fn try_from(name: &str) -> Result<Self, Self::Error> {
        name.parse()
    }
}

impl From<Tz> for TimeZone {
    fn from(zone: Tz) -> Self {
        Self(zone)
    }
}

impl From<TimeZone> for Tz {
    fn from(zone: TimeZone) -> Self {
        zone.0
    }
}

/// Who may use the Access page (A3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessPageVisibility {
    /// Only people with a subscription (their own or their company's) see the page.
    #[default]
    MembersOnly,
    /// Anyone with a grant (invitees, people with a booking only) sees it.
    Public,
}

/// One coworking site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: LocationId,
    pub name: String,
    /// All calendar arithmetic for this location happens in this zone.
    pub time_zone: Tz,
    pub booking_grace: BookingGrace,
    pub access_page_visibility: AccessPageVisibility,
    /// The Kisi place the connection is limited to (A2); `None` = "Not selected", all places.
    pub kisi_place: Option<KisiPlaceId>,
}

impl Location {
    /// A location with the default grace (30 min), members-only Access page and no place filter.
    /// `time_zone` must be an IANA name.
    pub fn new(
        id: LocationId,
        name: impl Into<String>,
        time_zone: &str,
    ) -> Result<Self, ValidationError> {
        let time_zone: TimeZone = time_zone.parse()?;
        Ok(Self {
            id,
            name: name.into(),
            time_zone: time_zone.tz(),
            booking_grace: BookingGrace::DEFAULT,
            access_page_visibility: AccessPageVisibility::default(),
            kisi_place: None,
        })
    }

    pub fn with_booking_grace(mut self, grace: BookingGrace) -> Self {
        self.booking_grace = grace;
        self
    }

    pub fn with_visibility(mut self, visibility: AccessPageVisibility) -> Self {
        self.access_page_visibility = visibility;
        self
    }

    pub fn with_kisi_place(mut self, place: Option<KisiPlaceId>) -> Self {
        self.kisi_place = place;
        self
    }
}
