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
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

/** The four kinds of record that carry a door access, each with its routes. */
const catalogRoutes = {
  plans: {
    all: routes.PLANS,
    one: routes.PLANS_ID,
    doorAccess: routes.PLANS_ID_DOOR_ACCESS,
    atLocation: routes.LOCATIONS_ID_PLANS,
  },
  resources: {
    all: routes.RESOURCES,
    one: routes.RESOURCES_ID,
    doorAccess: routes.RESOURCES_ID_DOOR_ACCESS,
    atLocation: routes.LOCATIONS_ID_RESOURCES,
  },
  products: {
    all: routes.PRODUCTS,
    one: routes.PRODUCTS_ID,
    doorAccess: routes.PRODUCTS_ID_DOOR_ACCESS,
    atLocation: routes.LOCATIONS_ID_PRODUCTS,
  },
  visitorPolicies: {
    all: routes.VISITOR_POLICIES,
    one: routes.VISITOR_POLICIES_ID,
    doorAccess: routes.VISITOR_POLICIES_ID_DOOR_ACCESS,
    atLocation: routes.LOCATIONS_ID_VISITOR_POLICIES,
  },
} as const;

function family<View, New, Update>(c: Caller, own: (typeof catalogRoutes)[keyof typeof catalogRoutes]) {
  return {
    /**
     * `PATCH` the record (`/plans/{id}`, …): null leaves a field as it is. Answers the updated record;
     * 422 names each refused field. The hub re-evaluates the people it reaches when access changed.
     */
    update: (id: number, request: Update) => c.patch<View>(route(own.one, { id }), request),
    list: (locationId: number) => c.get<View[]>(route(own.atLocation, { id: locationId })),
    create: (request: New) => c.post<View>(route(own.all), request),
    setDoorAccess: (id: number, doorAccess: DoorAccess) => c.put<View>(route(own.doorAccess, { id }), doorAccess),
  };
}

export const catalogApi = (c: Caller) => ({
  plans: family<PlanView, NewPlanRequest, UpdatePlanRequest>(c, catalogRoutes.plans),
  resources: family<ResourceView, NewResourceRequest, UpdateResourceRequest>(c, catalogRoutes.resources),
  products: family<ProductView, NewProductRequest, UpdateProductRequest>(c, catalogRoutes.products),
  visitorPolicies: family<VisitorPolicyView, NewVisitorPolicyRequest, UpdateVisitorPolicyRequest>(
    c,
    catalogRoutes.visitorPolicies,
  ),
});
