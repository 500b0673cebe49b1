//! The campaign's operations: what staff, members, the Kisi dashboard, Kisi's bad minutes and
//! crashes do to the space, one random step at a time.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use doorlink_core::{
    BookingId, CompanyId, DayPassId, DisconnectMode, DoorAccess, Holder, ItemKind, ManualGrantId,
    PaymentStatus, PersonId, PlanId, ProductId, ProductKind, ResourceId, ResourceKind,
    SubscriptionId, VisitId, VisitorPolicyId,
};
use doorlink_store::{Clock, NewBooking, NewItem, NewSubscription, OutboxScope};
use doorlink_sync::{KisiCredentials, SyncEngine, Worker};
use kisi_emulator::{AssignmentSource, Fault, OverlapPolicy};

use super::Campaign;
use super::common::Space;
use super::oracle::fingerprint;

/// At most this many people: enough to collide, few enough for a 10,000-step run.
const MAX_PEOPLE: usize = 40;

/// The message a killed worker dies with (its clock panics).
const KILLED: &str = "worker killed (campaign)";

/// Killed workers die by panicking; their death is the plan, not news.
pub(crate) fn quiet_killed_workers() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if !message.contains(KILLED) {
            default(info);
        }
    }));
}

/// The space's catalog and every record the campaign made, to pick from.
#[derive(Debug, Default)]
pub(crate) struct World {
    /// Room A and the Studio (groups), the Server Room (a single lock, M7).
    pub(crate) rooms: Vec<ResourceId>,
    /// A dedicated desk, rented on subscriptions (M2).
    pub(crate) desk: Option<ResourceId>,
    pub(crate) plans: Vec<PlanId>,
    pub(crate) service: Option<ProductId>,
    pub(crate) day_pass: Option<ProductId>,
    pub(crate) policy: Option<VisitorPolicyId>,
    /// Door accesses for overrides (M3) and manual grants (M6).
    pub(crate) accesses: Vec<DoorAccess>,
    pub(crate) people: Vec<(PersonId, String)>,
    pub(crate) companies: Vec<CompanyId>,
    pub(crate) subscriptions: Vec<SubscriptionId>,
    pub(crate) bookings: Vec<BookingId>,
    pub(crate) day_passes: Vec<DayPassId>,
    pub(crate) visits: Vec<VisitId>,
    pub(crate) manual_grants: Vec<ManualGrantId>,
}

impl World {
    /// Hive's catalog: rooms, a desk, plans, a service, a day pass, a visitor policy, companies.
    pub(crate) async fn furnish(space: &Space) -> Self {
        let (members, room_a, studio) = (
            space.group("Members"),
            space.group("Room A"),
            space.group("Studio"),
        );
        let server_room = space.lock("Server Room");
        let catalog = space.store.catalog();
        let mut world = Self {
            accesses: vec![
                DoorAccess::groups([members]),
                DoorAccess::groups([studio]),
                DoorAccess::groups([room_a, studio]),
                DoorAccess::locks([server_room]),
                DoorAccess::none(),
            ],
            ..Self::default()
        };
        for (name, access) in [
            ("Room A", DoorAccess::groups([room_a])),
            ("Studio", DoorAccess::groups([studio])),
            ("Server Room", DoorAccess::locks([server_room])),
        ] {
            world.rooms.push(space.room(name, access).await);
        }
        world.desk = Some(
            catalog
                .create_resource(
                    space.location,
                    "Desk 7",
                    ResourceKind::Desk,
                    &DoorAccess::groups([members, studio]),
                )
                .await
                .unwrap()
                .id,
        );
        for (name, access) in [
            ("Member", DoorAccess::groups([members])),
            ("Studio plan", DoorAccess::groups([studio])),
            ("Night owl", DoorAccess::locks([server_room])),
        ] {
            let plan = catalog
                .create_plan(space.location, name, &access)
                .await
                .unwrap();
            world.plans.push(plan.id);
        }
        let product = |name: &'static str, kind, access| async move {
            catalog
                .create_product(space.location, name, kind, &access)
                .await
                .unwrap()
                .id
        };
        world.service = Some(
            product(
                "Studio time",
                ProductKind::Service,
                DoorAccess::groups([studio]),
            )
            .await,
        );
        world.day_pass = Some(
            product(
                "Day pass",
                ProductKind::DayPass,
                DoorAccess::groups([members]),
            )
            .await,
        );
        world.policy = Some(
            catalog
                .create_visitor_policy(space.location, "Guests", &DoorAccess::groups([members]))
                .await
                .unwrap()
                .id,
        );
        for name in ["Acme", "Globex"] {
            world
                .companies
                .push(space.store.companies().create(name).await.unwrap().id);
        }
        world
    }

    fn person_ids(&self) -> Vec<PersonId> {
        self.people.iter().map(|(p, _)| *p).collect()
    }
}

