/**
 * What needs the front desk now, whatever day is shown: failing Kisi work (with who it concerns
 * and what to do), who is on hold (R14) and who has door access right now, with what gives it.
 */
import { useState } from 'react';
import { Button } from '../../../components/Button';
import { Card } from '../../../components/Card';
import { Notice } from '../../../components/Notice';
import { Table } from '../../../components/Table';
import type { DeskFailure } from '../../../gen/DeskFailure';
import type { DeskNow } from '../../../gen/DeskNow';
import { formatMoment } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';

/** How many names the access list shows before "Show all". */
const FIRST_NAMES = 25;

export function NeedsAttention({ now, zone }: { now: DeskNow; zone: string }) {
  const { kisi, failures } = now;
  const when = (at: string | null) => (at ? `${formatMoment(at, zone, now.at)} (${zoneName(zone)})` : 'a moment ago');
  return (
    <Card title="Needs attention" labelId="desk-attention">
      {kisi.failing_since && (
        <Notice tone="danger" title={`Kisi has been failing since ${when(kisi.failing_since)}`}>
          {kisi.message}
        </Notice>
      )}
      {failures.length === 0 && !kisi.failing_since && (
        <p className="muted">
          Nothing needs you: Kisi confirms what Doorlink writes
          {kisi.last_success_at ? ` (last answer ${when(kisi.last_success_at)})` : ''}.
        </p>
      )}
      {failures.length > 0 && (
        <Table<DeskFailure>
          caption={`${failures.length} ${failures.length === 1 ? 'change Kisi keeps refusing' : 'changes Kisi keeps refusing'}`}
          rows={failures}
          rowKey={(f) => f.entry_id}
          columns={[
            { header: 'Whose access', cell: (f) => f.person?.name ?? 'Everyone at the location' },
            { header: 'Failing since', cell: (f) => when(f.failing_since) },
            { header: 'Attempts', cell: (f) => f.attempts },
            { header: 'What went wrong', cell: (f) => f.message },
          ]}
        />
      )}
    </Card>
  );
}

export function AccessNow({ now }: { now: DeskNow }) {
  const [all, setAll] = useState(false);
  const shown = all ? now.access : now.access.slice(0, FIRST_NAMES);
  const count = now.access.length;
  return (
    <Card title={`Access now: ${count} ${count === 1 ? 'person' : 'people'}`} labelId="desk-access-now">
      {count === 0 ? (
        <p className="muted">Nobody has door access right now.</p>
      ) : (
        <ul className="plain-list" aria-label="People with door access now">
          {shown.map((a) => (
            <li key={a.person.id}>
              {a.person.name} <span className="muted">· {a.via.join('; ')}</span>
            </li>
          ))}
        </ul>
      )}
      {count > FIRST_NAMES && (
        <Button size="small" onClick={() => setAll((v) => !v)}>
          {all ? `Show the first ${FIRST_NAMES}` : `Show all ${count}`}
        </Button>
      )}
    </Card>
  );
}

export function OnHold({ now, zone }: { now: DeskNow; zone: string }) {
  return (
    <Card title={`On hold: ${now.on_hold.length}`} labelId="desk-on-hold">
      {now.on_hold.length === 0 ? (
        <p className="muted">Nobody's door access is on hold.</p>
      ) : (
        <ul className="plain-list" aria-label="People on hold">
          {now.on_hold.map((h) => (
            <li key={h.person.id}>
              {h.person.name} <span className="muted">· since {formatMoment(h.since, zone, now.at)}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
