/**
 * Kisi's event webhook at a location (issue 15): what it does and "Set up" when there is none;
 * once set up, the address to paste into Kisi, the secret shown this once, how complete the
 * kept events are, and reading Kisi's events now. Admins replace the secret or remove the webhook
 * (each confirmed first); staff see the status and may read Kisi's events now.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { useAction, useKisiWebhook } from '../../api/hooks';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { SecretOnce } from '../../components/SecretOnce';
import type { BackfillView } from '../../gen/BackfillView';
import type { KisiWebhookView } from '../../gen/KisiWebhookView';
import type { LocationView } from '../../gen/LocationView';
import { formatTimestamp } from '../../time/format';

const invalidates = ['kisi', 'door-events', 'presence', 'attendance'];

const events = (n: number) => `${n} ${n === 1 ? 'event' : 'events'}`;

/** What reading Kisi's events list did, in words. */
export function backfillWords(result: BackfillView): string {
  if (result.listed === 0) return 'Kisi listed no new events: nothing was missing.';
  const parts = [`${result.stored} missing and kept now`, `${result.duplicates} already kept`];
  if (result.elsewhere > 0) parts.push(`${result.elsewhere} about another location’s doors`);
  const rest = result.complete ? '' : ' Kisi listed more than one reading takes; the rest is read next time.';
  return `Kisi listed ${events(result.listed)}: ${parts.join(', ')}.${rest}`;
}

export function EventWebhook({ location, manage }: { location: LocationView; manage: boolean }) {
  const webhook = useKisiWebhook(location.id);
  // The secret is in the set-up answer only: kept here until the admin is done, never refetched.
  const [secret, setSecret] = useState<string>();
  if (webhook.isPending) return <Loading what="Kisi’s event webhook" />;
  if (webhook.error) return <Notice tone="danger">{describeError(webhook.error)}</Notice>;
  return (
    <Card title="Event webhook" labelId="kisi-event-webhook">
      {webhook.data ? (
        <SetUp webhook={webhook.data} location={location} manage={manage} secret={secret} onSecret={setSecret} />
      ) : (
        <NotSetUp location={location} manage={manage} onSecret={setSecret} />
      )}
    </Card>
  );
}

function NotSetUp({
  location,
  manage,
  onSecret,
}: {
  location: LocationView;
  manage: boolean;
  onSecret: (secret: string) => void;
}) {
  const api = useApi();
  const setUp = useAction(() => api.webhook.setUp(location.id), {
    done: 'Event webhook set up: paste its address and secret into Kisi',
    invalidates,
    onDone: (answer) => onSecret(answer.secret),
  });
  return (
    <div className="stack">
      <p>
        With it, Kisi tells Doorlink at once about every unlock and every refused attempt at {location.name}’s doors.
        Doorlink keeps them to show who’s in, the door log and each person’s attendance, and reads Kisi’s event log
        every few minutes for any it missed.
      </p>
      {manage ? (
        <div className="row">
          <Button variant="primary" busy={setUp.isPending} onClick={() => setUp.mutate(undefined)}>
            Set up
          </Button>
        </div>
      ) : (
        <p className="muted">Not set up yet: an admin sets it up in Admin › Kisi connection.</p>
      )}
    </div>
  );
}

function SetUp({
  webhook,
  location,
  manage,
  secret,
  onSecret,
}: {
  webhook: KisiWebhookView;
  location: LocationView;
  manage: boolean;
  secret: string | undefined;
  onSecret: (secret: string | undefined) => void;
}) {
  const api = useApi();
  const zone = location.time_zone;
  const [confirming, setConfirming] = useState<'replace' | 'remove'>();
  const [backfilled, setBackfilled] = useState<BackfillView>();
  const replace = useAction(() => api.webhook.setUp(location.id), {
    done: 'New secret made: the old one no longer works',
    invalidates,
    onDone: (answer) => {
      onSecret(answer.secret);
      setConfirming(undefined);
    },
  });
  const remove = useAction(() => api.webhook.remove(location.id), {
    done: 'Event webhook removed',
    invalidates,
    onDone: () => {
      onSecret(undefined);
      setConfirming(undefined);
    },
  });
  const backfill = useAction(() => api.webhook.backfill(location.id), {
    done: 'Kisi’s events read',
    invalidates,
    onDone: setBackfilled,
  });
  return (
    <div className="stack">
      {secret && (
        <SecretOnce
          secret={secret}
          label="Signature key"
          doneLabel="I have pasted it"
          onDone={() => onSecret(undefined)}
        >
          <p>Paste it as the signature key of Kisi’s Event Webhook integration; it is not shown again.</p>
        </SecretOnce>
      )}
      <dl className="form-row">
        <div>
          <dt className="muted">Address to paste into Kisi</dt>
          <dd className="mono">
            {webhook.url ?? (
              <>
                <span className="muted">this hub’s address, then </span>
                {webhook.path}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt className="muted">Events kept</dt>
          <dd>{webhook.events_kept}</dd>
        </div>
        <div>
          <dt className="muted">Latest event</dt>
          <dd>{webhook.latest_event_at ? formatTimestamp(webhook.latest_event_at, zone) : 'none yet'}</dd>
        </div>
        <div>
          <dt className="muted">Complete up to</dt>
          <dd>
            {webhook.backfilled_through
              ? formatTimestamp(webhook.backfilled_through, zone)
              : 'not yet checked against Kisi’s event log'}
          </dd>
        </div>
        <div>
          <dt className="muted">Set up</dt>
          <dd>{formatTimestamp(webhook.created_at, zone)}</dd>
        </div>
      </dl>
      <div className="row">
        <Button busy={backfill.isPending} onClick={() => backfill.mutate(undefined)}>
          Read Kisi’s events now
        </Button>
        {manage && (
          <>
            <Button onClick={() => setConfirming('replace')}>New secret…</Button>
            <Button variant="danger" onClick={() => setConfirming('remove')}>
              Remove…
            </Button>
          </>
        )}
      </div>
      {backfilled && (
        <p role="status" aria-label="What reading Kisi’s events found">
          {backfillWords(backfilled)}
        </p>
      )}
      {!manage && (
        <p className="muted">
          An admin replaces the secret or removes the webhook in <Link to="/admin/kisi">Admin › Kisi connection</Link>.
        </p>
      )}
      <Dialog open={confirming === 'replace'} title="Make a new secret?" onClose={() => setConfirming(undefined)}>
        <p>
          <strong>The current secret stops working at once:</strong> Kisi’s deliveries are refused until you paste the
          new secret into its Event Webhook integration. What they miss meanwhile is read from Kisi’s event log later.
        </p>
        <DialogActions>
          <Button onClick={() => setConfirming(undefined)}>Keep the current secret</Button>
          <Button variant="primary" busy={replace.isPending} onClick={() => replace.mutate(undefined)}>
            Replace the secret
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog
        open={confirming === 'remove'}
        title={`Remove the event webhook of ${location.name}?`}
        onClose={() => setConfirming(undefined)}
      >
        <p>
          Doorlink refuses Kisi’s deliveries for {location.name} from now on, and stops reading Kisi’s event log: Who’s
          in and the door log stop following the doors. Remove the Event Webhook integration in Kisi too.
        </p>
        <DialogActions>
          <Button onClick={() => setConfirming(undefined)}>Keep it</Button>
          <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate(undefined)}>
            Remove the webhook
          </Button>
        </DialogActions>
      </Dialog>
    </div>
  );
}