impl Campaign {
    /// One random operation.
    pub(crate) async fn step(&mut self) {
        match self.rng.below(100) {
            0..=5 => self.new_person().await,
            6..=10 => self.subscribe().await,
            11..=16 => self.change_subscription().await,
            17..=20 => self.join_company().await,
            21..=23 => self.leave_company().await,
            24..=31 => self.book().await,
            32..=35 => self.move_booking().await,
            36..=38 => self.change_invitees().await,
            39..=41 => self.cancel_booking().await,
            42..=44 => self.day_pass().await,
            45..=47 => self.visit().await,
            48..=50 => self.manual_grant().await,
            51..=53 => self.hold_or_release().await,
            54..=55 => self.disconnect_or_reconnect_person().await,
            56..=57 => self.disconnect_or_reconnect_location().await,
            58..=61 => self.hand_edit().await,
            62..=69 => self.fault(),
            70..=72 => self.kill_a_worker().await,
            73..=80 => self.advance_clock(),
            81..=93 => {
                self.figures.count("both workers drain");
                self.run_both_workers().await;
            }
            94..=95 => {
                self.figures.count("periodic reconcile asked");
                self.enqueue_reconcile("periodic full reconcile (campaign)")
                    .await;
                self.drift = false;
            }
            _ => self.sampled_check().await,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.space.now()
    }

    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    fn day(&mut self, from: i64, to: i64) -> NaiveDate {
        self.today() + chrono::Duration::days(self.rng.between(from, to))
    }

    fn person(&mut self) -> Option<PersonId> {
        self.rng.pick(&self.world.person_ids())
    }

    /// A few people other than `besides`.
    fn some_people(&mut self, most: usize, besides: Option<PersonId>) -> BTreeSet<PersonId> {
        let n = self.rng.below(most + 1);
        (0..n)
            .filter_map(|_| self.person())
            .filter(|p| Some(*p) != besides)
            .collect()
    }

    /// A window around now on the half hour: starting up to 2 h ago or 8 h ahead, 1–4 h long.
    fn window(&mut self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = self.now() + chrono::Duration::minutes(30 * self.rng.between(-4, 16));
        (
            start,
            start + chrono::Duration::hours(self.rng.between(1, 4)),
        )
    }

    /// Now, or an instant up to two days ahead.
    fn now_or_later(&mut self) -> Option<DateTime<Utc>> {
        self.rng
            .chance(40)
            .then(|| self.now() + chrono::Duration::minutes(30 * self.rng.between(1, 96)))
    }

    fn access(&mut self) -> DoorAccess {
        self.rng.pick(&self.world.accesses).unwrap()
    }

    fn outcome<T, E>(&mut self, what: &'static str, result: &Result<T, E>) {
        self.figures.count(what);
        if result.is_err() {
            self.figures.refused(what);
        }
    }

    async fn new_person(&mut self) {
        let n = self.world.people.len();
        if n >= MAX_PEOPLE {
            return self.subscribe().await;
        }
        // Mixed case on purpose: e-mails match case-insensitively (I2).
        let email = format!("Person{n}@Hive.test");
        let id = self.space.person(&format!("Person {n}"), &email).await;
        self.world.people.push((id, email));
        self.figures.count("person added");
    }

    fn item(&mut self) -> NewItem {
        let kind = match self.rng.below(4) {
            0 => ItemKind::ResourceRental(self.world.desk.unwrap()),
            1 => ItemKind::Service(self.world.service.unwrap()),
            _ => ItemKind::Plan(self.rng.pick(&self.world.plans).unwrap()),
        };
        NewItem {
            kind,
            access_override: self.rng.chance(15).then(|| self.access()),
        }
    }

    async fn subscribe(&mut self) {
        let company = self.rng.chance(30);
        let holder = if company {
            Holder::Company(self.rng.pick(&self.world.companies).unwrap())
        } else {
            match self.person() {
                Some(p) => Holder::Person(p),
                None => return,
            }
        };
        let start = self.day(-3, 3);
        let end = self
            .rng
            .chance(50)
            .then(|| start + chrono::Duration::days(self.rng.between(0, 14)));
        let items = (0..self.rng.between(1, 2)).map(|_| self.item()).collect();
        let beneficiaries = if company && self.rng.chance(25) {
            self.some_people(2, None)
        } else {
            BTreeSet::new()
        };
        let created = self
            .space
            .store
            .subscriptions()
            .create(&NewSubscription {
                location: self.space.location,
                holder,
                start,
                end,
                items,
                beneficiaries,
                payment_status: PaymentStatus::Paid,
            })
            .await;
        if let Ok(subscription) = &created {
            self.world.subscriptions.push(subscription.id);
        }
        self.outcome(
            if company {
                "company subscription"
            } else {
                "subscription"
            },
            &created,
        );
    }

    async fn change_subscription(&mut self) {
        let Some(id) = self.rng.pick(&self.world.subscriptions) else {
            return self.subscribe().await;
        };
        let store = self.space.store.clone();
        let subscriptions = store.subscriptions();
        let (_, subscription) = subscriptions.get(id).await.unwrap();
        let item = self.rng.pick(&subscription.items).map(|i| i.id);
        match self.rng.below(6) {
            0 => {
                let end = self.rng.chance(70).then(|| self.day(-1, 10));
                let done = subscriptions.set_end(id, end).await;
                self.outcome("subscription end changed", &done);
            }
            1 => {
                let at = self.now_or_later();
                let done = subscriptions.cancel(id, at).await;
                self.outcome("subscription cancelled", &done);
            }
            2 => {
                let item = self.item();
                let done = subscriptions.add_item(id, &item).await;
                self.outcome("item added", &done);
            }
            3 => {
                let Some(item) = item else { return };
                let done = subscriptions.remove_item(item).await;
                self.outcome("item removed", &done);
            }
            4 => {
                let Some(item) = item else { return };
                let access = self.rng.chance(70).then(|| self.access());
                let done = subscriptions.set_item_override(item, access.as_ref()).await;
                self.outcome("item override set", &done);
            }
            _ => {
                let beneficiaries = self.some_people(2, None);
                let done = subscriptions.set_beneficiaries(id, &beneficiaries).await;
                self.outcome("beneficiaries changed", &done);
            }
        }
    }

    async fn join_company(&mut self) {
        let (Some(company), Some(person)) = (self.rng.pick(&self.world.companies), self.person())
        else {
            return;
        };
        let at = self.now_or_later();
        let joined = self
            .space
            .store
            .companies()
            .add_member(company, person, at)
            .await;
        self.outcome(
            if at.is_some() {
                "future company join"
            } else {
                "company join"
            },
            &joined,
        );
    }

    async fn leave_company(&mut self) {
        let Some(person) = self.person() else { return };
        let store = self.space.store.clone();
        let companies = store.companies();
        let open: Vec<_> = companies
            .memberships_of(person)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.left_at.is_none())
            .collect();
        let Some(membership) = self.rng.pick(&open) else {
            return;
        };
        let at = self.now_or_later();
        let left = companies
            .remove_member(membership.company, person, at)
            .await;
        self.outcome(
            if at.is_some() {
                "company leave (later)"
            } else {
                "company leave"
            },
            &left,
        );
    }

