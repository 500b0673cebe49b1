/**
 * An outcome endpoint's form (issue 15), to add one or change it: the address, a description,
 * the event types it receives (each said in a line), one location or all, and whether it is sent
 * anything. The hub's field problems show at their field.
 */
import { useId, useState, type FormEvent } from 'react';
import { useAction } from '../../../api/hooks';
import { useCurrentLocation } from '../../../app/location';
import { Button } from '../../../components/Button';
import { CheckboxField, SelectField, TextField } from '../../../components/Field';
import { Notice } from '../../../components/Notice';
import { useForm } from '../../../components/useForm';
import type { OutcomeEndpointRequest } from '../../../gen/OutcomeEndpointRequest';
import type { OutcomeEndpointView } from '../../../gen/OutcomeEndpointView';
import { OUTCOME_EVENT_TYPES } from './outcomeWords';

export interface EndpointValues {
  url: string;
  description: string;
  events: string[];
  /** A location's id, or empty for every location. */
  location_id: string;
  enabled: boolean;
}

export const NEW_ENDPOINT: EndpointValues = { url: '', description: '', events: [], location_id: '', enabled: true };

export const valuesOf = (endpoint: OutcomeEndpointView): EndpointValues => ({
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.events,
  location_id: endpoint.location_id === null ? '' : String(endpoint.location_id),
  enabled: endpoint.enabled,
});

export function validateEndpoint(v: EndpointValues) {
  const url = v.url.trim();
  return {
    url: !url
      ? 'Enter the address that receives the events.'
      : !/^https?:\/\/\S+$/i.test(url)
        ? 'Enter a web address starting with https:// (or http://).'
        : undefined,
    description: v.description.trim().length > 200 ? 'At most 200 characters.' : undefined,
    events: v.events.length === 0 ? 'Choose at least one event type.' : undefined,
  };
}

/** The body of the POST or PUT: the event types in the form's order. */
export function endpointRequest(v: EndpointValues): OutcomeEndpointRequest {
  return {
    url: v.url.trim(),
    description: v.description.trim(),
    events: OUTCOME_EVENT_TYPES.map((e) => e.type).filter((type) => v.events.includes(type)),
    location_id: v.location_id ? Number(v.location_id) : null,
    enabled: v.enabled,
  };
}

export function OutcomeEndpointForm<Output>({
  name,
  initial,
  submitLabel,
  send,
  done,
  onDone,
  onCancel,
}: {
  /** The form's accessible name ("Add endpoint", "Change https://…"). */
  name: string;
  initial: EndpointValues;
  submitLabel: string;
  send: (request: OutcomeEndpointRequest) => Promise<Output>;
  done: string;
  onDone: (output: Output) => void;
  onCancel: () => void;
}) {
  const { locations } = useCurrentLocation();
  const form = useForm<EndpointValues>(initial, validateEndpoint);
  const [failure, setFailure] = useState<string>();
  const eventsHint = useId();
  const save = useAction(send, { done, invalidates: ['outcomes'], quiet: true, onDone });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setFailure(undefined);
    save.mutate(endpointRequest(form.values), {
      onError: (error) => setFailure(form.takeServerError(error) ?? 'Check the fields marked below.'),
    });
  };
  const toggle = (type: string, on: boolean) =>
    form.set('events', on ? [...form.values.events, type] : form.values.events.filter((t) => t !== type));
  const chosen = form.values.location_id;
  const known = chosen === '' || locations.some((l) => String(l.id) === chosen);
  const eventsProblem = form.problem('events');
  return (
    <form className="form" aria-label={name} onSubmit={submit} noValidate>
      {failure && (
        <Notice tone="danger" title="Not saved.">
          <p>{failure}</p>
        </Notice>
      )}
      <TextField
        label="Address (URL)"
        type="url"
        inputMode="url"
        autoComplete="off"
        className="mono"
        value={form.values.url}
        onChange={(e) => form.set('url', e.target.value)}
        problem={form.problem('url')}
        hint="Doorlink POSTs each event there as JSON."
      />
      <TextField
        label="Description"
        value={form.values.description}
        onChange={(e) => form.set('description', e.target.value)}
        problem={form.problem('description')}
        hint="What receives them, for the next admin (“CRM: access written and revoked”)."
      />
      <fieldset className="field" aria-describedby={eventsHint}>
        <legend>Event types</legend>
        <span className="hint" id={eventsHint}>
          It is sent only the types chosen here.
        </span>
        {OUTCOME_EVENT_TYPES.map(({ type, words }) => (
          <EventTypeChoice
            key={type}
            type={type}
            words={words}
            checked={form.values.events.includes(type)}
            onChange={(on) => toggle(type, on)}
          />
        ))}
        {eventsProblem && (
          <span className="problem" role="alert">
            {eventsProblem}
          </span>
        )}
      </fieldset>
      <div className="form-row">
        <SelectField
          label="Location"
          value={chosen}
          onChange={(e) => form.set('location_id', e.target.value)}
          problem={form.problem('location_id')}
          hint="Only this location’s events, or every location’s."
          options={[
            { value: '', label: 'All locations' },
            ...locations.map((l) => ({ value: String(l.id), label: l.name })),
            ...(known ? [] : [{ value: chosen, label: `Location ${chosen}` }]),
          ]}
        />
      </div>
      <CheckboxField
        label="Enabled: send it events (a paused endpoint is sent nothing, and nothing is kept for it)"
        checked={form.values.enabled}
        onChange={(e) => form.set('enabled', e.target.checked)}
      />
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {submitLabel}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

/** One event type's checkbox: the type as receivers read it, and what it tells in words. */
function EventTypeChoice({
  type,
  words,
  checked,
  onChange,
}: {
  type: string;
  words: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="check">
      <input
        id={id}
        type="checkbox"
        aria-describedby={`${id}-words`}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id} className="mono">
        {type}
      </label>
      <span className="hint" id={`${id}-words`}>
        {words}
      </span>
    </div>
  );
}
