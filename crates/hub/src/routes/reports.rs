//! Reports (issue 15): a location's occupancy by hour and day, and CSV exports of attendance, the
//! ledger and the audit log over a range of local dates. The exports are streamed: the store is
//! read in keyset pages of [`EXPORT_PAGE`] rows and each page goes out as it is written, so a year
//! of a busy location is never held in memory.

use std::collections::BTreeMap;
use std::future::Future;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use doorlink_api::door_events::{ExportQuery, OccupancyDayView, OccupancyQuery, OccupancyView};
use doorlink_api::error::ErrorBody;
use doorlink_api::routes;
use doorlink_core::{
    Location, LocationId, Passage, PersonId, attendance, end_of_local_day, ledger, local_midnight,
    occupancy,
};
use doorlink_store::{AuditEntryId, AuditFilter, AuditKinds, DoorEventQuery};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::csv;
use crate::error::ApiResult;
use crate::routes::audit::entry_view;
use crate::routes::me::snapshot::snapshot;
use crate::routes::presence::{attendance_day_view, ledger_entry_view};
use crate::routes::validate::{DaySpan, local_days};
use crate::routes::{Path, Query};
use crate::state::AppState;

/// Occupancy charts four weeks when asked for none, and at most about a quarter.
const OCCUPANCY_DAYS: DaySpan = DaySpan {
    default: 28,
    most: 92,
};
/// An export covers 30 days when asked for none, and at most a year.
const EXPORT_DAYS: DaySpan = DaySpan {
    default: 30,
    most: 366,
};
/// Rows an export reads from the store at once (one chunk of the response each).
const EXPORT_PAGE: u32 = 500;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(location_occupancy))
        .routes(routes!(attendance_csv))
        .routes(routes!(ledger_csv))
        .routes(routes!(audit_csv))
}

/// People in during each local hour of each day, the peak at once and the day's visitors,
/// checked in and out by the location's presence rules (as Who's in is).
#[utoipa::path(get, path = routes::LOCATIONS_ID_OCCUPANCY, tag = "door-events",
    params(("id" = i64, Path, description = "Location id"), OccupancyQuery),
    responses((status = 200, body = OccupancyView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn location_occupancy(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Query(query): Query<OccupancyQuery>,
) -> ApiResult<Json<OccupancyView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let zone = location.time_zone;
    let now = state.now();
    let today = now.with_timezone(&zone).date_naive();
    let (from, to) = local_days(today, query.from, query.to, OCCUPANCY_DAYS)?;
    let events = state.store().door_events();
    let rules = events.presence_rules(location.id).await?;
    let passages = events
        .passages(
            location.id,
            None,
            local_midnight(zone, from),
            end_of_local_day(zone, to),
        )
        .await?;
    Ok(Json(OccupancyView {
        location_id: location.id.0,
        time_zone: zone.name().to_owned(),
        from,
        to,
        days: occupancy(&passages, &rules, zone, from, to, now)
            .into_iter()
            .map(|day| OccupancyDayView {
                date: day.date,
                hours: day.hours,
                peak: day.peak,
                visitors: day.visitors,
            })
            .collect(),
    }))
}

/// The location and the local days an export covers, checked before a byte is sent.
struct ExportRange {
    location: Location,
    from: NaiveDate,
    to: NaiveDate,
}

impl ExportRange {
    async fn read(state: &AppState, id: i64, query: &ExportQuery) -> ApiResult<Self> {
        let location = state.store().locations().get(LocationId(id)).await?;
        let today = state.now().with_timezone(&location.time_zone).date_naive();
        let (from, to) = local_days(today, query.from, query.to, EXPORT_DAYS)?;
        Ok(Self { location, from, to })
    }

    fn zone(&self) -> Tz {
        self.location.time_zone
    }

    fn start(&self) -> DateTime<Utc> {
        local_midnight(self.zone(), self.from)
    }

    fn end(&self) -> DateTime<Utc> {
        end_of_local_day(self.zone(), self.to)
    }

    /// An instant in the location's zone, ISO 8601 with its offset.
    fn local(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone())
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }
}

type Chunk = Result<Bytes, std::io::Error>;

/// Where an export writes its rows: each [`CsvSink::flush`] sends what was written since as one
/// chunk of the body, waiting while the client has not read the last one.
struct CsvSink {
    sender: mpsc::Sender<Chunk>,
    rows: String,
}

impl CsvSink {
    fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        csv::push_row(&mut self.rows, cells);
    }

    /// False when the client has gone: the export stops reading.
    async fn flush(&mut self) -> bool {
        if self.rows.is_empty() {
            return true;
        }
        let chunk = Bytes::from(std::mem::take(&mut self.rows));
        self.sender.send(Ok(chunk)).await.is_ok()
    }
}

