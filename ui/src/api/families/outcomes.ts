/**
 * Outcome webhooks (issue 15): the endpoints Doorlink tells what happened (grants applied or
 * failed, revocations Kisi confirmed, unlocks, check-ins), and each endpoint's delivery log.
 */
import type { OutcomeDeliveriesQuery } from '../../gen/OutcomeDeliveriesQuery';
import type { OutcomeDeliveryPage } from '../../gen/OutcomeDeliveryPage';
import type { OutcomeDeliveryView } from '../../gen/OutcomeDeliveryView';
import type { OutcomeEndpointRequest } from '../../gen/OutcomeEndpointRequest';
import type { OutcomeEndpointSecret } from '../../gen/OutcomeEndpointSecret';
import type { OutcomeEndpointView } from '../../gen/OutcomeEndpointView';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const outcomesApi = (c: Caller) => ({
  list: () => c.get<OutcomeEndpointView[]>(route(routes.OUTCOME_ENDPOINTS)),
  /** The answer holds the endpoint's secret, shown this once. */
  create: (request: OutcomeEndpointRequest) => c.post<OutcomeEndpointSecret>(route(routes.OUTCOME_ENDPOINTS), request),
  update: (id: number, request: OutcomeEndpointRequest) =>
    c.put<OutcomeEndpointView>(route(routes.OUTCOME_ENDPOINTS_ID, { id }), request),
  /** Its undelivered events are dropped. */
  remove: (id: number) => c.delete<null>(route(routes.OUTCOME_ENDPOINTS_ID, { id })),
  /** A new secret, shown this once; the old one stops at once. */
  newSecret: (id: number) => c.post<OutcomeEndpointSecret>(route(routes.OUTCOME_ENDPOINTS_ID_SECRET, { id })),
  /** Queues a `ping` event to the endpoint. */
  test: (id: number) => c.post<OutcomeDeliveryView>(route(routes.OUTCOME_ENDPOINTS_ID_TEST, { id })),
  /** Newest first; the next page is asked with `before: page.next_before`. */
  deliveries: (id: number, query: OutcomeDeliveriesQuery) =>
    c.get<OutcomeDeliveryPage>(route(routes.OUTCOME_ENDPOINTS_ID_DELIVERIES, { id }), { ...query }),
  /** Queues the delivery again at once, with the same event id. */
  sendAgain: (deliveryId: number) =>
    c.post<OutcomeDeliveryView>(route(routes.OUTCOME_DELIVERIES_ID_SEND_AGAIN, { id: deliveryId })),
});
