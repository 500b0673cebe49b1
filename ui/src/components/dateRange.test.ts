import { describe, expect, it } from 'vitest';
import { daysInRange, lastDays, rangeProblem } from './dateRange';

describe('a range of local dates', () => {
  it('counts both ends: a single day is one day', () => {
    expect(daysInRange({ from: '2026-11-24', to: '2026-11-24' })).toBe(1);
    expect(daysInRange({ from: '2026-10-26', to: '2026-11-24' })).toBe(30);
  });

  it('counts calendar days across a daylight-saving change', () => {
    expect(daysInRange({ from: '2026-10-24', to: '2026-10-26' })).toBe(3);
  });

  it('ends the last days with today', () => {
    expect(lastDays('2026-11-24', 28)).toEqual({ from: '2026-10-28', to: '2026-11-24' });
  });

  it('says what is wrong with a range in words', () => {
    expect(rangeProblem({ from: '', to: '2026-11-24' })).toBe('Pick a first and a last day.');
    expect(rangeProblem({ from: '2026-11-25', to: '2026-11-24' })).toBe('The first day is after the last one.');
    expect(rangeProblem({ from: '2026-08-01', to: '2026-11-24' }, 92)).toBe('At most 92 days at once: these are 116.');
    expect(rangeProblem({ from: '2026-08-25', to: '2026-11-24' }, 92)).toBeUndefined();
  });
});
