/**
 * A range of local dates ("YYYY-MM-DD", both included) as the ledger, the occupancy chart and the
 * CSV exports ask the hub for them, and what is wrong with one in words.
 */
export interface DateRange {
  from: string;
  to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;

/** The local date `days` after `date` (calendar arithmetic on the date alone: no zone moves it). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The `days` days ending with `today` ("YYYY-MM-DD"), both included. */
export function lastDays(today: string, days: number): DateRange {
  return { from: addDays(today, 1 - days), to: today };
}

/** Days in the range, both ends included: a single day is 1. */
export function daysInRange({ from, to }: DateRange): number {
  const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
  return Math.round(day(to) - day(from)) + 1;
}

/** Why the range cannot be asked for, in words; undefined when it can. */
export function rangeProblem(range: DateRange, maxDays?: number): string | undefined {
  if (!DATE.test(range.from) || !DATE.test(range.to)) return 'Pick a first and a last day.';
  const days = daysInRange(range);
  if (days < 1) return 'The first day is after the last one.';
  if (maxDays !== undefined && days > maxDays) return `At most ${maxDays} days at once: these are ${days}.`;
  return undefined;
}
