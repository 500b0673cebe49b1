/**
 * Sync status: the outbox queue per kind with an ETA at Kisi's budget, the last successful Kisi
 * call, failures with what to do and retry, a full sync with its progress, the time to revoke
 * (issue 15), and a dry-run preview of what a sync would change.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { useAction } from '../../api/hooks';
import { queryKeys } from '../../api/queries';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Badge, Notice } from '../../components/Notice';
import { Loading, Progress } from '../../components/Progress';
import { Table } from '../../components/Table';
import type { LocationView } from '../../gen/LocationView';
import type { OutboxEntryView } from '../../gen/OutboxEntryView';
import type { QueueKindView } from '../../gen/QueueKindView';
import { formatTimestamp } from '../../time/format';
import { QUEUE_KINDS, formatEta, splitFix } from './syncQueue';
import { PersonName } from '../frontdesk/PersonName';
import { RevocationTimes } from './RevocationTimes';
import { RuleText } from '../../components/RuleText';

/** How far a full sync has come: the largest queue seen since it started, and what is left of it. */
export function syncProgress(largestQueue: number, queueNow: number): { done: number; total: number } {
  const total = Math.max(largestQueue, queueNow);
  return { done: total - queueNow, total };
}

export function SyncStatus({ location }: { location: LocationView }) {
  const api = useApi();
  const zone = location.time_zone;
  // A full sync under way: when it was asked for and the largest queue seen since.
  const [run, setRun] = useState<{ since: number; largest: number }>();
  const status = useQuery({
    queryKey: queryKeys.sync(location.id),
    queryFn: () => api.sync.status(location.id),
    // While work is queued, poll as well as listening: the queue is the progress.
    refetchInterval: (query) => ((query.state.data?.queue.length ?? 0) > 0 || run !== undefined ? 2000 : 30_000),
  });
  const auditQuery = {
    location_id: location.id,
    person_id: null,
    kind: 'kisi_calls',
    actor_account_id: null,
    outcome: 'succeeded',
    since: null,
    until: null,
    before: null,
    limit: 1,
  };
  const lastSuccess = useQuery({ queryKey: queryKeys.audit(auditQuery), queryFn: () => api.audit.list(auditQuery) });
  const full = useAction(() => api.sync.runFull(location.id), {
    done: (d) => d.message,
    invalidates: ['sync'],
    onDone: () => setRun({ since: Date.now(), largest: 0 }),
  });
  const queueLength = status.data?.queue.length ?? 0;
  // Derived state, adjusted during render: grows with the queue, ends once a status read after
  // the request shows an empty queue.
  if (run && queueLength > run.largest) setRun({ ...run, largest: queueLength });
  if (run && queueLength === 0 && status.dataUpdatedAt > run.since) setRun(undefined);
  const progress = run ? syncProgress(run.largest, queueLength) : undefined;
  const last = lastSuccess.data?.entries[0];

  return (
    <div className="stack">
      <Card
        title="Sync with Kisi"
        labelId="sync-status"
        actions={
          <Button
            variant="primary"
            onClick={() => full.mutate(undefined)}
            busy={full.isPending || progress !== undefined}
          >
            Run a full sync
          </Button>
        }
      >
        {status.isPending && <Loading what="sync status" />}
        {status.error && <Notice tone="danger">{describeError(status.error)}</Notice>}
        {status.data && (
          <div className="stack">
            <p>
              <Badge tone={queueLength === 0 ? 'success' : 'info'}>
                {queueLength === 0 ? 'Up to date' : `${queueLength} waiting`}
              </Badge>{' '}
              {status.data.failures.length > 0 && <Badge tone="danger">{status.data.failures.length} failing</Badge>}{' '}
              {status.data.orphaned_mappings.length > 0 && (
                <Badge tone="warning">
                  {status.data.orphaned_mappings.length === 1
                    ? '1 mapping'
                    : `${status.data.orphaned_mappings.length} mappings`}{' '}
                  gone from Kisi
                </Badge>
              )}{' '}
              <span className="muted">
                Last successful Kisi call: {last ? `${formatTimestamp(last.at, zone)} (${last.operation})` : 'none yet'}
              </span>
            </p>
            {status.data.orphaned_mappings.length > 0 && (
              <Notice tone="warning" title="Door access mapped to something Kisi no longer has">
                <ul>
                  {status.data.orphaned_mappings.map((warning) => (
                    <li key={warning}>
                      <RuleText text={warning} />
                    </li>
                  ))}
                </ul>
              </Notice>
            )}
            {full.isPending && !progress && <Progress label="Full sync: reading Kisi and applying the difference" />}
            {progress && <Progress label="Full sync" done={progress.done} total={progress.total} />}
            <Table<OutboxEntryView>
              caption="Failures"
              rows={status.data.failures}
              rowKey={(e) => e.id}
              empty="No failures."
              columns={[
                {
                  header: 'What',
                  cell: (e) => (
                    <>
                      {e.person_id === null ? 'Whole location' : <PersonName id={e.person_id} />}
                      {` · ${e.reason}`}
                    </>
                  ),
                },
                { header: 'What went wrong', cell: (e) => <RuleText text={splitFix(e.last_error ?? '').what} /> },
                { header: 'What to do', cell: (e) => <RuleText text={splitFix(e.last_error ?? '').fix ?? '—'} /> },
                { header: 'Attempts', cell: (e) => e.attempts },
                { header: 'Next try', cell: (e) => formatTimestamp(e.next_try_at, zone) },
              ]}
            />
            {status.data.failures.length > 0 && (
              <div className="row">
                <Button onClick={() => full.mutate(undefined)} busy={full.isPending}>
                  Retry the failures now
                </Button>
                <span className="muted">
                  Retrying runs a full sync of the location instead of waiting for each back-off.
                </span>
              </div>
            )}
            <Table<QueueKindView>
              caption={`Queue by kind (in this order; done by, at Kisi's ${status.data.requests_per_second} requests a second)`}
              rows={status.data.kinds}
              rowKey={(k) => k.kind}
              empty="Nothing waiting."
              columns={[
                { header: 'Kind', cell: (k) => QUEUE_KINDS[k.kind] },
                { header: 'Waiting', cell: (k) => k.entries },
                { header: 'Running', cell: (k) => k.running },
                { header: 'Backing off', cell: (k) => k.backing_off },
                { header: 'Kisi requests', cell: (k) => k.kisi_requests },
                { header: 'Done', cell: (k) => (k.entries === 0 ? '—' : formatEta(k.eta_seconds)) },
              ]}
            />
            <Table<OutboxEntryView>
              caption="Queue"
              rows={status.data.queue}
              rowKey={(e) => e.id}
              empty="Nothing waiting."
              columns={[
                {
                  header: 'What',
                  cell: (e) => (e.person_id === null ? 'Whole location' : <PersonName id={e.person_id} />),
                },
                { header: 'Kind', cell: (e) => QUEUE_KINDS[e.kind] },
                { header: 'Why', cell: (e) => e.reason },
                { header: 'Queued', cell: (e) => formatTimestamp(e.created_at, zone) },
              ]}
            />
          </div>
        )}
      </Card>
      <RevocationTimes location={location} />
      <DryRun location={location} />
    </div>
  );
}

