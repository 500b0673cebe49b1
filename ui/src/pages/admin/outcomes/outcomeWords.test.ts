/** Outcome deliveries in words (issue 15), in the location's zone (Berlin), read from New York. */
import { describe, expect, it } from 'vitest';
import { canSendAgain, deliveriesPollInterval, deliveryStatusWords, lastAnswerWords, prettyBody } from './outcomeWords';

const zone = 'Europe/Berlin';
const now = '2026-11-24T10:00:00Z';

describe('a delivery’s status in words', () => {
  it('says delivered, and gave up after how many attempts', () => {
    expect(deliveryStatusWords({ status: 'delivered', attempts: 1, next_attempt_at: null }, zone, now)).toBe(
      'Delivered',
    );
    expect(deliveryStatusWords({ status: 'failed', attempts: 10, next_attempt_at: null }, zone, now)).toBe(
      'Gave up after 10 attempts',
    );
    expect(deliveryStatusWords({ status: 'failed', attempts: 1, next_attempt_at: null }, zone, now)).toBe(
      'Gave up after 1 attempt',
    );
  });

  // The adversary: the UTC hour, the browser's New York hour, or the attempts made for the next one.
  it('says when the next attempt is, in the location’s time, and which attempt it is', () => {
    const waiting = { status: 'pending', attempts: 2, next_attempt_at: '2026-11-24T09:42:00Z' };
    expect(deliveryStatusWords(waiting, zone, now)).toBe('Waiting to retry at 10:42 (attempt 3)');
    expect(deliveryStatusWords({ ...waiting, next_attempt_at: '2026-11-24T23:05:00Z' }, zone, now)).toBe(
      'Waiting to retry tomorrow at 00:05 (attempt 3)',
    );
  });

  it('says a delivery not tried yet waits to be sent', () => {
    expect(
      deliveryStatusWords({ status: 'pending', attempts: 0, next_attempt_at: '2026-11-24T10:00:00Z' }, zone, now),
    ).toBe('Waiting to be sent');
  });
});

describe('the delivery log', () => {
  const delivery = (status: string) => ({
    id: 1,
    endpoint_id: 4,
    event_id: 'evt-1',
    event_type: 'ping',
    location_id: 1,
    status,
    attempts: 1,
    last_status_code: null,
    last_error: null,
    next_attempt_at: null,
    created_at: now,
    delivered_at: null,
    body: '{}',
  });

  it('polls every 5 s while a delivery waits, and not once all are done', () => {
    expect(deliveriesPollInterval({ deliveries: [delivery('pending')], next_before: null }, 0)).toBe(5000);
    expect(deliveriesPollInterval({ deliveries: [delivery('delivered')], next_before: null }, 1)).toBe(5000);
    expect(
      deliveriesPollInterval({ deliveries: [delivery('delivered'), delivery('failed')], next_before: null }, 0),
    ).toBe(false);
    expect(deliveriesPollInterval(undefined, 0)).toBe(false);
  });

  it('offers to send again what was delivered or given up on, not what still waits', () => {
    expect(canSendAgain(delivery('delivered'))).toBe(true);
    expect(canSendAgain(delivery('failed'))).toBe(true);
    expect(canSendAgain(delivery('pending'))).toBe(false);
  });

  it('says the endpoint’s last answer, or that there is none', () => {
    expect(lastAnswerWords({ last_status_code: 503, last_error: 'Service Unavailable' })).toBe(
      'HTTP 503 · Service Unavailable',
    );
    expect(lastAnswerWords({ last_status_code: null, last_error: 'connection refused' })).toBe('connection refused');
    expect(lastAnswerWords({ last_status_code: null, last_error: null })).toBe('—');
  });

  it('indents a JSON body and leaves any other text as it is', () => {
    expect(prettyBody('{"type":"ping"}')).toBe('{\n  "type": "ping"\n}');
    expect(prettyBody('not json')).toBe('not json');
  });
});
