//! Presence (issue 15): who is in a location now, and each person's attendance by day, read from
//! the doors they opened (Kisi's events as Doorlink keeps them).
//!
//! - An opened entrance checks a person in (every door is an entrance when none is named).
//! - An opened exit door checks them out.
//! - Without an exit, they count as gone once the location's inactivity window passed since
//!   their last opened door, and in any case at local midnight: a stay never crosses midnight,
//!   so only today's doors count.
//! - A refused attempt checks nobody in or out: the door stayed shut.
//!
//! Occupancy (people in during each local hour, the peak at once, the day's visitors) is read
//! from the same stays as Who's in.

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

/// One stay of a person on one local day: checked in by an opened entrance, over at an exit
/// door, after the inactivity window, or at midnight.
#[derive(Debug, Clone)]
struct Stay<'p> {
    person: PersonId,
    since: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    last_door: &'p str,
    /// When an exit door or the inactivity window ended it, as far as the day's doors tell;
    /// `None`: still open after the last of them.
    ended: Option<DateTime<Utc>>,
}

/// The stays of one local day, from the doors opened that day in time order: the check-in and
/// check-out rules in one place, read by Who's in and by occupancy alike.
fn stays<'p>(day: &[&'p Passage], rules: &PresenceRules) -> Vec<Stay<'p>> {
    let mut open: BTreeMap<PersonId, Stay<'p>> = BTreeMap::new();
    let mut over = Vec::new();
    for &passage in day {
        // Gone once the window passed since their last door: a later door is a new stay (if
        // it is an entrance) rather than the old one going on.
        let timed_out = rules.inactivity.and_then(|window| {
            open.get(&passage.person)
                .filter(|stay| passage.at - stay.last_seen > window)
                .map(|stay| stay.last_seen + window)
        });
        if let Some(end) = timed_out
            && let Some(mut stay) = open.remove(&passage.person)
        {
            stay.ended = Some(end);
            over.push(stay);
        }
        if rules.is_exit(passage.lock) {
            if let Some(mut stay) = open.remove(&passage.person) {
                stay.ended = Some(passage.at);
                over.push(stay);
            }
        } else if let Some(stay) = open.get_mut(&passage.person) {
            stay.last_seen = passage.at;
            stay.last_door = &passage.door_name;
        } else if rules.is_entrance(passage.lock) {
            open.insert(
                passage.person,
                Stay {
                    person: passage.person,
                    since: passage.at,
                    last_seen: passage.at,
                    last_door: &passage.door_name,
                    ended: None,
                },
            );
        }
        // An inner door opened by someone not checked in (they came in behind someone else)
        // does not check them in: only entrances do.
    }
    over.extend(open.into_values());
    over
}

/// The opened doors of `passages` in `[from, until)` and no later than `now`, in time order.
fn opened_between(
    passages: &[Passage],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<&Passage> {
    let mut opened: Vec<&Passage> = passages
        .iter()
        .filter(|p| p.opened && p.at >= from && p.at < until && p.at <= now)
        .collect();
    opened.sort_by_key(|p| p.at);
    opened
}

/// Who is in at `now`, longest present first, from `passages` (any order; those of other days
/// and after `now` are ignored).
pub fn who_is_in(
    passages: &[Passage],
    rules: &PresenceRules,
    zone: Tz,
    now: DateTime<Utc>,
) -> Vec<Present> {
    let date = now.with_timezone(&zone).date_naive();
    let today = opened_between(
        passages,
        crate::time::local_midnight(zone, date),
        crate::time::end_of_local_day(zone, date),
        now,
    );
    let mut present: Vec<Present> = stays(&today, rules)
        .into_iter()
        .filter(|stay| stay.ended.is_none())
        .filter(|stay| {
            rules
                .inactivity
                .is_none_or(|window| now - stay.last_seen <= window)
        })
        .map(|stay| Present {
            person: stay.person,
            since: stay.since,
            last_seen: stay.last_seen,
            last_door: stay.last_door.to_owned(),
        })
        .collect();
    present.sort_by_key(|p| (p.since, p.person));
    present
}

/// One local day of a location's occupancy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccupancyDay {
    pub date: NaiveDate,
    /// People in at any moment of each of the day's real hours, from local midnight: 24, or 23
    /// and 25 on the days the clocks change.
    pub hours: Vec<u32>,
    /// The most people in at one instant.
    pub peak: u32,
    /// Different people checked in that day.
    pub visitors: u32,
}

