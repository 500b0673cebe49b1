/**
 * Outcome webhooks in words (issue 15): what each event type tells, and where a delivery stands
 * ("Waiting to retry at 10:42 (attempt 3)").
 */
import type { OutcomeDeliveryPage } from '../../../gen/OutcomeDeliveryPage';
import type { OutcomeDeliveryView } from '../../../gen/OutcomeDeliveryView';
import type { Tone } from '../../../components/Notice';
import { formatDay, formatTime, type InstantLike } from '../../../time/format';

/** The event types an endpoint may receive, in the order the form lists them, each in one line. */
export const OUTCOME_EVENT_TYPES: { type: string; words: string }[] = [
  { type: 'grant.applied', words: 'Doorlink wrote a person’s door access into Kisi (a role, or a visitor’s link).' },
  { type: 'grant.failed', words: 'Kisi refused or could not take a grant; the cause says what to do.' },
  {
    type: 'revocation.completed',
    words: 'Kisi confirmed a person’s access is gone, with how long that took after the rule ended it.',
  },
  { type: 'unlock.succeeded', words: 'Someone unlocked a door, as Kisi reported it.' },
  { type: 'unlock.denied', words: 'Kisi refused someone at a door, with Kisi’s reason.' },
  { type: 'presence.changed', words: 'Someone was checked in or out (Who’s in).' },
];

/** The filter of the delivery log: the hub's statuses, in words. */
export const DELIVERY_STATUSES = [
  { value: '', label: 'All' },
  { value: 'pending', label: 'Waiting' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'failed', label: 'Gave up' },
];

const attempts = (n: number) => `${n} ${n === 1 ? 'attempt' : 'attempts'}`;

/** "at 10:42" today, "tomorrow at 00:05", "Fri 12 Dec at 09:00". */
function atMoment(instant: InstantLike, zone: string, now: InstantLike): string {
  const day = formatDay(instant, zone, now);
  const time = formatTime(instant, zone);
  return day === 'today' ? `at ${time}` : `${day} at ${time}`;
}

/**
 * Where a delivery stands, in words: "Delivered", "Waiting to be sent", "Waiting to retry at
 * 10:42 (attempt 3)" (the retry is the third attempt: two were made), "Gave up after 10 attempts".
 */
export function deliveryStatusWords(
  delivery: Pick<OutcomeDeliveryView, 'status' | 'attempts' | 'next_attempt_at'>,
  zone: string,
  now: InstantLike = new Date(),
): string {
  switch (delivery.status) {
    case 'delivered':
      return 'Delivered';
    case 'failed':
      return `Gave up after ${attempts(delivery.attempts)}`;
    case 'pending':
      if (delivery.attempts === 0) return 'Waiting to be sent';
      return delivery.next_attempt_at
        ? `Waiting to retry ${atMoment(delivery.next_attempt_at, zone, now)} (attempt ${delivery.attempts + 1})`
        : `Waiting to retry (attempt ${delivery.attempts + 1})`;
    default:
      return delivery.status;
  }
}

export function deliveryTone(status: string): Tone {
  if (status === 'delivered') return 'success';
  if (status === 'failed') return 'danger';
  return 'info';
}

/** What the endpoint answered last: "HTTP 503 · timed out", or nothing yet. */
export function lastAnswerWords(delivery: Pick<OutcomeDeliveryView, 'last_status_code' | 'last_error'>): string {
  const parts = [
    delivery.last_status_code === null ? undefined : `HTTP ${delivery.last_status_code}`,
    delivery.last_error ?? undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** Delivered and given-up deliveries may be sent again; a waiting one is sent anyway. */
export const canSendAgain = (delivery: Pick<OutcomeDeliveryView, 'status'>) =>
  delivery.status === 'delivered' || delivery.status === 'failed';

/** The open delivery log polls every 5 s while something waits (no change notice tells of deliveries). */
export function deliveriesPollInterval(page: OutcomeDeliveryPage | undefined, endpointPending: number): number | false {
  const waiting = endpointPending > 0 || (page?.deliveries.some((d) => d.status === 'pending') ?? false);
  return waiting ? 5000 : false;
}

/** The body as sent, indented to read; as it is when it is not JSON. */
export function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
