/**
 * Issue 17, points 3 and 4, in a simulated DOM over a fake hub (this machine's zone is New York,
 * the location's Berlin): a member asks about a door they cannot open and reads the hub's answer
 * in their words; a page with doors opening later never says "No locks".
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LockExplanation } from '../../gen/LockExplanation';
import type { MyOtherDoors } from '../../gen/MyOtherDoors';
import { fakeHub } from '../../test/fakeHub';
import { accessOf, berlin, confirmed, mia, NOW, signedInAs, spree } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const otherDoors: MyOtherDoors = {
  locations: [
    {
      location_id: 1,
      location_name: 'Harbor Berlin',
      time_zone: 'Europe/Berlin',
      doors: [
        { lock_id: 3, name: 'Meeting Room Spree' },
        { lock_id: 8, name: 'Server Room' },
      ],
    },
  ],
};

const blocked = (lockId: number, reason: LockExplanation['reason']): LockExplanation => ({
  lock_id: lockId,
  location_id: 1,
  may_open: false,
  window: null,
  why: [],
  reason,
  verified_in_kisi: true,
  kisi: confirmed,
});

function hubWith(access = accessOf(berlin())) {
  const hub = fakeHub({
    'GET /me/access': () => access,
    'GET /me/other-doors': () => otherDoors,
    'GET /me/locks/8/explain': () =>
      blocked(8, {
        cause: 'lock_not_in_groups',
        message: "Your Flex plan doesn't include the Server Room",
        fix: 'Ask the front desk if you need it.',
      }),
    'GET /me/locks/3/explain': () =>
      blocked(3, {
        cause: 'not_yet_open',
        message: 'It opens for you Tue 24 Nov 2026, 13:00 (Berlin time)',
        fix: 'Nothing to do: come back then.',
      }),
  });
  signedInAs(hub, mia);
  return hub;
}

describe('"A door you expected isn\'t here?"', () => {
  it('lists the location’s other doors by name once opened, and answers for the one chosen in the member’s words', async () => {
    const hub = hubWith();
    const { user } = renderApp(hub, '/access');
    const summary = await screen.findByText('A door you expected isn’t here?');
    // The adversary: a page that asks the hub about every door up front. Nothing is asked until
    // the member opens the disclosure.
    expect(hub.seen).not.toContain('GET /me/other-doors');
    await user.click(summary);
    const which = await screen.findByRole('combobox', { name: 'Which door?' });
    const names = within(which)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(names).toEqual(['Choose a door', 'Meeting Room Spree', 'Server Room']);
    await user.selectOptions(which, 'Server Room');
    const answer = await screen.findByText("Your Flex plan doesn't include the Server Room.");
    const notice = answer.closest('.notice') as HTMLElement;
    expect(notice.textContent).toContain('Ask the front desk if you need it.');
    expect(notice.textContent).not.toMatch(/UTC|›|Admin|Person \d/);
  });

  it('says when a door that opens later opens, in the location’s zone with the zone named', async () => {
    const later = { ...spree, window: { from: '2026-11-24T12:00:00Z', until: '2026-11-24T14:30:00Z' } };
    const { user } = renderApp(hubWith(accessOf(berlin({ upcoming: [later] }))), '/access');
    await user.click(await screen.findByText('A door you expected isn’t here?'));
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Which door?' }), 'Meeting Room Spree');
    const answer = await screen.findByText('It opens for you Tue 24 Nov 2026, 13:00 (Berlin time).');
    const notice = answer.closest('.notice') as HTMLElement;
    // 12:00 UTC is 13:00 in Berlin and 07:00 on this New York machine.
    await waitFor(() => expect(notice.textContent).toContain('Opens for you Tue 24 Nov 2026, 13:00 (Berlin time).'));
    expect(notice.textContent).not.toContain('07:00');
  });
});

describe('the banner above doors that open later', () => {
  it('never says "No locks" while doors are listed under "Opening later"', async () => {
    const later = { ...spree, window: { from: '2026-11-24T12:00:00Z', until: '2026-11-24T14:30:00Z' } };
    const access = accessOf(
      berlin({
        open_now: [],
        upcoming: [later],
        reasons: [
          {
            cause: 'not_yet_open',
            message: 'It opens for you Tue 24 Nov 2026, 13:00 (Berlin time)',
            fix: 'Nothing to do: come back then.',
          },
        ],
      }),
    );
    renderApp(hubWith(access), '/access');
    expect(await screen.findByRole('heading', { name: 'Opening later' })).toBeTruthy();
    expect(screen.getByText('No door is open to you right now.')).toBeTruthy();
    expect(screen.queryByText('No locks')).toBeNull();
    expect(screen.getByRole('list', { name: 'Why no door is open now' })).toBeTruthy();
  });

  it('still says "No locks" when nothing is listed at all', async () => {
    const access = accessOf(
      berlin({
        open_now: [],
        reasons: [
          {
            cause: 'no_booking_or_subscription',
            message: 'You have no membership, booking or pass here that opens doors',
            fix: 'Ask the front desk about a plan, a day pass or a booking.',
          },
        ],
      }),
    );
    renderApp(hubWith(access), '/access');
    expect(await screen.findByText('No locks')).toBeTruthy();
  });
});
