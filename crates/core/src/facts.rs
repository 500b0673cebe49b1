//! The facts of one location, validated once and indexed by person, so that one person's grants cost
//! microseconds instead of a scan of every booking.

use std::collections::HashMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{CompanyId, PersonId, PlanId, ProductId, ResourceId, VisitorPolicyId};
use crate::model::booking::Booking;
use crate::model::catalog::{Plan, Product, Resource, VisitorPolicy};
use crate::model::location::Location;
use crate::model::passes::{DayPass, DisconnectMode, Hold, KisiDisconnection, ManualGrant, Visit};
use crate::model::people::{Company, CompanyMembership, Person};
use crate::model::subscription::{Holder, ItemKind, Subscription};

/// Everything Doorlink knows about one location, as plain records (what the store loads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationRecords {
    pub location: Location,
    pub people: Vec<Person>,
    pub plans: Vec<Plan>,
    pub resources: Vec<Resource>,
    pub products: Vec<Product>,
    pub visitor_policies: Vec<VisitorPolicy>,
    pub companies: Vec<Company>,
    pub memberships: Vec<CompanyMembership>,
    pub subscriptions: Vec<Subscription>,
    pub bookings: Vec<Booking>,
    pub day_passes: Vec<DayPass>,
    pub visits: Vec<Visit>,
    pub manual_grants: Vec<ManualGrant>,
    pub holds: Vec<Hold>,
    pub disconnections: Vec<KisiDisconnection>,
}

impl LocationRecords {
    /// A location with no records yet.
    pub fn new(location: Location) -> Self {
        Self {
            location,
            people: Vec::new(),
            plans: Vec::new(),
            resources: Vec::new(),
            products: Vec::new(),
            visitor_policies: Vec::new(),
            companies: Vec::new(),
            memberships: Vec::new(),
            subscriptions: Vec::new(),
            bookings: Vec::new(),
            day_passes: Vec::new(),
            visits: Vec::new(),
            manual_grants: Vec::new(),
            holds: Vec::new(),
            disconnections: Vec::new(),
        }
    }
}

type Index<K> = HashMap<K, Vec<usize>>;

/// A location's records, checked for consistency and indexed for the rules. Build it once per
/// evaluation batch with [`LocationFacts::new`].
#[derive(Debug, Clone)]
pub struct LocationFacts {
    records: LocationRecords,
    people: HashMap<PersonId, usize>,
    plans: HashMap<PlanId, usize>,
    resources: HashMap<ResourceId, usize>,
    products: HashMap<ProductId, usize>,
    policies: HashMap<VisitorPolicyId, usize>,
    companies: HashMap<CompanyId, usize>,
    memberships_by_person: Index<PersonId>,
    subscriptions_by_person: Index<PersonId>,
    subscriptions_by_company: Index<CompanyId>,
    bookings_by_person: Index<PersonId>,
    day_passes_by_person: Index<PersonId>,
    visits_by_person: Index<PersonId>,
    manual_grants_by_person: Index<PersonId>,
    holds: HashMap<PersonId, usize>,
    disconnections: HashMap<PersonId, DisconnectMode>,
}

fn by_id<K: Eq + Hash, T>(items: &[T], key: impl Fn(&T) -> K) -> HashMap<K, usize> {
    items
        .iter()
        .enumerate()
        .map(|(at, item)| (key(item), at))
        .collect()
}

fn index_by<K: Eq + Hash, T>(items: &[T], keys: impl Fn(&T) -> Vec<K>) -> Index<K> {
    let mut index: Index<K> = HashMap::new();
    for (at, item) in items.iter().enumerate() {
        for key in keys(item) {
            index.entry(key).or_default().push(at);
        }
    }
    index
}

fn require<K: Eq + Hash + Copy>(
    known: &HashMap<K, usize>,
    key: K,
    raw: i64,
    field: &'static str,
    kind: &'static str,
) -> Result<(), ValidationError> {
    if known.contains_key(&key) {
        Ok(())
    } else {
        Err(ValidationError::UnknownReference {
            field,
            kind,
            id: raw,
        })
    }
}

