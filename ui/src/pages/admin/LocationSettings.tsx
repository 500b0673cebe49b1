/** A location's time zone, booking grace (R6) and Access-page visibility (A3); a new location. */
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { useAction } from '../../api/hooks';
import { useCurrentLocation } from '../../app/location';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { SelectField, TextField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useForm } from '../../components/useForm';
import type { LocationView } from '../../gen/LocationView';
import type { Visibility } from '../../gen/Visibility';

interface LocationValues {
  name: string;
  time_zone: string;
  booking_grace_minutes: string;
  access_page_visibility: Visibility;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

export function validateLocation(v: LocationValues) {
  const grace = Number(v.booking_grace_minutes);
  return {
    name: v.name.trim() ? undefined : 'Enter the location name.',
    time_zone: isTimeZone(v.time_zone.trim()) ? undefined : 'Enter an IANA time zone such as Europe/Berlin.',
    booking_grace_minutes:
      Number.isInteger(grace) && grace >= 0 && grace <= 240
        ? undefined
        : 'Enter whole minutes from 0 to 240 (30 is usual).',
  };
}

const VISIBILITY = [
  { value: 'members_only', label: 'Members only' },
  { value: 'public', label: 'Public (invitees and people with a booking may unlock too)' },
];

const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

function LocationFields({ form }: { form: ReturnType<typeof useForm<LocationValues>> }) {
  return (
    <>
      <TextField
        label="Name"
        value={form.values.name}
        onChange={(e) => form.set('name', e.target.value)}
        problem={form.problem('name')}
      />
      <div className="form-row">
        <TextField
          label="Time zone"
          list="time-zones"
          value={form.values.time_zone}
          onChange={(e) => form.set('time_zone', e.target.value)}
          problem={form.problem('time_zone')}
          hint="All access times are computed and shown in it."
        />
        <datalist id="time-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <TextField
          label="Booking grace (minutes)"
          type="number"
          min={0}
          max={240}
          value={form.values.booking_grace_minutes}
          onChange={(e) => form.set('booking_grace_minutes', e.target.value)}
          problem={form.problem('booking_grace_minutes')}
          hint="Access opens this long before a booking and closes this long after."
        />
        <SelectField
          label="Access page visibility"
          value={form.values.access_page_visibility}
          onChange={(e) => form.set('access_page_visibility', e.target.value as Visibility)}
          options={VISIBILITY}
        />
      </div>
    </>
  );
}

export function LocationSettings({ location }: { location: LocationView }) {
  const api = useApi();
  const form = useForm<LocationValues>(
    {
      name: location.name,
      time_zone: location.time_zone,
      booking_grace_minutes: String(location.booking_grace_minutes),
      access_page_visibility: location.access_page_visibility,
    },
    validateLocation,
  );
  const [failure, setFailure] = useState<string>();
  const save = useAction(
    (v: LocationValues) =>
      api.locations.update(location.id, {
        name: v.name.trim(),
        time_zone: v.time_zone.trim(),
        booking_grace_minutes: Number(v.booking_grace_minutes),
        access_page_visibility: v.access_page_visibility,
      }),
    { done: 'Location saved', invalidates: ['locations', 'access'], quiet: true },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setFailure(undefined);
    save.mutate(form.values, { onError: (error) => setFailure(form.takeServerError(error)) });
  };
  return (
    <div className="stack">
      <Card title="Location" labelId="location-settings">
        <form className="form" onSubmit={submit} noValidate>
          {failure && <Notice tone="danger">{failure}</Notice>}
          <LocationFields form={form} />
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save location
          </Button>
        </form>
      </Card>
      <NewLocation />
    </div>
  );
}

export function NewLocation() {
  const api = useApi();
  const { select } = useCurrentLocation();
  const form = useForm<LocationValues>(
    {
      name: '',
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      booking_grace_minutes: '30',
      access_page_visibility: 'members_only',
    },
    validateLocation,
  );
  const [failure, setFailure] = useState<string>();
  const create = useAction(api.locations.create, {
    done: (l) => `${l.name} created`,
    invalidates: ['locations'],
    quiet: true,
    onDone: (l) => {
      select(l.id);
      form.reset();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setFailure(undefined);
    create.mutate(
      {
        name: form.values.name.trim(),
        time_zone: form.values.time_zone.trim(),
        booking_grace_minutes: Number(form.values.booking_grace_minutes),
        access_page_visibility: form.values.access_page_visibility,
      },
      { onError: (error) => setFailure(form.takeServerError(error)) },
    );
  };
  return (
    <Card title="New location" labelId="new-location">
      <form className="form" onSubmit={submit} noValidate>
        {failure && <Notice tone="danger">{failure}</Notice>}
        <LocationFields form={form} />
        <Button type="submit" busy={create.isPending}>
          Create location
        </Button>
      </form>
    </Card>
  );
}
