/** The words of the door log and of reading Kisi's events (issue 15). */
import { describe, expect, it } from 'vitest';
import type { DoorEventView } from '../../../gen/DoorEventView';
import { backfillWords } from '../../admin/EventWebhook';
import { outcomeWords, sourceWords } from './DoorLog';

const unlock: DoorEventView = {
  id: 1,
  uuid: 'e1',
  kind: 'lock.unlock',
  opened: true,
  kisi_lock_id: 11,
  lock_name: 'Front Door',
  actor_type: 'User',
  actor_name: 'Mia Keller',
  person_id: 4,
  person_name: 'Mia Keller',
  error_code: null,
  error_message: null,
  occurred_at: '2026-11-24T08:12:00Z',
  received_at: '2026-11-24T08:12:01Z',
  source: 'webhook',
};

describe('what happened at the door', () => {
  it('gives Kisi’s own words for a refusal', () => {
    expect(
      outcomeWords({ ...unlock, opened: false, error_code: 'no_access', error_message: 'You do not have access.' }),
    ).toBe('Refused: You do not have access.');
  });

  it('falls back on Kisi’s code, then says Kisi gave no reason, never a bare "Refused: "', () => {
    expect(outcomeWords({ ...unlock, opened: false, error_code: 'no_access', error_message: '  ' })).toBe(
      'Refused: no_access',
    );
    expect(outcomeWords({ ...unlock, opened: false })).toBe('Refused (Kisi gave no reason)');
  });

  it('says how Doorlink learnt of it', () => {
    expect(sourceWords('webhook')).toBe('via webhook');
    expect(sourceWords('backfill')).toBe('found later in Kisi’s log');
  });
});

describe('what reading Kisi’s events found', () => {
  it('says nothing was missing when Kisi listed nothing new', () => {
    expect(backfillWords({ listed: 0, stored: 0, duplicates: 0, elsewhere: 0, complete: true })).toBe(
      'Kisi listed no new events: nothing was missing.',
    );
  });

  it('counts one event in the singular and leaves out other locations when there are none', () => {
    expect(backfillWords({ listed: 1, stored: 1, duplicates: 0, elsewhere: 0, complete: true })).toBe(
      'Kisi listed 1 event: 1 missing and kept now, 0 already kept.',
    );
  });
});