    async fn book(&mut self) {
        let (Some(resource), Some(booker)) = (self.rng.pick(&self.world.rooms), self.person())
        else {
            return self.new_person().await;
        };
        let invitees = self.some_people(2, Some(booker));
        let (start, end) = self.window();
        let booked = self
            .space
            .store
            .bookings()
            .create(&NewBooking {
                resource,
                booker,
                invitees,
                start,
                end,
            })
            .await;
        if let Ok(booking) = &booked {
            self.world.bookings.push(booking.id);
        }
        self.outcome("booking", &booked);
    }

    async fn move_booking(&mut self) {
        let Some(booking) = self.rng.pick(&self.world.bookings) else {
            return;
        };
        let (start, end) = self.window();
        let moved = self
            .space
            .store
            .bookings()
            .reschedule(booking, start, end)
            .await;
        self.outcome("booking moved", &moved);
    }

    async fn change_invitees(&mut self) {
        let Some(booking) = self.rng.pick(&self.world.bookings) else {
            return;
        };
        let invitees = self.some_people(3, None);
        let changed = self
            .space
            .store
            .bookings()
            .set_invitees(booking, &invitees)
            .await;
        self.outcome("invitees changed", &changed);
    }

    async fn cancel_booking(&mut self) {
        let Some(booking) = self.rng.pick(&self.world.bookings) else {
            return;
        };
        let at = self.rng.chance(20).then(|| self.now_or_later()).flatten();
        let cancelled = self.space.store.bookings().cancel(booking, at).await;
        self.outcome("booking cancelled", &cancelled);
    }

