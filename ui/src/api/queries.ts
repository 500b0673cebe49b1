/**
 * TanStack Query keys. The first element names a family; live.ts invalidates whole families when
 * the hub announces a change, so every key of a family must start with its name.
 */
import type { AuditQuery } from '../gen/AuditQuery';
import type { AttendanceQuery } from '../gen/AttendanceQuery';
import type { BookingQuery } from '../gen/BookingQuery';
import type { DoorEventsQuery } from '../gen/DoorEventsQuery';
import type { HolderRef } from '../gen/HolderRef';
import type { OutcomeDeliveriesQuery } from '../gen/OutcomeDeliveriesQuery';
import type { OccupancyQuery } from '../gen/OccupancyQuery';

export const queryKeys = {
  session: () => ['session'] as const,
  accounts: () => ['accounts', 'list'] as const,
  pendingInvitations: () => ['accounts', 'invitations'] as const,
  accountHistory: () => ['accounts', 'history'] as const,
  ownSessions: () => ['own-sessions'] as const,
  locations: () => ['locations'] as const,
  myAccess: () => ['access', 'me'] as const,
  myOtherDoors: (locationId: number) => ['access', 'me', 'other-doors', locationId] as const,
  personAccess: (personId: number) => ['access', 'person', personId] as const,
  explain: (personId: number | 'me', lockId: number, locationId: number) =>
    ['access', 'explain', personId, lockId, locationId] as const,
  kisiConnection: (locationId: number) => ['kisi', locationId, 'connection'] as const,
  kisiDirectory: (locationId: number) => ['kisi', locationId, 'directory'] as const,
  /** Kisi's event webhook at the location (issue 15); under 'kisi', which door events refresh. */
  kisiWebhook: (locationId: number) => ['kisi', locationId, 'webhook'] as const,
  mappings: (locationId: number) => ['mappings', locationId] as const,
  catalog: (kind: 'plans' | 'resources' | 'products' | 'visitorPolicies', locationId: number) =>
    ['catalog', kind, locationId] as const,
  person: (personId: number) => ['people', personId] as const,
  companies: () => ['companies'] as const,
  companyMembers: (companyId: number) => ['companies', companyId, 'members'] as const,
  subscriptions: (holder: HolderRef) => ['subscriptions', holder.kind, holder.id] as const,
  bookings: (query: BookingQuery) => ['bookings', query] as const,
  /** The front desk's day or week: bookings, visits, passes, holds, access now, failures. */
  deskDay: (locationId: number, date: string, days: number) => ['desk', locationId, date, days] as const,
  passes: (kind: 'day-passes' | 'visits' | 'manual-grants', personId: number) => ['passes', kind, personId] as const,
  visitors: (locationId: number, date: string) => ['passes', 'visitors', locationId, date] as const,
  kisiAccount: (personId: number, locationId: number) => ['kisi-account', personId, locationId] as const,
  sync: (locationId: number) => ['sync', locationId] as const,
  dryRun: (locationId: number) => ['sync', locationId, 'dry-run'] as const,
  /** Time-to-revoke at the location (issue 15): its own family, refetched on `sync_changed`. */
  revocations: (locationId: number) => ['revocations', locationId] as const,
  audit: (query: AuditQuery) => ['audit', query] as const,
  /**
   * Outcome webhooks (issue 15). No change notice tells of a delivery: the open delivery log
   * polls while something waits.
   */
  outcomeEndpoints: () => ['outcomes', 'endpoints'] as const,
  outcomeDeliveries: (endpointId: number, query: OutcomeDeliveriesQuery) =>
    ['outcomes', 'deliveries', endpointId, query] as const,
  /** Door events, who's in and attendance (issue 15): each family refetches on `door_events_changed`. */
  doorEvents: (locationId: number, query: DoorEventsQuery) => ['door-events', locationId, query] as const,
  presence: (locationId: number) => ['presence', locationId] as const,
  presenceSettings: (locationId: number) => ['presence', locationId, 'settings'] as const,
  attendance: (personId: number, query: AttendanceQuery) => ['attendance', personId, query] as const,
  /** A person's ledger and a location's occupancy (issue 15): door events change both. */
  ledger: (personId: number, query: AttendanceQuery) => ['ledger', personId, query] as const,
  occupancy: (locationId: number, query: OccupancyQuery) => ['occupancy', locationId, query] as const,
};