/// A CSV download named `<kind>-<location>-<from>-<to>.csv` whose rows `write` produces page by
/// page. A store failure half-way cuts the body off (the client sees an incomplete transfer, not a
/// short file that looks whole) and is logged.
fn csv_download<F, Fut>(kind: &'static str, range: ExportRange, write: F) -> Response
where
    F: FnOnce(ExportRange, CsvSink) -> Fut,
    Fut: Future<Output = ApiResult<()>> + Send + 'static,
{
    let filename = format!(
        "{kind}-{}-{}-{}.csv",
        range.location.id.0, range.from, range.to
    );
    // Two chunks in flight at most: the export reads the store no faster than the client reads.
    let (sender, receiver) = mpsc::channel::<Chunk>(2);
    let failed = sender.clone();
    let writing = write(
        range,
        CsvSink {
            sender,
            rows: String::new(),
        },
    );
    tokio::spawn(async move {
        if let Err(error) = writing.await {
            tracing::error!(%error, export = kind, "a CSV export failed half-way");
            let _gone = failed
                .send(Err(std::io::Error::other(format!(
                    "the {kind} export failed: {error}"
                ))))
                .await;
        }
    });
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(ReceiverStream::new(receiver)),
    )
        .into_response()
}

/// The events of the export's days, newest first, a page at a time.
struct EventPages {
    query: DoorEventQuery,
    done: bool,
}

impl EventPages {
    fn new(range: &ExportRange) -> Self {
        Self {
            query: DoorEventQuery {
                person: None,
                from: Some(range.start()),
                to: Some(range.end()),
                before: None,
                limit: EXPORT_PAGE,
            },
            done: false,
        }
    }

    /// The next page's passages of people Doorlink knows, with their names; `None` after the
    /// last page.
    async fn next(
        &mut self,
        state: &AppState,
        location: LocationId,
    ) -> ApiResult<Option<Vec<(Passage, String)>>> {
        if self.done {
            return Ok(None);
        }
        let events = state
            .store()
            .door_events()
            .list(location, self.query)
            .await?;
        self.done = events.len() < EXPORT_PAGE as usize;
        self.query.before = events.last().map(|event| event.id);
        Ok(Some(
            events
                .iter()
                .filter_map(|event| {
                    let passage = event.passage()?;
                    Some((passage, event.person_name.clone().unwrap_or_default()))
                })
                .collect(),
        ))
    }
}

