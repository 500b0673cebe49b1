/**
 * How a location checks people in and out (issue 15): the doors of its Kisi directory as
 * entrances, exits or neither, and the inactivity window after which someone counts as gone.
 * The hub's field problems show at their field.
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { useAction, useKisiDirectory } from '../../api/hooks';
import { queryKeys } from '../../api/queries';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { SelectField, TextField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { useForm } from '../../components/useForm';
import type { KisiLockView } from '../../gen/KisiLockView';
import type { LocationView } from '../../gen/LocationView';
import type { PresenceSettingsRequest } from '../../gen/PresenceSettingsRequest';
import type { PresenceSettingsView } from '../../gen/PresenceSettingsView';

type DoorRole = 'entrance' | 'exit' | 'neither';

export interface PresenceValues {
  /** As typed: empty for no window. */
  inactivity_minutes: string;
  entrance_lock_ids: number[];
  exit_lock_ids: number[];
}

export function validatePresence(v: PresenceValues) {
  const minutes = v.inactivity_minutes.trim();
  return {
    inactivity_minutes:
      minutes && !/^[1-9]\d*$/.test(minutes)
        ? 'Enter a whole number of minutes (such as 240), or leave it empty for no window.'
        : undefined,
  };
}

/** The body of the PUT: the doors in the directory's order, each in one list at most. */
export function presenceRequest(v: PresenceValues, locks: KisiLockView[]): PresenceSettingsRequest {
  const minutes = v.inactivity_minutes.trim();
  const inOrder = (ids: number[]) => locks.map((l) => l.id).filter((id) => ids.includes(id));
  return {
    inactivity_minutes: minutes ? Number(minutes) : null,
    entrance_lock_ids: inOrder(v.entrance_lock_ids),
    exit_lock_ids: inOrder(v.exit_lock_ids),
  };
}

export function PresenceSettings({ location }: { location: LocationView }) {
  const api = useApi();
  const settings = useQuery({
    queryKey: queryKeys.presenceSettings(location.id),
    queryFn: () => api.presence.settings(location.id),
  });
  const directory = useKisiDirectory(location.id);
  return (
    <Card title="Who’s in: check-in and check-out" labelId="presence-settings">
      {(settings.isPending || directory.isPending) && <Loading what="how people are checked in" />}
      {settings.error && <Notice tone="danger">{describeError(settings.error)}</Notice>}
      {directory.error && <Notice tone="danger">{describeError(directory.error)}</Notice>}
      {settings.data && directory.data && (
        // Saved elsewhere (another admin, another tab): the form starts again from what is saved now.
        <PresenceForm
          key={JSON.stringify(settings.data)}
          location={location}
          saved={settings.data}
          locks={directory.data.locks}
        />
      )}
    </Card>
  );
}

function PresenceForm({
  location,
  saved,
  locks,
}: {
  location: LocationView;
  saved: PresenceSettingsView;
  locks: KisiLockView[];
}) {
  const api = useApi();
  const form = useForm<PresenceValues>(
    {
      inactivity_minutes: saved.inactivity_minutes === null ? '' : String(saved.inactivity_minutes),
      entrance_lock_ids: saved.entrance_lock_ids,
      exit_lock_ids: saved.exit_lock_ids,
    },
    validatePresence,
  );
  const [failure, setFailure] = useState<string>();
  const save = useAction((request: PresenceSettingsRequest) => api.presence.saveSettings(location.id, request), {
    done: 'Check-in and check-out saved',
    invalidates: ['presence'],
    quiet: true,
  });
  const roleOf = (id: number): DoorRole =>
    form.values.entrance_lock_ids.includes(id)
      ? 'entrance'
      : form.values.exit_lock_ids.includes(id)
        ? 'exit'
        : 'neither';
  const setRole = (id: number, role: DoorRole) => {
    const without = (ids: number[]) => ids.filter((other) => other !== id);
    form.set(
      'entrance_lock_ids',
      role === 'entrance' ? [...without(form.values.entrance_lock_ids), id] : without(form.values.entrance_lock_ids),
    );
    form.set(
      'exit_lock_ids',
      role === 'exit' ? [...without(form.values.exit_lock_ids), id] : without(form.values.exit_lock_ids),
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setFailure(undefined);
    save.mutate(presenceRequest(form.values, locks), {
      onError: (error) => setFailure(form.takeServerError(error) ?? 'Check the fields marked below.'),
    });
  };
  const known = new Set(locks.map((l) => l.id));
  const gone = [...saved.entrance_lock_ids, ...saved.exit_lock_ids].filter((id) => !known.has(id)).length;
  const doorsProblem = [form.problem('entrance_lock_ids'), form.problem('exit_lock_ids')].filter(Boolean).join(' ');
  return (
    <form className="form" onSubmit={submit} noValidate>
      {failure && (
        <Notice tone="danger" title="Not saved.">
          <p>{failure}</p>
        </Notice>
      )}
      <TextField
        label="Inactivity window (minutes)"
        inputMode="numeric"
        value={form.values.inactivity_minutes}
        onChange={(e) => form.set('inactivity_minutes', e.target.value)}
        problem={form.problem('inactivity_minutes')}
        hint="After this long without an unlock someone counts as gone. Empty: only an exit door or midnight checks them out."
      />
      <fieldset className="field" aria-describedby="presence-doors-hint">
        <legend>Doors</legend>
        <span className="hint" id="presence-doors-hint">
          An unlock at an entrance checks someone in, at an exit checks them out. With no entrance chosen, every door
          checks in.
        </span>
        {locks.length === 0 ? (
          <p className="muted">Doorlink has read no doors from Kisi for {location.name} yet.</p>
        ) : (
          <div className="form-row">
            {locks.map((lock) => (
              <SelectField
                key={lock.id}
                label={lock.name}
                value={roleOf(lock.id)}
                onChange={(e) => setRole(lock.id, e.target.value as DoorRole)}
                options={[
                  { value: 'entrance', label: 'Entrance' },
                  { value: 'exit', label: 'Exit' },
                  { value: 'neither', label: 'Neither' },
                ]}
              />
            ))}
          </div>
        )}
        {gone > 0 && (
          <span className="hint">
            {gone === 1 ? 'A door chosen before is' : `${gone} doors chosen before are`} no longer in Kisi; saving
            leaves {gone === 1 ? 'it' : 'them'} out.
          </span>
        )}
        {doorsProblem && (
          <span className="problem" role="alert">
            {doorsProblem}
          </span>
        )}
      </fieldset>
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save check-in and check-out
        </Button>
      </div>
    </form>
  );
}
