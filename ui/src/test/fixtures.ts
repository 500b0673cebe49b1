/** People and pages of a small Berlin space, shaped exactly like the hub's wire types. */
import type { AccountView } from '../gen/AccountView';
import type { CurrentSession } from '../gen/CurrentSession';
import type { KisiConfirmation } from '../gen/KisiConfirmation';
import type { LocationAccess } from '../gen/LocationAccess';
import type { LockAccess } from '../gen/LockAccess';
import type { MyAccess } from '../gen/MyAccess';
import type { FakeHub } from './fakeHub';

/** 11:00 in Berlin on Tue 24 Nov 2026 (the tests' clock). */
export const NOW = new Date('2026-11-24T10:00:00Z');

export const mia: AccountView = { id: 7, email: 'mia@harbor.example', role: 'member', person_id: 4 };

export const frontDoor: LockAccess = {
  lock_id: 1,
  name: 'Front Door',
  // 16:30 in Berlin, 15:30 UTC: only the location's zone gives "until 16:30".
  window: { from: '2026-11-24T07:00:00Z', until: '2026-11-24T15:30:00Z' },
  why: ['Hot Desk plan'],
  restriction: null,
  door_state: null,
};

export const serverRoom: LockAccess = {
  lock_id: 8,
  name: 'Server Room',
  window: { from: '2026-11-24T07:00:00Z', until: null },
  why: ['manual grant, no end date'],
  restriction: {
    cause: 'reader_restriction',
    message: 'The Server Room opens only with your phone at its Kisi Reader, not from here',
    fix: "Hold your phone with the Kisi app to the door's Kisi Reader, or ask the front desk.",
  },
  door_state: null,
};

export const spree: LockAccess = {
  lock_id: 3,
  name: 'Meeting Room Spree',
  window: { from: '2026-11-24T12:00:00Z', until: '2026-11-24T14:30:00Z' },
  why: ['booking of Meeting Room Spree, 13:30–15:00'],
  restriction: null,
  door_state: null,
};

/** The front door as Kisi last reported it: locked down (the hub's words for the member). */
export const lockedDownFrontDoor: LockAccess = {
  ...frontDoor,
  door_state: {
    cause: 'door_locked_down',
    message:
      '"Front Door" is locked down in Kisi, as of Tue 24 Nov 2026, 10:45 (Berlin time): no one can unlock it until the lockdown is lifted',
    fix: 'Ask the front desk. Pressing the door still tries, in case the lockdown has ended since.',
  },
};

/** Kisi confirmed every change (issue 17). */
export const confirmed: KisiConfirmation = { state: 'confirmed', failing_since: null, message: '' };

/** Writing to Kisi fails since 09:12 Berlin time, as the member reads it. */
export const kisiFailingForMember: KisiConfirmation = {
  state: 'failing',
  failing_since: '2026-11-24T08:12:00Z',
  message: 'Doorlink cannot reach Kisi right now; staff have been told',
};

export function berlin(changes: Partial<LocationAccess> = {}): LocationAccess {
  return {
    location_id: 1,
    location_name: 'Harbor Berlin',
    time_zone: 'Europe/Berlin',
    visible: true,
    open_now: [frontDoor],
    upcoming: [],
    reasons: [],
    kisi: confirmed,
    ...changes,
  };
}

export const accessOf = (...locations: LocationAccess[]): MyAccess => ({
  person_id: 4,
  checked_at: '2026-11-24T09:58:00Z',
  locations,
});

/** The browser already holds `account`'s session (a reload): the hub reads it back. */
export function signedInAs(hub: FakeHub, account: AccountView): void {
  hub.on('GET /auth/session', (): CurrentSession => ({
    account,
    csrf_token: 'csrf-of-the-session',
    expires_at: '2026-12-01T00:00:00Z',
  }));
}