    async fn day_pass(&mut self) {
        let store = self.space.store.clone();
        let passes = store.passes();
        if self.rng.chance(25)
            && let Some(pass) = self.rng.pick(&self.world.day_passes)
        {
            self.world.day_passes.retain(|p| *p != pass);
            let taken_back = passes.delete_day_pass(pass).await;
            return self.outcome("day pass taken back", &taken_back);
        }
        let Some(person) = self.person() else { return };
        let date = self.day(-1, 3);
        let sold = passes
            .sell_day_pass(person, self.world.day_pass.unwrap(), date)
            .await;
        if let Ok((_, pass)) = &sold {
            self.world.day_passes.push(pass.id);
        }
        self.outcome("day pass sold", &sold);
    }

    async fn visit(&mut self) {
        let store = self.space.store.clone();
        let passes = store.passes();
        if self.rng.chance(30)
            && let Some(visit) = self.rng.pick(&self.world.visits)
        {
            let at = self.rng.chance(20).then(|| self.now_or_later()).flatten();
            let cancelled = passes.cancel_visit(visit, at).await;
            return self.outcome("visit cancelled", &cancelled);
        }
        let Some(visitor) = self.person() else { return };
        let (arrival, departure) = self.window();
        let expected = passes
            .create_visit(visitor, self.world.policy.unwrap(), arrival, departure)
            .await;
        if let Ok((_, visit)) = &expected {
            self.world.visits.push(visit.id);
        }
        self.outcome("visit expected", &expected);
    }

    async fn manual_grant(&mut self) {
        let store = self.space.store.clone();
        let passes = store.passes();
        if self.rng.chance(35)
            && let Some(grant) = self.rng.pick(&self.world.manual_grants)
        {
            let at = self.now_or_later();
            let ended = passes.end_manual_grant(grant, at).await;
            if matches!(ended, Ok(None)) {
                self.world.manual_grants.retain(|g| *g != grant);
            }
            return self.outcome("manual grant ended", &ended);
        }
        let Some(person) = self.person() else { return };
        let access = self.access();
        let starts = self.now() + chrono::Duration::hours(self.rng.between(-2, 24));
        let ends = self
            .rng
            .chance(60)
            .then(|| starts + chrono::Duration::hours(self.rng.between(1, 72)));
        let given = passes
            .create_manual_grant(self.space.location, person, &access, starts, ends)
            .await;
        if let Ok(grant) = &given {
            self.world.manual_grants.push(grant.id);
        }
        self.outcome("manual grant given", &given);
    }

