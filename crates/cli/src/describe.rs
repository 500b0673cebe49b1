//! Plain-words descriptions of windows and targets for the command-line reports, in the
//! location's time zone. Why a grant exists is worded by core (`Provenance::words`),
//! the same words the Access page shows.

use chrono::{DateTime, Utc};
use doorlink_core::{AccessTarget, KisiView, LocationFacts, Window, format_local};

/// A window as people read it: "until 16:30 …", "from … until …", "from …, no end".
pub fn window(facts: &LocationFacts, window: &Window, now: DateTime<Utc>) -> String {
    let zone = facts.location().time_zone;
    let from = window.from();
    match (from <= now, window.until()) {
        (true, Some(until)) => format!("until {}", format_local(zone, until)),
        (true, None) => "with no end".to_owned(),
        (false, Some(until)) => format!(
            "from {} until {}",
            format_local(zone, from),
            format_local(zone, until)
        ),
        (false, None) => format!("from {}, with no end", format_local(zone, from)),
    }
}

/// The Kisi name of a target: "group \"Room Elbe\"" or "lock \"Phone Booth\"".
pub fn target(view: &KisiView, target: AccessTarget) -> String {
    let kind = match target {
        AccessTarget::Group(_) => "group",
        AccessTarget::Lock(_) => "lock",
    };
    format!("{kind} \"{}\"", view.target_name(target))
}
