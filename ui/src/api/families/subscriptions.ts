/** Subscriptions with items, beneficiaries, end and cancellation (R1–R5, M3). */
import type { CancelRequest } from '../../gen/CancelRequest';
import type { NewItemRequest } from '../../gen/NewItemRequest';
import type { NewSubscriptionRequest } from '../../gen/NewSubscriptionRequest';
import type { SetBeneficiariesRequest } from '../../gen/SetBeneficiariesRequest';
import type { SetEndRequest } from '../../gen/SetEndRequest';
import type { SetItemOverrideRequest } from '../../gen/SetItemOverrideRequest';
import type { SubscriptionView } from '../../gen/SubscriptionView';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const subscriptionsApi = (c: Caller) => ({
  ofPerson: (personId: number) => c.get<SubscriptionView[]>(route(routes.SUBSCRIPTIONS), { person_id: personId }),
  ofCompany: (companyId: number) => c.get<SubscriptionView[]>(route(routes.SUBSCRIPTIONS), { company_id: companyId }),
  create: (request: NewSubscriptionRequest) => c.post<SubscriptionView>(route(routes.SUBSCRIPTIONS), request),
  setEnd: (id: number, request: SetEndRequest) =>
    c.put<SubscriptionView>(route(routes.SUBSCRIPTIONS_ID_END, { id }), request),
  cancel: (id: number, request: CancelRequest = { at: null }) =>
    c.post<SubscriptionView>(route(routes.SUBSCRIPTIONS_ID_CANCEL, { id }), request),
  setBeneficiaries: (id: number, request: SetBeneficiariesRequest) =>
    c.put<SubscriptionView>(route(routes.SUBSCRIPTIONS_ID_BENEFICIARIES, { id }), request),
  /** A new item; its access follows the subscription's dates (R1, R2) and starts at once when active. */
  addItem: (id: number, request: NewItemRequest) =>
    c.post<SubscriptionView>(route(routes.SUBSCRIPTIONS_ID_ITEMS, { id }), request),
  /** Removes an item; the access it gave ends with it. */
  removeItem: (id: number, itemId: number) =>
    c.delete<SubscriptionView>(route(routes.SUBSCRIPTIONS_ID_ITEMS_ITEM_ID, { id, item_id: itemId })),
  setItemOverride: (id: number, itemId: number, request: SetItemOverrideRequest) =>
    c.put<SubscriptionView>(route(routes.SUBSCRIPTIONS_ID_ITEMS_ITEM_ID_DOOR_ACCESS, { id, item_id: itemId }), request),
});
