/**
 * Live updates: each change notice from the hub's server-sent events invalidates the queries it
 * may have made stale, so open pages refetch without a reload.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { ChangeKind } from '../gen/ChangeKind';
import type { ChangeNotice } from '../gen/ChangeNotice';
import type { LiveEvent } from './transport';

/**
 * The query-key families (first key element, see queries.ts) each kind of change touches. The front
 * desk's day ('desk') shows bookings, passes, people, holds, access and sync failures: every kind.
 * A person's ledger ('ledger') weighs their door events against what they were entitled to, so
 * subscriptions, bookings and passes change it too (a day pass used, a booking never come to).
 */
const STALE_AFTER: Record<ChangeKind, string[]> = {
  location_changed: ['locations', 'access', 'desk'],
  kisi_connection_changed: ['kisi', 'locations', 'mappings', 'access', 'sync', 'desk'],
  mapping_changed: ['catalog', 'mappings', 'access', 'sync', 'desk'],
  person_changed: ['people', 'access', 'desk'],
  company_changed: ['companies', 'people', 'access', 'desk'],
  catalog_changed: ['catalog', 'mappings', 'desk'],
  subscription_changed: ['subscriptions', 'access', 'sync', 'desk', 'ledger'],
  booking_changed: ['bookings', 'access', 'sync', 'desk', 'ledger'],
  pass_changed: ['passes', 'access', 'sync', 'desk', 'ledger'],
  kisi_account_changed: ['kisi-account', 'access', 'desk'],
  // 'passes': a visitor's Kisi access link exists once a sync pass made it (Visitors page);
  // 'revocations': a sync pass that deleted access in Kisi made a time-to-revoke receipt.
  sync_changed: ['sync', 'audit', 'access', 'mappings', 'kisi', 'passes', 'desk', 'revocations'],
  access_changed: ['access', 'desk'],
  // Kisi told of something at a door (issue 15): the door log and the Kisi page's webhook status,
  // who's in, attendance, the ledger and occupancy.
  door_events_changed: ['door-events', 'presence', 'attendance', 'kisi', 'ledger', 'occupancy'],
};

export function isChangeNotice(data: unknown): data is ChangeNotice {
  return typeof data === 'object' && data !== null && typeof (data as { kind?: unknown }).kind === 'string';
}

/** The query-key families to refetch after `event`; unknown events refetch nothing. */
export function staleFamilies(event: LiveEvent): string[] {
  if (!isChangeNotice(event.data)) return [];
  return STALE_AFTER[event.data.kind] ?? [];
}

export function invalidateFor(client: QueryClient, event: LiveEvent): void {
  if (event.kind === 'lagged') {
    // Notices were lost: anything shown may be stale.
    void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    return;
  }
  for (const family of staleFamilies(event)) {
    void client.invalidateQueries({ queryKey: [family] });
  }
}
