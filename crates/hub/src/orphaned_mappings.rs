//! C4: the mappings whose Kisi group is gone, named in words. Read by the Sync page (`routes::sync`)
//! and the dry run (`sync_bridge`), so it lives below both.

use doorlink_core::{LocationFacts, LocationId, Mapping, MappingProblem, mapping_warnings};

use crate::error::ApiResult;
use crate::state::AppState;

/// The mapping in words, by name: `plan "Hot Desk"`.
fn mapping_name(facts: &LocationFacts, mapping: Mapping) -> String {
    let r = facts.records();
    let named = |kind: &str, name: Option<&String>, id: i64| match name {
        Some(name) => format!("{kind} \"{name}\""),
        None => format!("{kind} {id}"),
    };
    match mapping {
        Mapping::Plan { plan } => named(
            "plan",
            r.plans.iter().find(|p| p.id == plan).map(|p| &p.name),
            plan.0,
        ),
        Mapping::Resource { resource } => named(
            "resource",
            r.resources
                .iter()
                .find(|x| x.id == resource)
                .map(|x| &x.name),
            resource.0,
        ),
        Mapping::Product { product } => named(
            "product",
            r.products.iter().find(|p| p.id == product).map(|p| &p.name),
            product.0,
        ),
        Mapping::VisitorPolicy { policy } => named(
            "visitor policy",
            r.visitor_policies
                .iter()
                .find(|p| p.id == policy)
                .map(|p| &p.name),
            policy.0,
        ),
        Mapping::SubscriptionItem { subscription, .. } => {
            format!("an item's door access in subscription {subscription}")
        }
        Mapping::ManualGrant { grant } => {
            let person = r
                .manual_grants
                .iter()
                .find(|g| g.id == grant)
                .and_then(|g| facts.person(g.person));
            match person {
                Some(person) => format!("the manual grant of {}", person.name),
                None => format!("manual grant {grant}"),
            }
        }
    }
}

/// C4: the location's mappings whose Kisi group no longer exists, each naming the mapping, what
/// it breaks and the fix; the Sync page and the dry run show them beside the Mappings page.
pub(crate) async fn orphaned_mappings(
    state: &AppState,
    location: LocationId,
) -> ApiResult<Vec<String>> {
    let facts = state.store().load_location_facts(location).await?;
    let view = state.store().kisi_mirror().kisi_view(location).await?;
    Ok(mapping_warnings(&facts, &view)
        .into_iter()
        .filter(|w| w.problem == MappingProblem::Orphaned)
        .map(|w| {
            format!(
                "{}: {}",
                mapping_name(&facts, w.mapping),
                w.problem.warning(&view.target_name(w.target))
            )
        })
        .collect())
}
