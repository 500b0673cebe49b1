import { describe, expect, it } from 'vitest';
import { formatOpens, formatTimestamp, formatUntil, formatWindow } from './format';

const BERLIN = 'Europe/Berlin';
// Friday 11 December 2026, 10:00 in Berlin (CET, UTC+1).
const now = new Date('2026-12-11T09:00:00Z');

describe('"until" on the Access page', () => {
  it('says the time alone when the window closes today', () => {
    // The seed's booking 12:00–16:00 gives access until 16:30.
    expect(formatUntil('2026-12-11T15:30:00Z', BERLIN, now)).toBe('until 16:30');
  });

  it('uses the location zone, not UTC or the browser zone', () => {
    expect(formatUntil('2026-12-11T15:30:00Z', 'America/New_York', now)).toBe('until 10:30');
  });

  it('names tomorrow and the coming weekdays', () => {
    expect(formatUntil('2026-12-12T09:00:00Z', BERLIN, now)).toBe('until tomorrow 10:00');
    expect(formatUntil('2026-12-15T09:00:00Z', BERLIN, now)).toBe('until Tue 10:00');
  });

  it('gives the date beyond a week', () => {
    expect(formatUntil('2026-12-24T17:00:00Z', BERLIN, now)).toBe('until Thu 24 Dec 18:00');
    expect(formatUntil('2027-01-05T17:00:00Z', BERLIN, now)).toBe('until Tue 5 Jan 2027 18:00');
  });

  it('ends a day pass at midnight as "until midnight"', () => {
    expect(formatUntil('2026-12-11T23:00:00Z', BERLIN, now)).toBe('until midnight');
  });

  it('shows a subscription end date as a full last day', () => {
    // Ends 31 December: access until 00:00 on 1 January, shown as the end of 31 December.
    expect(formatUntil('2026-12-31T23:00:00Z', BERLIN, now)).toBe('until end of Thu 31 Dec');
  });

  it('says an open-ended window has no end date', () => {
    expect(formatUntil(null, BERLIN, now)).toBe('no end date');
  });
});

describe('"opens" for upcoming windows', () => {
  it('says "opens tomorrow 08:30"', () => {
    expect(formatOpens('2026-12-12T07:30:00Z', BERLIN, now)).toBe('opens tomorrow 08:30');
  });

  it('says the time alone later today', () => {
    expect(formatOpens('2026-12-11T13:30:00Z', BERLIN, now)).toBe('opens 14:30');
  });

  it('is DST-correct: the morning after spring-forward is tomorrow at the same wall time', () => {
    const saturdayNight = new Date('2026-03-28T22:30:00Z'); // 23:30 CET
    // 08:30 CEST on Sunday is 06:30 UTC, less than 8 hours later.
    expect(formatOpens('2026-03-29T06:30:00Z', BERLIN, saturdayNight)).toBe('opens tomorrow 08:30');
  });

  it('is DST-correct across fall-back', () => {
    const saturday = new Date('2026-10-24T20:00:00Z'); // 22:00 CEST
    expect(formatOpens('2026-10-25T07:30:00Z', BERLIN, saturday)).toBe('opens tomorrow 08:30');
  });
});

describe('windows and timestamps for the front desk', () => {
  it('shows a booking window on one day compactly', () => {
    expect(formatWindow('2026-12-11T10:30:00Z', '2026-12-11T15:30:00Z', BERLIN, now)).toBe('Fri 11 Dec 11:30–16:30');
  });

  it('shows a window across days with both dates', () => {
    expect(formatWindow('2026-12-11T23:00:00Z', '2026-12-13T23:00:00Z', BERLIN, now)).toBe(
      'Sat 12 Dec 00:00 – Mon 14 Dec 00:00',
    );
  });

  it('shows an open-ended grant', () => {
    expect(formatWindow('2026-12-11T23:00:00Z', null, BERLIN, now)).toBe('from Sat 12 Dec 00:00, no end date');
  });

  it('writes audit timestamps with the year', () => {
    expect(formatTimestamp('2026-12-11T15:30:00Z', BERLIN)).toBe('Fri 11 Dec 2026, 16:30');
  });
});
