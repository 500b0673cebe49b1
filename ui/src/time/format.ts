/**
 * The words the Access page and the front desk use for instants, always in the location's zone
 * (A1: "until 16:30"; upcoming windows: "opens tomorrow 08:30").
 */
import { calendarDaysBetween, wallClockAt } from './zoned';

/** Accepts what the wire carries (RFC 3339 strings) as well as dates. */
export type InstantLike = Date | string;

const toDate = (instant: InstantLike): Date => (instant instanceof Date ? instant : new Date(instant));

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...options });
    formatters.set(key, cached);
  }
  return cached;
}

/** "16:30": the 24-hour wall-clock time in `zone`. */
export function formatTime(instant: InstantLike, zone: string): string {
  const wall = wallClockAt(toDate(instant), zone);
  return `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
}

/** "Fri 12 Dec" (and the year when it is not `now`'s). */
export function formatDate(instant: InstantLike, zone: string, now: InstantLike = new Date()): string {
  const date = toDate(instant);
  const sameYear = wallClockAt(date, zone).year === wallClockAt(toDate(now), zone).year;
  return formatter(zone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  })
    .format(date)
    .replace(',', '');
}

/** A local date "YYYY-MM-DD" (a location's day, as the hub sends it) as `formatDate` says it: "Tue 24 Nov". */
export function formatLocalDate(date: string, now: InstantLike = new Date()): string {
  // Read at noon UTC, so no zone moves it to another day.
  return formatDate(`${date}T12:00:00Z`, 'UTC', now);
}

/** "today", "tomorrow", "yesterday", "Fri" within the coming week, else "Fri 12 Dec". */
export function formatDay(instant: InstantLike, zone: string, now: InstantLike = new Date()): string {
  const date = toDate(instant);
  const days = calendarDaysBetween(toDate(now), date, zone);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  if (days > 1 && days < 7) return formatter(zone, { weekday: 'short' }).format(date);
  return formatDate(date, zone, now);
}

/** "16:30" today, else "tomorrow 16:30", "Fri 16:30", "Fri 12 Dec 16:30". */
export function formatMoment(instant: InstantLike, zone: string, now: InstantLike = new Date()): string {
  const day = formatDay(instant, zone, now);
  const time = formatTime(instant, zone);
  return day === 'today' ? time : `${day} ${time}`;
}

/**
 * When a window that is open now closes: "until 16:30", "until tomorrow 10:00". A window ending
 * at midnight ends with the day before it (R2, R9: the last day is a full day): "until midnight",
 * "until end of Fri 12 Dec". `null` is an open-ended window.
 */
export function formatUntil(
  until: InstantLike | null | undefined,
  zone: string,
  now: InstantLike = new Date(),
): string {
  if (until === null || until === undefined) return 'no end date';
  const end = toDate(until);
  const wall = wallClockAt(end, zone);
  if (wall.hour === 0 && wall.minute === 0) {
    const days = calendarDaysBetween(toDate(now), end, zone);
    if (days === 1) return 'until midnight';
    const lastDay = new Date(end.getTime() - 1);
    return `until end of ${formatDay(lastDay, zone, now)}`;
  }
  return `until ${formatMoment(end, zone, now)}`;
}

/** When an upcoming window opens: "opens 08:30", "opens tomorrow 08:30", "opens Fri 12 Dec 00:00". */
export function formatOpens(from: InstantLike, zone: string, now: InstantLike = new Date()): string {
  return `opens ${formatMoment(from, zone, now)}`;
}

/** A window for tables: "Fri 12 Dec 11:30–16:30", "Fri 12 Dec 00:00 – Sat 13 Dec 10:00", "from … on". */
export function formatWindow(
  from: InstantLike,
  until: InstantLike | null | undefined,
  zone: string,
  now: InstantLike = new Date(),
): string {
  const start = `${formatDate(from, zone, now)} ${formatTime(from, zone)}`;
  if (until === null || until === undefined) return `from ${start}, no end date`;
  if (calendarDaysBetween(toDate(from), toDate(until), zone) === 0) {
    return `${start}–${formatTime(until, zone)}`;
  }
  return `${start} – ${formatDate(until, zone, now)} ${formatTime(until, zone)}`;
}

/** "Fri 12 Dec 2026, 16:30": an unambiguous moment for logs and audit rows. */
export function formatTimestamp(instant: InstantLike, zone: string): string {
  return formatter(zone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(toDate(instant))
    .replace(/,(?= \d{1,2} )/, '');
}
