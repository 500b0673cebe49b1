//! Companies (R5) and subscriptions (R1–R5, M1–M4) of the demo space.

use std::collections::BTreeSet;

use anyhow::Result;
use chrono::{Days, NaiveDate};
use doorlink_core::{Holder, ItemKind, PaymentStatus, Person, PersonId};
use doorlink_store::{NewItem, NewSubscription, Store};

use super::calendar::Calendar;
use super::catalog::{
    Catalog, DEDICATED_DESK, DESK_D1, DESK_D2, HOT_DESK, OFFICE_101, OFFICE_102, PRIVATE_OFFICE,
};

pub const NORTHWIND: &str = "Northwind Labs";
pub const BLUE_FINCH: &str = "Blue Finch Studio";

/// Roster positions (see `people.rs`) and what each group of people holds.
pub const HOT_DESKERS: std::ops::RangeInclusive<usize> = 1..=9;
pub const DEDICATED_DESKERS: std::ops::RangeInclusive<usize> = 10..=15;
pub const NORTHWIND_MEMBERS: std::ops::RangeInclusive<usize> = 16..=23;
pub const BLUE_FINCH_MEMBERS: std::ops::RangeInclusive<usize> = 24..=29;
/// R5 (Archie): only these Blue Finch members are beneficiaries of its subscription.
pub const BLUE_FINCH_BENEFICIARIES: std::ops::RangeInclusive<usize> = 24..=27;
/// R1: a hot-desk subscription that starts next week ("subscription not started yet").
pub const STARTS_NEXT_WEEK: usize = 9;
/// R2: a hot-desk subscription whose last day was yesterday.
pub const ENDED_YESTERDAY: usize = 8;
/// R4: unpaid, and still let in.
pub const UNPAID: usize = 7;
/// R5: left Northwind Labs last week, so its subscription no longer reaches them.
pub const LEFT_NORTHWIND: usize = 23;
/// R3: cancelled their subscription last week.
pub const CANCELLED: usize = 39;
/// Members on a plain hot-desk plan beyond the numbered groups.
pub const MORE_HOT_DESKERS: [usize; 3] = [36, 37, 38];

fn personal(
    catalog: &Catalog,
    person: PersonId,
    start: NaiveDate,
    end: Option<NaiveDate>,
    items: Vec<NewItem>,
) -> NewSubscription {
    NewSubscription {
        location: catalog.location.id,
        holder: Holder::Person(person),
        start,
        end,
        items,
        beneficiaries: BTreeSet::new(),
        payment_status: PaymentStatus::Paid,
    }
}

fn days_before(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(days)).unwrap_or(day)
}

fn days_after(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days)).unwrap_or(day)
}

/// Creates both companies with their members and every subscription.
pub(crate) async fn create(
    store: &Store,
    catalog: &Catalog,
    people: &[Person],
    calendar: &Calendar,
) -> Result<()> {
    let today = calendar.today();
    let plan =
        |name| -> Result<NewItem> { Ok(NewItem::inheriting(ItemKind::Plan(catalog.plan(name)?))) };
    let rental = |name| -> Result<NewItem> {
        Ok(NewItem::inheriting(ItemKind::ResourceRental(
            catalog.resource(name)?,
        )))
    };
    let subscriptions = store.subscriptions();

    // The demo member: a hot desk since two months, with the roof-terrace service (M4).
    let mut member_items = vec![plan(HOT_DESK)?];
    member_items.push(NewItem::inheriting(ItemKind::Service(
        catalog.terrace_service,
    )));
    subscriptions
        .create(&personal(
            catalog,
            people[0].id,
            days_before(today, 60),
            None,
            member_items,
        ))
        .await?;

    for index in HOT_DESKERS.chain(MORE_HOT_DESKERS) {
        let (start, end) = match index {
            STARTS_NEXT_WEEK => (days_after(today, 7), None),
            ENDED_YESTERDAY => (days_before(today, 90), Some(days_before(today, 1))),
            _ => (days_before(today, 10 + 3 * index as u64), None),
        };
        let mut new = personal(catalog, people[index].id, start, end, vec![plan(HOT_DESK)?]);
        if index == UNPAID {
            new.payment_status = PaymentStatus::Overdue;
        }
        subscriptions.create(&new).await?;
    }

    for index in DEDICATED_DESKERS {
        let mut items = vec![plan(DEDICATED_DESK)?];
        // Resource rentals (M2): the desk's door access comes with the subscription.
        match index {
            10 => items.push(rental(DESK_D1)?),
            11 => items.push(rental(DESK_D2)?),
            _ => {}
        }
        let start = days_before(today, 30 + index as u64);
        subscriptions
            .create(&personal(catalog, people[index].id, start, None, items))
            .await?;
    }

    let cancelled = subscriptions
        .create(&personal(
            catalog,
            people[CANCELLED].id,
            days_before(today, 120),
            None,
            vec![plan(HOT_DESK)?],
        ))
        .await?;
    subscriptions.cancel(cancelled.id, None).await?;

    let companies = store.companies();
    let northwind = companies.create(NORTHWIND).await?;
    let joined = Some(calendar.at(-90, 9, 0));
    for index in NORTHWIND_MEMBERS {
        companies
            .add_member(northwind.id, people[index].id, joined)
            .await?;
    }
    companies
        .remove_member(
            northwind.id,
            people[LEFT_NORTHWIND].id,
            Some(calendar.at(-7, 18, 0)),
        )
        .await?;
    // R5: every member of Northwind Labs gets its private office and plan.
    subscriptions
        .create(&NewSubscription {
            location: catalog.location.id,
            holder: Holder::Company(northwind.id),
            start: days_before(today, 90),
            end: None,
            items: vec![plan(PRIVATE_OFFICE)?, rental(OFFICE_101)?],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Paid,
        })
        .await?;

    let blue_finch = companies.create(BLUE_FINCH).await?;
    for index in BLUE_FINCH_MEMBERS {
        companies
            .add_member(blue_finch.id, people[index].id, joined)
            .await?;
    }
    // R5 (Archie): a company plan with named beneficiaries; the other members get nothing from it.
    subscriptions
        .create(&NewSubscription {
            location: catalog.location.id,
            holder: Holder::Company(blue_finch.id),
            start: days_before(today, 45),
            end: Some(days_after(today, 320)),
            items: vec![plan(DEDICATED_DESK)?, rental(OFFICE_102)?],
            beneficiaries: BLUE_FINCH_BENEFICIARIES
                .map(|index| people[index].id)
                .collect(),
            payment_status: PaymentStatus::Paid,
        })
        .await?;
    Ok(())
}
