/**
 * Books a resource for a person with invitees (R6, R7). Times are typed in the location's zone and
 * sent as instants; the form shows the access window the booking will give.
 */
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { useAction, useResources } from '../../api/hooks';
import { Button } from '../../components/Button';
import { DateTimeField, SelectField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { PersonFinder } from './PersonFinder';
import { useForm } from '../../components/useForm';
import type { LocationView } from '../../gen/LocationView';
import type { PersonView } from '../../gen/PersonView';
import { formatWindow } from '../../time/format';
import { instantOfWallClock, parseWallClock } from '../../time/zoned';

interface BookingValues {
  resource_id: string;
  start: string;
  end: string;
}

export function validateBooking(v: BookingValues) {
  const start = parseWallClock(v.start);
  const end = parseWallClock(v.end);
  return {
    resource_id: v.resource_id ? undefined : 'Pick what to book.',
    start: start ? undefined : 'Enter the start date and time.',
    end: !end
      ? 'Enter the end date and time.'
      : start && v.end <= v.start
        ? 'The end must be after the start.'
        : undefined,
  };
}

export function BookingForm({
  location,
  booker: fixedBooker,
  resourceId,
  defaultStart,
  defaultEnd,
  onDone,
}: {
  location: LocationView;
  booker?: PersonView;
  resourceId?: number;
  defaultStart: string;
  defaultEnd: string;
  onDone: () => void;
}) {
  const api = useApi();
  const resources = useResources(location.id);
  const form = useForm<BookingValues>(
    { resource_id: resourceId ? String(resourceId) : '', start: defaultStart, end: defaultEnd },
    validateBooking,
  );
  const [booker, setBooker] = useState<PersonView[]>(fixedBooker ? [fixedBooker] : []);
  const [invitees, setInvitees] = useState<PersonView[]>([]);
  const [bookerProblem, setBookerProblem] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const create = useAction(api.bookings.create, {
    done: 'Booking created',
    invalidates: ['bookings', 'access', 'desk'],
    onDone,
    quiet: true,
  });

  const zone = location.time_zone;
  const start = parseWallClock(form.values.start);
  const end = parseWallClock(form.values.end);
  const grace = location.booking_grace_minutes * 60_000;
  const preview =
    start && end && form.valid
      ? formatWindow(
          new Date(instantOfWallClock(start, zone).getTime() - grace),
          new Date(instantOfWallClock(end, zone).getTime() + grace),
          zone,
        )
      : undefined;
  const resource = resources.data?.find((r) => String(r.id) === form.values.resource_id);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const valid = form.touchAll();
    const who = booker[0];
    setBookerProblem(who ? undefined : 'Pick who books.');
    if (!valid || !who || !start || !end) return;
    setFailure(undefined);
    create.mutate(
      {
        resource_id: Number(form.values.resource_id),
        booker_id: who.id,
        invitee_ids: invitees.map((p) => p.id),
        start: instantOfWallClock(start, zone).toISOString(),
        end: instantOfWallClock(end, zone).toISOString(),
      },
      {
        onError: (error) => {
          const rest = form.takeServerError(error);
          setFailure(rest);
        },
      },
    );
  };

  return (
    <form className="card form" onSubmit={submit} noValidate aria-label="New booking">
      {failure && <Notice tone="danger">{failure}</Notice>}
      <div className="form-row">
        <SelectField
          label="Resource"
          value={form.values.resource_id}
          onChange={(e) => form.set('resource_id', e.target.value)}
          problem={form.problem('resource_id')}
          options={[
            { value: '', label: 'Pick…' },
            ...(resources.data ?? []).map((r) => ({ value: String(r.id), label: `${r.name} (${r.kind})` })),
          ]}
        />
        <DateTimeField
          label={`Start (${zone})`}
          value={form.values.start}
          onChange={(value) => form.set('start', value)}
          problem={form.problem('start')}
        />
        <DateTimeField
          label={`End (${zone})`}
          value={form.values.end}
          onChange={(value) => form.set('end', value)}
          problem={form.problem('end')}
        />
      </div>
      {!fixedBooker && (
        <PersonFinder
          label="Booker"
          picked={booker}
          onPick={(p) => {
            setBooker([p]);
            setBookerProblem(undefined);
          }}
          onRemove={() => setBooker([])}
          problem={bookerProblem}
        />
      )}
      <PersonFinder
        label="Invitees"
        multiple
        picked={invitees}
        onPick={(p) => setInvitees((all) => [...all, p])}
        onRemove={(p) => setInvitees((all) => all.filter((x) => x.id !== p.id))}
      />
      {resource && resource.kind !== 'room' && invitees.length > 0 && (
        <Notice tone="warning">
          Only invitees of room bookings get door access (R7); {resource.name} is a {resource.kind}.
        </Notice>
      )}
      {preview && (
        <p className="muted" role="status">
          Door access: {preview} ({location.booking_grace_minutes} minutes before and after).
        </p>
      )}
      <Button type="submit" variant="primary" busy={create.isPending}>
        Book
      </Button>
    </form>
  );
}