/// Each person's days at the location: date, person, first in, last seen, doors opened, refused;
/// newest day first, people by name.
#[utoipa::path(get, path = routes::LOCATIONS_ID_EXPORTS_ATTENDANCE, tag = "door-events",
    params(("id" = i64, Path, description = "Location id"), ExportQuery),
    responses((status = 200, description = "Attendance as CSV", body = String, content_type = "text/csv"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn attendance_csv(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let range = ExportRange::read(&state, id, &query).await?;
    Ok(csv_download("attendance", range, |range, sink| {
        write_attendance(state, range, sink)
    }))
}

async fn write_attendance(state: AppState, range: ExportRange, mut sink: CsvSink) -> ApiResult<()> {
    sink.row(&[
        "date",
        "person",
        "first in",
        "last seen",
        "doors opened",
        "refused",
    ]);
    // Pages come newest first, so a day is whole once an older one begins: only one day's
    // passages are held.
    let mut day: Option<NaiveDate> = None;
    let mut passages: Vec<(Passage, String)> = Vec::new();
    let mut pages = EventPages::new(&range);
    while let Some(page) = pages.next(&state, range.location.id).await? {
        for (passage, name) in page {
            let date = passage.at.with_timezone(&range.zone()).date_naive();
            if day.is_some_and(|day| day != date) {
                write_attendance_day(&mut sink, &range, &std::mem::take(&mut passages));
            }
            day = Some(date);
            passages.push((passage, name));
        }
        if !sink.flush().await {
            return Ok(());
        }
    }
    write_attendance_day(&mut sink, &range, &passages);
    sink.flush().await;
    Ok(())
}

/// The rows of one local day, one per person, by name.
fn write_attendance_day(sink: &mut CsvSink, range: &ExportRange, day: &[(Passage, String)]) {
    let mut people: BTreeMap<(&str, PersonId), Vec<Passage>> = BTreeMap::new();
    for (passage, name) in day {
        people
            .entry((name.as_str(), passage.person))
            .or_default()
            .push(passage.clone());
    }
    for ((name, _), passages) in people {
        for day in attendance(&passages, range.zone()) {
            let day = attendance_day_view(&day);
            sink.row(&[
                day.date.to_string(),
                name.to_owned(),
                range.local(day.first_in),
                range.local(day.last_seen),
                day.unlocks.to_string(),
                day.refusals.to_string(),
            ]);
        }
    }
}

/// Every door opened or tried at the location against what the rules gave the person then, as
/// the ledger page shows it: time, person, door, outcome, entitled, because, Kisi's reason,
/// Doorlink's explanation; newest first.
#[utoipa::path(get, path = routes::LOCATIONS_ID_EXPORTS_LEDGER, tag = "door-events",
    params(("id" = i64, Path, description = "Location id"), ExportQuery),
    responses((status = 200, description = "The ledger as CSV", body = String, content_type = "text/csv"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn ledger_csv(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let range = ExportRange::read(&state, id, &query).await?;
    Ok(csv_download("ledger", range, |range, sink| {
        write_ledger(state, range, sink)
    }))
}

async fn write_ledger(state: AppState, range: ExportRange, mut sink: CsvSink) -> ApiResult<()> {
    sink.row(&[
        "time",
        "person",
        "door",
        "outcome",
        "entitled",
        "because",
        "Kisi's reason",
        "Doorlink's explanation",
    ]);
    let location = range.location.id;
    let now = state.now();
    let mut pages = EventPages::new(&range);
    while let Some(page) = pages.next(&state, location).await? {
        let mut people: BTreeMap<PersonId, (String, Vec<Passage>)> = BTreeMap::new();
        for (passage, name) in page {
            let theirs = people
                .entry(passage.person)
                .or_insert_with(|| (name, Vec::new()));
            theirs.1.push(passage);
        }
        let mut rows = Vec::new();
        for (person, (name, passages)) in people {
            let snapshot = snapshot(&state, location, person).await?;
            let found = ledger(&snapshot.facts, &snapshot.view, person, &passages, now);
            for (passage, entry) in &found.entries {
                let view = ledger_entry_view(&snapshot, person, passage, entry);
                rows.push((
                    view.at,
                    [
                        range.local(view.at),
                        name.clone(),
                        view.door,
                        if view.opened {
                            "opened"
                        } else {
                            "denied at the door"
                        }
                        .to_owned(),
                        if view.entitled { "yes" } else { "no" }.to_owned(),
                        view.because.join("; "),
                        view.refusal.unwrap_or_default(),
                        view.reason
                            .map(|reason| format!("{} — {}", reason.message, reason.fix))
                            .unwrap_or_default(),
                    ],
                ));
            }
        }
        rows.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        for (_, row) in &rows {
            sink.row(row);
        }
        if !sink.flush().await {
            return Ok(());
        }
    }
    Ok(())
}

/// The audit log of the location (and the actions of the whole space) over the days: time, actor,
/// action or call, subject, outcome, detail; newest first, as the audit page lists it.
#[utoipa::path(get, path = routes::LOCATIONS_ID_EXPORTS_AUDIT, tag = "audit",
    params(("id" = i64, Path, description = "Location id"), ExportQuery),
    responses((status = 200, description = "The audit log as CSV", body = String, content_type = "text/csv"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn audit_csv(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let range = ExportRange::read(&state, id, &query).await?;
    Ok(csv_download("audit", range, |range, sink| {
        write_audit(state, range, sink)
    }))
}

async fn write_audit(state: AppState, range: ExportRange, mut sink: CsvSink) -> ApiResult<()> {
    sink.row(&[
        "time",
        "actor",
        "action or call",
        "subject",
        "outcome",
        "detail",
    ]);
    let filter = AuditFilter {
        location: Some(range.location.id),
        since: Some(range.start()),
        until: Some(range.end()),
        kinds: AuditKinds::Both,
        ..AuditFilter::default()
    };
    let mut before: Option<AuditEntryId> = None;
    loop {
        let page = state
            .store()
            .audit()
            .list(&filter, before, EXPORT_PAGE)
            .await?;
        for entry in &page.entries {
            let view = entry_view(entry);
            let actor = match (&view.actor, view.kind.as_str(), view.desktop_claim) {
                (Some(actor), ..) => actor.name.clone(),
                (None, _, true) => "the desktop app (unverified)".to_owned(),
                (None, "kisi_call", false) => "Doorlink".to_owned(),
                (None, ..) => String::new(),
            };
            let detail: Vec<String> = [
                view.message.clone(),
                view.http_status.map(|status| format!("HTTP {status}")),
                view.kisi_error_code
                    .as_ref()
                    .map(|code| format!("Kisi code {code}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            sink.row(&[
                range.local(view.at),
                actor,
                view.operation.clone(),
                format!("{} {}", view.http_method, view.path),
                view.outcome.clone(),
                detail.join("; "),
            ]);
        }
        if !sink.flush().await {
            return Ok(());
        }
        match page.next_before {
            Some(next) => before = Some(next),
            None => return Ok(()),
        }
    }
}
