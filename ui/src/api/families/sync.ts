/** Sync status, retry, dry run and the audit log. */
import type { AuditPageView } from '../../gen/AuditPageView';
import type { AuditQuery } from '../../gen/AuditQuery';
import type { Done } from '../../gen/Done';
import type { DryRunView } from '../../gen/DryRunView';
import type { SyncStatusView } from '../../gen/SyncStatusView';
import { path, type Caller } from '../client';

export const syncApi = (c: Caller) => ({
  status: (locationId: number) => c.get<SyncStatusView>('/sync/status', { location_id: locationId }),
  /** A full reconcile now: the directory is read again, drift repaired, failed entries retried. */
  runFull: (locationId: number) => c.post<Done>(path`/locations/${locationId}/sync/retry`),
  dryRun: (locationId: number) => c.get<DryRunView>(path`/locations/${locationId}/sync/dry-run`),
});

export const auditApi = (c: Caller) => ({
  list: (query: AuditQuery) => c.get<AuditPageView>('/audit', { ...query }),
  /** What support needs to help (settings, Kisi connection states, sync queue, recent audit), never a secret. */
  supportBundle: () => c.get<unknown>('/support-bundle'),
});
