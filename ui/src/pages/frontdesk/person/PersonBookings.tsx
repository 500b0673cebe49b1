/** The person's bookings (as booker or invitee) and a new booking for them. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useResources } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation } from '../../../app/location';
import { Button } from '../../../components/Button';
import { Badge, Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { Table } from '../../../components/Table';
import type { BookingQuery } from '../../../gen/BookingQuery';
import type { BookingView } from '../../../gen/BookingView';
import type { PersonView } from '../../../gen/PersonView';
import { formatWindow } from '../../../time/format';
import { nextSlot } from '../../../time/zoned';
import { useNow } from '../../../hooks/useNow';
import { BookingActions } from '../BookingActions';
import { BookingForm } from '../BookingForm';
import { PersonName } from '../PersonName';

export function PersonBookings({ person }: { person: PersonView }) {
  const api = useApi();
  const { location } = useCurrentLocation();
  const resources = useResources(location?.id);
  const [adding, setAdding] = useState(false);
  const now = useNow();
  const query: BookingQuery = {
    resource_id: null,
    person_id: person.id,
    from: null,
    until: null,
    offset: 0,
    limit: 200,
  };
  const bookings = useQuery({ queryKey: queryKeys.bookings(query), queryFn: () => api.bookings.list(query) });
  if (!location) return <Notice tone="info">Create a location first.</Notice>;
  const zone = location.time_zone;
  const slot = nextSlot(now, zone, 1);
  return (
    <div className="stack">
      <div className="row">
        <Button onClick={() => setAdding((a) => !a)}>{adding ? 'Close' : `Book for ${person.name}`}</Button>
      </div>
      {adding && (
        <BookingForm
          location={location}
          booker={person}
          defaultStart={slot.start}
          defaultEnd={slot.end}
          onDone={() => setAdding(false)}
        />
      )}
      {bookings.isPending && <Loading what="bookings" />}
      {bookings.error && <Notice tone="danger">{describeError(bookings.error)}</Notice>}
      {bookings.data && (
        <Table<BookingView>
          caption="Bookings"
          rows={[...bookings.data.items].sort((a, b) => b.start.localeCompare(a.start))}
          rowKey={(b) => b.id}
          empty="No bookings."
          columns={[
            {
              header: 'Resource',
              cell: (b) => resources.data?.find((r) => r.id === b.resource_id)?.name ?? `resource ${b.resource_id}`,
            },
            { header: 'When', cell: (b) => formatWindow(b.start, b.end, zone) },
            {
              header: 'Role',
              cell: (b) =>
                b.booker_id === person.id ? (
                  'Booker'
                ) : (
                  <>
                    Invited by <PersonName id={b.booker_id} />
                  </>
                ),
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
  );
}
