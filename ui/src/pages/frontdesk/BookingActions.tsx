/** Move, change invitees of, or cancel one booking (R7, R8). */
import { useState } from 'react';
import { useApi } from '../../api/context';
import { useAction, useResources } from '../../api/hooks';
import { Button } from '../../components/Button';
import { Dialog, DialogActions } from '../../components/Dialog';
import { DateTimeField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { PersonFinder } from './PersonFinder';
import { useForm } from '../../components/useForm';
import type { BookingView } from '../../gen/BookingView';
import type { MoveBookingRequest } from '../../gen/MoveBookingRequest';
import type { PersonView } from '../../gen/PersonView';
import { formatWindow } from '../../time/format';
import { instantOfWallClock, parseWallClock, toDateTimeInput } from '../../time/zoned';
import { validateBooking } from './BookingForm';
import { PersonName } from './PersonName';

const invalidates = ['bookings', 'access'];

export function BookingActions({ booking, zone }: { booking: BookingView; zone: string }) {
  const [open, setOpen] = useState<'move' | 'invitees' | 'cancel'>();
  const resources = useResources(booking.location_id);
  if (booking.cancelled_at) return null;
  const close = () => setOpen(undefined);
  // The booking as people name it: the room and its local time, never its id (issue 17 point 5).
  const resource = resources.data?.find((r) => r.id === booking.resource_id)?.name ?? 'a resource';
  const what = `${resource}, ${formatWindow(booking.start, booking.end, zone)}`;
  return (
    <div className="row">
      <Button size="small" onClick={() => setOpen('move')}>
        Move…
      </Button>
      <Button size="small" onClick={() => setOpen('invitees')}>
        Invitees…
      </Button>
      <Button size="small" variant="danger" onClick={() => setOpen('cancel')}>
        Cancel…
      </Button>
      <Dialog open={open === 'move'} title={`Move the booking of ${what}`} onClose={close}>
        <MoveForm booking={booking} zone={zone} onDone={close} />
      </Dialog>
      <Dialog open={open === 'invitees'} title={`Invitees of ${what}`} onClose={close}>
        <InviteesForm booking={booking} onDone={close} />
      </Dialog>
      <Dialog open={open === 'cancel'} title={`Cancel the booking of ${what}`} onClose={close}>
        <CancelConfirm booking={booking} onDone={close} />
      </Dialog>
    </div>
  );
}

function MoveForm({ booking, zone, onDone }: { booking: BookingView; zone: string; onDone: () => void }) {
  const api = useApi();
  const form = useForm(
    {
      resource_id: String(booking.resource_id),
      start: toDateTimeInput(new Date(booking.start), zone),
      end: toDateTimeInput(new Date(booking.end), zone),
    },
    validateBooking,
  );
  const [failure, setFailure] = useState<string>();
  const move = useAction((request: MoveBookingRequest) => api.bookings.move(booking.id, request), {
    done: 'Booking moved; its door access moved with it',
    invalidates,
    onDone,
    quiet: true,
  });
  const save = () => {
    const start = parseWallClock(form.values.start);
    const end = parseWallClock(form.values.end);
    if (!form.touchAll() || !start || !end) return;
    move.mutate(
      { start: instantOfWallClock(start, zone).toISOString(), end: instantOfWallClock(end, zone).toISOString() },
      { onError: (error) => setFailure(form.takeServerError(error)) },
    );
  };
  return (
    <div className="form">
      {failure && <Notice tone="danger">{failure}</Notice>}
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
      <DialogActions>
        <Button onClick={onDone}>Close</Button>
        <Button variant="primary" onClick={save} busy={move.isPending}>
          Move booking
        </Button>
      </DialogActions>
    </div>
  );
}

function InviteesForm({ booking, onDone }: { booking: BookingView; onDone: () => void }) {
  const api = useApi();
  const [invitees, setInvitees] = useState<PersonView[]>([]);
  const [kept, setKept] = useState<number[]>(booking.invitee_ids);
  const save = useAction(
    () => api.bookings.setInvitees(booking.id, { invitee_ids: [...kept, ...invitees.map((p) => p.id)] }),
    {
      done: 'Invitees saved',
      invalidates,
      onDone,
    },
  );
  return (
    <div className="form">
      {kept.length > 0 && (
        <ul className="list" aria-label="Current invitees">
          {kept.map((id) => (
            <li key={id} className="row">
              <PersonName id={id} />
              <Button size="small" onClick={() => setKept((all) => all.filter((x) => x !== id))}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <PersonFinder
        label="Add invitees"
        multiple
        picked={invitees}
        onPick={(p) => setInvitees((all) => [...all, p])}
        onRemove={(p) => setInvitees((all) => all.filter((x) => x.id !== p.id))}
      />
      <DialogActions>
        <Button onClick={onDone}>Close</Button>
        <Button variant="primary" onClick={() => save.mutate(undefined)} busy={save.isPending}>
          Save invitees
        </Button>
      </DialogActions>
    </div>
  );
}

function CancelConfirm({ booking, onDone }: { booking: BookingView; onDone: () => void }) {
  const api = useApi();
  const cancel = useAction(() => api.bookings.cancel(booking.id), {
    done: 'Booking cancelled; its door access is revoked',
    invalidates,
    onDone,
  });
  return (
    <>
      <p>Cancelling revokes the door access this booking gave its booker and invitees.</p>
      <DialogActions>
        <Button onClick={onDone}>Keep it</Button>
        <Button variant="danger" onClick={() => cancel.mutate(undefined)} busy={cancel.isPending}>
          Cancel booking
        </Button>
      </DialogActions>
    </>
  );
}
