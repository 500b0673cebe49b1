import { describe, expect, it } from 'vitest';
import type { OccupancyDayView } from '../../../gen/OccupancyDayView';
import { averageDay, busiestDay, busiestHour, byDay, hourNames, hoursOfDay } from './occupancy';

const zone = 'Europe/Berlin';
const day = (date: string, hours: number[]): OccupancyDayView => ({
  date,
  hours,
  peak: Math.max(...hours),
  visitors: hours.reduce((a, b) => a + b, 0),
});
const hours = (busy: Record<number, number>, length = 24) => Array.from({ length }, (_, i) => busy[i] ?? 0);

describe('occupancy by hour', () => {
  it('names each hour by the location’s clock', () => {
    expect(hourNames('2026-11-24', 24, zone).slice(8, 11)).toEqual(['08:00', '09:00', '10:00']);
    expect(hoursOfDay(day('2026-11-24', hours({ 9: 3 })), zone)[9]).toEqual({ hour: '09:00', people: 3 });
  });

  it('knows the days the clocks change: 23 hours in spring, 02:00 twice in autumn', () => {
    const spring = hourNames('2026-03-29', 23, zone);
    expect(spring.slice(1, 4)).toEqual(['01:00', '03:00', '04:00']);
    const autumn = hourNames('2026-10-25', 25, zone);
    expect(autumn.slice(1, 5)).toEqual(['01:00', '02:00', '02:00', '03:00']);
    expect(autumn.at(-1)).toBe('23:00');
  });

  it('averages each hour over the days that had it, to a tenth', () => {
    const average = averageDay(
      [
        day('2026-11-23', hours({ 9: 2, 10: 4 })),
        day('2026-11-24', hours({ 9: 3, 10: 1 })),
        day('2026-11-25', hours({})),
      ],
      zone,
    );
    expect(average).toHaveLength(24);
    expect(average[9]).toEqual({ hour: '09:00', people: 1.7 });
    expect(average[10]).toEqual({ hour: '10:00', people: 1.7 });
    expect(busiestHour(average)).toEqual({ hour: '09:00', people: 1.7 });
  });

  it('counts an hour the clock showed twice once, at its busier half, and one it skipped over the other days', () => {
    const autumn = hours({ 2: 1, 3: 5 }, 25); // 02:00 (summer time) 1, 02:00 (winter time) 5
    const spring = hours({ 2: 4 }, 23); // 03:00 4; no 02:00 that day
    const average = averageDay([day('2026-10-25', autumn), day('2026-03-29', spring)], zone);
    expect(average.find((bar) => bar.hour === '02:00')).toEqual({ hour: '02:00', people: 5 });
    expect(average.find((bar) => bar.hour === '03:00')).toEqual({ hour: '03:00', people: 2 });
  });

  it('says nobody came when no hour had anyone', () => {
    expect(busiestHour(averageDay([day('2026-11-24', hours({}))], zone))).toBeUndefined();
  });
});

describe('occupancy by day', () => {
  it('keeps each day’s peak and visitors, and finds the busiest', () => {
    const days = byDay([
      { date: '2026-11-23', hours: [], peak: 4, visitors: 9 },
      { date: '2026-11-24', hours: [], peak: 6, visitors: 7 },
    ]);
    expect(days).toEqual([
      { date: '2026-11-23', peak: 4, visitors: 9 },
      { date: '2026-11-24', peak: 6, visitors: 7 },
    ]);
    expect(busiestDay(days, 'visitors')?.date).toBe('2026-11-23');
    expect(busiestDay(days, 'peak')?.date).toBe('2026-11-24');
    expect(busiestDay([{ date: '2026-11-24', peak: 0, visitors: 0 }], 'peak')).toBeUndefined();
  });
});
