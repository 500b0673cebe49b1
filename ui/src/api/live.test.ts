import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { invalidateFor, staleFamilies } from './live';

const notice = (kind: string) => ({ kind: 'message', data: { kind, location_id: 1, people: [4], id: 12 } });

describe('live updates', () => {
  it('refetches access and bookings when a booking changed', () => {
    expect(staleFamilies(notice('booking_changed'))).toEqual(expect.arrayContaining(['bookings', 'access']));
  });

  it('refetches mappings, the Access page and the visitors (their Kisi links) when a sync finished', () => {
    expect(staleFamilies(notice('sync_changed'))).toEqual(
      expect.arrayContaining(['sync', 'mappings', 'access', 'passes']),
    );
  });

  it('refetches the time-to-revoke when a sync finished (a revocation Kisi confirmed leaves a receipt)', () => {
    expect(staleFamilies(notice('sync_changed'))).toContain('revocations');
  });

  it("refetches the front desk's day after every kind of change (it shows bookings, passes, holds, access and failures)", () => {
    for (const kind of [
      'booking_changed',
      'pass_changed',
      'person_changed',
      'sync_changed',
      'access_changed',
      'catalog_changed',
    ]) {
      expect(staleFamilies(notice(kind))).toContain('desk');
    }
  });

  it('refetches the ledger and occupancy when Kisi told of something at a door', () => {
    expect(staleFamilies(notice('door_events_changed'))).toEqual(
      expect.arrayContaining(['door-events', 'presence', 'attendance', 'ledger', 'occupancy']),
    );
  });

  it('refetches the ledger when what a person was entitled to changed', () => {
    for (const kind of ['subscription_changed', 'booking_changed', 'pass_changed']) {
      expect(staleFamilies(notice(kind))).toContain('ledger');
    }
  });

  it('ignores events that are not change notices', () => {
    expect(staleFamilies({ kind: 'message', data: 'keep-alive' })).toEqual([]);
    expect(staleFamilies(notice('something_new'))).toEqual([]);
  });

  it('refetches everything but the session when notices were lost', () => {
    const client = new QueryClient();
    client.setQueryData(['session'], { id: 1 });
    client.setQueryData(['audit', 1], { entries: [] });
    invalidateFor(client, { kind: 'lagged', data: {} });
    expect(client.getQueryState(['audit', 1])?.isInvalidated).toBe(true);
    expect(client.getQueryState(['session'])?.isInvalidated).toBe(false);
  });

  it('marks the matching cached queries stale and leaves the others', async () => {
    const client = new QueryClient();
    client.setQueryData(['access', 'me'], { locations: [] });
    client.setQueryData(['audit', 1], { entries: [] });
    invalidateFor(client, notice('access_changed'));
    expect(client.getQueryState(['access', 'me'])?.isInvalidated).toBe(true);
    expect(client.getQueryState(['audit', 1])?.isInvalidated).toBe(false);
  });
});
