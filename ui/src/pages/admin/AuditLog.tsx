/**
 * The audit log (issue 17 point 13): every action people took in Doorlink (who did what, to whom,
 * done or refused) and every Kisi call, newest first, with filters by kind, by who acted, by whom
 * it was about, by outcome and by time, and paging. Names, not ids; times in the location's zone.
 * Below it, the location's audit log over a range of days as a CSV download (issue 15).
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { CursorPager, useCursorPages } from '../../components/CursorPager';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { queryKeys } from '../../api/queries';
import { EXPORT_DEFAULT_DAYS, EXPORT_MAX_DAYS } from '../../api/families/reports';
import { Card } from '../../components/Card';
import { CsvDownloads, DownloadInBrowser } from '../../components/CsvDownloads';
import { DateTimeField, SelectField } from '../../components/Field';
import { Badge, Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { Table } from '../../components/Table';
import type { AuditEntryView } from '../../gen/AuditEntryView';
import type { AuditQuery } from '../../gen/AuditQuery';
import type { LocationView } from '../../gen/LocationView';
import type { PersonView } from '../../gen/PersonView';
import { useNow } from '../../hooks/useNow';
import { PersonFinder } from '../frontdesk/PersonFinder';
import { PersonName } from '../frontdesk/PersonName';
import { formatTimestamp } from '../../time/format';
import { instantOfWallClock, parseWallClock, toDateInput } from '../../time/zoned';

const OUTCOME_WORDS: Record<string, string> = { succeeded: 'Done', refused: 'Refused', failed: 'Failed' };

/** The accounts that can act, named by their person's name when they have one, else their e-mail. */
function useActors() {
  const api = useApi();
  const accounts = useQuery({ queryKey: queryKeys.accounts(), queryFn: () => api.accounts.list() });
  const people = useQueries({
    queries: (accounts.data ?? []).map((a) => ({
      queryKey: queryKeys.person(a.person_id ?? 0),
      queryFn: () => api.people.get(a.person_id ?? 0),
      enabled: a.person_id !== null,
    })),
  });
  return (accounts.data ?? [])
    .map((a, i) => {
      const name = people[i]?.data?.name;
      return { value: String(a.id), label: name ? `${name} (${a.email})` : a.email };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function AuditLog({ location }: { location: LocationView }) {
  const api = useApi();
  const now = useNow();
  const zone = location.time_zone;
  const [kind, setKind] = useState('');
  const [outcome, setOutcome] = useState('');
  const [actor, setActor] = useState('');
  const [subject, setSubject] = useState<PersonView[]>([]);
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const pages = useCursorPages();
  const actors = useActors();
  const before = pages.before;
  const instant = (value: string) => {
    const wall = parseWallClock(value);
    return wall ? instantOfWallClock(wall, zone).toISOString() : null;
  };
  const query: AuditQuery = {
    location_id: location.id,
    person_id: subject[0]?.id ?? null,
    kind: kind || null,
    actor_account_id: actor ? Number(actor) : null,
    outcome: outcome || null,
    since: instant(since),
    until: instant(until),
    before,
    limit: 50,
  };
  const audit = useQuery({
    queryKey: queryKeys.audit(query),
    queryFn: () => api.audit.list(query),
    placeholderData: (p) => p,
  });
  const filter = (set: (v: string) => void) => (value: string) => {
    set(value);
    pages.reset();
  };

  return (
    <Card title="Audit log" labelId="audit-log">
      <div className="stack">
        <div className="form-row">
          <SelectField
            label="Kind"
            value={kind}
            onChange={(e) => filter(setKind)(e.target.value)}
            options={[
              { value: '', label: 'Everything' },
              { value: 'actions', label: 'Staff and admin actions' },
              { value: 'kisi_calls', label: 'Kisi calls' },
            ]}
          />
          <SelectField
            label="Who"
            value={actor}
            onChange={(e) => filter(setActor)(e.target.value)}
            options={[{ value: '', label: 'Anyone' }, ...actors]}
          />
          <SelectField
            label="Outcome"
            value={outcome}
            onChange={(e) => filter(setOutcome)(e.target.value)}
            options={[
              { value: '', label: 'All' },
              { value: 'succeeded', label: 'Done' },
              { value: 'failed', label: 'Refused or failed' },
            ]}
          />
          <DateTimeField label={`Since (${zone})`} value={since} onChange={filter(setSince)} />
          <DateTimeField label={`Until (${zone})`} value={until} onChange={filter(setUntil)} />
        </div>
        <PersonFinder
          label="About"
          picked={subject}
          onPick={(person) => {
            setSubject([person]);
            pages.reset();
          }}
          onRemove={() => {
            setSubject([]);
            pages.reset();
          }}
        />
        {audit.isPending && <Loading what="the audit log" />}
        {audit.error && <Notice tone="danger">{describeError(audit.error)}</Notice>}
        {audit.data && (
          <>
            <Table<AuditEntryView>
              caption="Actions and Kisi calls, newest first"
              rows={audit.data.entries}
              rowKey={(e) => e.id}
              empty="Nothing matches."
              columns={[
                { header: `When (${zone})`, cell: (e) => formatTimestamp(e.at, zone) },
                {
                  header: 'Who',
                  cell: (e) =>
                    e.kind === 'kisi_call' ? (
                      <span className="muted">{e.desktop_claim ? 'Desktop app' : 'Doorlink, to Kisi'}</span>
                    ) : (
                      (e.actor?.name ?? '—')
                    ),
                },
                {
                  header: 'What',
                  cell: (e) => <span title={`${e.http_method} ${e.path}`}>{e.operation}</span>,
                },
                { header: 'About', cell: (e) => (e.person_id === null ? '—' : <PersonName id={e.person_id} />) },
                {
                  header: 'Outcome',
                  cell: (e) => (
                    <>
                      <Badge
                        tone={e.outcome === 'succeeded' ? 'success' : e.outcome === 'refused' ? 'warning' : 'danger'}
                      >
                        {OUTCOME_WORDS[e.outcome] ?? e.outcome}
                      </Badge>{' '}
                      {e.desktop_claim && (
                        <>
                          <Badge tone="neutral">reported by the desktop app, not confirmed by Kisi</Badge>{' '}
                        </>
                      )}
                      <span
                        title={
                          e.http_status === null
                            ? undefined
                            : `HTTP ${e.http_status}${e.kisi_error_code ? ` · ${e.kisi_error_code}` : ''}`
                        }
                      >
                        {e.message ?? ''}
                      </span>
                    </>
                  ),
                },
              ]}
            />
            <CursorPager pages={pages} next={audit.data.next_before} />
          </>
        )}
        <section className="stack" aria-labelledby="audit-export">
          <h3 id="audit-export">Download as CSV</h3>
          {api.exports.available ? (
            <CsvDownloads
              legend="Days to download"
              today={toDateInput(now, zone)}
              days={EXPORT_DEFAULT_DAYS}
              maxDays={EXPORT_MAX_DAYS}
              downloads={[{ label: 'Audit log (CSV)', href: (range) => api.exports.audit(location.id, range) }]}
            />
          ) : (
            <DownloadInBrowser />
          )}
        </section>
      </div>
    </Card>
  );
}
