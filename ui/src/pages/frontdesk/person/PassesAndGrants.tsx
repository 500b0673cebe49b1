/** Day passes (R9), visits (R10) and manual grants (M6, R11) of one person. */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useAction, useKisiDirectory, useProducts, useVisitorPolicies } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation } from '../../../app/location';
import { Button } from '../../../components/Button';
import { Card } from '../../../components/Card';
import { DoorAccessPicker } from '../../../components/DoorAccessPicker';
import { DoorAccessName } from '../../../components/DoorAccessName';
import { CheckboxField, DateTimeField, SelectField, TextField } from '../../../components/Field';
import { Notice } from '../../../components/Notice';
import { Table } from '../../../components/Table';
import { useForm } from '../../../components/useForm';
import type { DoorAccess } from '../../../gen/DoorAccess';
import type { LocationView } from '../../../gen/LocationView';
import type { PersonView } from '../../../gen/PersonView';
import { formatWindow } from '../../../time/format';
import { instantOfWallClock, nextSlot, parseWallClock, toDateInput, toDateTimeInput } from '../../../time/zoned';
import { useNow } from '../../../hooks/useNow';

const invalidates = ['passes', 'access'];

export function PassesAndGrants({ person }: { person: PersonView }) {
  const { location } = useCurrentLocation();
  if (!location) return <Notice tone="info">Create a location first.</Notice>;
  return (
    <div className="stack">
      <ManualGrants person={person} location={location} />
      <DayPasses person={person} location={location} />
      <Visits person={person} location={location} />
    </div>
  );
}

function ManualGrants({ person, location }: { person: PersonView; location: LocationView }) {
  const api = useApi();
  const zone = location.time_zone;
  const directory = useKisiDirectory(location.id);
  const grants = useQuery({
    queryKey: queryKeys.passes('manual-grants', person.id),
    queryFn: () => api.passes.manualGrants(person.id),
  });
  const [access, setAccess] = useState<DoorAccess>({ groups: [], locks: [] });
  const form = useForm({ starts: toDateTimeInput(new Date(), zone), ends: '', indefinite: true }, (v) => ({
    starts: parseWallClock(v.starts) ? undefined : 'Enter when access starts.',
    ends: v.indefinite
      ? undefined
      : !parseWallClock(v.ends)
        ? 'Enter when access ends, or tick "Indefinite".'
        : v.ends <= v.starts
          ? 'The end must be after the start.'
          : undefined,
  }));
  const [failure, setFailure] = useState<string>();
  const create = useAction(api.passes.createManualGrant, {
    done: 'Manual grant added',
    invalidates,
    quiet: true,
    onDone: () => setAccess({ groups: [], locks: [] }),
  });
  const end = useAction((id: number) => api.passes.endManualGrant(id), { done: 'Manual grant ended', invalidates });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const starts = parseWallClock(form.values.starts);
    const ends = parseWallClock(form.values.ends);
    if (!form.touchAll() || !starts) return;
    if (access.groups.length === 0 && access.locks.length === 0) {
      setFailure('Pick at least one group or door.');
      return;
    }
    setFailure(undefined);
    create.mutate(
      {
        location_id: location.id,
        person_id: person.id,
        door_access: access,
        starts_at: instantOfWallClock(starts, zone).toISOString(),
        ends_at: form.values.indefinite || !ends ? null : instantOfWallClock(ends, zone).toISOString(),
      },
      { onError: (error) => setFailure(form.takeServerError(error)) },
    );
  };
  const now = new Date();
  return (
    <Card title="Manual grants" labelId="manual-grants">
      <div className="stack">
        {grants.error && <Notice tone="danger">{describeError(grants.error)}</Notice>}
        <Table
          caption="Door access given by hand"
          rows={grants.data ?? []}
          rowKey={(g) => g.id}
          empty="No manual grants."
          columns={[
            { header: 'Doors', cell: (g) => <DoorAccessName access={g.door_access} locationId={g.location_id} /> },
            { header: 'Window', cell: (g) => formatWindow(g.starts_at, g.ends_at, zone) },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (g) =>
                !g.ends_at || new Date(g.ends_at) > now ? (
                  <Button size="small" onClick={() => end.mutate(g.id)} busy={end.isPending && end.variables === g.id}>
                    End now
                  </Button>
                ) : null,
            },
          ]}
        />
        <form className="form" onSubmit={submit} noValidate aria-label="New manual grant">
          {failure && <Notice tone="danger">{failure}</Notice>}
          {directory.data && (
            <DoorAccessPicker directory={directory.data} value={access} onChange={setAccess} legend="Doors" />
          )}
          <div className="form-row">
            <DateTimeField
              label={`Starts (${zone})`}
              value={form.values.starts}
              onChange={(value) => form.set('starts', value)}
              problem={form.problem('starts')}
            />
            {!form.values.indefinite && (
              <DateTimeField
                label={`Ends (${zone})`}
                value={form.values.ends}
                onChange={(value) => form.set('ends', value)}
                problem={form.problem('ends')}
              />
            )}
          </div>
          <CheckboxField
            label="Indefinite (no end)"
            checked={form.values.indefinite}
            onChange={(e) => form.set('indefinite', e.target.checked)}
          />
          <Button type="submit" variant="primary" busy={create.isPending}>
            Give access
          </Button>
        </form>
      </div>
    </Card>
  );
}