function DryRun({ location }: { location: LocationView }) {
  const api = useApi();
  const [asked, setAsked] = useState(false);
  const preview = useQuery({
    queryKey: queryKeys.dryRun(location.id),
    queryFn: () => api.sync.dryRun(location.id),
    enabled: asked,
  });
  return (
    <Card
      title="Preview (dry run)"
      labelId="dry-run"
      actions={
        <Button onClick={() => (asked ? void preview.refetch() : setAsked(true))} busy={preview.isFetching}>
          {asked ? 'Preview again' : 'Preview what a sync would change'}
        </Button>
      }
    >
      {preview.error && <Notice tone="danger">{describeError(preview.error)}</Notice>}
      {preview.data && (
        <div className="stack">
          {preview.data.operations.length === 0 ? (
            <p>Kisi already matches Doorlink: a sync would change nothing.</p>
          ) : (
            <ol aria-label="Operations a sync would make">
              {preview.data.operations.map((op, i) => (
                <li key={i}>{op}</li>
              ))}
            </ol>
          )}
          {preview.data.notices.map((n) => (
            <Notice key={n} tone="warning">
              <RuleText text={n} />
            </Notice>
          ))}
        </div>
      )}
      {!asked && <p className="muted">Nothing is changed in Kisi by a preview.</p>}
    </Card>
  );
}
