/**
 * Who's in (issue 15): who is at the selected location now, since when and at which door they
 * were last seen (in the location's zone), how people are checked out here, and the door log
 * below. Live: Kisi's events reach the hub by webhook and the hub's change notices refresh the
 * page. When no one is in it says why: no webhook to hear the doors, or no door opened today.
 * Below: the occupancy chart by hour and day, and the attendance and ledger as CSV downloads.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useKisiWebhook } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { hasRole, useAccount } from '../../../app/auth';
import { useCurrentLocation } from '../../../app/location';
import { Card, PageHeader } from '../../../components/Card';
import { Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import type { DoorEventView } from '../../../gen/DoorEventView';
import type { LocationView } from '../../../gen/LocationView';
import type { PresenceView } from '../../../gen/PresenceView';
import { useNow } from '../../../hooks/useNow';
import { formatMoment } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import { calendarDaysBetween } from '../../../time/zoned';
import { EventWebhook } from '../../admin/EventWebhook';
import { DoorLog, useDoorLog } from './DoorLog';
import { Exports } from './Exports';
import { Occupancy } from './Occupancy';

export function WhosInPage() {
  const { location } = useCurrentLocation();
  if (!location) return <Notice tone="info">Create a location first (Admin).</Notice>;
  const zone = location.time_zone;
  return (
    <>
      <PageHeader title="Who’s in" subtitle={`${location.name} · times in ${zoneName(zone)} (${zone})`} />
      <div className="stack">
        <PresentNow location={location} />
        <DoorLog location={location} />
        <Occupancy location={location} />
        <Exports location={location} />
        <EventWebhook location={location} manage={false} />
      </div>
    </>
  );
}

function PresentNow({ location }: { location: LocationView }) {
  const api = useApi();
  const now = useNow();
  const zone = location.time_zone;
  const presence = useQuery({
    queryKey: queryKeys.presence(location.id),
    queryFn: () => api.presence.now(location.id),
    // The inactivity window and midnight check people out without any door event to announce it.
    refetchInterval: 60_000,
  });
  if (presence.isPending) return <Loading what="who’s in" />;
  if (presence.error) return <Notice tone="danger">{describeError(presence.error)}</Notice>;
  const { present, checkout } = presence.data;
  const count = present.length;
  return (
    <Card title={`In now: ${count} ${count === 1 ? 'person' : 'people'}`} labelId="whos-in">
      <div className="stack">
        {count === 0 ? (
          <NobodyIn location={location} presence={presence.data} />
        ) : (
          <ul className="plain-list" aria-label="People in now">
            {present.map((p) => (
              <li key={p.person_id}>
                <Link to={`/desk/people/${p.person_id}`}>{p.name}</Link>{' '}
                <span className="muted">
                  · since {formatMoment(p.since, zone, now)} · last seen at {p.last_door},{' '}
                  {formatMoment(p.last_seen, zone, now)}
                </span>
              </li>
            ))}
          </ul>
        )}
        <p className="muted">{checkout}</p>
      </div>
    </Card>
  );
}

/** Why no one is listed: nothing hears the doors, or no one came today, or everyone has left. */
function NobodyIn({ location, presence }: { location: LocationView; presence: PresenceView }) {
  const account = useAccount();
  const webhook = useKisiWebhook(location.id);
  const log = useDoorLog(location.id, null);
  if (webhook.isPending) return null;
  if (webhook.data === null) {
    return (
      <Notice tone="info" title="Set up Kisi’s event webhook">
        <p>
          Doorlink learns who comes in from Kisi’s event webhook, and none is set up at {location.name} yet.{' '}
          {hasRole(account.role, 'admin') ? (
            <Link to="/admin/kisi">Set it up in Admin › Kisi connection.</Link>
          ) : (
            'An admin sets it up in Admin › Kisi connection.'
          )}
        </p>
      </Notice>
    );
  }
  const today = (event: DoorEventView) =>
    calendarDaysBetween(new Date(presence.as_of), new Date(event.occurred_at), location.time_zone) === 0;
  const cameToday = (log.data?.events ?? []).some((event) => event.opened && today(event));
  return (
    <p className="muted">
      {cameToday
        ? 'No one is in now: everyone who opened a door today has been checked out.'
        : 'No one has opened a door today.'}
    </p>
  );
}
