/** Bookings per resource for a day or a week, with invitees; create, move, cancel (R6–R8). */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { useResources } from '../../api/hooks';
import { queryKeys } from '../../api/queries';
import { useCurrentLocation } from '../../app/location';
import { Button } from '../../components/Button';
import { PageHeader } from '../../components/Card';
import { SelectField, TextField } from '../../components/Field';
import { Badge, Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { Table } from '../../components/Table';
import type { BookingQuery } from '../../gen/BookingQuery';
import type { BookingView } from '../../gen/BookingView';
import { formatWindow } from '../../time/format';
import { instantOfWallClock, nextSlot, parseWallClock, toDateInput } from '../../time/zoned';
import { useNow } from '../../hooks/useNow';
import { BookingActions } from './BookingActions';
import { BookingForm } from './BookingForm';
import { PersonName } from './PersonName';

/** The most bookings one page of the hub holds (PageQuery: 1 to 200). */
const SHOWN = 200;

/** The instants that begin `date` and the day `days` later, in `zone`. */
export function dayRange(date: string, days: number, zone: string): [Date, Date] {
  const first = parseWallClock(`${date}T00:00`);
  if (!first) throw new Error(`not a date: ${date}`);
  const next = new Date(Date.UTC(first.year, first.month - 1, first.day + days));
  const after = {
    year: next.getUTCFullYear(),
    month: next.getUTCMonth() + 1,
    day: next.getUTCDate(),
    hour: 0,
    minute: 0,
    second: 0,
  };
  return [instantOfWallClock(first, zone), instantOfWallClock(after, zone)];
}

export function BookingsPage() {
  const api = useApi();
  const { location } = useCurrentLocation();
  const resources = useResources(location?.id);
  const now = useNow();
  const zone = location?.time_zone ?? 'UTC';
  const [resourceId, setResourceId] = useState<number>();
  const [date, setDate] = useState(() => toDateInput(new Date(), zone));
  const [span, setSpan] = useState<'day' | 'week'>('day');
  const [adding, setAdding] = useState(false);
  const chosen = resourceId ?? resources.data?.[0]?.id;
  // The hub keeps the bookings overlapping the shown days, midnight to midnight in the location's zone.
  const [from, until] = dayRange(date, span === 'day' ? 1 : 7, zone);
  const query: BookingQuery = {
    resource_id: chosen ?? null,
    person_id: null,
    from: from.toISOString(),
    until: until.toISOString(),
    offset: 0,
    limit: SHOWN,
  };
  const bookings = useQuery({
    queryKey: queryKeys.bookings(query),
    queryFn: () => api.bookings.list(query),
    enabled: chosen !== undefined,
  });

  if (!location) return <Notice tone="info">Create a location first (Admin).</Notice>;
  const shown = [...(bookings.data?.items ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  const total = bookings.data?.total ?? 0;
  const slot = nextSlot(now, zone, 1);

  return (
    <>
      <PageHeader
        title="Bookings"
        subtitle={`Times in ${zone}`}
        actions={
          <Button variant="primary" onClick={() => setAdding((a) => !a)}>
            {adding ? 'Close' : 'New booking'}
          </Button>
        }
      />
      <div className="stack">
        {adding && (
          <BookingForm
            location={location}
            resourceId={chosen}
            defaultStart={slot.start}
            defaultEnd={slot.end}
            onDone={() => setAdding(false)}
          />
        )}
        <div className="form-row">
          <SelectField
            label="Resource"
            value={chosen ?? ''}
            onChange={(e) => setResourceId(Number(e.target.value))}
            options={(resources.data ?? []).map((r) => ({ value: String(r.id), label: `${r.name} (${r.kind})` }))}
          />
          <TextField
            label="Date"
            type="date"
            value={date}
            onChange={(e) => e.target.value && setDate(e.target.value)}
          />
          <SelectField
            label="Show"
            value={span}
            onChange={(e) => setSpan(e.target.value as 'day' | 'week')}
            options={[
              { value: 'day', label: 'That day' },
              { value: 'week', label: 'Seven days from it' },
            ]}
          />
        </div>
        {bookings.isPending && chosen !== undefined && <Loading what="bookings" />}
        {bookings.error && <Notice tone="danger">{describeError(bookings.error)}</Notice>}
        {total > shown.length && (
          <Notice tone="info">
            Showing {shown.length} of {total} bookings: pick a single day to see the rest.
          </Notice>
        )}
        {bookings.data && (
          <Table<BookingView>
            caption={`${span === 'day' ? 'Bookings that day' : 'Bookings in the seven days'}`}
            rows={shown}
            rowKey={(b) => b.id}
            empty="No bookings in this period."
            columns={[
              { header: 'When', cell: (b) => formatWindow(b.start, b.end, zone) },
              { header: 'Booker', cell: (b) => <PersonName id={b.booker_id} /> },
              {
                header: 'Invitees',
                cell: (b) =>
                  b.invitee_ids.length === 0
                    ? '—'
                    : b.invitee_ids.map((id, i) => (
                        <span key={id}>
                          {i > 0 && ', '}
                          <PersonName id={id} />
                        </span>
                      )),
              },
              {
                header: 'Status',
                cell: (b) =>
                  b.cancelled_at ? <Badge tone="neutral">Cancelled</Badge> : <Badge tone="success">Booked</Badge>,
              },
              { header: 'Actions', cell: (b) => <BookingActions booking={b} zone={zone} /> },
            ]}
          />
        )}
      </div>
    </>
  );
}