    async fn hold_or_release(&mut self) {
        let Some(person) = self.person() else { return };
        let store = self.space.store.clone();
        let holds = store.holds();
        if holds
            .release_hold(self.space.location, person)
            .await
            .is_ok()
        {
            return self.figures.count("hold released");
        }
        let held = holds.hold(self.space.location, person).await;
        self.outcome("hold placed", &held);
    }

    /// R15: stop managing a person in Kisi (keeping or deleting their user), or manage them again.
    async fn disconnect_or_reconnect_person(&mut self) {
        let Some(person) = self.person() else { return };
        super::trace(&format!("R15 for {person:?}"));
        let store = self.space.store.clone();
        let disconnections = store.kisi_disconnections();
        if disconnections
            .reconnect_person(self.space.location, person)
            .await
            .is_ok()
        {
            return self.figures.count("person reconnected to Kisi (R15)");
        }
        let (mode, what) = if self.rng.chance(50) {
            (
                DisconnectMode::KeepKisiUser,
                "person disconnected, user kept (R15)",
            )
        } else {
            (
                DisconnectMode::DeleteKisiUser,
                "person disconnected, user deleted (R15)",
            )
        };
        let done = disconnections
            .disconnect_person(self.space.location, person, mode)
            .await;
        self.outcome(what, &done);
    }

    async fn disconnect_or_reconnect_location(&mut self) {
        if self.connected {
            self.disconnect_while_syncing().await;
        } else {
            self.reconnect().await;
        }
    }

    /// C3: the location is disconnected while a worker may be in the middle of an entry; once
    /// "disconnected" is answered, nothing Doorlink wrote may change in Kisi.
    async fn disconnect_while_syncing(&mut self) {
        let worker = self.second.clone();
        let draining = tokio::spawn(async move { worker.drain().await });
        tokio::time::sleep(Duration::from_millis(
            u64::try_from(self.rng.below(15)).unwrap(),
        ))
        .await;
        self.space
            .engine()
            .disconnect(self.space.location)
            .await
            .unwrap_or_else(|e| self.fail(&format!("disconnect failed: {e}")));
        self.frozen = Some(fingerprint(&self.kisi()));
        self.connected = false;
        draining.await.unwrap().unwrap();
        self.figures
            .count("location disconnected while syncing (C3)");
        self.check_frozen();
    }

    /// Connects the location again (the owner's API key); its reconcile runs as the outbox entry
    /// while the other worker drains beside it (one writer per location).
    pub(crate) async fn reconnect(&mut self) {
        let key = kisi::Secret::new(self.space.ids.owner_api_key.clone());
        let connected = self
            .space
            .engine()
            .connect(
                self.space.location,
                &self.space.emulator.base_url(),
                &KisiCredentials::ApiKey(key),
            )
            .await;
        if connected.is_err() {
            // Kisi is failing: the connect is refused, the location stays disconnected.
            return self.outcome("location reconnected", &connected);
        }
        self.check_frozen();
        self.connected = true;
        self.frozen = None;
        self.allowed_all_connection = self.overlaps_allowed;
        self.figures.count("location reconnected");
        let scope = OutboxScope::Location(self.space.location);
        let (first, second) = tokio::join!(self.second.run_now(scope), self.space.worker.drain());
        first.unwrap();
        second.unwrap();
    }

    /// The Kisi dashboard: an owned assignment deleted by hand (the reconcile grants it again), a
    /// guest with a hand-made role in a group Doorlink maps, or a person's Kisi user made by hand
    /// before Doorlink made one (I4: never Doorlink's to delete).
    async fn hand_edit(&mut self) {
        if self.fault_active {
            // The dashboard works through the same bad minute; try again later.
            return self.figures.count("hand edit skipped (Kisi failing)");
        }
        match self.rng.below(4) {
            0 => self.hand_delete_owned_assignment().await,
            1 => self.hand_made_foreigner().await,
            2 => self.hand_delete_doorlinks_user().await,
            _ => self.hand_made_user_of_a_person().await,
        }
        if self.frozen.is_some() {
            self.frozen = Some(fingerprint(&self.kisi()));
        }
    }

