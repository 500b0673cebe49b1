/** The Access page in a simulated DOM over a fake hub: what a member sees and presses (A1–A6). */
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import type { Reason } from '../../gen/Reason';
import type { UnlockOutcome } from '../../gen/UnlockOutcome';
import { deferred, fakeHub, unreachable } from '../../test/fakeHub';
import {
  accessOf,
  berlin,
  frontDoor,
  kisiFailingForMember,
  lockedDownFrontDoor,
  mia,
  NOW,
  serverRoom,
  signedInAs,
  spree,
} from '../../test/fixtures';
import { description, renderApp } from '../../test/renderApp';
import { saveCachedAccess } from './accessCache';

beforeEach(() => {
  // Only the clock is fixed; timers run as usual so the page's promises settle.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

function memberHub(access = accessOf(berlin())) {
  const hub = fakeHub({ 'GET /me/access': () => access });
  signedInAs(hub, mia);
  return hub;
}

const doorItem = (button: HTMLElement) => button.closest('li') as HTMLElement;

describe('the Access page', () => {
  it('lists the doors open now with "until 16:30" read in the location’s zone and why', async () => {
    renderApp(memberHub(), '/access');
    const door = await screen.findByRole('button', { name: 'Unlock Front Door, until 16:30' });
    expect(door).toHaveProperty('disabled', false);
    expect(description(door)).toContain('Hot Desk plan');
    expect(screen.getByText(/Times are in Europe\/Berlin/)).toBeTruthy();
  });

  it('says Kisi has not confirmed the doors when writing to Kisi fails, since when, in words for members (issue 17)', async () => {
    renderApp(memberHub(accessOf(berlin({ kisi: kisiFailingForMember }))), '/access');
    const notice = await screen.findByRole('alert');
    expect(notice.textContent).toContain('Kisi failing since 09:12');
    expect(notice.textContent).toContain('Doorlink cannot reach Kisi right now; staff have been told');
    expect(notice.textContent).not.toContain('What to do');
    // The door is still listed: Doorlink's rules allow it, Kisi has not confirmed it.
    expect(await screen.findByRole('button', { name: 'Unlock Front Door, until 16:30' })).toBeTruthy();
  });

  it('says nothing about Kisi once it confirmed the doors', async () => {
    renderApp(memberHub(), '/access');
    await screen.findByRole('button', { name: 'Unlock Front Door, until 16:30' });
    expect(screen.queryByText(/Kisi failing|Not confirmed by Kisi/)).toBeNull();
  });

  it('shows "No locks" with every reason and its fix', async () => {
    const reasons: Reason[] = [
      {
        cause: 'no_door_access_on_resource',
        message: 'resource "Event Space" has no door access',
        fix: 'Ask staff to select a Kisi group for Event Space.',
      },
      {
        cause: 'unconfirmed_kisi_email',
        message: 'your Kisi e-mail is not confirmed',
        fix: 'Confirm the e-mail Kisi sent you, or ask staff to re-invite you.',
      },
      {
        cause: 'group_deleted',
        message: 'group "Members" was deleted in Kisi',
        fix: 'Ask an admin to map another group.',
      },
    ];
    renderApp(memberHub(accessOf(berlin({ open_now: [], reasons }))), '/access');
    expect(await screen.findByText('No locks')).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Why there are no locks' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    for (const [i, reason] of reasons.entries()) {
      expect(items[i]?.textContent).toContain(reason.fix);
    }
    expect(items[0]?.textContent).toContain('Resource "Event Space" has no door access.');
    expect(screen.queryByRole('button', { name: /^Unlock / })).toBeNull();
  });

  it('says the page is for members only and still gives the reasons (A3)', async () => {
    const reasons: Reason[] = [
      {
        cause: 'access_page_members_only',
        message: 'you have no membership here',
        fix: 'Ask the front desk about a plan or a day pass.',
      },
    ];
    renderApp(memberHub(accessOf(berlin({ visible: false, open_now: [], reasons }))), '/access');
    expect(await screen.findByText('The Access page here is for members only.')).toBeTruthy();
    expect(screen.getByText('Ask the front desk about a plan or a day pass.')).toBeTruthy();
  });

  it('shows the door pending while Kisi is asked, then "Unlocked"', async () => {
    const hub = memberHub();
    const answer = deferred<UnlockOutcome>();
    hub.on('POST /me/locks/1/unlock', () => answer.promise);
    const { user } = renderApp(hub, '/access');
    const door = await screen.findByRole('button', { name: /^Unlock Front Door, / });
    await user.click(door);
    expect(within(doorItem(door)).getByRole('status').textContent).toContain('Unlocking…');
    expect(door.getAttribute('aria-busy')).toBe('true');
    answer.resolve({ lock_id: 1, unlocked: true, message: 'Unlocked', reason: null });
    await waitFor(() =>
      expect(within(doorItem(door)).getByRole('status').textContent).toContain('Unlocked — push the door now.'),
    );
    expect(door.getAttribute('aria-busy')).toBeNull();
  });

  it('shows a refusal in plain words with what to do', async () => {
    const hub = memberHub(accessOf(berlin({ open_now: [serverRoom] })));
    hub.on('POST /me/locks/8/unlock', () => ({
      lock_id: 8,
      unlocked: false,
      message: 'refused',
      reason: serverRoom.restriction,
    }));
    const { user } = renderApp(hub, '/access');
    const door = await screen.findByRole('button', { name: /^Unlock Server Room, / });
    await user.click(door);
    const feedback = within(doorItem(door)).getByRole('status');
    await waitFor(() => expect(feedback.querySelector('[data-tone="danger"]')).not.toBeNull());
    // The member's words (issue 17): what it means for them and whom to ask, no staff fix.
    expect(feedback.textContent).toContain(
      'The Server Room opens only with your phone at its Kisi Reader, not from here.',
    );
    expect(feedback.textContent).toContain('or ask the front desk');
    expect(feedback.textContent).not.toContain('administrator');
  });

  it('warns about a reader restriction before the door is pressed', async () => {
    renderApp(memberHub(accessOf(berlin({ open_now: [serverRoom] }))), '/access');
    const door = await screen.findByRole('button', { name: /^Unlock Server Room, / });
    expect(description(door)).toContain('opens only with your phone at its Kisi Reader');
  });

  it('says a door Kisi reported locked down is locked down, in words, before it is pressed', async () => {
    renderApp(memberHub(accessOf(berlin({ open_now: [lockedDownFrontDoor] }))), '/access');
    const door = await screen.findByRole('button', { name: /^Unlock Front Door, / });
    // Text, not colour only: the description a screen reader reads names the state and when.
    expect(description(door)).toContain(
      '"Front Door" is locked down in Kisi, as of Tue 24 Nov 2026, 10:45 (Berlin time)',
    );
    expect(description(door)).toContain('Ask the front desk.');
    expect(doorItem(door).dataset.doorState).toBe('door_locked_down');
    // Kisi may have lifted it since: the door can still be pressed.
    expect(door).toHaveProperty('disabled', false);
  });

  it('explains a press of a locked-down door with the hub’s reason', async () => {
    const hub = memberHub(accessOf(berlin({ open_now: [lockedDownFrontDoor] })));
    hub.on('POST /me/locks/1/unlock', () => ({
      lock_id: 1,
      unlocked: false,
      message: 'not unlocked',
      reason: lockedDownFrontDoor.door_state,
    }));
    const { user } = renderApp(hub, '/access');
    const door = await screen.findByRole('button', { name: /^Unlock Front Door, / });
    await user.click(door);
    const feedback = within(doorItem(door)).getByRole('status');
    await waitFor(() => expect(feedback.querySelector('[data-tone="danger"]')).not.toBeNull());
    expect(feedback.textContent).toContain('is locked down in Kisi');
    expect(feedback.querySelectorAll('[data-tone="warning"]')).toHaveLength(0);
  });

  it('says unlocking needs a connection when the hub drops during a press', async () => {
    const hub = memberHub();
    hub.on('POST /me/locks/1/unlock', () => {
      throw unreachable();
    });
    const { user } = renderApp(hub, '/access');
    await user.click(await screen.findByRole('button', { name: /^Unlock Front Door, / }));
    expect(await screen.findByText('You are offline: unlocking needs a connection.')).toBeTruthy();
  });

  it('asks to sign in again when the session ended before a press', async () => {
    const hub = memberHub();
    hub.on('POST /me/locks/1/unlock', () => {
      throw new ApiError(401, 'unauthenticated', 'no session');
    });
    const { user } = renderApp(hub, '/access');
    await user.click(await screen.findByRole('button', { name: /^Unlock Front Door, / }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Doorlink' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Your session ended; sign in again.');
  });

  it('offline, shows the doors as last confirmed and none can be pressed (A6)', async () => {
    saveCachedAccess(mia.id, accessOf(berlin({ open_now: [frontDoor, serverRoom] })));
    const hub = memberHub();
    hub.on('GET /me/access', () => {
      throw unreachable();
    });
    const { user } = renderApp(hub, '/access');
    // 09:58 UTC, in the location's zone and named, though this device is in New York (issue 17).
    expect(
      await screen.findByText(
        /as last confirmed Tue 24 Nov 2026, 10:58 \(Berlin time\)\. Unlocking needs a connection\./,
      ),
    ).toBeTruthy();
    const doors = screen.getAllByRole('button', { name: /^Unlock / });
    expect(doors).toHaveLength(2);
    for (const door of doors) {
      expect(door).toHaveProperty('disabled', true);
      expect(description(door)).toContain('Unlocking needs a connection.');
    }
    await user.click(doors[0] as HTMLElement);
    expect(hub.seen.filter((route) => route.includes('/unlock'))).toEqual([]);
  });

  it('turns the doors unpressable, as last confirmed, when the hub goes away while the page is open (A6)', async () => {
    const hub = memberHub();
    renderApp(hub, '/access');
    const door = await screen.findByRole('button', { name: /^Unlock Front Door, / });
    act(() => hub.live('live'));
    expect(door).toHaveProperty('disabled', false);
    act(() => hub.live('offline'));
    expect(door).toHaveProperty('disabled', true);
    expect(description(door)).toContain('Unlocking needs a connection.');
    expect(screen.getByText(/These are your doors as last confirmed/)).toBeTruthy();
    act(() => hub.live('live'));
    expect(door).toHaveProperty('disabled', false);
  });

  it('offers the doors again once the hub is back after an outage, without a reload', async () => {
    saveCachedAccess(mia.id, accessOf(berlin()));
    const hub = memberHub();
    hub.on('GET /me/access', () => {
      throw unreachable();
    });
    renderApp(hub, '/access');
    const door = await screen.findByRole('button', { name: /^Unlock Front Door, / });
    act(() => hub.live('reconnecting'));
    expect(door).toHaveProperty('disabled', true);
    hub.on('GET /me/access', () => accessOf(berlin()));
    act(() => hub.live('live'));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /^Unlock Front Door, / })).toHaveProperty('disabled', false),
    );
    expect(screen.queryByText('You are offline.')).toBeNull();
  });

  it('shows a door granted while the page was read, before its live events opened (the notice was missed)', async () => {
    const hub = memberHub();
    renderApp(hub, '/access');
    await screen.findByRole('button', { name: /^Unlock Front Door, / });
    // The sync grants the Spree room and announces it while the events are still connecting.
    hub.on('GET /me/access', () =>
      accessOf(
        berlin({ open_now: [frontDoor, { ...spree, window: { ...spree.window, from: '2026-11-24T09:00:00Z' } }] }),
      ),
    );
    act(() => hub.live('live'));
    expect(await screen.findByRole('button', { name: /^Unlock Meeting Room Spree, / })).toBeTruthy();
  });

  it('shows a door that opens later dimmed, with from when, and does not offer to unlock it', async () => {
    renderApp(memberHub(accessOf(berlin({ upcoming: [spree] }))), '/access');
    const later = await screen.findByRole('list', { name: 'Doors opening later' });
    const door = within(later).getByRole('button', { name: 'Meeting Room Spree, opens 13:00' });
    expect(door).toHaveProperty('disabled', true);
    expect(description(door)).toContain('Not open yet: you can unlock it from 13:00.');
    expect(doorItem(door).dataset.available).toBe('false');
  });

  it('offers a door whose window opened by the clock since the hub listed it as upcoming', async () => {
    vi.setSystemTime(new Date('2026-11-24T12:05:00Z'));
    const hub = memberHub(accessOf(berlin({ upcoming: [spree] })));
    hub.on('POST /me/locks/3/unlock', () => ({ lock_id: 3, unlocked: true, message: 'Unlocked', reason: null }));
    const { user } = renderApp(hub, '/access');
    const door = await screen.findByRole('button', { name: 'Unlock Meeting Room Spree, until 15:30' });
    expect(screen.queryByRole('list', { name: 'Doors opening later' })).toBeNull();
    await user.click(door);
    expect(await screen.findByText('Unlocked — push the door now.')).toBeTruthy();
  });

  it('never offers a door whose window ended by the clock, even from the last confirmed page', async () => {
    vi.setSystemTime(new Date('2026-11-24T16:00:00Z'));
    renderApp(memberHub(), '/access');
    const door = await screen.findByRole('button', { name: /^Unlock Front Door, / });
    expect(door).toHaveProperty('disabled', true);
    expect(description(door)).toContain('Your access ended 16:30.');
  });
});
