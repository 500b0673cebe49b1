/**
 * Issue 17, point 4: "A door you expected isn't here?" — a disclosure on the member's Access page
 * listing, by name, the location's doors they cannot open now; choosing one asks the explainer
 * and shows its answer in the member's words (what it means, whom to ask), and when the door opens
 * for them if it opens later, read in the location's zone with the zone named.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { queryKeys } from '../../api/queries';
import { SelectField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import type { LockAccess } from '../../gen/LockAccess';
import { formatTimestamp } from '../../time/format';
import { zoneName } from '../../time/locationZone';
import { sentence } from './ReasonList';

export function OtherDoors({
  locationId,
  zone,
  upcoming,
}: {
  locationId: number;
  zone: string;
  /** The doors that open later, whose window says when. */
  upcoming: LockAccess[];
}) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [lockId, setLockId] = useState<number>();
  const answerId = useId();
  // Asked only once the member opens the disclosure.
  const doors = useQuery({
    queryKey: queryKeys.myOtherDoors(locationId),
    queryFn: () => api.me.otherDoors(locationId),
    enabled: open,
  });
  const explanation = useQuery({
    queryKey: queryKeys.explain('me', lockId ?? 0, locationId),
    queryFn: () => api.me.explain(lockId ?? 0, locationId),
    enabled: lockId !== undefined,
  });
  const list = doors.data?.locations.find((l) => l.location_id === locationId)?.doors ?? [];
  const chosen = list.find((d) => d.lock_id === lockId);
  const answer = lockId !== undefined ? explanation.data : undefined;
  const opensAt = upcoming
    .filter((l) => l.lock_id === lockId)
    .map((l) => l.window.from)
    .sort()[0];
  return (
    <details className="other-doors" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>A door you expected isn&rsquo;t here?</summary>
      <div className="stack">
        {doors.isPending && open && <Loading what="the doors of this location" />}
        {doors.error && <Notice tone="danger">{describeError(doors.error)}</Notice>}
        {doors.data && list.length === 0 && <p>You can open every door of this location right now.</p>}
        {list.length > 0 && (
          <SelectField
            label="Which door?"
            value={lockId ?? ''}
            aria-controls={answerId}
            onChange={(e) => setLockId(e.target.value ? Number(e.target.value) : undefined)}
            options={[
              { value: '', label: 'Choose a door' },
              ...list.map((d) => ({ value: String(d.lock_id), label: d.name })),
            ]}
          />
        )}
        <div id={answerId} aria-live="polite" className="stack">
          {explanation.isFetching && lockId !== undefined && <Loading what="the answer" />}
          {explanation.error && lockId !== undefined && (
            <Notice tone="danger">{describeError(explanation.error)}</Notice>
          )}
          {answer && answer.may_open && chosen && (
            <Notice tone="success" title={`You can open ${chosen.name} now.`}>
              <p>Reload the page to see it among your doors.</p>
            </Notice>
          )}
          {answer && !answer.may_open && answer.reason && (
            <Notice tone="info" title={sentence(answer.reason.message)}>
              <p>{answer.reason.fix}</p>
              {opensAt && (
                <p>
                  Opens for you {formatTimestamp(opensAt, zone)} ({zoneName(zone)}).
                </p>
              )}
            </Notice>
          )}
        </div>
      </div>
    </details>
  );
}
