//! Where each Kisi group or lock is mapped (M1–M6), and the warnings staff see on a mapping: a group
//! deleted in Kisi (C4, orphaned) and a group shared with members Doorlink did not add (M8).

use serde::{Deserialize, Serialize};

use crate::facts::LocationFacts;
use crate::ids::{
    ManualGrantId, PlanId, ProductId, ResourceId, SubscriptionId, SubscriptionItemId,
    VisitorPolicyId,
};
use crate::kisi_view::KisiView;
use crate::model::door_access::{AccessTarget, DoorAccess};

/// A place where staff configured a door access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Mapping {
    Plan {
        plan: PlanId,
    },
    Resource {
        resource: ResourceId,
    },
    Product {
        product: ProductId,
    },
    VisitorPolicy {
        policy: VisitorPolicyId,
    },
    /// M3: an item's override.
    SubscriptionItem {
        subscription: SubscriptionId,
        item: SubscriptionItemId,
    },
    ManualGrant {
        grant: ManualGrantId,
    },
}

/// What is wrong with a mapped target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum MappingProblem {
    /// C4: the group no longer exists in Kisi; every grant through this mapping fails.
    Orphaned,
    /// M8: the group has members Doorlink did not add; reused groups cause errors (both seeds).
    SharedGroup { foreign_members: u32 },
}

/// One warning on one mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MappingWarning {
    pub mapping: Mapping,
    pub target: AccessTarget,
    pub problem: MappingProblem,
}

/// Every configured door access at the location, with the mapping that holds it.
pub fn mappings(facts: &LocationFacts) -> Vec<(Mapping, &DoorAccess)> {
    let r = facts.records();
    let plans = r
        .plans
        .iter()
        .map(|p| (Mapping::Plan { plan: p.id }, &p.door_access));
    let resources = r
        .resources
        .iter()
        .map(|x| (Mapping::Resource { resource: x.id }, &x.door_access));
    let products = r
        .products
        .iter()
        .map(|p| (Mapping::Product { product: p.id }, &p.door_access));
    let policies = r
        .visitor_policies
        .iter()
        .map(|p| (Mapping::VisitorPolicy { policy: p.id }, &p.door_access));
    let overrides = r.subscriptions.iter().flat_map(|s| {
        s.items.iter().filter_map(move |item| {
            let mapping = Mapping::SubscriptionItem {
                subscription: s.id,
                item: item.id,
            };
            item.access_override
                .as_ref()
                .map(|access| (mapping, access))
        })
    });
    let manual = r
        .manual_grants
        .iter()
        .map(|g| (Mapping::ManualGrant { grant: g.id }, &g.door_access));
    plans
        .chain(resources)
        .chain(products)
        .chain(policies)
        .chain(overrides)
        .chain(manual)
        .collect()
}

/// C4 and M8: the mappings that use a deleted group or a group shared with others, so staff see
/// which plans and resources it breaks.
pub fn mapping_warnings(facts: &LocationFacts, view: &KisiView) -> Vec<MappingWarning> {
    let mut warnings = Vec::new();
    for (mapping, access) in mappings(facts) {
        for &group_id in &access.groups {
            let Some(group) = view.group(group_id) else {
                continue;
            };
            let problem = if group.deleted {
                MappingProblem::Orphaned
            } else if group.foreign_members > 0 {
                MappingProblem::SharedGroup {
                    foreign_members: group.foreign_members,
                }
            } else {
                continue;
            };
            warnings.push(MappingWarning {
                mapping,
                target: AccessTarget::Group(group_id),
                problem,
            });
        }
    }
    warnings
}
