import { describe, expect, it } from 'vitest';
import {
  calendarDaysBetween,
  nextSlot,
  instantOfWallClock,
  offsetAt,
  parseWallClock,
  toDateTimeInput,
  wallClockAt,
} from './zoned';

const wall = (value: string) => {
  const parsed = parseWallClock(value);
  if (!parsed) throw new Error(`not a wall clock: ${value}`);
  return parsed;
};

describe('wall clocks in a location zone', () => {
  it('reads the wall clock of an instant in the location zone, not the machine zone', () => {
    const instant = new Date('2026-07-01T14:30:00Z');
    expect(wallClockAt(instant, 'Europe/Berlin')).toMatchObject({ hour: 16, minute: 30 });
    expect(wallClockAt(instant, 'America/New_York')).toMatchObject({ hour: 10, minute: 30 });
    expect(wallClockAt(instant, 'Asia/Kolkata')).toMatchObject({ hour: 20, minute: 0 });
  });

  it('knows summer and winter offsets', () => {
    expect(offsetAt(new Date('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(offsetAt(new Date('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
  });

  it('turns an ordinary wall-clock time into its instant', () => {
    expect(instantOfWallClock(wall('2026-07-01T16:30'), 'Europe/Berlin').toISOString()).toBe(
      '2026-07-01T14:30:00.000Z',
    );
    expect(instantOfWallClock(wall('2026-01-01T00:00'), 'America/New_York').toISOString()).toBe(
      '2026-01-01T05:00:00.000Z',
    );
  });

  it('resolves a time in the spring-forward gap to the transition itself', () => {
    // Berlin jumps from 02:00 CET to 03:00 CEST on 29 March 2026: 02:30 does not exist.
    expect(instantOfWallClock(wall('2026-03-29T02:30'), 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('resolves a time that exists twice (fall back) to the earlier instant', () => {
    // Berlin goes from 03:00 CEST back to 02:00 CET on 25 October 2026: 02:30 happens twice.
    expect(instantOfWallClock(wall('2026-10-25T02:30'), 'Europe/Berlin').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('handles a zone whose gap is at midnight', () => {
    // Santiago springs forward at 00:00 on 6 September 2026: midnight does not exist, 01:00 is first.
    const midnight = instantOfWallClock(wall('2026-09-06T00:00'), 'America/Santiago');
    expect(toDateTimeInput(midnight, 'America/Santiago')).toBe('2026-09-06T01:00');
  });

  it('round-trips a datetime-local value', () => {
    const instant = instantOfWallClock(wall('2026-12-12T08:05'), 'Australia/Sydney');
    expect(toDateTimeInput(instant, 'Australia/Sydney')).toBe('2026-12-12T08:05');
  });

  it('refuses what is not a datetime-local value', () => {
    expect(parseWallClock('12/12/2026 08:00')).toBeUndefined();
    expect(parseWallClock('')).toBeUndefined();
  });

  it('counts calendar days in the zone: the short spring-forward day is still one day', () => {
    const saturdayEvening = new Date('2026-03-28T21:00:00Z'); // 22:00 CET
    const sundayEvening = new Date('2026-03-29T20:00:00Z'); // 22:00 CEST, only 23 h later
    expect(calendarDaysBetween(saturdayEvening, sundayEvening, 'Europe/Berlin')).toBe(1);
  });

  it('counts days by the location date, which may differ from UTC', () => {
    const lateInTokyo = new Date('2026-05-01T14:30:00Z'); // 23:30 in Tokyo
    const earlyNextDay = new Date('2026-05-01T15:30:00Z'); // 00:30 next day in Tokyo
    expect(calendarDaysBetween(lateInTokyo, earlyNextDay, 'Asia/Tokyo')).toBe(1);
    expect(calendarDaysBetween(lateInTokyo, earlyNextDay, 'UTC')).toBe(0);
  });
});

describe('the default slot of a new booking', () => {
  it('starts at the next whole hour on the location clock, even in a half-hour zone', () => {
    // 10:10 UTC is 15:40 in Kolkata: the next whole hour there is 16:00.
    expect(nextSlot(new Date('2026-06-01T10:10:00Z'), 'Asia/Kolkata', 2)).toEqual({
      start: '2026-06-01T16:00',
      end: '2026-06-01T18:00',
    });
  });

  it('rolls over midnight into the next date', () => {
    expect(nextSlot(new Date('2026-06-01T22:30:00Z'), 'Europe/Berlin', 1)).toEqual({
      start: '2026-06-02T01:00',
      end: '2026-06-02T02:00',
    });
  });
});