/// Refuses two records of one kind with the same id (the indexes would silently keep one).
fn unique<T>(
    items: &[T],
    id: impl Fn(&T) -> i64,
    field: &'static str,
) -> Result<(), ValidationError> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    match items.iter().map(id).find(|&id| !seen.insert(id)) {
        Some(id) => Err(ValidationError::DuplicateId { field, id }),
        None => Ok(()),
    }
}

impl LocationFacts {
    /// Validates every record and every reference between records, then builds the indexes.
    pub fn new(records: LocationRecords) -> Result<Self, ValidationError> {
        let facts = Self {
            people: by_id(&records.people, |p| p.id),
            plans: by_id(&records.plans, |p| p.id),
            resources: by_id(&records.resources, |r| r.id),
            products: by_id(&records.products, |p| p.id),
            policies: by_id(&records.visitor_policies, |p| p.id),
            companies: by_id(&records.companies, |c| c.id),
            memberships_by_person: index_by(&records.memberships, |m| vec![m.person]),
            subscriptions_by_person: index_by(&records.subscriptions, |s| match s.holder {
                Holder::Person(person) => vec![person],
                Holder::Company(_) => Vec::new(),
            }),
            subscriptions_by_company: index_by(&records.subscriptions, |s| match s.holder {
                Holder::Company(company) => vec![company],
                Holder::Person(_) => Vec::new(),
            }),
            bookings_by_person: index_by(&records.bookings, |b| {
                let mut people = vec![b.booker];
                people.extend(b.invitees.iter().copied().filter(|&p| p != b.booker));
                people
            }),
            day_passes_by_person: index_by(&records.day_passes, |d| vec![d.person]),
            visits_by_person: index_by(&records.visits, |v| vec![v.visitor]),
            manual_grants_by_person: index_by(&records.manual_grants, |g| vec![g.person]),
            holds: by_id(&records.holds, |h| h.person),
            disconnections: records
                .disconnections
                .iter()
                .map(|d| (d.person, d.mode))
                .collect(),
            records,
        };
        facts.check_references()?;
        Ok(facts)
    }

    fn check_references(&self) -> Result<(), ValidationError> {
        let r = &self.records;
        unique(&r.people, |p| p.id.0, "people.id")?;
        unique(&r.plans, |p| p.id.0, "plans.id")?;
        unique(&r.resources, |x| x.id.0, "resources.id")?;
        unique(&r.products, |p| p.id.0, "products.id")?;
        unique(&r.visitor_policies, |p| p.id.0, "visitor_policies.id")?;
        unique(&r.companies, |c| c.id.0, "companies.id")?;
        unique(&r.subscriptions, |s| s.id.0, "subscriptions.id")?;
        unique(&r.bookings, |b| b.id.0, "bookings.id")?;
        let person = |id: PersonId, field| require(&self.people, id, id.0, field, "person");
        for m in &r.memberships {
            person(m.person, "memberships.person")?;
            require(
                &self.companies,
                m.company,
                m.company.0,
                "memberships.company",
                "company",
            )?;
            CompanyMembership::new(m.person, m.company, m.joined_at, m.left_at)?;
        }
        for s in &r.subscriptions {
            s.validate()?;
            match s.holder {
                Holder::Person(p) => person(p, "subscriptions.holder")?,
                Holder::Company(c) => {
                    require(&self.companies, c, c.0, "subscriptions.holder", "company")?;
                }
            }
            for &b in &s.beneficiaries {
                person(b, "subscriptions.beneficiaries")?;
            }
            for item in &s.items {
                match item.kind {
                    ItemKind::Plan(id) => {
                        require(&self.plans, id, id.0, "subscriptions.items.plan", "plan")?;
                    }
                    ItemKind::ResourceRental(id) => require(
                        &self.resources,
                        id,
                        id.0,
                        "subscriptions.items.resource",
                        "resource",
                    )?,
                    ItemKind::Service(id) => require(
                        &self.products,
                        id,
                        id.0,
                        "subscriptions.items.product",
                        "product",
                    )?,
                }
            }
        }
        for b in &r.bookings {
            b.validate()?;
            let (resource, field) = (b.resource, "bookings.resource");
            require(&self.resources, resource, resource.0, field, "resource")?;
            person(b.booker, "bookings.booker")?;
            for &invitee in &b.invitees {
                person(invitee, "bookings.invitees")?;
            }
        }
        for d in &r.day_passes {
            person(d.person, "day_passes.person")?;
            require(
                &self.products,
                d.product,
                d.product.0,
                "day_passes.product",
                "product",
            )?;
        }
        for v in &r.visits {
            person(v.visitor, "visits.visitor")?;
            require(
                &self.policies,
                v.policy,
                v.policy.0,
                "visits.policy",
                "visitor policy",
            )?;
        }
        for g in &r.manual_grants {
            person(g.person, "manual_grants.person")?;
        }
        for h in &r.holds {
            person(h.person, "holds.person")?;
        }
        for d in &r.disconnections {
            person(d.person, "disconnections.person")?;
        }
        Ok(())
    }

