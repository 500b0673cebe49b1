/**
 * The occupancy chart's numbers (issue 15), from the hub's `OccupancyView`: people in during each
 * local hour of one day, or of an average day over the range, and each day's peak and visitors.
 * Hours are the location's wall-clock hours: a day the clocks change has 23 or 25 of them, so each
 * is named by the hour its clock showed, and an average day counts each hour over the days that
 * had it.
 */
import type { OccupancyDayView } from '../../../gen/OccupancyDayView';
import { formatTime } from '../../../time/format';
import { instantOfWallClock } from '../../../time/zoned';

export interface HourBar {
  /** "09:00", the hour on the location's clock. */
  hour: string;
  people: number;
}

export interface DayBar {
  date: string;
  peak: number;
  visitors: number;
}

/** The wall-clock hour each of a day's numbers starts at: "00:00", "01:00", … ("02:00" twice in autumn). */
export function hourNames(date: string, hours: number, zone: string): string[] {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const midnight = instantOfWallClock({ year, month, day, hour: 0, minute: 0, second: 0 }, zone).getTime();
  return Array.from({ length: hours }, (_, i) => formatTime(new Date(midnight + i * 3_600_000), zone));
}

/** One day's people in, hour by hour. */
export function hoursOfDay(day: OccupancyDayView, zone: string): HourBar[] {
  const names = hourNames(day.date, day.hours.length, zone);
  return day.hours.map((people, i) => ({ hour: names[i] ?? `${i}`, people }));
}

/** One decimal: "2.3 people in on average". */
const tenths = (n: number) => Math.round(n * 10) / 10;

/**
 * An average day over `days`: for each hour of the clock, the people in then averaged over the
 * days that had that hour (an hour the clock showed twice counts its busier half).
 */
export function averageDay(days: OccupancyDayView[], zone: string): HourBar[] {
  const totals = new Map<string, { sum: number; days: number }>();
  for (const day of days) {
    const busiest = new Map<string, number>();
    for (const { hour, people } of hoursOfDay(day, zone)) busiest.set(hour, Math.max(people, busiest.get(hour) ?? 0));
    for (const [hour, people] of busiest) {
      const total = totals.get(hour) ?? { sum: 0, days: 0 };
      totals.set(hour, { sum: total.sum + people, days: total.days + 1 });
    }
  }
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([hour, { sum, days: count }]) => ({ hour, people: tenths(sum / count) }));
}

export function byDay(days: OccupancyDayView[]): DayBar[] {
  return days.map(({ date, peak, visitors }) => ({ date, peak, visitors }));
}

/** The busiest hour of `bars` (the first when several tie), or undefined when nobody came. */
export function busiestHour(bars: HourBar[]): HourBar | undefined {
  return bars.reduce<HourBar | undefined>(
    (best, bar) => (bar.people > 0 && bar.people > (best?.people ?? 0) ? bar : best),
    undefined,
  );
}

/** The day with the most of `what` (the first when several tie), or undefined when nobody came. */
export function busiestDay(bars: DayBar[], what: 'peak' | 'visitors'): DayBar | undefined {
  return bars.reduce<DayBar | undefined>(
    (best, bar) => (bar[what] > 0 && bar[what] > (best?.[what] ?? 0) ? bar : best),
    undefined,
  );
}
