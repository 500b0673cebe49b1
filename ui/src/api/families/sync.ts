/** Sync status, retry, dry run, time-to-revoke and the audit log. */
import type { AuditPageView } from '../../gen/AuditPageView';
import type { AuditQuery } from '../../gen/AuditQuery';
import type { Done } from '../../gen/Done';
import type { DryRunView } from '../../gen/DryRunView';
import type { RevocationStatsView } from '../../gen/RevocationStatsView';
import type { SyncStatusView } from '../../gen/SyncStatusView';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const syncApi = (c: Caller) => ({
  status: (locationId: number) => c.get<SyncStatusView>(route(routes.SYNC_STATUS), { location_id: locationId }),
  /** A full reconcile now: the directory is read again, drift repaired, failed entries retried. */
  runFull: (locationId: number) => c.post<Done>(route(routes.LOCATIONS_ID_SYNC_RETRY, { id: locationId })),
  dryRun: (locationId: number) => c.get<DryRunView>(route(routes.LOCATIONS_ID_SYNC_DRY_RUN, { id: locationId })),
  /** Time-to-revoke over the last 7 days (issue 15): rule ended → Kisi confirmed, with the latest receipts. */
  revocations: (locationId: number) =>
    c.get<RevocationStatsView>(route(routes.LOCATIONS_ID_SYNC_REVOCATIONS, { id: locationId })),
});

export const auditApi = (c: Caller) => ({
  list: (query: AuditQuery) => c.get<AuditPageView>(route(routes.AUDIT), { ...query }),
  /** What support needs to help (settings, Kisi connection states, sync queue, recent audit), never a secret. */
  supportBundle: () => c.get<unknown>(route(routes.SUPPORT_BUNDLE)),
});
