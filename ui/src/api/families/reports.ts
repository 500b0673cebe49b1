/**
 * What the doors add up to (issue 15): a person's ledger (their entries against what they were
 * entitled to), a location's occupancy by hour and day, and the CSV exports staff download.
 */
import type { AttendanceQuery } from '../../gen/AttendanceQuery';
import type { ExportQuery } from '../../gen/ExportQuery';
import type { LedgerView } from '../../gen/LedgerView';
import type { OccupancyQuery } from '../../gen/OccupancyQuery';
import type { OccupancyView } from '../../gen/OccupancyView';
import { routes } from '../../gen/routes';
import { route, type Caller, type HubPath } from '../client';
import type { Transport } from '../transport';

export const ledgerApi = (c: Caller) => ({
  /** Local dates "YYYY-MM-DD" in the location's zone, `to` included; the hub's default is the last 30 days. */
  of: (personId: number, query: AttendanceQuery) =>
    c.get<LedgerView>(route(routes.PEOPLE_ID_LEDGER, { id: personId }), { ...query }),
});

/** The hub charts at most this many days at once. */
export const OCCUPANCY_MAX_DAYS = 92;
/** An export covers at most this many days. */
export const EXPORT_MAX_DAYS = 366;
/** The hub's default export: the 30 days before today, and today. */
export const EXPORT_DEFAULT_DAYS = 31;

export const occupancyApi = (c: Caller) => ({
  /** Local dates; the hub's default is the four weeks ending today. */
  of: (locationId: number, query: OccupancyQuery) =>
    c.get<OccupancyView>(route(routes.LOCATIONS_ID_OCCUPANCY, { id: locationId }), { ...query }),
});

/**
 * The CSV exports as links the browser downloads (the hub answers them as attachments), or
 * `null` where no link reaches the hub (the desktop app: see `Transport.downloadUrl`).
 */
export const exportsApi = (transport: Pick<Transport, 'downloadUrl'>) => {
  const link = (path: HubPath, range: ExportQuery) => transport.downloadUrl?.({ path, query: { ...range } }) ?? null;
  return {
    /** False in the desktop app: the export buttons are not shown there. */
    available: transport.downloadUrl !== undefined,
    /** Each person's days at the location: first in, last seen, doors opened, refusals. */
    attendance: (locationId: number, range: ExportQuery) =>
      link(route(routes.LOCATIONS_ID_EXPORTS_ATTENDANCE, { id: locationId }), range),
    /** Everyone's entries at the location against their entitlements. */
    ledger: (locationId: number, range: ExportQuery) =>
      link(route(routes.LOCATIONS_ID_EXPORTS_LEDGER, { id: locationId }), range),
    /** The audit log at the location. */
    audit: (locationId: number, range: ExportQuery) =>
      link(route(routes.LOCATIONS_ID_EXPORTS_AUDIT, { id: locationId }), range),
  };
};
