//! Where each Kisi group or lock is mapped (M1–M6), and the warnings staff see on a mapping: a group
//! deleted in Kisi (C4, orphaned), a group shared with members Doorlink did not add (M8), and a
//! group whose Kisi settings refuse every unlock Doorlink makes (app access off, primary device
//! only; A4). The words of each warning live here, once.

use serde::{Deserialize, Serialize};

use crate::facts::LocationFacts;
use crate::ids::{
    ManualGrantId, PlanId, ProductId, ResourceId, SubscriptionId, SubscriptionItemId,
    VisitorPolicyId,
};
use crate::kisi_view::{KisiGroup, KisiView};
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
    /// A4: Kisi reported the group's app access off (`login_enabled: false`, the dashboard's
    /// "Allow App Access"): its members cannot unlock from any app, Doorlink's included.
    AppAccessOff,
    /// A4: Kisi reported the group's primary-device restriction on: its members may unlock only
    /// from their primary device, and the login Doorlink unlocks with is not it.
    PrimaryDeviceOnly,
}

impl MappingProblem {
    /// The rule the warning rests on.
    pub fn rule(self) -> &'static str {
        match self {
            Self::Orphaned => "C4",
            Self::SharedGroup { .. } => "M8",
            Self::AppAccessOff | Self::PrimaryDeviceOnly => "A4",
        }
    }

    /// The warning staff read on a mapping of group `name`: what happens, then the fix, then the
    /// rule.
    pub fn warning(self, name: &str) -> String {
        let rule = self.rule();
        match self {
            Self::Orphaned => format!(
                "\"{name}\" no longer exists in Kisi: nothing is granted through it; select an existing group ({rule})"
            ),
            Self::SharedGroup { foreign_members } => format!(
                "\"{name}\" has {foreign_members} members Doorlink did not add: use a group dedicated to Doorlink ({rule})"
            ),
            Self::AppAccessOff => format!(
                "\"{name}\" has app access turned off in Kisi: members of this group cannot unlock its doors from Doorlink or any other app; turn on app access (\"Allow App Access\") for the group in the Kisi dashboard, or select a group that has it on ({rule})"
            ),
            Self::PrimaryDeviceOnly => format!(
                "\"{name}\" has Kisi's primary-device restriction on: members of this group can unlock only from their primary device (the phone Kisi registered for them), so unlocking from Doorlink is refused; turn the primary-device restriction off for the group in the Kisi dashboard, or select a group without it ({rule})"
            ),
        }
    }
}

/// A4: what a group's own Kisi settings make of Doorlink's unlocks. Only what Kisi reported counts:
/// a flag Kisi left `null` (its docs' examples do) is unknown and warns about nothing.
pub fn group_setting_problems(group: &KisiGroup) -> Vec<MappingProblem> {
    let mut problems = Vec::new();
    if group.app_access == Some(false) {
        problems.push(MappingProblem::AppAccessOff);
    }
    if group.primary_device_restriction == Some(true) {
        problems.push(MappingProblem::PrimaryDeviceOnly);
    }
    problems
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

/// C4, M8 and A4: the mappings that use a deleted group, a group shared with others, or a group
/// whose Kisi settings refuse Doorlink's unlocks, so staff see which plans and resources it
/// breaks. A deleted group warns of that alone.
pub fn mapping_warnings(facts: &LocationFacts, view: &KisiView) -> Vec<MappingWarning> {
    let mut warnings = Vec::new();
    for (mapping, access) in mappings(facts) {
        for &group_id in &access.groups {
            let Some(group) = view.group(group_id) else {
                continue;
            };
            let problems = if group.deleted {
                vec![MappingProblem::Orphaned]
            } else {
                let shared = (group.foreign_members > 0).then_some(MappingProblem::SharedGroup {
                    foreign_members: group.foreign_members,
                });
                shared
                    .into_iter()
                    .chain(group_setting_problems(group))
                    .collect()
            };
            warnings.extend(problems.into_iter().map(|problem| MappingWarning {
                mapping,
                target: AccessTarget::Group(group_id),
                problem,
            }));
        }
    }
    warnings
}
