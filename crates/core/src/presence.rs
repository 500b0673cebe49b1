//! Presence (issue 15): who is in a location now, and each person's attendance by day, read from
//! the doors they opened (Kisi's events as Doorlink keeps them).
//!
//! - An opened entrance checks a person in (every door is an entrance when none is named).
//! - An opened exit door checks them out.
//! - Without an exit, they count as gone once the location's inactivity window passed since
//!   their last opened door, and in any case at local midnight: a stay never crosses midnight,
//!   so only today's doors count.
//! - A refused attempt checks nobody in or out: the door stayed shut.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::ids::PersonId;

/// One attempt at a door by a person Doorlink knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub person: PersonId,
    /// Kisi's lock id (absent when Kisi did not say which door).
    pub lock: Option<i64>,
    pub door_name: String,
    pub opened: bool,
    /// Kisi's reason when the door stayed shut ("Access denied: no valid role").
    pub refusal: Option<String>,
    pub at: DateTime<Utc>,
}

/// How a location checks people in and out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PresenceRules {
    /// Doors whose opening checks in; empty: every door.
    pub entrances: BTreeSet<i64>,
    /// Doors whose opening checks out.
    pub exits: BTreeSet<i64>,
    /// Gone after this long without opening a door; `None`: only an exit or midnight.
    pub inactivity: Option<Duration>,
}

impl PresenceRules {
    fn is_exit(&self, lock: Option<i64>) -> bool {
        lock.is_some_and(|lock| self.exits.contains(&lock))
    }

    fn is_entrance(&self, lock: Option<i64>) -> bool {
        !self.is_exit(lock)
            && (self.entrances.is_empty()
                || lock.is_some_and(|lock| self.entrances.contains(&lock)))
    }

    /// The checkout rule in words, for the front desk ("at an exit door, else after 4 hours
    /// without opening a door, else at midnight").
    pub fn checkout_words(&self, door_names: &BTreeMap<i64, String>) -> String {
        let mut ways = Vec::new();
        if !self.exits.is_empty() {
            let names: Vec<&str> = self
                .exits
                .iter()
                .map(|lock| {
                    door_names
                        .get(lock)
                        .map_or("a door no longer in Kisi", String::as_str)
                })
                .collect();
            ways.push(format!("when they open {}", names.join(" or ")));
        }
        if let Some(window) = self.inactivity {
            ways.push(format!(
                "after {} without opening a door",
                duration_words(window)
            ));
        }
        ways.push("at midnight".to_owned());
        format!("People are checked out {}.", ways.join(", else "))
    }
}

fn duration_words(window: Duration) -> String {
    let minutes = window.num_minutes();
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} minute{}", if m == 1 { "" } else { "s" }),
        (h, 0) => format!("{h} hour{}", if h == 1 { "" } else { "s" }),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Someone in now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Present {
    pub person: PersonId,
    /// The opened entrance that checked them in.
    pub since: DateTime<Utc>,
    /// Their latest opened door.
    pub last_seen: DateTime<Utc>,
    pub last_door: String,
}

/// Who is in at `now`, longest present first, from `passages` (any order; those of other days
/// and after `now` are ignored).
pub fn who_is_in(
    passages: &[Passage],
    rules: &PresenceRules,
    zone: Tz,
    now: DateTime<Utc>,
) -> Vec<Present> {
    let today_from = crate::time::local_midnight(zone, now.with_timezone(&zone).date_naive());
    let mut today: Vec<&Passage> = passages
        .iter()
        .filter(|p| p.opened && p.at >= today_from && p.at <= now)
        .collect();
    today.sort_by_key(|p| p.at);
    let mut inside: BTreeMap<PersonId, Present> = BTreeMap::new();
    for passage in today {
        if rules.is_exit(passage.lock) {
            inside.remove(&passage.person);
        } else if let Some(present) = inside.get_mut(&passage.person) {
            present.last_seen = passage.at;
            present.last_door.clone_from(&passage.door_name);
        } else if rules.is_entrance(passage.lock) {
            inside.insert(
                passage.person,
                Present {
                    person: passage.person,
                    since: passage.at,
                    last_seen: passage.at,
                    last_door: passage.door_name.clone(),
                },
            );
        }
        // An inner door opened by someone not checked in (they came in behind someone else)
        // does not check them in: only entrances do.
    }
    let mut present: Vec<Present> = inside
        .into_values()
        .filter(|p| {
            rules
                .inactivity
                .is_none_or(|window| now - p.last_seen <= window)
        })
        .collect();
    present.sort_by_key(|p| (p.since, p.person));
    present
}

