/**
 * The person's effective access, as their own Access page shows it: open now with "until", what
 * opens later, each with its provenance, and the reasons when something is missing (A1, A5).
 * "Why can't they open this door?" asks the explainer about one lock (flow 4).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useKisiDirectory } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation } from '../../../app/location';
import { Card } from '../../../components/Card';
import { SelectField } from '../../../components/Field';
import { Badge, Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { Table } from '../../../components/Table';
import type { LockAccess } from '../../../gen/LockAccess';
import type { PersonView } from '../../../gen/PersonView';
import { useNow } from '../../../hooks/useNow';
import { formatTimestamp, formatUntil, formatWindow } from '../../../time/format';
import { KisiConfirmationBadge, KisiConfirmationNotice } from '../../access/KisiConfirmation';
import { ReasonList, sentence } from '../../access/ReasonList';
import { ResyncButton } from './ResyncButton';

export function PersonAccess({ person }: { person: PersonView }) {
  const api = useApi();
  const now = useNow();
  const { location: current } = useCurrentLocation();
  const access = useQuery({
    queryKey: queryKeys.personAccess(person.id),
    queryFn: () => api.people.access(person.id),
    refetchInterval: 60_000,
  });
  if (access.isPending) return <Loading what="access" />;
  if (access.error) return <Notice tone="danger">{describeError(access.error)}</Notice>;

  return (
    <div className="stack">
      {access.data.locations.length === 0 && (
        <Notice tone="warning" title="No locks">
          <p>{person.name} has nothing at any location: no subscription, booking, pass, visit or manual grant.</p>
          {current && (
            <ResyncButton
              personId={person.id}
              personName={person.name}
              locationId={current.id}
              zone={current.time_zone}
            />
          )}
        </Notice>
      )}
      {access.data.locations.map((location) => {
        const zone = location.time_zone;
        const columns = (open: boolean) => [
          { header: 'Door', cell: (l: LockAccess) => <strong>{l.name}</strong> },
          {
            header: open ? 'Until' : 'Window',
            cell: (l: LockAccess) =>
              open ? formatUntil(l.window.until, zone, now) : formatWindow(l.window.from, l.window.until, zone, now),
          },
          { header: 'Why', cell: (l: LockAccess) => l.why.join(' · ') || '—' },
          // Kisi's restrictions are known for the doors open now only.
          ...(open
            ? [
                {
                  header: 'Unlock from Doorlink',
                  cell: (l: LockAccess) =>
                    l.restriction ? (
                      <Badge tone="warning">{sentence(l.restriction.message)}</Badge>
                    ) : (
                      <KisiConfirmationBadge kisi={location.kisi} zone={zone} now={now} />
                    ),
                },
              ]
            : []),
        ];
        return (
          <Card
            key={location.location_id}
            title={location.location_name}
            labelId={`person-access-${location.location_id}`}
          >
            <div className="stack">
              {!location.visible && (
                <Notice tone="warning">
                  Their Access page at {location.location_name} is hidden: it is for members only.
                </Notice>
              )}
              <KisiConfirmationNotice kisi={location.kisi} zone={zone} now={now} />
              <Table
                caption="Open now"
                columns={columns(true)}
                rows={location.open_now}
                rowKey={(l) => l.lock_id}
                empty="No door is open to them now."
              />
              <Table
                caption="Opening later"
                columns={columns(false)}
                rows={location.upcoming}
                rowKey={(l) => `${l.lock_id}-${l.window.from}`}
                empty="Nothing opens for them later."
              />
              <ReasonList reasons={location.reasons} label="Why doors are missing" />
              <ResyncButton
                personId={person.id}
                personName={person.name}
                locationId={location.location_id}
                zone={zone}
              />
              <ExplainDoor person={person} locationId={location.location_id} zone={zone} />
              <p className="muted">
                Times are in {zone}. Checked {formatTimestamp(access.data.checked_at, zone)}.
              </p>
            </div>
          </Card>
        );
      })}
    </div>
  );
}

function ExplainDoor({ person, locationId, zone }: { person: PersonView; locationId: number; zone: string }) {
  const personId = person.id;
  const api = useApi();
  const now = useNow();
  const directory = useKisiDirectory(locationId);
  const [lockId, setLockId] = useState<number>();
  const explanation = useQuery({
    queryKey: queryKeys.explain(personId, lockId ?? 0, locationId),
    queryFn: () => api.people.explain(personId, lockId ?? 0, locationId),
    enabled: lockId !== undefined,
  });
  const locks = directory.data?.locks ?? [];
  if (locks.length === 0) return null;
  const answer = explanation.data;
  return (
    <div className="stack">
      <SelectField
        label="Why can't they open…"
        value={lockId ?? ''}
        onChange={(e) => setLockId(e.target.value ? Number(e.target.value) : undefined)}
        options={[{ value: '', label: 'Pick a door' }, ...locks.map((l) => ({ value: String(l.id), label: l.name }))]}
      />
      {explanation.isFetching && <Loading what="the explanation" />}
      {explanation.error && <Notice tone="danger">{describeError(explanation.error)}</Notice>}
      {answer && answer.may_open && (
        <Notice tone={answer.kisi.state === 'confirmed' ? 'success' : 'warning'} title="They may open it now.">
          <p>{answer.why.join(' · ')}</p>
        </Notice>
      )}
      {answer && answer.may_open && <KisiConfirmationNotice kisi={answer.kisi} zone={zone} now={now} />}
      {answer && !answer.may_open && answer.reason && (
        <Notice tone="warning" title={sentence(answer.reason.message)}>
          <p>{answer.reason.fix}</p>
        </Notice>
      )}
      {answer && !answer.verified_in_kisi && (
        <p className="muted">Doorlink has not read this from Kisi yet; a sync will confirm it.</p>
      )}
      {answer && <ResyncButton personId={personId} personName={person.name} locationId={locationId} zone={zone} />}
    </div>
  );
}
