/**
 * Time to revoke (issue 15), on the Sync page: how long after the rules ended someone's access
 * Kisi confirmed it gone, as the median and the 99th percentile over the last 7 days, and the
 * latest receipts. Refetched when a sync finishes (`sync_changed`).
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { queryKeys } from '../../api/queries';
import { Card } from '../../components/Card';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { Table } from '../../components/Table';
import type { LocationView } from '../../gen/LocationView';
import type { RevocationReceiptView } from '../../gen/RevocationReceiptView';
import type { RevocationStatsView } from '../../gen/RevocationStatsView';
import { formatTimestamp } from '../../time/format';
import { zoneName } from '../../time/locationZone';

/** "1.2 s" under a minute, "2 min 5 s", "1 h 3 min", "2 d 4 h" (Kisi was unreachable for days). */
export function formatMillis(millis: number): string {
  const tenths = Math.round(millis / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(millis / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const hours = Math.round(minutes / 60);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "p50 1.2 s · p99 4.0 s over the last 7 days (23 revocations)", or none yet, in words. */
export function revocationSummary(stats: Pick<RevocationStatsView, 'count' | 'p50_millis' | 'p99_millis'>): string {
  if (stats.count === 0 || stats.p50_millis === null) {
    return 'None yet: Kisi confirmed no revocation here in the last 7 days.';
  }
  const p99 = stats.p99_millis ?? stats.p50_millis;
  const revocations = `${stats.count} ${stats.count === 1 ? 'revocation' : 'revocations'}`;
  return `p50 ${formatMillis(stats.p50_millis)} · p99 ${formatMillis(p99)} over the last 7 days (${revocations})`;
}

function Person({ receipt }: { receipt: RevocationReceiptView }) {
  const name = receipt.person_name ?? 'someone no longer listed';
  return receipt.person_id === null ? name : <Link to={`/desk/people/${receipt.person_id}`}>{name}</Link>;
}

export function RevocationTimes({ location }: { location: LocationView }) {
  const api = useApi();
  const zone = location.time_zone;
  const stats = useQuery({
    queryKey: queryKeys.revocations(location.id),
    queryFn: () => api.sync.revocations(location.id),
  });
  return (
    <Card title="Time to revoke" labelId="time-to-revoke">
      {stats.isPending && <Loading what="the time to revoke" />}
      {stats.error && <Notice tone="danger">{describeError(stats.error)}</Notice>}
      {stats.data && (
        <div className="stack">
          <p className="muted">
            From the change that ended someone’s access (a subscription ended, a hold, a cancelled booking) to Kisi
            confirming the access gone.
          </p>
          <p>
            <strong>{revocationSummary(stats.data)}</strong>
          </p>
          {stats.data.recent.length > 0 && (
            <Table<RevocationReceiptView>
              caption={`Latest revocations, newest first (times in ${zoneName(zone)})`}
              rows={stats.data.recent}
              rowKey={(r) => r.id}
              columns={[
                { header: 'Person', cell: (r) => <Person receipt={r} /> },
                { header: 'What', cell: (r) => r.what },
                { header: 'Rule ended at', cell: (r) => formatTimestamp(r.ended_at, zone) },
                { header: 'Kisi confirmed at', cell: (r) => formatTimestamp(r.confirmed_at, zone) },
                { header: 'Time between', cell: (r) => formatMillis(r.millis) },
              ]}
            />
          )}
        </div>
      )}
    </Card>
  );
}