function DayPasses({ person, location }: { person: PersonView; location: LocationView }) {
  const api = useApi();
  const zone = location.time_zone;
  const products = useProducts(location.id);
  const passes = useQuery({
    queryKey: queryKeys.passes('day-passes', person.id),
    queryFn: () => api.passes.dayPasses(person.id),
  });
  const dayPassProducts = (products.data ?? []).filter((p) => p.kind === 'day_pass');
  const [productId, setProductId] = useState('');
  const [date, setDate] = useState(() => toDateInput(new Date(), zone));
  const create = useAction(api.passes.createDayPass, { done: 'Day pass added', invalidates });
  const chosen = productId || String(dayPassProducts[0]?.id ?? '');
  return (
    <Card title="Day passes" labelId="day-passes">
      <div className="stack">
        {passes.error && <Notice tone="danger">{describeError(passes.error)}</Notice>}
        <Table
          caption="Day passes (00:00 to 24:00 that day)"
          rows={passes.data ?? []}
          rowKey={(p) => p.id}
          empty="No day passes."
          columns={[
            { header: 'Date', cell: (p) => p.date },
            {
              header: 'Product',
              cell: (p) => products.data?.find((x) => x.id === p.product_id)?.name ?? `product ${p.product_id}`,
            },
            { header: 'Status', cell: (p) => (p.cancelled_at ? 'Cancelled' : 'Valid') },
          ]}
        />
        {dayPassProducts.length === 0 ? (
          <p className="muted">No day-pass product at this location yet (Admin › Door access).</p>
        ) : (
          <div className="form-row">
            <SelectField
              label="Day pass"
              value={chosen}
              onChange={(e) => setProductId(e.target.value)}
              options={dayPassProducts.map((p) => ({ value: String(p.id), label: p.name }))}
            />
            <TextField label="Date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
            <Button
              onClick={() => create.mutate({ person_id: person.id, product_id: Number(chosen), date })}
              busy={create.isPending}
              disabled={!date}
            >
              Add day pass
            </Button>
          </div>
        )}
      </div>
    </Card>
  );
}

function Visits({ person, location }: { person: PersonView; location: LocationView }) {
  const api = useApi();
  const zone = location.time_zone;
  const policies = useVisitorPolicies(location.id);
  const visits = useQuery({
    queryKey: queryKeys.passes('visits', person.id),
    queryFn: () => api.passes.visits(person.id),
  });
  const [policyId, setPolicyId] = useState('');
  const now = useNow();
  const [arrival, setArrival] = useState(() => nextSlot(now, zone, 2).start);
  const [departure, setDeparture] = useState(() => nextSlot(now, zone, 2).end);
  const create = useAction(api.passes.createVisit, {
    done: 'Visit registered; the visitor gets a Kisi access link',
    invalidates,
  });
  const cancel = useAction((id: number) => api.passes.cancelVisit(id), { done: 'Visit cancelled', invalidates });
  const chosen = policyId || String(policies.data?.[0]?.id ?? '');
  const from = parseWallClock(arrival);
  const to = parseWallClock(departure);
  const problem =
    !from || !to
      ? 'Enter arrival and departure.'
      : departure <= arrival
        ? 'Departure must be after arrival.'
        : undefined;
  return (
    <Card title="Visits" labelId="visits">
      <div className="stack">
        {visits.error && <Notice tone="danger">{describeError(visits.error)}</Notice>}
        <Table
          caption="Visits (access by Kisi link)"
          rows={visits.data ?? []}
          rowKey={(v) => v.id}
          empty="No visits."
          columns={[
            { header: 'Expected', cell: (v) => formatWindow(v.expected_arrival, v.expected_departure, zone) },
            { header: 'Host', cell: (v) => v.host?.name ?? '—' },
            {
              header: 'Policy',
              cell: (v) => policies.data?.find((p) => p.id === v.policy_id)?.name ?? `policy ${v.policy_id}`,
            },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (v) =>
                v.cancelled_at ? (
                  'Cancelled'
                ) : (
                  <Button size="small" onClick={() => cancel.mutate(v.id)}>
                    Cancel
                  </Button>
                ),
            },
          ]}
        />
        {(policies.data ?? []).length === 0 ? (
          <p className="muted">No visitor policy at this location yet.</p>
        ) : (
          <div className="form-row">
            <SelectField
              label="Visitor policy"
              value={chosen}
              onChange={(e) => setPolicyId(e.target.value)}
              options={(policies.data ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
            />
            <DateTimeField label={`Arrival (${zone})`} value={arrival} onChange={setArrival} />
            <DateTimeField label={`Departure (${zone})`} value={departure} onChange={setDeparture} problem={problem} />
            <Button
              disabled={Boolean(problem)}
              busy={create.isPending}
              onClick={() =>
                from &&
                to &&
                create.mutate({
                  visitor_id: person.id,
                  policy_id: Number(chosen),
                  expected_arrival: instantOfWallClock(from, zone).toISOString(),
                  expected_departure: instantOfWallClock(to, zone).toISOString(),
                })
              }
            >
              Register visit
            </Button>
          </div>
        )}
      </div>
    </Card>
  );
}
