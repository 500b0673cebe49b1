/**
 * The door log (issue 15): the latest events at the location's doors, newest first: which door,
 * who, opened or refused with Kisi's own reason, when (in the location's zone), and how Doorlink
 * learnt of it. "Older" pages back; the newest page follows the doors live.
 */
import { useQuery } from '@tanstack/react-query';
import { CursorPager, useCursorPages } from '../../../components/CursorPager';
import { Link } from 'react-router';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { queryKeys } from '../../../api/queries';
import { Card } from '../../../components/Card';
import { Badge, Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { Table } from '../../../components/Table';
import type { DoorEventView } from '../../../gen/DoorEventView';
import type { DoorEventsQuery } from '../../../gen/DoorEventsQuery';
import type { LocationView } from '../../../gen/LocationView';
import { useNow } from '../../../hooks/useNow';
import { formatMoment } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';

const PAGE = 25;

/** "Opened", or "Refused: <Kisi's words>" (its code when it gave no words). */
export function outcomeWords(event: DoorEventView): string {
  if (event.opened) return 'Opened';
  const reason = event.error_message?.trim() || event.error_code;
  return reason ? `Refused: ${reason}` : 'Refused (Kisi gave no reason)';
}

export function sourceWords(source: string): string {
  return source === 'backfill' ? 'found later in Kisi’s log' : 'via webhook';
}

/** The newest page of the door log at the location (Who's in reads it too, for its empty state). */
export function useDoorLog(locationId: number, before: number | null) {
  const api = useApi();
  const query: DoorEventsQuery = { person_id: null, from: null, to: null, before, limit: PAGE };
  return useQuery({
    queryKey: queryKeys.doorEvents(locationId, query),
    queryFn: () => api.doorEvents.list(locationId, query),
    placeholderData: (previous) => previous,
  });
}

export function DoorLog({ location }: { location: LocationView }) {
  const zone = location.time_zone;
  const now = useNow();
  const pages = useCursorPages();
  const log = useDoorLog(location.id, pages.before);
  return (
    <Card title="Door log" labelId="door-log">
      <div className="stack">
        {log.isPending && <Loading what="the door log" />}
        {log.error && <Notice tone="danger">{describeError(log.error)}</Notice>}
        {log.data && (
          <>
            <Table<DoorEventView>
              caption={`Events at the doors, newest first (${zoneName(zone)})`}
              rows={log.data.events}
              rowKey={(e) => e.id}
              empty="Kisi has reported nothing at these doors yet."
              columns={[
                { header: 'When', cell: (e) => formatMoment(e.occurred_at, zone, now) },
                { header: 'Door', cell: (e) => e.lock_name },
                {
                  header: 'Who',
                  cell: (e) =>
                    e.person_id !== null ? (
                      <Link to={`/desk/people/${e.person_id}`}>{e.person_name ?? e.actor_name}</Link>
                    ) : (
                      e.actor_name || <span className="muted">unknown</span>
                    ),
                },
                {
                  header: 'What',
                  cell: (e) => <Badge tone={e.opened ? 'success' : 'warning'}>{outcomeWords(e)}</Badge>,
                },
                {
                  header: 'How Doorlink knows',
                  cell: (e) => <span className="muted">{sourceWords(e.source)}</span>,
                },
              ]}
            />
            <CursorPager pages={pages} next={log.data.next_before} />
          </>
        )}
      </div>
    </Card>
  );
}