    async fn hand_delete_owned_assignment(&mut self) {
        let kisi = self.kisi();
        let emails: BTreeSet<String> = self
            .world
            .people
            .iter()
            .map(|(_, e)| e.to_lowercase())
            .collect();
        let owned: Vec<u64> = kisi
            .role_assignments
            .iter()
            .filter(|a| a.source == AssignmentSource::Api)
            .filter(|a| {
                kisi.users
                    .iter()
                    .any(|u| u.id == a.user_id && emails.contains(&u.email.to_lowercase()))
            })
            .map(|a| a.id)
            .collect();
        let Some(id) = self.rng.pick(&owned) else {
            return;
        };
        self.space
            .admin
            .delete_role_assignment(kisi::RoleAssignmentId(i64::try_from(id).unwrap()))
            .await
            .unwrap();
        self.drift = true;
        self.figures.count("hand edit: owned assignment deleted");
    }

    /// A user Doorlink made, deleted by hand in the dashboard (Kisi drops its assignments with
    /// it): the periodic reconcile must make the person whole again.
    async fn hand_delete_doorlinks_user(&mut self) {
        let kisi = self.kisi();
        let made: Vec<u64> = kisi
            .users
            .iter()
            .filter(|u| u.managed && !self.foreign.users.contains_key(&u.id))
            .filter(|u| {
                self.world
                    .people
                    .iter()
                    .any(|(_, e)| e.eq_ignore_ascii_case(&u.email))
            })
            .map(|u| u.id)
            .collect();
        let Some(id) = self.rng.pick(&made) else {
            return;
        };
        self.space
            .admin
            .delete_user(kisi::UserId(i64::try_from(id).unwrap()))
            .await
            .unwrap();
        self.drift = true;
        self.figures.count("hand edit: Doorlink's user deleted");
    }

    /// A guest added by hand with a role in a group Doorlink maps (I4, M8).
    pub(crate) async fn hand_made_foreigner(&mut self) {
        let n = self.foreign.users.len();
        let email = format!("guest{n}@elsewhere.test");
        let user = self
            .space
            .control()
            .add_regular_user(&email, &format!("Guest {n}"), true)
            .unwrap();
        let group = ["Members", "Room A", "Studio"][self.rng.below(3)];
        let (from, until) = if self.rng.chance(50) {
            (None, None)
        } else {
            let from = self.now() - chrono::Duration::hours(self.rng.between(0, 48));
            (Some(from), Some(from + chrono::Duration::days(30)))
        };
        let role = self
            .space
            .control()
            .add_role_assignment_by_hand(user.id, self.space.ids.groups[group], from, until)
            .unwrap();
        self.foreign.users.insert(user.id, email);
        self.foreign.assignments.push(role);
        self.figures.count("hand edit: guest with a role added");
    }

    /// A person's Kisi user made by hand before Doorlink made one: Doorlink links to it, grants
    /// there, and never deletes it (I4).
    ///
    /// Not for a person whose user Doorlink set out to create and never heard back about (an open
    /// intent): a user made by hand meanwhile cannot be told from the one Doorlink's lost create
    /// made, and sync takes it for its own (a known, documented ambiguity; in real life the
    /// window is the seconds until the retry).
    async fn hand_made_user_of_a_person(&mut self) {
        let kisi = self.kisi();
        let in_doubt: BTreeSet<PersonId> = self
            .space
            .store
            .intents()
            .open_user_intents(self.space.location, None)
            .await
            .unwrap()
            .into_iter()
            .map(|(person, _, _)| person)
            .collect();
        let without: Vec<(PersonId, String)> = self
            .world
            .people
            .iter()
            .filter(|(_, e)| !kisi.users.iter().any(|u| u.email.eq_ignore_ascii_case(e)))
            .filter(|(p, _)| !in_doubt.contains(p))
            .cloned()
            .collect();
        let Some((_, email)) = self.rng.pick(&without) else {
            return;
        };
        let user = self
            .space
            .control()
            .add_regular_user(&email.to_lowercase(), "Made by hand", true)
            .unwrap();
        super::trace(&format!("user {} made by hand for <{email}>", user.id));
        // Made in the dashboard some minutes before Doorlink first looks for the person: more
        // than the clocks' skew sync allows for (inside it, it cannot tell the two apart).
        self.space.advance(Duration::from_secs(6 * 60));
        self.foreign.users.insert(user.id, email);
        self.figures
            .count("hand edit: person's Kisi user made by hand");
    }

