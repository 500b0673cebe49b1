/**
 * The person's Kisi user at the current location: put door access on hold and restore it (R14),
 * disconnect it from Doorlink or delete it from Kisi (R15), each confirmed explicitly.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useAction } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation } from '../../../app/location';
import { Button } from '../../../components/Button';
import { Card } from '../../../components/Card';
import { Dialog, DialogActions } from '../../../components/Dialog';
import { Badge, Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import type { DisconnectMode } from '../../../gen/DisconnectMode';
import type { PersonView } from '../../../gen/PersonView';
import { formatTimestamp } from '../../../time/format';
import { ResyncButton } from './ResyncButton';

const CHOICES: Record<DisconnectMode, { title: string; explain: string; button: string }> = {
  keep_kisi_user: {
    title: 'Disconnect from Doorlink',
    explain: 'Doorlink stops managing this Kisi user. The user stays in Kisi with whatever access it has there now.',
    button: 'Disconnect, keep the Kisi user',
  },
  delete_kisi_user: {
    title: 'Delete the Kisi user',
    explain:
      'The user is deleted from Kisi with all its access. Doorlink creates a fresh managed user if the person gets access again.',
    button: 'Delete the Kisi user',
  },
};

export function KisiAccount({ person }: { person: PersonView }) {
  const api = useApi();
  const { location } = useCurrentLocation();
  const locationId = location?.id ?? 0;
  const [confirming, setConfirming] = useState<DisconnectMode>();
  const account = useQuery({
    queryKey: queryKeys.kisiAccount(person.id, locationId),
    queryFn: () => api.people.kisiAccount(person.id, locationId),
    enabled: location !== undefined,
  });
  // The People list shows holds too.
  const options = { invalidates: ['kisi-account', 'access', 'people'] };
  const hold = useAction(() => api.people.hold(person.id, locationId), { ...options, done: 'Door access on hold' });
  const release = useAction(() => api.people.release(person.id, locationId), {
    ...options,
    done: 'Door access restored',
  });
  const reconnect = useAction(() => api.people.reconnect(person.id, locationId), {
    ...options,
    done: (view) => view.message,
  });
  const disconnect = useAction((mode: DisconnectMode) => api.people.disconnect(person.id, locationId, { mode }), {
    ...options,
    done: (view) => view.message,
    onDone: () => setConfirming(undefined),
  });

  if (!location) return <Notice tone="info">Create a location first.</Notice>;
  if (account.isPending) return <Loading what="the Kisi user" />;
  if (account.error) return <Notice tone="danger">{describeError(account.error)}</Notice>;
  const view = account.data;
  const zone = location.time_zone;

  return (
    <Card title={`Kisi user at ${location.name}`} labelId="kisi-user">
      <div className="stack">
        <p>
          {view.disconnected ? (
            <Badge tone="neutral">
              {view.disconnected === 'delete_kisi_user' ? 'Deleted from Kisi' : 'Disconnected from Doorlink'}
            </Badge>
          ) : view.on_hold_since ? (
            <Badge tone="warning">On hold since {formatTimestamp(view.on_hold_since, zone)}</Badge>
          ) : (
            <Badge tone="success">Managed by Doorlink</Badge>
          )}{' '}
          {view.message}
        </p>
        <div className="row">
          {!view.disconnected && !view.on_hold_since && (
            <Button onClick={() => hold.mutate(undefined)} busy={hold.isPending}>
              Temporarily disable
            </Button>
          )}
          {!view.disconnected && view.on_hold_since && (
            <Button variant="primary" onClick={() => release.mutate(undefined)} busy={release.isPending}>
              Re-enable door access
            </Button>
          )}
          {view.disconnected && (
            <Button variant="primary" onClick={() => reconnect.mutate(undefined)} busy={reconnect.isPending}>
              Reconnect to Doorlink
            </Button>
          )}
          {!view.disconnected && (
            <>
              <Button onClick={() => setConfirming('keep_kisi_user')}>Disconnect from Doorlink…</Button>
              <Button variant="danger" onClick={() => setConfirming('delete_kisi_user')}>
                Delete Kisi user…
              </Button>
            </>
          )}
        </div>
        {!view.disconnected && (
          <ResyncButton personId={person.id} personName={person.name} locationId={location.id} zone={zone} />
        )}
        <p className="muted">
          Temporarily disable revokes every grant in Kisi but keeps them in Doorlink; re-enabling restores them as they
          were.
        </p>
      </div>
      <Dialog
        open={confirming !== undefined}
        title={confirming ? CHOICES[confirming].title : ''}
        onClose={() => setConfirming(undefined)}
      >
        {confirming && (
          <>
            <p>{CHOICES[confirming].explain}</p>
            <DialogActions>
              <Button onClick={() => setConfirming(undefined)}>Cancel</Button>
              <Button variant="danger" busy={disconnect.isPending} onClick={() => disconnect.mutate(confirming)}>
                {CHOICES[confirming].button}
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
    </Card>
  );
}
