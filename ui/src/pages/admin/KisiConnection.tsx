/**
 * Connecting a location to Kisi (C1, C2) with the owner's sign-in or an API key, the place whose
 * locks the Access page shows (A2), and disconnecting with its explicit choices (C3). Once
 * connected: Kisi's event webhook and how Who's in checks people in and out (issue 15).
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { ApiError, describeError } from '../../api/errors';
import { useAction, useKisiDirectory } from '../../api/hooks';
import { queryKeys } from '../../api/queries';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Dialog, DialogActions } from '../../components/Dialog';
import { CheckboxField, SelectField, TextField } from '../../components/Field';
import { Badge, Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { useForm } from '../../components/useForm';
import type { ConnectKisiRequest } from '../../gen/ConnectKisiRequest';
import type { KisiConnectionView } from '../../gen/KisiConnectionView';
import type { LocationView } from '../../gen/LocationView';
import { useNow } from '../../hooks/useNow';
import { formatMoment, formatTimestamp } from '../../time/format';
import { EventWebhook } from './EventWebhook';
import { PresenceSettings } from './PresenceSettings';

const invalidates = ['kisi', 'locations', 'mappings', 'access', 'sync'];

export function KisiConnection({ location }: { location: LocationView }) {
  const api = useApi();
  const connection = useQuery({
    queryKey: queryKeys.kisiConnection(location.id),
    queryFn: async () => {
      try {
        return await api.kisi.connection(location.id);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_found') return null;
        throw error;
      }
    },
    // The badge follows Kisi's health (issue 17).
    refetchInterval: 30_000,
  });
  if (connection.isPending) return <Loading what="the Kisi connection" />;
  if (connection.error) return <Notice tone="danger">{describeError(connection.error)}</Notice>;
  const live = connection.data && !connection.data.disconnected_at ? connection.data : null;
  return (
    <div className="stack">
      {live ? (
        <>
          <Connected connection={live} location={location} />
          <PlaceSelector location={location} connection={live} />
          <EventWebhook location={location} manage />
          <PresenceSettings location={location} />
        </>
      ) : (
        <>
          {connection.data?.disconnected_at && (
            <Notice
              tone="info"
              title={`Disconnected ${formatTimestamp(connection.data.disconnected_at, location.time_zone)}.`}
            >
              <p>No grants or revocations are made at this location until it is connected again.</p>
            </Notice>
          )}
          <ConnectForm location={location} />
        </>
      )}
    </div>
  );
}

interface ConnectValues {
  method: 'owner_login' | 'api_key';
  email: string;
  password: string;
  domain: string;
  /** The owner's current two-factor code, when their Kisi account has two-factor sign-in. */
  otp_attempt: string;
  api_key: string;
  base_url: string;
}

export function validateConnect(v: ConnectValues) {
  const owner = v.method === 'owner_login';
  return {
    email: owner && !/^[^@\s]+@[^@\s]+$/.test(v.email.trim()) ? 'Enter the Kisi account owner’s e-mail.' : undefined,
    password: owner && !v.password ? 'Enter the owner’s Kisi password.' : undefined,
    domain: owner && !v.domain.trim() ? 'Enter the organization’s Kisi domain.' : undefined,
    api_key: !owner && !v.api_key.trim() ? 'Paste the API key from Kisi › My account › API.' : undefined,
    base_url:
      v.base_url.trim() && !/^https?:\/\/\S+$/.test(v.base_url.trim())
        ? 'Enter an https:// URL such as https://api.kisi.io (http only to this computer), or leave it empty.'
        : undefined,
  };
}

export function connectRequest(v: ConnectValues): ConnectKisiRequest {
  const base_url = v.base_url.trim() || null;
  return v.method === 'owner_login'
    ? {
        method: 'owner_login',
        email: v.email.trim(),
        password: v.password,
        domain: v.domain.trim(),
        otp_attempt: v.otp_attempt.trim() || null,
        base_url,
      }
    : { method: 'api_key', api_key: v.api_key.trim(), base_url };
}

