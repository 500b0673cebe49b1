/** Seven days at a glance: each resource's bookings per day, and each day's visitors and day passes. */
import { Table } from '../../../components/Table';
import type { DeskDay } from '../../../gen/DeskDay';
import type { DeskResource } from '../../../gen/DeskResource';
import { formatDate, formatTime } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import { people } from './DayTimeline';

type Row = { kind: 'resource'; resource: DeskResource } | { kind: 'visits' } | { kind: 'passes' };

function cell(row: Row, day: DeskDay, zone: string) {
  const items =
    row.kind === 'resource'
      ? day.bookings
          .filter((b) => b.resource_id === row.resource.id)
          .map((b) => ({
            id: b.id,
            text: `${b.from_earlier_day ? '…' : formatTime(b.start, zone)}–${b.into_later_day ? '…' : formatTime(b.end, zone)} ${people(b)}`,
          }))
      : row.kind === 'visits'
        ? day.visits.map((v) => ({ id: v.id, text: `${formatTime(v.expected_arrival, zone)} ${v.visitor.name}` }))
        : day.day_passes.map((d) => ({ id: d.id, text: d.person.name }));
  if (items.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="week-cell">
      {items.map((item) => (
        <li key={item.id}>{item.text}</li>
      ))}
    </ul>
  );
}

export function WeekGrid({ days, resources, zone }: { days: DeskDay[]; resources: DeskResource[]; zone: string }) {
  const first = days[0];
  const rows: Row[] = [
    ...resources.map((resource): Row => ({ kind: 'resource', resource })),
    { kind: 'visits' },
    { kind: 'passes' },
  ];
  const label = (row: Row) =>
    row.kind === 'resource' ? row.resource.name : row.kind === 'visits' ? 'Expected visitors' : 'Day passes';
  return (
    <Table<Row>
      caption={`The week from ${first ? formatDate(first.starts_at, zone) : ''} (${zoneName(zone)})`}
      rows={rows}
      rowKey={(row) => (row.kind === 'resource' ? row.resource.id : row.kind)}
      columns={[
        { header: 'Resource', cell: (row) => <strong>{label(row)}</strong> },
        ...days.map((day) => ({ header: formatDate(day.starts_at, zone), cell: (row: Row) => cell(row, day, zone) })),
      ]}
    />
  );
}
