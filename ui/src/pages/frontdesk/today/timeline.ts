/**
 * The geometry of the Today timeline (issue 17, point 8): which of the day's hours are shown, where a
 * booking sits on the axis and which hours of a resource are free to book. Everything is measured in
 * instants from the hub's hour axis, so a day of 23 or 25 hours (daylight saving time) is laid out
 * by the location's clock, never the browser's.
 */
import type { DeskBooking } from '../../../gen/DeskBooking';
import type { DeskDay } from '../../../gen/DeskDay';
import type { DeskHour } from '../../../gen/DeskHour';

const HOUR = 3_600_000;
/** The working day shown when nothing happens outside it. */
const FIRST_LOCAL = '07:00';
const LAST_LOCAL = '21:00';

const ms = (instant: string) => new Date(instant).getTime();

/** The shown hours and the instants the axis spans. */
export interface Axis {
  hours: DeskHour[];
  start: number;
  end: number;
}

/**
 * 07:00 to 21:00 on the location's clock, widened to every booking of the day (one that began the
 * day before starts the axis at midnight).
 */
export function axisOf(day: DeskDay): Axis {
  const all = day.hours;
  const dayStart = ms(day.starts_at);
  const indexAt = (instant: number) => Math.floor((instant - dayStart) / HOUR);
  let first = all.findIndex((h) => h.local >= FIRST_LOCAL);
  let last = all.findIndex((h) => h.local >= LAST_LOCAL);
  if (first < 0) first = 0;
  if (last < 0) last = all.length;
  for (const b of day.bookings) {
    first = Math.min(first, Math.max(0, indexAt(ms(b.start))));
    last = Math.max(last, Math.min(all.length, Math.ceil((ms(b.end) - dayStart) / HOUR)));
  }
  const hours = all.slice(first, last);
  const end = last >= all.length ? ms(day.ends_at) : ms(all[last]?.at ?? day.ends_at);
  return { hours, start: ms(hours[0]?.at ?? day.starts_at), end };
}

/** Where `[from, until)` sits on the axis, in percent of its width, cut to the axis. */
export function placement(from: string, until: string, axis: Axis): { left: number; width: number } {
  const span = axis.end - axis.start;
  const a = Math.max(ms(from), axis.start);
  const b = Math.min(ms(until), axis.end);
  return { left: ((a - axis.start) / span) * 100, width: (Math.max(0, b - a) / span) * 100 };
}

/** An hour of the axis a resource has free: a live booking of it overlapping the hour takes it. */
export function isFree(hour: DeskHour, resourceId: number, bookings: DeskBooking[]): boolean {
  const from = ms(hour.at);
  const until = from + HOUR;
  return !bookings.some((b) => b.resource_id === resourceId && ms(b.start) < until && ms(b.end) > from);
}

/** "02:00", and on the day the clocks go back the repeated hour says so: "02:00 (second time)". */
export function hourLabel(hours: DeskHour[], index: number): string {
  const hour = hours[index];
  if (!hour) return '';
  const repeated = hours.slice(0, index).some((h) => h.local === hour.local);
  return repeated ? `${hour.local} (second time)` : hour.local;
}
