/** Subscriptions with items, beneficiaries, end and cancellation (R1–R5, M3). */
import type { CancelRequest } from '../../gen/CancelRequest';
import type { NewItemRequest } from '../../gen/NewItemRequest';
import type { NewSubscriptionRequest } from '../../gen/NewSubscriptionRequest';
import type { SetBeneficiariesRequest } from '../../gen/SetBeneficiariesRequest';
import type { SetEndRequest } from '../../gen/SetEndRequest';
import type { SetItemOverrideRequest } from '../../gen/SetItemOverrideRequest';
import type { SubscriptionView } from '../../gen/SubscriptionView';
import { path, type Caller } from '../client';

export const subscriptionsApi = (c: Caller) => ({
  ofPerson: (personId: number) => c.get<SubscriptionView[]>('/subscriptions', { person_id: personId }),
  ofCompany: (companyId: number) => c.get<SubscriptionView[]>('/subscriptions', { company_id: companyId }),
  create: (request: NewSubscriptionRequest) => c.post<SubscriptionView>('/subscriptions', request),
  setEnd: (id: number, request: SetEndRequest) => c.put<SubscriptionView>(path`/subscriptions/${id}/end`, request),
  cancel: (id: number, request: CancelRequest = { at: null }) =>
    c.post<SubscriptionView>(path`/subscriptions/${id}/cancel`, request),
  setBeneficiaries: (id: number, request: SetBeneficiariesRequest) =>
    c.put<SubscriptionView>(path`/subscriptions/${id}/beneficiaries`, request),
  /** A new item; its access follows the subscription's dates (R1, R2) and starts at once when active. */
  addItem: (id: number, request: NewItemRequest) => c.post<SubscriptionView>(path`/subscriptions/${id}/items`, request),
  /** Removes an item; the access it gave ends with it. */
  removeItem: (id: number, itemId: number) => c.delete<SubscriptionView>(path`/subscriptions/${id}/items/${itemId}`),
  setItemOverride: (id: number, itemId: number, request: SetItemOverrideRequest) =>
    c.put<SubscriptionView>(path`/subscriptions/${id}/items/${itemId}/door-access`, request),
});
