//! Fault injection (`Fault`; the README's "Control API" lists them): what the next Kisi API
//! requests suffer. Control requests under `/__emulator/` are never faulted.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::lock;

/// A misbehaviour to inject. Faults add up: latency applies to every request until cleared and
/// combines with the others; counted faults are consumed one request at a time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(into = "FaultWire", try_from = "FaultWire")]
pub enum Fault {
    /// Every request waits this long before it is carried out (or dropped): Kisi has done nothing
    /// yet while the client waits.
    Latency(Duration),
    /// Every request is carried out at once, then its answer is held this long before it is sent:
    /// Kisi has acted while the client still waits, the window in which a client that dies (a
    /// crash, kill -9) never learns what Kisi did. Until cleared; adds to [`Fault::Latency`].
    HeldAnswers(Duration),
    /// This fraction (0.0..=1.0) of requests answer 500. Deterministic: with 0.25, every 4th
    /// request fails, so tests know exactly which ones.
    ServerErrors { fraction: f64 },
    /// The next `count` requests answer 429 with `Retry-After: 1`.
    TooManyRequests { count: u32 },
    /// The next `count` requests see their connection closed with no response at all.
    DropConnections { count: u32 },
    /// The next `count` requests are carried out, but their answer never arrives: Kisi acts, then
    /// the connection closes, as a client whose timeout struck after Kisi acted sees it. (Unlike
    /// [`Fault::Latency`] beyond the client's timeout this is deterministic and costs no time.)
    LostAnswers { count: u32 },
    /// Until cleared, every JSON answer is rewritten as a proxy that tests Kisi's worst documented
    /// answers would: each boolean becomes `null` (Kisi's own `GET /locks` example does this to the
    /// restriction flags) and each object gains a field Doorlink has never heard of.
    NullFlags,
}

/// The JSON shape of a fault on the control API, e.g. `{"latency_ms": 200}`,
/// `{"held_answers_ms": 3000}` or `{"too_many_requests": {"count": 3}}`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum FaultWire {
    LatencyMs(u64),
    HeldAnswersMs(u64),
    ServerErrors { fraction: f64 },
    TooManyRequests { count: u32 },
    DropConnections { count: u32 },
    LostAnswers { count: u32 },
    NullFlags(bool),
}

impl From<Fault> for FaultWire {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::Latency(latency) => {
                Self::LatencyMs(u64::try_from(latency.as_millis()).unwrap_or(u64::MAX))
            }
            Fault::HeldAnswers(held) => {
                Self::HeldAnswersMs(u64::try_from(held.as_millis()).unwrap_or(u64::MAX))
            }
            Fault::ServerErrors { fraction } => Self::ServerErrors { fraction },
            Fault::TooManyRequests { count } => Self::TooManyRequests { count },
            Fault::DropConnections { count } => Self::DropConnections { count },
            Fault::LostAnswers { count } => Self::LostAnswers { count },
            Fault::NullFlags => Self::NullFlags(true),
        }
    }
}

impl TryFrom<FaultWire> for Fault {
    type Error = String;

