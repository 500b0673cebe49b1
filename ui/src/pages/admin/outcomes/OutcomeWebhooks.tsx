/**
 * Admin › Outcome webhooks (issue 15): the endpoints Doorlink tells what happened — grants
 * applied or failed, revocations Kisi confirmed, unlocks, check-ins — each with its event types,
 * location, counts and delivery log; adding one (its secret shown this once), changing, pausing,
 * a test event, a new secret and removing (each of the last two confirmed first).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useAction } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation, useDisplayZone } from '../../../app/location';
import { Button } from '../../../components/Button';
import { Card } from '../../../components/Card';
import { Dialog, DialogActions } from '../../../components/Dialog';
import { Badge, Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { SecretOnce } from '../../../components/SecretOnce';
import type { OutcomeEndpointSecret } from '../../../gen/OutcomeEndpointSecret';
import type { OutcomeEndpointView } from '../../../gen/OutcomeEndpointView';
import { formatTimestamp } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import { DeliveryLog } from './DeliveryLog';
import { NEW_ENDPOINT, OutcomeEndpointForm, endpointRequest, valuesOf } from './OutcomeEndpointForm';

/** A secret just made, for the endpoint it signs for: kept in this page only, gone once it is left. */
interface ShownSecret {
  endpointId: number;
  secret: string;
}

export function OutcomeWebhooks() {
  const api = useApi();
  const endpoints = useQuery({
    queryKey: queryKeys.outcomeEndpoints(),
    queryFn: () => api.outcomes.list(),
    // The counts change with each delivery, which no change notice tells of.
    refetchInterval: (query) => (query.state.data?.some((e) => e.pending > 0) ? 5000 : false),
  });
  const [secret, setSecret] = useState<ShownSecret>();
  const [adding, setAdding] = useState(false);
  const client = useQueryClient();
  const showSecret = (answer: OutcomeEndpointSecret) =>
    setSecret({ endpointId: answer.endpoint.id, secret: answer.secret });
  // A new endpoint is listed at once, with its secret, before the list is read again.
  const listNew = (endpoint: OutcomeEndpointView) =>
    client.setQueryData<OutcomeEndpointView[]>(queryKeys.outcomeEndpoints(), (listed) =>
      listed && !listed.some((e) => e.id === endpoint.id) ? [...listed, endpoint] : listed,
    );
  return (
    <Card title="Outcome webhooks" labelId="outcome-webhooks">
      <div className="stack">
        <p>
          Doorlink tells other systems (a CRM, billing, a chat channel) what happened: access written into Kisi or
          refused, access Kisi confirmed gone, unlocks and refusals at the doors, check-ins and check-outs. Each event
          is POSTed as JSON, signed with HMAC-SHA256 over <code>&lt;timestamp&gt;.&lt;body&gt;</code> in the{' '}
          <code>Doorlink-Signature: t=…,v1=…</code> header, with its event id as <code>Idempotency-Key</code>, and
          retried with backoff until the endpoint answers 2xx: see <code>docs/outcome-webhooks.md</code>.
        </p>
        {endpoints.isPending && <Loading what="the endpoints" />}
        {endpoints.error && <Notice tone="danger">{describeError(endpoints.error)}</Notice>}
        {endpoints.data &&
          (endpoints.data.length === 0 ? (
            <p className="muted">No endpoint yet: nothing is sent.</p>
          ) : (
            <ul className="stack" aria-label="Endpoints" style={{ listStyle: 'none', padding: 0 }}>
              {endpoints.data.map((endpoint) => (
                <EndpointItem
                  key={endpoint.id}
                  endpoint={endpoint}
                  secret={secret?.endpointId === endpoint.id ? secret.secret : undefined}
                  onSecret={showSecret}
                  onSecretDone={() => setSecret(undefined)}
                />
              ))}
            </ul>
          ))}
        {adding ? (
          <section className="card stack" aria-labelledby="add-outcome-endpoint">
            <h3 id="add-outcome-endpoint">Add endpoint</h3>
            <OutcomeEndpointForm
              name="Add endpoint"
              initial={NEW_ENDPOINT}
              submitLabel="Add endpoint"
              send={(request) => api.outcomes.create(request)}
              done="Endpoint added: copy its secret now"
              onDone={(answer) => {
                listNew(answer.endpoint);
                showSecret(answer);
                setAdding(false);
              }}
              onCancel={() => setAdding(false)}
            />
          </section>
        ) : (
          <div className="row">
            <Button variant="primary" onClick={() => setAdding(true)}>
              Add endpoint
            </Button>
          </div>
        )}
      </div>
    </Card>
  );
}