function ConnectForm({ location }: { location: LocationView }) {
  const api = useApi();
  const form = useForm<ConnectValues>(
    { method: 'owner_login', email: '', password: '', domain: '', otp_attempt: '', api_key: '', base_url: '' },
    validateConnect,
  );
  const [failure, setFailure] = useState<string>();
  const connect = useAction((request: ConnectKisiRequest) => api.kisi.connect(location.id, request), {
    done: 'Kisi connected; Doorlink is reading its places, groups and locks',
    invalidates,
    quiet: true,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setFailure(undefined);
    connect.mutate(connectRequest(form.values), {
      // C2: each failure is named next to its field; the notice says where to look.
      onError: (error) => setFailure(form.takeServerError(error) ?? 'Check the fields marked below.'),
    });
  };
  const owner = form.values.method === 'owner_login';
  return (
    <Card title="Connect Kisi" labelId="connect-kisi">
      <form className="form" onSubmit={submit} noValidate>
        {failure && (
          <Notice tone="danger" title="Kisi could not be connected.">
            <p>{failure}</p>
          </Notice>
        )}
        <fieldset className="field">
          <legend>How to connect</legend>
          <div className="check">
            <input
              type="radio"
              id="connect-owner"
              name="method"
              checked={owner}
              onChange={() => form.set('method', 'owner_login')}
            />
            <label htmlFor="connect-owner">
              With the Kisi account owner’s sign-in (Doorlink creates its own login)
            </label>
          </div>
          <div className="check">
            <input
              type="radio"
              id="connect-key"
              name="method"
              checked={!owner}
              onChange={() => form.set('method', 'api_key')}
            />
            <label htmlFor="connect-key">With an API key</label>
          </div>
        </fieldset>
        {owner ? (
          <div className="form-row">
            <TextField
              label="Owner e-mail"
              type="email"
              autoComplete="off"
              value={form.values.email}
              onChange={(e) => form.set('email', e.target.value)}
              problem={form.problem('email')}
            />
            <TextField
              label="Password"
              type="password"
              autoComplete="off"
              value={form.values.password}
              onChange={(e) => form.set('password', e.target.value)}
              problem={form.problem('password')}
            />
            <TextField
              label="Organization domain"
              value={form.values.domain}
              onChange={(e) => form.set('domain', e.target.value)}
              problem={form.problem('domain')}
            />
            <TextField
              label="Two-factor code (if the account uses one)"
              autoComplete="one-time-code"
              inputMode="numeric"
              value={form.values.otp_attempt}
              onChange={(e) => form.set('otp_attempt', e.target.value)}
              problem={form.problem('otp_attempt')}
            />
          </div>
        ) : (
          <TextField
            label="API key"
            type="password"
            autoComplete="off"
            value={form.values.api_key}
            onChange={(e) => form.set('api_key', e.target.value)}
            problem={form.problem('api_key')}
          />
        )}
        <TextField
          label="Kisi API address"
          placeholder="https://api.kisi.io"
          value={form.values.base_url}
          onChange={(e) => form.set('base_url', e.target.value)}
          problem={form.problem('base_url')}
          hint="Leave empty to connect to Kisi (https://api.kisi.io). Change it only if Kisi gave you another address."
        />
        <Button type="submit" variant="primary" busy={connect.isPending}>
          Connect
        </Button>
      </form>
    </Card>
  );
}

function Connected({ connection, location }: { connection: KisiConnectionView; location: LocationView }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [revokeAll, setRevokeAll] = useState(false);
  const disconnect = useAction(() => api.kisi.disconnect(location.id, { revoke_all: revokeAll }), {
    done: (response) => response.note,
    invalidates,
    onDone: () => setOpen(false),
  });
  return (
    <Card
      title="Kisi connection"
      labelId="kisi-connection"
      actions={<ConnectionBadge connection={connection} zone={location.time_zone} />}
    >
      {connection.health.failing_since && (
        <Notice tone="warning" title="Doorlink's changes are not reaching Kisi">
          <p>{connection.health.message}</p>
        </Notice>
      )}
      <dl className="form-row">
        <div>
          <dt className="muted">Connected with</dt>
          <dd>
            {connection.auth === 'owner_login' ? `Owner sign-in (${connection.account_email ?? 'owner'})` : 'API key'}
          </dd>
        </div>
        {connection.organization_domain && (
          // An API key does not say which organization it belongs to; nothing is better than "—".
          <div>
            <dt className="muted">Organization</dt>
            <dd>{connection.organization_domain}</dd>
          </div>
        )}
        <div>
          <dt className="muted">Since</dt>
          <dd>{formatTimestamp(connection.connected_at, location.time_zone)}</dd>
        </div>
        <div>
          <dt className="muted">Kisi API</dt>
          <dd className="mono">{connection.base_url}</dd>
        </div>
        <div>
          <dt className="muted">Last successful Kisi call</dt>
          <dd>
            {connection.health.last_success_at
              ? formatTimestamp(connection.health.last_success_at, location.time_zone)
              : 'none yet'}
          </dd>
        </div>
      </dl>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Disconnect…
      </Button>
      <Dialog open={open} title={`Disconnect Kisi from ${location.name}`} onClose={() => setOpen(false)}>
        <p>After disconnecting, Doorlink grants and revokes nothing more at this location.</p>
        <p>
          <strong>Access already granted in Kisi stays active</strong> unless you choose to revoke it below.
        </p>
        <CheckboxField
          label="Also revoke everything Doorlink granted at this location"
          checked={revokeAll}
          onChange={(e) => setRevokeAll(e.target.checked)}
        />
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Stay connected</Button>
          <Button variant="danger" busy={disconnect.isPending} onClick={() => disconnect.mutate(undefined)}>
            {revokeAll ? 'Disconnect and revoke all' : 'Disconnect, keep granted access'}
          </Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
}

/** "Connected", or "Connected · Kisi failing since 14:05" (issue 17), in the location's zone. */
export function connectionWords(connection: KisiConnectionView, zone: string, now: Date): string {
  const since = connection.health.failing_since;
  return since ? `Connected · Kisi failing since ${formatMoment(since, zone, now)}` : 'Connected';
}

/** Green only while Kisi answers; a warning colour while its calls fail. */
export function ConnectionBadge({ connection, zone }: { connection: KisiConnectionView; zone: string }) {
  const now = useNow();
  return (
    <Badge tone={connection.health.failing_since ? 'warning' : 'success'}>
      {connectionWords(connection, zone, now)}
    </Badge>
  );
}

function PlaceSelector({ location, connection }: { location: LocationView; connection: KisiConnectionView }) {
  const api = useApi();
  const directory = useKisiDirectory(location.id);
  const saved = connection.kisi_place_id === null ? '' : String(connection.kisi_place_id);
  const [choice, setChoice] = useState(saved);
  // Saved elsewhere (another admin, another tab): the form shows what is saved now.
  const [seenSaved, setSeenSaved] = useState(saved);
  if (seenSaved !== saved) {
    setSeenSaved(saved);
    setChoice(saved);
  }
  const [confirming, setConfirming] = useState(false);
  const save = useAction((placeId: number | null) => api.kisi.setPlace(location.id, { place_id: placeId }), {
    done: 'Place saved',
    invalidates,
    onDone: () => setConfirming(false),
  });
  const places = directory.data?.places ?? [];
  const placeName = (id: string) => places.find((p) => String(p.id) === id)?.name ?? `place ${id}`;
  // A2: members see only the locks of the chosen place, so the change is said before it is made.
  const effect = choice
    ? `Members will see only the locks of ${placeName(choice)} on their Access page; a lock in another place is hidden, and the page says so.`
    : 'Members will see the locks of every Kisi place on their Access page.';
  return (
    <Card title="Place" labelId="kisi-place">
      <form
        className="form-row"
        onSubmit={(event) => {
          event.preventDefault();
          setConfirming(true);
        }}
      >
        <SelectField
          label="Place whose locks the Access page shows"
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          disabled={save.isPending}
          options={[
            { value: '', label: 'Not selected (locks of all places)' },
            ...places.map((p) => ({ value: String(p.id), label: p.name })),
          ]}
          hint="A lock in another place is hidden from the Access page, and the page says so."
        />
        <Button type="submit" disabled={choice === saved}>
          Save place…
        </Button>
      </form>
      <Dialog open={confirming} title="Change the place of the Access page?" onClose={() => setConfirming(false)}>
        <p>{effect}</p>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Keep {saved ? placeName(saved) : 'all places'}</Button>
          <Button variant="primary" busy={save.isPending} onClick={() => save.mutate(choice ? Number(choice) : null)}>
            Save {choice ? placeName(choice) : 'all places'}
          </Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
}
