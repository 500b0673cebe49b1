import { describe, expect, it } from 'vitest';
import { doorAvailability } from './doorAvailability';

const zone = 'Europe/Berlin';
const now = new Date('2026-11-24T10:00:00Z'); // 11:00 in Berlin

describe('whether a door can be pressed now', () => {
  it('can be pressed inside its window when online', () => {
    expect(doorAvailability({ from: '2026-11-24T09:00:00Z', until: '2026-11-24T15:30:00Z' }, now, zone, false)).toEqual(
      { pressable: true },
    );
  });

  it('cannot be pressed before its window opens, and says from when in the location zone', () => {
    expect(doorAvailability({ from: '2026-11-25T07:30:00Z', until: null }, now, zone, false)).toEqual({
      pressable: false,
      why: 'Not open yet: you can unlock it from tomorrow 08:30.',
    });
  });

  it('cannot be pressed once its window ended by the clock, even from a cached page', () => {
    expect(doorAvailability({ from: '2026-11-24T07:00:00Z', until: '2026-11-24T09:30:00Z' }, now, zone, true)).toEqual({
      pressable: false,
      why: 'Your access ended 10:30.',
    });
  });

  it('cannot be pressed offline: unlocking needs a connection (A6)', () => {
    expect(doorAvailability({ from: '2026-11-24T09:00:00Z', until: null }, now, zone, true)).toEqual({
      pressable: false,
      why: 'Unlocking needs a connection.',
    });
  });
});
