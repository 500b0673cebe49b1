/**
 * A time is typed in the app's one 24-hour format. Adversaries: the ways people really type a
 * time at a front desk, and what is not a time at all (which must never pass as one).
 */
import { describe, expect, it } from 'vitest';
import { joinDateTime, parseTypedTime } from './Field';

describe('a typed time', () => {
  it.each([
    ['14:30', '14:30'],
    ['9:05', '09:05'],
    ['0905', '09:05'],
    ['905', '09:05'],
    ['14.30', '14:30'],
    ['14h30', '14:30'],
    [' 7:45 ', '07:45'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
  ])('reads %j as %s', (typed, time) => expect(parseTypedTime(typed)).toBe(time));

  it.each(['24:00', '12:60', '2:30 PM', '14', 'noon', '', '1:2', '123456'])('refuses %j', (typed) =>
    expect(parseTypedTime(typed)).toBeUndefined(),
  );
});

describe('a moment from its date and typed time', () => {
  it('speaks "YYYY-MM-DDTHH:MM" like a datetime-local field', () => {
    expect(joinDateTime('2026-12-04', '9:05')).toBe('2026-12-04T09:05');
  });
  it('is empty only when both are', () => {
    expect(joinDateTime('', '')).toBe('');
    expect(joinDateTime('', '14:30')).toBe('T14:30');
  });
  it('keeps what is not a time as typed, so the form refuses it', () => {
    expect(joinDateTime('2026-12-04', '2:30 PM')).toBe('2026-12-04T2:30 PM');
  });
});