/// A location's occupancy on each local day `from..=to`, oldest first, by the rules Who's in
/// uses: a stay starts at an opened entrance and ends at an exit door, after the inactivity
/// window, at midnight, or now (a day still going on counts up to `now`). Refused attempts
/// check nobody in; `passages` may come in any order.
pub fn occupancy(
    passages: &[Passage],
    rules: &PresenceRules,
    zone: Tz,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<OccupancyDay> {
    from.iter_days()
        .take_while(|date| *date <= to)
        .map(|date| {
            let start = crate::time::local_midnight(zone, date);
            let end = crate::time::end_of_local_day(zone, date);
            let day = opened_between(passages, start, end, now);
            let spans: Vec<(PersonId, DateTime<Utc>, DateTime<Utc>)> = stays(&day, rules)
                .into_iter()
                .map(|stay| {
                    let until = stay.ended.unwrap_or_else(|| {
                        let open_until = end.min(now);
                        rules
                            .inactivity
                            .map_or(open_until, |window| open_until.min(stay.last_seen + window))
                    });
                    (stay.person, stay.since, until)
                })
                .collect();
            OccupancyDay {
                date,
                hours: people_by_hour(&spans, start, end),
                peak: peak(&spans),
                visitors: count(
                    spans
                        .iter()
                        .map(|(person, ..)| *person)
                        .collect::<BTreeSet<_>>()
                        .len(),
                ),
            }
        })
        .collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Different people in during each real hour of `[start, end)` (a stay `[since, until)` that
/// ends on the hour does not count in the next one).
fn people_by_hour(
    spans: &[(PersonId, DateTime<Utc>, DateTime<Utc>)],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Vec<u32> {
    let mut hours = Vec::new();
    let mut hour_start = start;
    while hour_start < end {
        let hour_end = (hour_start + Duration::hours(1)).min(end);
        let people: BTreeSet<PersonId> = spans
            .iter()
            .filter(|(_, since, until)| *since < hour_end && *until > hour_start)
            .map(|(person, ..)| *person)
            .collect();
        hours.push(count(people.len()));
        hour_start = hour_end;
    }
    hours
}

/// The most stays open at one instant (one leaving as another comes is not both in).
fn peak(spans: &[(PersonId, DateTime<Utc>, DateTime<Utc>)]) -> u32 {
    let mut changes: Vec<(DateTime<Utc>, i64)> = spans
        .iter()
        .filter(|(_, since, until)| until > since)
        .flat_map(|(_, since, until)| [(*since, 1), (*until, -1)])
        .collect();
    changes.sort_unstable();
    let (mut inside, mut most) = (0_i64, 0_i64);
    for (_, change) in changes {
        inside += change;
        most = most.max(inside);
    }
    u32::try_from(most).unwrap_or(0)
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
    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// Occupancy of one Berlin day, read long after it.
    fn occupancy_of(passages: &[Passage], rules: &PresenceRules, date: &str) -> OccupancyDay {
        let days = occupancy(
            passages,
            rules,
            chrono_tz::Europe::Berlin,
            day(date),
            day(date),
            berlin("2026-12-31 12:00"),
        );
        assert_eq!(days.len(), 1);
        days.into_iter().next().unwrap()
    }

    /// The hours (index into the day's real hours) with someone in, and how many.
    fn busy_hours(day: &OccupancyDay) -> Vec<(usize, u32)> {
        day.hours
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    #[test]
    fn a_door_after_the_inactivity_window_starts_a_new_stay() {
        let rules = PresenceRules {
            inactivity: Some(Duration::hours(2)),
            entrances: BTreeSet::from([FRONT]),
            ..PresenceRules::default()
        };
        let passages = [
            passage(ANA, FRONT, "2026-03-02 09:00", true),
            passage(ANA, FRONT, "2026-03-02 14:00", true),
            // Ben came in behind someone and opened only an inner door, after his window.
            passage(BEN, FRONT, "2026-03-02 09:00", true),
            passage(BEN, ROOM, "2026-03-02 13:00", true),
        ];
        let present = who_is_in(
            &passages,
            &rules,
            chrono_tz::Europe::Berlin,
            berlin("2026-03-02 14:30"),
        );
        assert_eq!(present.len(), 1, "{present:?}");
        assert_eq!(
            (present[0].person, present[0].since),
            (ANA, berlin("2026-03-02 14:00"))
        );
    }

    #[test]
    fn occupancy_counts_a_stay_across_an_hour_boundary_in_both_hours() {
        let rules = PresenceRules {
            exits: BTreeSet::from([EXIT]),
            ..PresenceRules::default()
        };
        let passages = [
            passage(ANA, FRONT, "2026-03-02 09:50", true),
            passage(ANA, EXIT, "2026-03-02 10:10", true),
            passage(BEN, FRONT, "2026-03-02 10:00", true),
            passage(BEN, EXIT, "2026-03-02 11:00", true),
        ];
        let day = occupancy_of(&passages, &rules, "2026-03-02");
        assert_eq!(day.hours.len(), 24);
        assert_eq!(busy_hours(&day), [(9, 1), (10, 2)], "Ben left on the hour");
        assert_eq!((day.peak, day.visitors), (2, 2));
    }

    #[test]
    fn occupancy_uses_the_real_hours_of_the_days_the_clocks_change_in_berlin() {
        let rules = PresenceRules {
            exits: BTreeSet::from([EXIT]),
            ..PresenceRules::default()
        };
        // 29 March 2026: 02:00 becomes 03:00, a 23-hour day; 01:30 to 03:30 is one real hour.
        let spring = [
            passage(ANA, FRONT, "2026-03-29 01:30", true),
            passage(ANA, EXIT, "2026-03-29 03:30", true),
        ];
        let day = occupancy_of(&spring, &rules, "2026-03-29");
        assert_eq!(day.hours.len(), 23);
        assert_eq!(
            busy_hours(&day),
            [(1, 1), (2, 1)],
            "01:00–02:00 then 03:00–04:00"
        );
        // 25 October 2026: 03:00 becomes 02:00 again, a 25-hour day; 01:30 to 04:30 is four.
        let autumn = [
            passage(ANA, FRONT, "2026-10-25 01:30", true),
            passage(ANA, EXIT, "2026-10-25 04:30", true),
        ];
        let day = occupancy_of(&autumn, &rules, "2026-10-25");
        assert_eq!(day.hours.len(), 25);
        assert_eq!(
            busy_hours(&day),
            [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1)],
            "01, 02 (summer), 02 (winter), 03 and 04"
        );
    }

    #[test]
    fn occupancy_ends_a_stay_at_the_exit_door_and_counts_a_return_once_an_hour() {
        let rules = PresenceRules {
            exits: BTreeSet::from([EXIT]),
            ..PresenceRules::default()
        };
        let passages = [
            passage(ANA, FRONT, "2026-03-02 09:00", true),
            passage(ANA, EXIT, "2026-03-02 09:20", true),
            passage(ANA, FRONT, "2026-03-02 09:40", true),
            passage(ANA, EXIT, "2026-03-02 12:00", true),
        ];
        let day = occupancy_of(&passages, &rules, "2026-03-02");
        assert_eq!(busy_hours(&day), [(9, 1), (10, 1), (11, 1)]);
        assert_eq!((day.peak, day.visitors), (1, 1));
    }

    #[test]
    fn occupancy_ends_a_stay_after_the_inactivity_window_else_at_midnight() {
        let passages = [
            passage(ANA, FRONT, "2026-03-02 09:00", true),
            passage(ANA, ROOM, "2026-03-02 10:30", true),
        ];
        let window = PresenceRules {
            inactivity: Some(Duration::hours(1)),
            ..PresenceRules::default()
        };
        let day = occupancy_of(&passages, &window, "2026-03-02");
        assert_eq!(
            busy_hours(&day),
            [(9, 1), (10, 1), (11, 1)],
            "gone at 11:30"
        );
        let midnight = occupancy_of(&passages, &PresenceRules::default(), "2026-03-02");
        assert_eq!(busy_hours(&midnight).len(), 15, "09:00 to midnight");
        let next = occupancy_of(&passages, &PresenceRules::default(), "2026-03-03");
        assert!(
            busy_hours(&next).is_empty(),
            "a stay never crosses midnight"
        );
    }

    #[test]
    fn occupancy_of_today_counts_up_to_now() {
        let passages = [passage(ANA, FRONT, "2026-03-02 09:00", true)];
        let days = occupancy(
            &passages,
            &PresenceRules::default(),
            chrono_tz::Europe::Berlin,
            day("2026-03-02"),
            day("2026-03-03"),
            berlin("2026-03-02 10:15"),
        );
        assert_eq!(busy_hours(&days[0]), [(9, 1), (10, 1)]);
        assert_eq!(days[1].hours, vec![0; 24], "tomorrow has nobody yet");
    }

    #[test]
    fn occupancy_checks_nobody_in_for_a_refusal() {
        let passages = [
            passage(BEN, FRONT, "2026-03-02 09:00", false),
            passage(BEN, ROOM, "2026-03-02 09:05", false),
        ];
        let day = occupancy_of(&passages, &PresenceRules::default(), "2026-03-02");
        assert_eq!((day.hours, day.peak, day.visitors), (vec![0; 24], 0, 0));
    }

    #[test]
    fn occupancy_reads_passages_delivered_out_of_order_as_in_order() {
        let rules = PresenceRules {
            exits: BTreeSet::from([EXIT]),
            ..PresenceRules::default()
        };
        let in_order = [
            passage(ANA, FRONT, "2026-03-02 09:00", true),
            passage(BEN, FRONT, "2026-03-02 09:30", true),
            passage(ANA, EXIT, "2026-03-02 10:00", true),
            passage(BEN, EXIT, "2026-03-02 12:00", true),
        ];
        let mut shuffled = in_order.clone();
        shuffled.reverse();
        shuffled.swap(0, 2);
        let day = occupancy_of(&shuffled, &rules, "2026-03-02");
        assert_eq!(day, occupancy_of(&in_order, &rules, "2026-03-02"));
        assert_eq!(busy_hours(&day), [(9, 2), (10, 1), (11, 1)]);
        assert_eq!((day.peak, day.visitors), (2, 2));
    }
}