    pub fn records(&self) -> &LocationRecords {
        &self.records
    }

    pub fn location(&self) -> &Location {
        &self.records.location
    }

    pub fn person(&self, id: PersonId) -> Option<&Person> {
        self.people.get(&id).map(|&at| &self.records.people[at])
    }

    /// Every person of the location, in record order.
    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.records.people.iter()
    }

    pub fn plan(&self, id: PlanId) -> Option<&Plan> {
        self.plans.get(&id).map(|&at| &self.records.plans[at])
    }

    pub fn resource(&self, id: ResourceId) -> Option<&Resource> {
        self.resources
            .get(&id)
            .map(|&at| &self.records.resources[at])
    }

    pub fn product(&self, id: ProductId) -> Option<&Product> {
        self.products.get(&id).map(|&at| &self.records.products[at])
    }

    pub fn visitor_policy(&self, id: VisitorPolicyId) -> Option<&VisitorPolicy> {
        self.policies
            .get(&id)
            .map(|&at| &self.records.visitor_policies[at])
    }

    pub fn company(&self, id: CompanyId) -> Option<&Company> {
        self.companies
            .get(&id)
            .map(|&at| &self.records.companies[at])
    }

    fn pick<'a, T, K: Eq + Hash + Copy>(
        index: &'a Index<K>,
        key: K,
        items: &'a [T],
    ) -> impl Iterator<Item = &'a T> + 'a {
        index
            .get(&key)
            .into_iter()
            .flatten()
            .map(move |&at| &items[at])
    }

    /// The person's company memberships (every interval, every company).
    pub fn memberships_of(&self, person: PersonId) -> impl Iterator<Item = &CompanyMembership> {
        Self::pick(
            &self.memberships_by_person,
            person,
            &self.records.memberships,
        )
    }

    /// Subscriptions the person holds themself.
    pub fn personal_subscriptions_of(
        &self,
        person: PersonId,
    ) -> impl Iterator<Item = &Subscription> {
        Self::pick(
            &self.subscriptions_by_person,
            person,
            &self.records.subscriptions,
        )
    }

    /// Subscriptions a company holds.
    pub fn subscriptions_of_company(
        &self,
        company: CompanyId,
    ) -> impl Iterator<Item = &Subscription> {
        Self::pick(
            &self.subscriptions_by_company,
            company,
            &self.records.subscriptions,
        )
    }

    /// Bookings the person made or is invited to.
    pub fn bookings_of(&self, person: PersonId) -> impl Iterator<Item = &Booking> {
        Self::pick(&self.bookings_by_person, person, &self.records.bookings)
    }

    pub fn day_passes_of(&self, person: PersonId) -> impl Iterator<Item = &DayPass> {
        Self::pick(&self.day_passes_by_person, person, &self.records.day_passes)
    }

    pub fn visits_of(&self, person: PersonId) -> impl Iterator<Item = &Visit> {
        Self::pick(&self.visits_by_person, person, &self.records.visits)
    }

    pub fn manual_grants_of(&self, person: PersonId) -> impl Iterator<Item = &ManualGrant> {
        Self::pick(
            &self.manual_grants_by_person,
            person,
            &self.records.manual_grants,
        )
    }

    /// R14: the hold on the person's door access, if any.
    pub fn hold_of(&self, person: PersonId) -> Option<&Hold> {
        self.holds.get(&person).map(|&at| &self.records.holds[at])
    }

    /// R15: how the person was disconnected from Kisi, if they were.
    pub fn disconnection_of(&self, person: PersonId) -> Option<DisconnectMode> {
        self.disconnections.get(&person).copied()
    }
}
