/**
 * Whether a door on the Access page can be pressed now, and if not, the one line that says why:
 * its window has not opened or has ended by this device's clock (a page or cache can be older
 * than the clock), or there is no connection to unlock with (A6).
 */
import type { Window } from '../../gen/Window';
import { formatMoment } from '../../time/format';

export type Availability = { pressable: true } | { pressable: false; why: string };

export function doorAvailability(window: Window, now: Date, zone: string, offline: boolean): Availability {
  if (new Date(window.from) > now) {
    return { pressable: false, why: `Not open yet: you can unlock it from ${formatMoment(window.from, zone, now)}.` };
  }
  if (window.until !== null && new Date(window.until) <= now) {
    return { pressable: false, why: `Your access ended ${formatMoment(window.until, zone, now)}.` };
  }
  if (offline) return { pressable: false, why: 'Unlocking needs a connection.' };
  return { pressable: true };
}

/** Whether the window has opened by `now` (it may have ended since). */
export const hasOpened = (window: Window, now: Date) => new Date(window.from) <= now;
