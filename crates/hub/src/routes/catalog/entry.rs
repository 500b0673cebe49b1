//! What the create and edit handlers of every catalog kind share: one generic create and one
//! generic edit over [`CatalogEntry`], so that plans, resources, products and visitor policies
//! check names and door access, save and announce the change the same way.

use doorlink_api::common::DoorAccess as WireDoorAccess;
use doorlink_api::events::ChangeKind;
use doorlink_core::{
    DoorAccess, LocationId, Plan, Product, ProductKind, Resource, ResourceKind, VisitorPolicy,
};
use doorlink_store::Store;

use crate::convert;
use crate::error::ApiResult;
use crate::routes::validate::Problems;
use crate::state::AppState;

type StoreResult<T> = doorlink_store::Result<T>;

/// One kind of catalog entry: how it is created, loaded, saved and shown.
pub(super) trait CatalogEntry: Sized {
    /// Its wire view.
    type View;
    /// Its kind (resources and products); `()` for plans and visitor policies.
    type Kind: Copy;

    async fn create(
        store: &Store,
        location: LocationId,
        name: &str,
        kind: Self::Kind,
        access: &DoorAccess,
    ) -> StoreResult<Self>;
    async fn load(store: &Store, id: i64) -> StoreResult<(LocationId, Self)>;
    async fn save(store: &Store, entry: &Self) -> StoreResult<Self>;
    fn id(&self) -> i64;
    fn name_mut(&mut self) -> &mut String;
    fn door_access_mut(&mut self) -> &mut DoorAccess;
    fn set_kind(&mut self, kind: Self::Kind);
    fn view(location: LocationId, entry: &Self) -> Self::View;
}

/// A new entry as every `New…Request` describes it.
pub(super) struct NewEntry<K> {
    pub location_id: i64,
    pub name: String,
    pub kind: K,
    pub door_access: WireDoorAccess,
}

/// An edit as every `Update…Request` describes it: absent fields stay as they are.
pub(super) struct EntryChanges<K> {
    pub name: Option<String>,
    pub kind: Option<K>,
    pub door_access: Option<WireDoorAccess>,
}

/// Checks the name and the door access against the location's Kisi directory, creates the entry
/// and tells open pages.
pub(super) async fn create_entry<E: CatalogEntry>(
    state: &AppState,
    new: NewEntry<E::Kind>,
) -> ApiResult<E::View> {
    let mut problems = Problems::new();
    let found = state
        .store()
        .locations()
        .get(LocationId(new.location_id))
        .await;
    let location = problems.found("location_id", found)?;
    let name = problems.text("name", &new.name);
    if let Some(location) = &location {
        let view = state.store().kisi_mirror().kisi_view(location.id).await?;
        problems.door_access("door_access", &new.door_access, &view);
    }
    let location = problems.finish_with(location)?;
    let access = convert::door_access_from(&new.door_access);
    let entry = E::create(state.store(), location.id, &name, new.kind, &access).await?;
    state.changed(
        ChangeKind::CatalogChanged,
        Some(location.id),
        [],
        Some(entry.id()),
    );
    Ok(E::view(location.id, &entry))
}

/// Applies the fields given, each checked (every refused field is named), and saves. The store
/// enqueues a re-evaluation of the location when the door access or kind changed (who gets in);
/// a new name changes only the words on the Access pages, whose cached facts are dropped.
pub(super) async fn update_entry<E: CatalogEntry>(
    state: &AppState,
    id: i64,
    changes: EntryChanges<E::Kind>,
) -> ApiResult<E::View> {
    let (location, mut entry) = E::load(state.store(), id).await?;
    let mut problems = Problems::new();
    if let Some(name) = &changes.name {
        *entry.name_mut() = problems.text("name", name);
    }
    if let Some(access) = &changes.door_access {
        let view = state.store().kisi_mirror().kisi_view(location).await?;
        problems.door_access("door_access", access, &view);
        *entry.door_access_mut() = convert::door_access_from(access);
    }
    problems.finish()?;
    if let Some(kind) = changes.kind {
        entry.set_kind(kind);
    }
    let saved = E::save(state.store(), &entry).await?;
    state.changed(ChangeKind::CatalogChanged, Some(location), [], Some(id));
    Ok(E::view(location, &saved))
}

/// The [`CatalogEntry`] of one kind, named by the store's calls for it: `plain` kinds (plans,
/// visitor policies) are created without a kind, `kinded` ones (resources, products) with one.
macro_rules! catalog_entry {
    (plain $entry:ty, view $view:ty = $view_fn:path, id $id:path,
     create $create:ident, load $load:ident, save $save:ident) => {
        impl CatalogEntry for $entry {
            type View = $view;
            type Kind = ();

            async fn create(
                store: &Store,
                location: LocationId,
                name: &str,
                (): (),
                access: &DoorAccess,
            ) -> StoreResult<Self> {
                store.catalog().$create(location, name, access).await
            }
            fn set_kind(&mut self, (): ()) {}
            catalog_entry!(@shared $view_fn, $id, $load, $save);
        }
    };
    (kinded $entry:ty, view $view:ty = $view_fn:path, id $id:path, kind $kind:ty,
     create $create:ident, load $load:ident, save $save:ident) => {
        impl CatalogEntry for $entry {
            type View = $view;
            type Kind = $kind;

            async fn create(
                store: &Store,
                location: LocationId,
                name: &str,
                kind: $kind,
                access: &DoorAccess,
            ) -> StoreResult<Self> {
                store.catalog().$create(location, name, kind, access).await
            }
            fn set_kind(&mut self, kind: $kind) {
                self.kind = kind;
            }
            catalog_entry!(@shared $view_fn, $id, $load, $save);
        }
    };
    (@shared $view_fn:path, $id:path, $load:ident, $save:ident) => {
        async fn load(store: &Store, id: i64) -> StoreResult<(LocationId, Self)> {
            store.catalog().$load($id(id)).await
        }
        async fn save(store: &Store, entry: &Self) -> StoreResult<Self> {
            store.catalog().$save(entry).await
        }
        fn id(&self) -> i64 {
            self.id.0
        }
        fn name_mut(&mut self) -> &mut String {
            &mut self.name
        }
        fn door_access_mut(&mut self) -> &mut DoorAccess {
            &mut self.door_access
        }
        fn view(location: LocationId, entry: &Self) -> Self::View {
            $view_fn(location, entry)
        }
    };
}

catalog_entry!(plain Plan, view doorlink_api::catalog::PlanView = super::plan_view,
    id doorlink_core::PlanId, create create_plan, load plan, save update_plan);
catalog_entry!(kinded Resource, view doorlink_api::catalog::ResourceView = super::resource_view,
    id doorlink_core::ResourceId, kind ResourceKind,
    create create_resource, load resource, save update_resource);
catalog_entry!(kinded Product, view doorlink_api::catalog::ProductView = super::product_view,
    id doorlink_core::ProductId, kind ProductKind,
    create create_product, load product, save update_product);
catalog_entry!(plain VisitorPolicy,
    view doorlink_api::catalog::VisitorPolicyView = super::policy_view,
    id doorlink_core::VisitorPolicyId, create create_visitor_policy, load visitor_policy,
    save update_visitor_policy);
