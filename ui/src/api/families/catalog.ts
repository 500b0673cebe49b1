/** What a location offers and its door access: plans (M1), resources (M2), products (M4), visitor policies (M5). */
import type { DoorAccess } from '../../gen/DoorAccess';
import type { NewPlanRequest } from '../../gen/NewPlanRequest';
import type { NewProductRequest } from '../../gen/NewProductRequest';
import type { NewResourceRequest } from '../../gen/NewResourceRequest';
import type { NewVisitorPolicyRequest } from '../../gen/NewVisitorPolicyRequest';
import type { PlanView } from '../../gen/PlanView';
import type { ProductView } from '../../gen/ProductView';
import type { ResourceView } from '../../gen/ResourceView';
import type { UpdatePlanRequest } from '../../gen/UpdatePlanRequest';
import type { UpdateProductRequest } from '../../gen/UpdateProductRequest';
import type { UpdateResourceRequest } from '../../gen/UpdateResourceRequest';
import type { UpdateVisitorPolicyRequest } from '../../gen/UpdateVisitorPolicyRequest';
import type { VisitorPolicyView } from '../../gen/VisitorPolicyView';
import type { Caller } from '../client';

/** The four kinds of record that carry a door access, by their route names. */
function family<View, New, Update>(c: Caller, route: string) {
  return {
    /**
     * `PATCH /{route}/{id}`: null leaves a field as it is. Answers the updated record;
     * 422 names each refused field. The hub re-evaluates the people it reaches when access changed.
     */
    update: (id: number, request: Update) => c.patch<View>(`/${route}/${encodeURIComponent(id)}`, request),
    list: (locationId: number) => c.get<View[]>(`/locations/${encodeURIComponent(locationId)}/${route}`),
    create: (request: New) => c.post<View>(`/${route}`, request),
    setDoorAccess: (id: number, doorAccess: DoorAccess) =>
      c.put<View>(`/${route}/${encodeURIComponent(id)}/door-access`, doorAccess),
  };
}

export const catalogApi = (c: Caller) => ({
  plans: family<PlanView, NewPlanRequest, UpdatePlanRequest>(c, 'plans'),
  resources: family<ResourceView, NewResourceRequest, UpdateResourceRequest>(c, 'resources'),
  products: family<ProductView, NewProductRequest, UpdateProductRequest>(c, 'products'),
  visitorPolicies: family<VisitorPolicyView, NewVisitorPolicyRequest, UpdateVisitorPolicyRequest>(
    c,
    'visitor-policies',
  ),
});
