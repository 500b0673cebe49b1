/**
 * A person's ledger (issue 15): the doors they opened or tried at the selected location over the
 * chosen days (the last 30 by default), newest first, each against what Doorlink gave them there
 * then (see ledgerWords.ts), with the rule that stood in the way as the Access page explains it;
 * the day passes they used, and what they paid for or booked and never came to.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { queryKeys } from '../../../api/queries';
import { hasRole, useAccount } from '../../../app/auth';
import { useCurrentLocation } from '../../../app/location';
import { lastDays, type DateRange } from '../../../components/dateRange';
import { DateRangeFields, useDateRange } from '../../../components/DateRangeFields';
import { Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { Table } from '../../../components/Table';
import type { LedgerEntryView } from '../../../gen/LedgerEntryView';
import type { LedgerView } from '../../../gen/LedgerView';
import type { LocationView } from '../../../gen/LocationView';
import type { PersonView } from '../../../gen/PersonView';
import { useNow } from '../../../hooks/useNow';
import { formatDate, formatLocalDate as localDate, formatTime } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import { toDateInput } from '../../../time/zoned';
import { ReasonNote } from '../../access/ReasonList';
import { LEDGER_TONE, ledgerKind, ledgerWords } from './ledgerWords';

/** The days shown at first: today and the 29 before it, as on the Attendance tab. */
const DAYS = 30;

export function PersonLedger({ person }: { person: PersonView }) {
  const { location } = useCurrentLocation();
  if (!location) return <Notice tone="info">Create a location first.</Notice>;
  // A new location starts from its own today.
  return <LocationLedger key={location.id} person={person} location={location} />;
}

function LocationLedger({ person, location }: { person: PersonView; location: LocationView }) {
  const api = useApi();
  const now = useNow();
  const zone = location.time_zone;
  const { draft, setDraft, range, problem } = useDateRange(lastDays(toDateInput(now, zone), DAYS));
  const query = { location_id: location.id, from: range.from, to: range.to };
  const ledger = useQuery({
    queryKey: queryKeys.ledger(person.id, query),
    queryFn: () => api.ledger.of(person.id, query),
    placeholderData: (previous) => previous,
  });
  return (
    <div className="stack">
      <div className="form-row">
        <DateRangeFields legend="Days" value={draft} onChange={setDraft} problem={problem} />
      </div>
      {ledger.isPending && <Loading what="the ledger" />}
      {ledger.error && <Notice tone="danger">{describeError(ledger.error)}</Notice>}
      {ledger.data && <LedgerBody ledger={ledger.data} person={person} location={location} range={range} now={now} />}
    </div>
  );
}

function LedgerBody({
  ledger,
  person,
  location,
  range,
  now,
}: {
  ledger: LedgerView;
  person: PersonView;
  location: LocationView;
  range: DateRange;
  now: Date;
}) {
  const zone = location.time_zone;
  const days = `${localDate(range.from, now)} – ${localDate(range.to, now)}`;
  const fromTo = `from ${localDate(range.from, now)} to ${localDate(range.to, now)}`;
  const lockouts = ledger.entries.filter((entry) => ledgerKind(entry) === 'locked_out').length;
  return (
    <>
      {lockouts > 0 && <LockoutNotice count={lockouts} person={person} />}
      <Table<LedgerEntryView>
        caption={`Doors at ${location.name}, ${days}, newest first (${zoneName(zone)})`}
        rows={ledger.entries}
        rowKey={(e) => `${e.at}|${e.door}|${e.opened}`}
        empty={`${person.name} opened or tried no door at ${location.name} ${fromTo}.`}
        attention={(e) => ledgerKind(e) === 'locked_out'}
        columns={[
          { header: 'When', cell: (e) => `${formatDate(e.at, zone, now)} ${formatTime(e.at, zone)}` },
          { header: 'Door', cell: (e) => e.door },
          {
            header: 'What happened',
            cell: (e) => {
              const { headline, detail } = ledgerWords(e);
              // The kind in its tone's colour, then the rest of the sentence, read as one.
              return (
                <span className="ledger-what" data-tone={LEDGER_TONE[ledgerKind(e)]}>
                  <strong>{headline}</strong>
                  {detail}
                </span>
              );
            },
          },
          {
            header: 'Why',
            cell: (e) =>
              e.reason ? (
                <div className="ledger-reason">
                  <ReasonNote reason={e.reason} />
                </div>
              ) : (
                ''
              ),
          },
        ]}
      />
      <section className="stack" aria-labelledby="passes-used">
        <h3 id="passes-used">Day passes used</h3>
        {ledger.passes_used.length === 0 ? (
          <p className="muted">No day pass used {fromTo}.</p>
        ) : (
          <ul className="plain-list" aria-labelledby="passes-used">
            {ledger.passes_used.map((pass) => (
              <li key={pass.day_pass_id}>
                Day pass for {localDate(pass.date, now)}: used at {formatTime(pass.used_at, zone)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="stack" aria-labelledby="never-came">
        <h3 id="never-came">Paid or booked, never came</h3>
        {ledger.never_came.length === 0 ? (
          <p className="muted">Nothing paid for or booked went unused {fromTo}.</p>
        ) : (
          <ul className="plain-list" aria-labelledby="never-came">
            {ledger.never_came.map((missed) => (
              <li key={`${missed.kind}:${missed.id}`}>Paid but never came: {missed.what}</li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** A lockout is the case someone must act on: said above the table, with where to look. */
function LockoutNotice({ count, person }: { count: number; person: PersonView }) {
  const account = useAccount();
  return (
    <Notice tone="warning" title={`${person.name} was locked out ${count === 1 ? 'once' : `${count} times`}`}>
      <p>
        Kisi refused a door Doorlink granted: the grant may not have reached Kisi, or Kisi holds something against it.{' '}
        {hasRole(account.role, 'admin') ? (
          <Link to="/admin/sync">Look at Admin › Sync with Kisi.</Link>
        ) : (
          'An admin can look at Admin › Sync with Kisi.'
        )}
      </p>
    </Notice>
  );
}
