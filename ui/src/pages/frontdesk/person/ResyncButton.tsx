/**
 * "Re-sync now": the repair beside every explanation staff see. It asks the hub to re-evaluate the
 * person at one location and write the result to Kisi; the page then refreshes by the hub's live
 * change notices, so this only says that the work is queued.
 */
import { useId, useState } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useAction } from '../../../api/hooks';
import { Button } from '../../../components/Button';
import { formatTime } from '../../../time/format';

export function ResyncButton({
  personId,
  personName,
  locationId,
  zone,
}: {
  personId: number;
  personName: string;
  locationId: number;
  zone: string;
}) {
  const api = useApi();
  const statusId = useId();
  const [queuedAt, setQueuedAt] = useState<Date>();
  const resync = useAction(() => api.people.resync(personId, locationId), {
    done: `Re-sync of ${personName} queued`,
    onDone: () => setQueuedAt(new Date()),
    quiet: true,
  });
  return (
    <div className="row">
      <Button size="small" onClick={() => resync.mutate(undefined)} busy={resync.isPending} aria-describedby={statusId}>
        Re-sync now
      </Button>
      <span id={statusId} role="status" className={resync.isError ? 'problem' : 'hint'}>
        {resync.isPending
          ? 'Asking the hub…'
          : resync.isError
            ? `Re-sync failed: ${describeError(resync.error)}`
            : queuedAt
              ? `Queued at ${formatTime(queuedAt, zone)}; this page updates as soon as Kisi is in step.`
              : 'Re-evaluates their access here and writes it to Kisi.'}
      </span>
    </div>
  );
}
