//! # doorlink-core
//!
//! Doorlink's domain types and the access rules of `access-rules.md`: who may open which door, when,
//! and — when the answer is no — why, with the fix in plain words.
//!
//! The crate is pure: no IO, no async, no database and no clock of its own; callers pass `now`.
//! Rule numbers (R1–R15, M1–M8, A1–A6, I1–I3) are cited in the doc comments of the code that
//! implements them.
//!
//! The usual path: load a location's records into [`LocationRecords`], validate and index them once
//! with [`LocationFacts::new`], then ask
//! - [`grants_for_person`] for every grant with its window and provenance (R1–R11),
//! - [`merge_grants`] for those grants merged per Kisi target (R12–R13),
//! - [`desired_access_for_person`] / [`desired_access_for_location`] for what sync writes to Kisi,
//! - [`explain()`] / [`explain_no_locks`] for why a person cannot open a lock (A5),
//! - [`access_page()`] for what the person's Access page shows (A1–A3),
//! - [`mapping_warnings`] for mappings that use a deleted (C4) or shared (M8) Kisi group, or one
//!   whose Kisi settings refuse Doorlink's unlocks (app access off, primary device only; A4).

pub mod access_page;
mod barriers;
pub mod denial;
mod entitlement;
pub mod error;
pub mod explain;
pub mod facts;
pub mod ids;
pub mod kisi_view;
pub mod ledger;
pub mod mappings;
pub mod model;
pub mod outcome;
pub mod presence;
pub mod refusal;
pub mod rules;
pub mod standing;
pub mod time;
pub mod words;

pub use access_page::{AccessPage, AccessPageLock, LocationDoor, access_page, doors_not_open_now};
pub use barriers::door_state_cause;
pub use denial::DenialCause;
pub use error::ValidationError;
pub use explain::{Explanation, explain, explain_no_locks};
pub use facts::{LocationFacts, LocationRecords};
pub use ids::*;
pub use kisi_view::{Coverage, DoorState, KisiGroup, KisiLock, KisiUserState, KisiView};
pub use ledger::{Entry, Ledger, NeverCame, ledger};
pub use mappings::{
    Mapping, MappingProblem, MappingWarning, group_setting_problems, mapping_warnings, mappings,
};
pub use model::booking::Booking;
pub use model::catalog::{Plan, Product, ProductKind, Resource, ResourceKind, VisitorPolicy};
pub use model::door_access::{AccessTarget, DoorAccess};
pub use model::location::{AccessPageVisibility, BookingGrace, Location, TimeZone};
pub use model::passes::{DayPass, DisconnectMode, Hold, KisiDisconnection, ManualGrant, Visit};
pub use model::people::{Company, CompanyMembership, Email, Person};
pub use model::subscription::{Holder, ItemKind, PaymentStatus, Subscription, SubscriptionItem};
pub use presence::{
    AttendanceDay, OccupancyDay, Passage, PresenceRules, Present, attendance, occupancy, who_is_in,
};
pub use refusal::UnlockRefusal;
pub use rules::{
    BookingRole, DesiredAccess, DesiredAssignment, DesiredLink, DisconnectedPerson, Grant,
    MergedGrant, Provenance, SubscriptionVia, booking_window, day_pass_window,
    desired_access_for_location, desired_access_for_person, grants_for_person, item_door_access,
    manual_grant_window, may_open_target_at, merge, merge_grants, subscription_window,
    visit_window,
};
pub use standing::{Standing, standing};
pub use time::{
    Window, end_of_local_day, format_local, format_local_span, local_midnight, resolve_local,
};
pub use words::{Audience, Words};
