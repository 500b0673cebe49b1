import { describe, expect, it } from 'vitest';
import type { DeskBooking } from '../../../gen/DeskBooking';
import type { DeskDay } from '../../../gen/DeskDay';
import type { DeskHour } from '../../../gen/DeskHour';
import { axisOf, hourLabel, isFree, placement } from './timeline';

const HOUR = 3_600_000;

/** The hub's hour axis of a Berlin day from its first instant: `labels` in order, one hour apart. */
function day(startsAt: string, labels: string[], bookings: DeskBooking[] = []): DeskDay {
  const start = new Date(startsAt).getTime();
  const hours: DeskHour[] = labels.map((local, i) => ({ at: new Date(start + i * HOUR).toISOString(), local }));
  return {
    date: startsAt.slice(0, 10),
    starts_at: startsAt,
    ends_at: new Date(start + labels.length * HOUR).toISOString(),
    hours,
    bookings,
    visits: [],
    day_passes: [],
  };
}

const pad = (n: number) => `${String(n).padStart(2, '0')}:00`;
const ordinary = Array.from({ length: 24 }, (_, h) => pad(h));
/** Berlin, 29 Mar 2026: 02:00 does not exist. */
const springForward = ordinary.filter((l) => l !== '02:00');
/** Berlin, 25 Oct 2026: 02:00 comes twice. */
const fallBack = [...ordinary.slice(0, 3), '02:00', ...ordinary.slice(3)];

function booking(start: string, end: string, resource_id = 1): DeskBooking {
  return {
    id: 1,
    resource_id,
    booker: { id: 4, name: 'Mia Keller' },
    invitees: [],
    start,
    end,
    start_local: '',
    end_local: '',
    from_earlier_day: false,
    into_later_day: false,
  };
}

describe('the Today timeline', () => {
  it('shows 07:00 to 21:00 on the location clock when nothing happens outside it', () => {
    const axis = axisOf(day('2026-11-23T23:00:00Z', ordinary));
    expect(axis.hours.map((h) => h.local)).toEqual(ordinary.slice(7, 21));
    expect(new Date(axis.start).toISOString()).toBe('2026-11-24T06:00:00.000Z');
    expect(new Date(axis.end).toISOString()).toBe('2026-11-24T20:00:00.000Z');
  });

  it('on the spring-forward day has no 02:00 and places a booking by the location clock', () => {
    // 01:30–03:30 Berlin on 29 Mar 2026 is one real hour: 00:30–01:30 UTC.
    const d = day('2026-03-28T23:00:00Z', springForward, [booking('2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z')]);
    const axis = axisOf(d);
    expect(axis.hours.map((h) => h.local).slice(0, 4)).toEqual(['01:00', '03:00', '04:00', '05:00']);
    const place = placement('2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z', axis);
    // Axis 01:00 (00:00Z) to 21:00 (19:00Z): 19 hours; the booking starts half an hour in, lasts one.
    expect(place.left).toBeCloseTo((0.5 / 19) * 100);
    expect(place.width).toBeCloseTo((1 / 19) * 100);
  });

  it('names the repeated hour of the fall-back day so two buttons never read the same', () => {
    const d = day('2026-10-24T22:00:00Z', fallBack);
    expect(d.hours).toHaveLength(25);
    expect(hourLabel(d.hours, 2)).toBe('02:00');
    expect(hourLabel(d.hours, 3)).toBe('02:00 (second time)');
  });

  it('starts the axis at midnight for a booking from the day before and cuts it there', () => {
    const d = day('2026-11-23T23:00:00Z', ordinary, [booking('2026-11-23T21:00:00Z', '2026-11-24T01:00:00Z')]);
    const axis = axisOf(d);
    expect(axis.hours[0]?.local).toBe('00:00');
    const place = placement('2026-11-23T21:00:00Z', '2026-11-24T01:00:00Z', axis);
    expect(place.left).toBe(0);
    expect(place.width).toBeCloseTo((2 / 21) * 100);
  });

  it('offers an hour to book only where no booking of that resource overlaps it', () => {
    const bookings = [booking('2026-11-24T08:30:00Z', '2026-11-24T10:30:00Z', 1)];
    const at = (iso: string): DeskHour => ({ at: iso, local: '' });
    expect(isFree(at('2026-11-24T08:00:00Z'), 1, bookings)).toBe(false);
    expect(isFree(at('2026-11-24T10:00:00Z'), 1, bookings)).toBe(false);
    // A booking ending exactly where the hour begins leaves it free.
    expect(isFree(at('2026-11-24T10:30:00Z'), 1, bookings)).toBe(true);
    expect(isFree(at('2026-11-24T11:00:00Z'), 1, bookings)).toBe(true);
    expect(isFree(at('2026-11-24T07:45:00Z'), 1, bookings)).toBe(false);
    expect(isFree(at('2026-11-24T07:00:00Z'), 1, bookings)).toBe(true);
    expect(isFree(at('2026-11-24T09:00:00Z'), 2, bookings)).toBe(true);
  });
});
