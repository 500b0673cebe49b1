/**
 * One day's bookings on a timeline: a row per resource, the location's hours across (23 or 25 on
 * the days the clocks change). A free hour is a button that books it; the same bookings follow as
 * a table, which is what screen readers read (the bars are for the eye).
 */
import type { CSSProperties } from 'react';
import { Table } from '../../../components/Table';
import type { DeskBooking } from '../../../gen/DeskBooking';
import type { DeskDay } from '../../../gen/DeskDay';
import type { DeskHour } from '../../../gen/DeskHour';
import type { DeskResource } from '../../../gen/DeskResource';
import { formatDate, formatTime, formatWindow } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import { axisOf, hourLabel, isFree, placement } from './timeline';

export function people(b: DeskBooking): string {
  const invitees = b.invitees.map((p) => p.name);
  return invitees.length === 0 ? b.booker.name : `${b.booker.name} with ${invitees.join(', ')}`;
}

export function DayTimeline({
  day,
  resources,
  zone,
  onPickSlot,
}: {
  day: DeskDay;
  resources: DeskResource[];
  zone: string;
  onPickSlot: (resource: DeskResource, hour: DeskHour) => void;
}) {
  const axis = axisOf(day);
  const dateText = formatDate(day.starts_at, zone);
  const name = (id: number) => resources.find((r) => r.id === id)?.name ?? `Resource ${id}`;
  const columns = { '--hours': axis.hours.length } as CSSProperties;
  return (
    <>
      <div
        className="timeline"
        role="group"
        aria-label={`Timeline of ${dateText}, ${zoneName(zone)}: pick a free hour to book it`}
        style={columns}
      >
        <div className="timeline-row timeline-head" aria-hidden="true">
          <span className="timeline-name" />
          <div className="timeline-track">
            {axis.hours.map((h) => (
              <span key={h.at} className="timeline-hour">
                {h.local}
              </span>
            ))}
          </div>
        </div>
        {resources.map((r) => (
          <div className="timeline-row" key={r.id}>
            <span className="timeline-name">{r.name}</span>
            <div className="timeline-track">
              {axis.hours.map((h, i) =>
                isFree(h, r.id, day.bookings) ? (
                  <button
                    key={h.at}
                    type="button"
                    className="timeline-slot"
                    aria-label={`Book ${r.name} at ${hourLabel(axis.hours, i)}`}
                    onClick={() => onPickSlot(r, h)}
                  >
                    <span aria-hidden="true">+</span>
                  </button>
                ) : (
                  <span key={h.at} className="timeline-taken" />
                ),
              )}
              {day.bookings
                .filter((b) => b.resource_id === r.id)
                .map((b) => {
                  const place = placement(b.start, b.end, axis);
                  return (
                    <div
                      key={b.id}
                      className="timeline-booking"
                      aria-hidden="true"
                      title={`${r.name}, ${formatWindow(b.start, b.end, zone)}: ${people(b)}`}
                      style={{ left: `${place.left}%`, width: `${place.width}%` }}
                    >
                      {b.from_earlier_day && '← '}
                      {formatTime(b.start, zone)}–{formatTime(b.end, zone)}
                      {b.into_later_day && ' →'} {b.booker.name}
                      {b.invitees.length > 0 && ` +${b.invitees.length}`}
                    </div>
                  );
                })}
            </div>
          </div>
        ))}
      </div>
      <Table<DeskBooking>
        caption={`Bookings on ${dateText} (${zoneName(zone)})`}
        rows={day.bookings}
        rowKey={(b) => b.id}
        empty="No bookings this day."
        columns={[
          { header: 'Resource', cell: (b) => name(b.resource_id) },
          { header: 'When', cell: (b) => formatWindow(b.start, b.end, zone) },
          { header: 'Booker', cell: (b) => b.booker.name },
          {
            header: 'Invitees',
            cell: (b) => (b.invitees.length === 0 ? '—' : b.invitees.map((p) => p.name).join(', ')),
          },
        ]}
      />
    </>
  );
}
