/** The audit log of every Kisi call, newest first, with filters and paging. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { queryKeys } from '../../api/queries';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { DateTimeField, SelectField, TextField } from '../../components/Field';
import { Badge, Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { Table } from '../../components/Table';
import type { AuditEntryView } from '../../gen/AuditEntryView';
import type { AuditQuery } from '../../gen/AuditQuery';
import type { LocationView } from '../../gen/LocationView';
import { PersonName } from '../frontdesk/PersonName';
import { formatTimestamp } from '../../time/format';
import { instantOfWallClock, parseWallClock } from '../../time/zoned';

export function AuditLog({ location }: { location: LocationView }) {
  const api = useApi();
  const zone = location.time_zone;
  const [outcome, setOutcome] = useState('');
  const [personId, setPersonId] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [pages, setPages] = useState<(number | null)[]>([null]);
  const before = pages.at(-1) ?? null;
  const instant = (value: string) => {
    const wall = parseWallClock(value);
    return wall ? instantOfWallClock(wall, zone).toISOString() : null;
  };
  const query: AuditQuery = {
    location_id: location.id,
    person_id: personId ? Number(personId) : null,
    outcome: outcome || null,
    since: instant(since),
    until: instant(until),
    before,
    limit: 50,
  };
  const audit = useQuery({ queryKey: queryKeys.audit(query), queryFn: () => api.audit.list(query), placeholderData: (p) => p });
  const filter = (set: (v: string) => void) => (value: string) => {
    set(value);
    setPages([null]);
  };
  const personProblem = personId && !/^\d+$/.test(personId) ? 'Enter a person number.' : undefined;

  return (
    <Card title="Audit log" labelId="audit-log">
      <div className="stack">
        <div className="form-row">
          <SelectField
            label="Outcome"
            value={outcome}
            onChange={(e) => filter(setOutcome)(e.target.value)}
            options={[
              { value: '', label: 'All' },
              { value: 'succeeded', label: 'Succeeded' },
              { value: 'failed', label: 'Failed' },
            ]}
          />
          <TextField label="Person number" inputMode="numeric" value={personId} onChange={(e) => filter(setPersonId)(e.target.value)} problem={personProblem} />
          <DateTimeField label={`Since (${zone})`} value={since} onChange={filter(setSince)} />
          <DateTimeField label={`Until (${zone})`} value={until} onChange={filter(setUntil)} />
        </div>
        {audit.isPending && <Loading what="the audit log" />}
        {audit.error && <Notice tone="danger">{describeError(audit.error)}</Notice>}
        {audit.data && (
          <>
            <Table<AuditEntryView>
              caption="Kisi calls, newest first"
              rows={audit.data.entries}
              rowKey={(e) => e.id}
              empty="No calls match."
              columns={[
                { header: 'When', cell: (e) => formatTimestamp(e.at, zone) },
                { header: 'Operation', cell: (e) => e.operation },
                { header: 'Person', cell: (e) => (e.person_id === null ? '—' : <PersonName id={e.person_id} />) },
                { header: 'Call', cell: (e) => <span className="mono">{`${e.http_method} ${e.path}`}</span> },
                {
                  header: 'Outcome',
                  cell: (e) => (
                    <>
                      <Badge tone={e.outcome === 'succeeded' ? 'success' : 'danger'}>
                        {e.outcome}
                        {e.http_status !== null && ` ${e.http_status}`}
                      </Badge>{' '}
                      {e.desktop_claim && (
                        <>
                          <Badge tone="neutral">reported by the desktop app, not confirmed by Kisi</Badge>{' '}
                        </>
                      )}
                      {e.message ?? e.kisi_error_code ?? ''}
                    </>
                  ),
                },
                { header: 'Took', cell: (e) => `${e.duration_ms} ms` },
              ]}
            />
            <div className="row">
              <Button disabled={pages.length === 1} onClick={() => setPages((p) => p.slice(0, -1))}>
                Newer
              </Button>
              <Button disabled={audit.data.next_before === null} onClick={() => setPages((p) => [...p, audit.data.next_before])}>
                Older
              </Button>
            </div>
          </>
        )}
      </div>
    </Card>
  );
}