/// One local day a person came (or tried to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceDay {
    pub date: NaiveDate,
    /// Their first opened door that day (the first attempt when none opened).
    pub first_in: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub unlocks: u32,
    pub refusals: u32,
}

/// One person's days at a location, newest first, from their `passages`.
pub fn attendance(passages: &[Passage], zone: Tz) -> Vec<AttendanceDay> {
    let mut days: BTreeMap<NaiveDate, AttendanceDay> = BTreeMap::new();
    let mut sorted: Vec<&Passage> = passages.iter().collect();
    sorted.sort_by_key(|p| p.at);
    for passage in sorted {
        let date = passage.at.with_timezone(&zone).date_naive();
        let day = days.entry(date).or_insert(AttendanceDay {
            date,
            first_in: passage.at,
            last_seen: passage.at,
            unlocks: 0,
            refusals: 0,
        });
        if passage.opened {
            if day.unlocks == 0 {
                day.first_in = passage.at;
            }
            day.unlocks += 1;
        } else {
            day.refusals += 1;
        }
        day.last_seen = passage.at;
    }
    days.into_values().rev().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "test")]
mod tests {
    use super::*;

    const FRONT: i64 = 1;
    const ROOM: i64 = 2;
    const EXIT: i64 = 3;
    const ANA: PersonId = PersonId(1);
    const BEN: PersonId = PersonId(2);

    fn berlin(text: &str) -> DateTime<Utc> {
        let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        crate::time::resolve_local(chrono_tz::Europe::Berlin, local)
    }

    fn passage(person: PersonId, lock: i64, at: &str, opened: bool) -> Passage {
        Passage {
            person,
            lock: Some(lock),
            door_name: format!("door {lock}"),
            opened,
            refusal: (!opened).then(|| "Access denied".to_owned()),
            at: berlin(at),
        }
    }

    fn present_at(passages: &[Passage], rules: &PresenceRules, now: &str) -> Vec<PersonId> {
        who_is_in(passages, rules, chrono_tz::Europe::Berlin, berlin(now))
            .into_iter()
            .map(|p| p.person)
            .collect()
    }

    #[test]
    fn an_opened_entrance_checks_in_and_a_refused_one_does_not() {
        let passages = [
            passage(ANA, FRONT, "2026-03-02 09:00", true),
            passage(BEN, FRONT, "2026-03-02 09:05", false),
        ];
        assert_eq!(
            present_at(&passages, &PresenceRules::default(), "2026-03-02 10:00"),
            [ANA]
        );
    }

    #[test]
    fn the_exit_door_checks_out_and_a_later_entrance_checks_in_again() {
        let rules = PresenceRules {
            exits: BTreeSet::from([EXIT]),
            ..PresenceRules::default()
        };
        let mut passages = vec![
            passage(ANA, FRONT, "2026-03-02 09:00", true),
            passage(ANA, EXIT, "2026-03-02 12:00", true),
        ];
        assert!(present_at(&passages, &rules, "2026-03-02 12:30").is_empty());
        passages.push(passage(ANA, FRONT, "2026-03-02 13:00", true));
        let present = who_is_in(
            &passages,
            &rules,
            chrono_tz::Europe::Berlin,
            berlin("2026-03-02 13:30"),
        );
        assert_eq!(present[0].since, berlin("2026-03-02 13:00"), "a new stay");
    }