function EndpointItem({
  endpoint,
  secret,
  onSecret,
  onSecretDone,
}: {
  endpoint: OutcomeEndpointView;
  secret: string | undefined;
  onSecret: (answer: OutcomeEndpointSecret) => void;
  onSecretDone: () => void;
}) {
  const api = useApi();
  const zone = useDisplayZone();
  const { locations } = useCurrentLocation();
  const [editing, setEditing] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const [confirming, setConfirming] = useState<'secret' | 'remove'>();
  const logId = `outcome-deliveries-${endpoint.id}`;
  const pause = useAction(
    () => api.outcomes.update(endpoint.id, { ...endpointRequest(valuesOf(endpoint)), enabled: !endpoint.enabled }),
    {
      done: (e) => (e.enabled ? `Resumed: ${e.url} is sent events again` : `Paused: ${e.url} is sent nothing for now`),
      invalidates: ['outcomes'],
    },
  );
  const test = useAction(() => api.outcomes.test(endpoint.id), {
    done: 'Test event queued: it shows in the delivery log',
    invalidates: ['outcomes'],
    onDone: () => setLogOpen(true),
  });
  const newSecret = useAction(() => api.outcomes.newSecret(endpoint.id), {
    done: 'New secret made: the old one no longer signs',
    invalidates: ['outcomes'],
    onDone: (answer) => {
      onSecret(answer);
      setConfirming(undefined);
    },
  });
  const remove = useAction(() => api.outcomes.remove(endpoint.id), {
    done: `Endpoint ${endpoint.url} removed`,
    invalidates: ['outcomes'],
    onDone: () => {
      onSecretDone();
      setConfirming(undefined);
    },
  });
  const location =
    endpoint.location_id === null
      ? 'All locations'
      : (locations.find((l) => l.id === endpoint.location_id)?.name ?? `Location ${endpoint.location_id}`);
  return (
    <li className="card stack" aria-label={endpoint.url}>
      <div className="row" style={{ flexWrap: 'wrap', gap: '0.5rem' }}>
        <strong className="mono" style={{ overflowWrap: 'anywhere' }}>
          {endpoint.url}
        </strong>
        {endpoint.enabled ? <Badge tone="success">enabled</Badge> : <Badge tone="neutral">paused</Badge>}
        {endpoint.failed > 0 && <Badge tone="danger">{endpoint.failed} given up</Badge>}
      </div>
      {secret && (
        <SecretOnce secret={secret} label="Signing secret" doneLabel="I have saved it" onDone={onSecretDone}>
          <p>
            Check each delivery’s <code>Doorlink-Signature</code> with it; it is not shown again.
          </p>
        </SecretOnce>
      )}
      {editing ? (
        <OutcomeEndpointForm
          name={`Change ${endpoint.url}`}
          initial={valuesOf(endpoint)}
          submitLabel="Save endpoint"
          send={(request) => api.outcomes.update(endpoint.id, request)}
          done="Endpoint saved"
          onDone={() => setEditing(false)}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          {endpoint.description && <p>{endpoint.description}</p>}
          <dl className="form-row">
            <div>
              <dt className="muted">Event types</dt>
              <dd className="mono">{endpoint.events.join(', ')}</dd>
            </div>
            <div>
              <dt className="muted">Location</dt>
              <dd>{location}</dd>
            </div>
            <div>
              <dt className="muted">Waiting</dt>
              <dd>{endpoint.pending}</dd>
            </div>
            <div>
              <dt className="muted">Given up</dt>
              <dd>{endpoint.failed}</dd>
            </div>
            <div>
              <dt className="muted">Last delivered ({zoneName(zone)})</dt>
              <dd>{endpoint.last_delivered_at ? formatTimestamp(endpoint.last_delivered_at, zone) : 'never yet'}</dd>
            </div>
          </dl>
          <div className="row" style={{ flexWrap: 'wrap', gap: '0.5rem' }}>
            <Button size="small" aria-expanded={logOpen} aria-controls={logId} onClick={() => setLogOpen(!logOpen)}>
              Delivery log
            </Button>
            <Button size="small" busy={test.isPending} onClick={() => test.mutate(undefined)}>
              Send a test event
            </Button>
            <Button size="small" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button size="small" busy={pause.isPending} onClick={() => pause.mutate(undefined)}>
              {endpoint.enabled ? 'Pause' : 'Resume'}
            </Button>
            <Button size="small" onClick={() => setConfirming('secret')}>
              New secret…
            </Button>
            <Button size="small" variant="danger" onClick={() => setConfirming('remove')}>
              Remove…
            </Button>
          </div>
        </>
      )}
      <div id={logId}>{logOpen && <DeliveryLog endpoint={endpoint} zone={zone} />}</div>
      <Dialog
        open={confirming === 'secret'}
        title={`Make a new secret for ${endpoint.url}?`}
        onClose={() => setConfirming(undefined)}
      >
        <p>
          <strong>The current secret stops working at once:</strong> every delivery from now on is signed with the new
          one, so the receiver refuses them until it checks with the new secret.
        </p>
        <DialogActions>
          <Button onClick={() => setConfirming(undefined)}>Keep the current secret</Button>
          <Button variant="primary" busy={newSecret.isPending} onClick={() => newSecret.mutate(undefined)}>
            Make a new secret
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog
        open={confirming === 'remove'}
        title={`Remove the endpoint ${endpoint.url}?`}
        onClose={() => setConfirming(undefined)}
      >
        <p>
          Doorlink sends it nothing from now on, and its undelivered events are dropped
          {endpoint.pending > 0 ? ` (${endpoint.pending} waiting)` : ''}.
        </p>
        <DialogActions>
          <Button onClick={() => setConfirming(undefined)}>Keep it</Button>
          <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate(undefined)}>
            Remove the endpoint
          </Button>
        </DialogActions>
      </Dialog>
    </li>
  );
}