    fn try_from(wire: FaultWire) -> Result<Self, Self::Error> {
        Ok(match wire {
            FaultWire::LatencyMs(ms) => Self::Latency(Duration::from_millis(ms)),
            FaultWire::HeldAnswersMs(ms) => Self::HeldAnswers(Duration::from_millis(ms)),
            FaultWire::ServerErrors { fraction } if (0.0..=1.0).contains(&fraction) => {
                Self::ServerErrors { fraction }
            }
            FaultWire::ServerErrors { fraction } => {
                return Err(format!(
                    "server_errors.fraction must be within 0.0..=1.0, got {fraction}"
                ));
            }
            FaultWire::TooManyRequests { count } => Self::TooManyRequests { count },
            FaultWire::DropConnections { count } => Self::DropConnections { count },
            FaultWire::LostAnswers { count } => Self::LostAnswers { count },
            FaultWire::NullFlags(true) => Self::NullFlags,
            FaultWire::NullFlags(false) => {
                return Err("null_flags is cleared with DELETE /__emulator/faults".to_owned());
            }
        })
    }
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaultOutcome {
    Proceed,
    Drop,
    /// Served, then the connection is closed instead of answering.
    LoseAnswer,
    TooManyRequests,
    ServerError,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FaultPlan {
    /// Waited before the request is carried out.
    pub(crate) latency: Option<Duration>,
    /// Waited after the request was carried out, before its answer is sent.
    pub(crate) held_answer: Option<Duration>,
    pub(crate) outcome: FaultOutcome,
    /// Rewrite the JSON answer with [`null_flags`].
    pub(crate) null_flags: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Faults {
    state: Mutex<FaultState>,
}

#[derive(Debug, Default)]
struct FaultState {
    latency: Option<Duration>,
    held_answers: Option<Duration>,
    error_fraction: f64,
    /// Grows by `error_fraction` per request; each time it reaches 1 a request fails.
    error_debt: f64,
    too_many_requests: u32,
    drop_connections: u32,
    lost_answers: u32,
    null_flags: bool,
}

impl Faults {
    pub(crate) fn inject(&self, fault: Fault) {
        let mut state = lock(&self.state);
        match fault {
            Fault::Latency(latency) => state.latency = Some(latency),
            Fault::HeldAnswers(held) => state.held_answers = Some(held),
            Fault::ServerErrors { fraction } => {
                state.error_fraction = fraction.clamp(0.0, 1.0);
                state.error_debt = 0.0;
            }
            Fault::TooManyRequests { count } => {
                state.too_many_requests = state.too_many_requests.saturating_add(count);
            }
            Fault::DropConnections { count } => {
                state.drop_connections = state.drop_connections.saturating_add(count);
            }
            Fault::LostAnswers { count } => {
                state.lost_answers = state.lost_answers.saturating_add(count);
            }
            Fault::NullFlags => state.null_flags = true,
        }
    }

    pub(crate) fn clear(&self) {
        *lock(&self.state) = FaultState::default();
    }

    /// Decides the fate of the next API request. Dropping wins over losing the answer, which wins
    /// over a 429, which wins over a 500.
    pub(crate) fn next_request(&self) -> FaultPlan {
        let mut state = lock(&self.state);
        let latency = state.latency;
        let outcome = if state.drop_connections > 0 {
            state.drop_connections -= 1;
            FaultOutcome::Drop
        } else if state.lost_answers > 0 {
            state.lost_answers -= 1;
            FaultOutcome::LoseAnswer
        } else if state.too_many_requests > 0 {
            state.too_many_requests -= 1;
            FaultOutcome::TooManyRequests
        } else if state.error_fraction > 0.0 {
            state.error_debt += state.error_fraction;
            // The small tolerance keeps 0.1 * 10 from landing at 0.9999999.
            if state.error_debt >= 1.0 - 1e-9 {
                state.error_debt -= 1.0;
                FaultOutcome::ServerError
            } else {
                FaultOutcome::Proceed
            }
        } else {
            FaultOutcome::Proceed
        };
        FaultPlan {
            latency,
            held_answer: state.held_answers,
            outcome,
            null_flags: state.null_flags,
        }
    }
}

/// The field [`Fault::NullFlags`] adds to every object.
pub(crate) const UNKNOWN_FIELD: &str = "x_field_doorlink_never_saw";

/// Every boolean in `value` becomes `null`, and every object gains [`UNKNOWN_FIELD`].
pub(crate) fn null_flags(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Bool(_) => *value = Value::Null,
        Value::Array(items) => items.iter_mut().for_each(null_flags),
        Value::Object(fields) => {
            fields.values_mut().for_each(null_flags);
            fields.insert(
                UNKNOWN_FIELD.to_owned(),
                serde_json::json!({ "nested": [1, "two", null] }),
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes(faults: &Faults, n: usize) -> Vec<FaultOutcome> {
        (0..n).map(|_| faults.next_request().outcome).collect()
    }

    #[test]
    fn a_quarter_of_server_errors_fails_every_fourth_request() {
        let faults = Faults::default();
        faults.inject(Fault::ServerErrors { fraction: 0.25 });
        let failed: Vec<usize> = outcomes(&faults, 12)
            .iter()
            .enumerate()
            .filter(|(_, o)| **o == FaultOutcome::ServerError)
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(failed, vec![4, 8, 12]);
    }

    #[test]
    fn a_tenth_of_server_errors_fails_exactly_ten_of_a_hundred() {
        let faults = Faults::default();
        faults.inject(Fault::ServerErrors { fraction: 0.1 });
        let failed = outcomes(&faults, 100)
            .iter()
            .filter(|o| **o == FaultOutcome::ServerError)
            .count();
        assert_eq!(failed, 10);
    }

    #[test]
    fn counted_faults_are_consumed_then_requests_proceed() {
        let faults = Faults::default();
        faults.inject(Fault::TooManyRequests { count: 2 });
        faults.inject(Fault::DropConnections { count: 1 });
        faults.inject(Fault::LostAnswers { count: 1 });
        assert_eq!(
            outcomes(&faults, 5),
            vec![
                FaultOutcome::Drop,
                FaultOutcome::LoseAnswer,
                FaultOutcome::TooManyRequests,
                FaultOutcome::TooManyRequests,
                FaultOutcome::Proceed
            ]
        );
    }

    #[test]
    fn latency_stays_until_cleared() {
        let faults = Faults::default();
        faults.inject(Fault::Latency(Duration::from_millis(30)));
        assert_eq!(
            faults.next_request().latency,
            Some(Duration::from_millis(30))
        );
        assert_eq!(
            faults.next_request().latency,
            Some(Duration::from_millis(30))
        );
        faults.clear();
        assert_eq!(faults.next_request().latency, None);
    }

    #[test]
    fn held_answers_stay_until_cleared_and_leave_latency_alone() {
        let faults = Faults::default();
        faults.inject(Fault::HeldAnswers(Duration::from_millis(40)));
        let plan = faults.next_request();
        assert_eq!(plan.held_answer, Some(Duration::from_millis(40)));
        assert_eq!(plan.latency, None);
        assert_eq!(plan.outcome, FaultOutcome::Proceed);
        assert_eq!(
            faults.next_request().held_answer,
            Some(Duration::from_millis(40))
        );
        faults.clear();
        assert_eq!(faults.next_request().held_answer, None);
    }

    #[test]
    fn faults_round_trip_through_their_json_shape() {
        let fault: Fault = serde_json::from_str(r#"{"latency_ms":250}"#).unwrap();
        assert_eq!(fault, Fault::Latency(Duration::from_millis(250)));
        let json = serde_json::to_string(&Fault::TooManyRequests { count: 3 }).unwrap();
        assert_eq!(json, r#"{"too_many_requests":{"count":3}}"#);
        assert!(serde_json::from_str::<Fault>(r#"{"server_errors":{"fraction":1.5}}"#).is_err());
        let fault: Fault = serde_json::from_str(r#"{"lost_answers":{"count":2}}"#).unwrap();
        assert_eq!(fault, Fault::LostAnswers { count: 2 });
        let fault: Fault = serde_json::from_str(r#"{"held_answers_ms":3000}"#).unwrap();
        assert_eq!(fault, Fault::HeldAnswers(Duration::from_secs(3)));
        let fault: Fault = serde_json::from_str(r#"{"null_flags":true}"#).unwrap();
        assert_eq!(fault, Fault::NullFlags);
    }

    #[test]
    fn null_flags_turns_every_boolean_into_null_and_adds_an_unknown_field() {
        let mut answer = serde_json::json!([{"id": 1, "online": true, "place": {"open": false}}]);
        null_flags(&mut answer);
        assert_eq!(answer[0]["online"], serde_json::Value::Null);
        assert_eq!(answer[0]["place"]["open"], serde_json::Value::Null);
        assert_eq!(answer[0]["id"], 1);
        assert!(answer[0].get(UNKNOWN_FIELD).is_some());
    }
}
