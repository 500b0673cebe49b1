/** What a location offers and its door access: plans (M1), resources (M2), products (M4), visitor policies (M5). */
import type { DoorAccess } from '../../gen/DoorAccess';
import type { NewPlanRequest } from '../../gen/NewPlanRequest';
import type { NewProductRequest } from '../../gen/NewProductRequest';
import type { NewResourceRequest } from '../../gen/NewResourceRequest';
import type { NewVisitorPolicyRequest } from '../../gen/NewVisitorPolicyRequest';
import type { PlanView } from '../../gen/PlanView';
import type { ProductView } from '../../gen/ProductView';
import type { ResourceView } from '../../gen/ResourceView';
import type { VisitorPolicyView } from '../../gen/VisitorPolicyView';
import type { Caller } from '../client';

/**
 * A catalogue edit (contract 6): every field of the matching new-record request except the
 * location, each optional; absent or null leaves the field as it is.
 */
export type UpdateOf<New> = { [K in Exclude<keyof New, 'location_id'>]?: New[K] | null };

/** The four kinds of record that carry a door access, by their route names. */
function family<View, New>(c: Caller, route: string) {
  return {
    /** `PATCH /{route}/{id}`: the updated record; 422 names each refused field. */
    update: (id: number, request: UpdateOf<New>) => c.patch<View>(`/${route}/${encodeURIComponent(id)}`, request),
    list: (locationId: number) => c.get<View[]>(`/locations/${encodeURIComponent(locationId)}/${route}`),
    create: (request: New) => c.post<View>(`/${route}`, request),
    setDoorAccess: (id: number, doorAccess: DoorAccess) =>
      c.put<View>(`/${route}/${encodeURIComponent(id)}/door-access`, doorAccess),
  };
}

export const catalogApi = (c: Caller) => ({
  plans: family<PlanView, NewPlanRequest>(c, 'plans'),
  resources: family<ResourceView, NewResourceRequest>(c, 'resources'),
  products: family<ProductView, NewProductRequest>(c, 'products'),
  visitorPolicies: family<VisitorPolicyView, NewVisitorPolicyRequest>(c, 'visitor-policies'),
});