    fn fault(&mut self) {
        let control = self.space.control().clone();
        let (fault, name) = match self.rng.below(8) {
            0 => (
                Some(Fault::ServerErrors { fraction: 0.25 }),
                "500s (a quarter)",
            ),
            1 => (Some(Fault::ServerErrors { fraction: 1.0 }), "500s (all)"),
            2 => {
                let count = u32::try_from(self.rng.between(3, 20)).unwrap();
                (Some(Fault::TooManyRequests { count }), "429 storm")
            }
            3 => {
                let count = u32::try_from(self.rng.between(1, 4)).unwrap();
                (
                    Some(Fault::DropConnections { count }),
                    "dropped connections",
                )
            }
            4 => {
                let count = u32::try_from(self.rng.between(1, 3)).unwrap();
                (
                    Some(Fault::LostAnswers { count }),
                    "answers lost after Kisi acted",
                )
            }
            5 => {
                let policy = if self.rng.chance(50) {
                    OverlapPolicy::Allow
                } else {
                    OverlapPolicy::Refuse
                };
                control.set_overlap_policy(policy);
                self.overlaps_allowed = policy == OverlapPolicy::Allow;
                // Sync remembers Kisi's answer per connection: a Kisi that changes its mind
                // mid-connection gets the remembered (gap-making) replacement until a reconnect.
                self.allowed_all_connection = false;
                (None, "overlap answer switched")
            }
            _ => {
                control.clear_faults();
                self.fault_active = false;
                (None, "Kisi recovers")
            }
        };
        if let Some(fault) = fault {
            control.inject(fault);
            self.fault_active = true;
        }
        self.figures.fault(name);
    }

    /// A worker dies at a random clock reading (its clock panics) mid-entry, holding its outbox
    /// claims and possibly the location's lease; it is restarted up to 15 s later.
    async fn kill_a_worker(&mut self) {
        // Entries backing off become due, so the doomed worker has work to die in.
        self.space.advance(Duration::from_secs(9));
        let countdown = Arc::new(AtomicI64::new(self.rng.between(1, 40)));
        let control = self.space.control().clone();
        let ticking = Arc::clone(&countdown);
        let clock = Clock::from_fn(move || {
            assert!(ticking.fetch_sub(1, Ordering::SeqCst) != 1, "{KILLED}");
            control.now()
        });
        let store = self.space.store.clone().with_clock(clock.clone());
        let config = self.space.engine().config().clone();
        let doomed = Worker::new(Arc::new(SyncEngine::new(store, clock, config)));
        let died = tokio::spawn(async move { doomed.drain().await }).await;
        countdown.store(i64::MAX, Ordering::SeqCst);
        match died {
            Err(panic) if panic.is_panic() => self.figures.kills += 1,
            Err(other) => self.fail(&format!("the doomed worker ended oddly: {other}")),
            Ok(Err(error)) => self.fail(&format!("the doomed worker failed: {error}")),
            Ok(Ok(_)) => self
                .figures
                .count("worker outlived its kill (nothing to do)"),
        }
        self.space.advance(Duration::from_secs(
            u64::try_from(self.rng.between(0, 15)).unwrap(),
        ));
        self.check_frozen();
    }

    fn advance_clock(&mut self) {
        let minutes = [1, 5, 20, 60, 180, 360][self.rng.below(6)];
        let seconds = u64::try_from(self.rng.between(0, 59)).unwrap();
        self.space
            .advance(Duration::from_secs(minutes * 60 + seconds));
        self.figures.count("clock advanced");
    }
}
