/**
 * The header's honest connection badge: "Live" only while live events arrive and the hub answers,
 * "Reconnecting…" while they are retried, "Offline · last confirmed 13:21" when the hub cannot be
 * reached. It is a status region, so screen readers hear each change.
 */
import type { ConnectionState } from '../api/connection';
import type { LiveStatus } from '../api/transport';
import { useConnection } from '../hooks/useConnection';
import { useNow } from '../hooks/useNow';
import { formatMoment } from '../time/format';
import { browserZone } from '../time/locationZone';

const TITLE: Record<LiveStatus, string> = {
  live: 'Pages update as soon as something changes.',
  connecting: 'Connecting for live updates.',
  reconnecting: 'Live updates dropped; trying again. What you see may be out of date.',
  offline: 'Doorlink’s hub cannot be reached: you see what it last confirmed, and unlocking needs a connection.',
  signed_out: 'Your session ended; sign in again.',
};

/** The badge's words; the time of the last confirmation reads in the viewer's own clock. */
export function connectionLabel({ status, confirmedAt }: ConnectionState, now: Date, zone = browserZone()): string {
  switch (status) {
    case 'live':
      return 'Live';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'offline':
      return confirmedAt ? `Offline · last confirmed ${formatMoment(confirmedAt, zone, now)}` : 'Offline';
    case 'signed_out':
      return 'Signed out';
  }
}

export function ConnectionBadge() {
  const connection = useConnection();
  const now = useNow();
  return (
    <span className="connection" data-status={connection.status} title={TITLE[connection.status]}>
      <span className="live-dot" data-status={connection.status} aria-hidden="true" />
      <span role="status">
        <span className="visually-hidden">Connection: </span>
        <span className="connection-label">{connectionLabel(connection, now)}</span>
      </span>
    </span>
  );
}
