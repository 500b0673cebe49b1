/**
 * Wall-clock arithmetic in a location's IANA time zone, with nothing but `Intl.DateTimeFormat`.
 *
 * All calendar arithmetic happens in the location's zone (access-rules.md, "When access exists"):
 * "tomorrow" means the next calendar date there, not "24 hours later", so a day with a
 * daylight-saving change is still one day.
 */

/** A calendar date and a wall-clock time in some zone, as plain numbers (month 1–12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(zone);
  if (!formatter) {
    // Throws a RangeError naming the zone when it is not a valid IANA zone.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall clock in `zone` at `instant`. */
export function wallClockAt(instant: Date, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of partFormatter(zone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The wall clock read as if it were UTC, in milliseconds: a number to compare and subtract. */
function wallMillis(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** The zone's offset from UTC at `instant`, in milliseconds (positive east of Greenwich). */
export function offsetAt(instant: Date, zone: string): number {
  const whole = new Date(Math.floor(instant.getTime() / 1000) * 1000);
  return wallMillis(wallClockAt(whole, zone)) - whole.getTime();
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * The instant at which `zone`'s clocks show `wall`.
 *
 * Like the core crate (access-rules.md): a wall-clock time that exists twice (clocks fall back)
 * is the earlier instant; one that does not exist (clocks jump forward) resolves to the earliest
 * valid instant after it, which is the transition itself (02:30 on Berlin's spring-forward day is
 * 03:00 CEST).
 */
export function instantOfWallClock(wall: WallClock, zone: string): Date {
  const target = wallMillis(wall);
  // Offsets a day either side bracket any transition near the wall-clock time.
  const offsets = new Set([
    offsetAt(new Date(target - 24 * HOUR), zone),
    offsetAt(new Date(target), zone),
    offsetAt(new Date(target + 24 * HOUR), zone),
  ]);
  const matches = [...offsets]
    .map((offset) => target - offset)
    .filter((candidate) => wallMillis(wallClockAt(new Date(candidate), zone)) === target)
    .sort((a, b) => a - b);
  if (matches[0] !== undefined) return new Date(matches[0]);

  // A gap: search, minute by minute, for the first instant showing the wanted time or later.
  let low = Math.floor((target - Math.max(...offsets)) / MINUTE); // before the gap
  let high = Math.ceil((target - Math.min(...offsets)) / MINUTE); // after it
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallMillis(wallClockAt(new Date(middle * MINUTE), zone)) >= target) high = middle;
    else low = middle;
  }
  return new Date(high * MINUTE);
}

/** Parses "YYYY-MM-DDTHH:mm" (an `<input type="datetime-local">` value) as a wall clock. */
export function parseWallClock(value: string): WallClock | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((n) => Number(n ?? 0));
  return {
    year: year ?? 0,
    month: month ?? 0,
    day: day ?? 0,
    hour: hour ?? 0,
    minute: minute ?? 0,
    second: second ?? 0,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DDTHH:mm": the value an `<input type="datetime-local">` shows for `instant` in `zone`. */
export function toDateTimeInput(instant: Date, zone: string): string {
  const w = wallClockAt(instant, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** "YYYY-MM-DD": the calendar date in `zone` at `instant`. */
export function toDateInput(instant: Date, zone: string): string {
  const w = wallClockAt(instant, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Whole calendar days from `from`'s date to `to`'s date in `zone` (tomorrow is 1, whatever DST does). */
export function calendarDaysBetween(from: Date, to: Date, zone: string): number {
  const a = wallClockAt(from, zone);
  const b = wallClockAt(to, zone);
  const dayA = Date.UTC(a.year, a.month - 1, a.day);
  const dayB = Date.UTC(b.year, b.month - 1, b.day);
  return Math.round((dayB - dayA) / (24 * HOUR));
}

/**
 * A default slot for a new booking or visit: from the next whole hour on the location's clock,
 * `hours` long, as `datetime-local` values.
 */
export function nextSlot(now: Date, zone: string, hours: number): { start: string; end: string } {
  const wall = wallClockAt(now, zone);
  const next = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour + 1));
  const asWall = (d: Date): WallClock => ({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: 0,
    second: 0,
  });
  const start = instantOfWallClock(asWall(next), zone);
  const end = instantOfWallClock(asWall(new Date(next.getTime() + hours * HOUR)), zone);
  return { start: toDateTimeInput(start, zone), end: toDateTimeInput(end, zone) };
}