    #[test]
    fn without_an_exit_the_inactivity_window_checks_out() {
        let rules = PresenceRules {
            inactivity: Some(Duration::hours(4)),
            ..PresenceRules::default()
        };
        let passages = [
            passage(ANA, FRONT, "2026-03-02 09:00", true),
            passage(ANA, ROOM, "2026-03-02 11:00", true),
        ];
        assert_eq!(
            present_at(&passages, &rules, "2026-03-02 15:00"),
            [ANA],
            "4 h after the room"
        );
        assert!(present_at(&passages, &rules, "2026-03-02 15:01").is_empty());
    }

    #[test]
    fn midnight_checks_everyone_out_whatever_the_window() {
        let passages = [passage(ANA, FRONT, "2026-03-02 23:30", true)];
        assert_eq!(
            present_at(&passages, &PresenceRules::default(), "2026-03-02 23:59"),
            [ANA]
        );
        assert!(present_at(&passages, &PresenceRules::default(), "2026-03-03 00:01").is_empty());
    }

    #[test]
    fn an_inner_door_does_not_check_in_someone_who_came_in_behind_another() {
        let rules = PresenceRules {
            entrances: BTreeSet::from([FRONT]),
            ..PresenceRules::default()
        };
        let passages = [
            passage(ANA, FRONT, "2026-03-02 09:00", true),
            passage(BEN, ROOM, "2026-03-02 09:10", true),
            passage(ANA, ROOM, "2026-03-02 10:00", true),
        ];
        let present = who_is_in(
            &passages,
            &rules,
            chrono_tz::Europe::Berlin,
            berlin("2026-03-02 10:30"),
        );
        assert_eq!(present.len(), 1);
        assert_eq!(
            (present[0].person, present[0].last_door.as_str()),
            (ANA, "door 2")
        );
    }

    #[test]
    fn deliveries_out_of_order_give_the_same_answer() {
        let rules = PresenceRules {
            exits: BTreeSet::from([EXIT]),
            ..PresenceRules::default()
        };
        let passages = [
            passage(ANA, EXIT, "2026-03-02 12:00", true),
            passage(ANA, FRONT, "2026-03-02 09:00", true),
        ];
        assert!(present_at(&passages, &rules, "2026-03-02 12:30").is_empty());
    }

    #[test]
    fn attendance_counts_each_local_day_newest_first() {
        let passages = [
            passage(ANA, FRONT, "2026-03-02 08:55", false),
            passage(ANA, FRONT, "2026-03-02 09:00", true),
            passage(ANA, ROOM, "2026-03-02 17:00", true),
            // 00:30 local on the 4th is still the 3rd in UTC: the location's date counts.
            passage(ANA, FRONT, "2026-03-04 00:30", true),
        ];
        let days = attendance(&passages, chrono_tz::Europe::Berlin);
        let summary: Vec<(String, u32, u32)> = days
            .iter()
            .map(|d| (d.date.to_string(), d.unlocks, d.refusals))
            .collect();
        assert_eq!(
            summary,
            [
                ("2026-03-04".to_owned(), 1, 0),
                ("2026-03-02".to_owned(), 2, 1)
            ]
        );
        assert_eq!(
            days[1].first_in,
            berlin("2026-03-02 09:00"),
            "the first door that opened"
        );
        assert_eq!(days[1].last_seen, berlin("2026-03-02 17:00"));
    }

    #[test]
    fn the_checkout_rule_is_told_in_words() {
        let rules = PresenceRules {
            exits: BTreeSet::from([EXIT]),
            inactivity: Some(Duration::minutes(90)),
            ..PresenceRules::default()
        };
        let names = BTreeMap::from([(EXIT, "Back Door".to_owned())]);
        assert_eq!(
            rules.checkout_words(&names),
            "People are checked out when they open Back Door, else after 1 h 30 min without \
             opening a door, else at midnight."
        );
        assert_eq!(
            PresenceRules::default().checkout_words(&names),
            "People are checked out at midnight."
        );
    }
}
