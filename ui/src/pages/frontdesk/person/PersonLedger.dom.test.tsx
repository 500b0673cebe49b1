/**
 * A person's Ledger tab (issue 15) over a fake hub, the browser in New York and the space in
 * Berlin: the last 30 days asked as Berlin dates; each of the four kinds of door entry in its
 * words at Berlin times, a refusal with Kisi's reason, the rule that stood in the way as the
 * Access page explains it, a lockout marked for someone to act on; a day pass used and what was
 * paid for and never came to; another range asked; the empty state in words.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiRequest } from '../../../api/transport';
import type { AccountView } from '../../../gen/AccountView';
import type { LedgerView } from '../../../gen/LedgerView';
import type { LocationView } from '../../../gen/LocationView';
import { fakeHub } from '../../../test/fakeHub';
import { NOW, signedInAs } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const frontDesk: AccountView = { id: 2, email: 'frontdesk@harbor.example', role: 'staff', person_id: null };
const location: LocationView = {
  id: 1,
  name: 'Harbor Berlin',
  time_zone: 'Europe/Berlin',
  booking_grace_minutes: 30,
  access_page_visibility: 'public',
  kisi_place_id: null,
};

const nothing: LedgerView = { person_id: 4, location_id: 1, entries: [], passes_used: [], never_came: [] };

const ledger: LedgerView = {
  person_id: 4,
  location_id: 1,
  entries: [
    // Newest first, as the hub sends them.
    {
      at: '2026-11-24T09:30:00Z',
      door: 'Front Door',
      kisi_lock_id: 11,
      opened: false,
      refusal: 'Lock is offline',
      entitled: true,
      because: ['Hot desk (Monthly plan)'],
      reason: null,
    },
    {
      at: '2026-11-24T08:40:00Z',
      door: 'Server Room',
      kisi_lock_id: 12,
      opened: false,
      refusal: 'User has no access to this lock',
      entitled: false,
      because: [],
      reason: {
        cause: 'no_booking_or_subscription',
        message: 'no booking or subscription gives access to "Server Room"',
        fix: 'Add a plan with this door, or a manual grant.',
      },
    },
    {
      at: '2026-11-24T08:12:00Z',
      door: 'Front Door',
      kisi_lock_id: 11,
      opened: true,
      refusal: null,
      entitled: true,
      because: ['Hot desk (Monthly plan)'],
      reason: null,
    },
    // 23:30 in Berlin on the 20th: already the 21st in UTC, still the 20th in New York.
    {
      at: '2026-11-20T22:30:00Z',
      door: 'Spree',
      kisi_lock_id: 13,
      opened: true,
      refusal: null,
      entitled: false,
      because: [],
      reason: {
        cause: 'access_ended',
        message: 'the booking of Spree ended at 22:00',
        fix: 'Nothing to do unless she should still have been in.',
      },
    },
  ],
  passes_used: [{ day_pass_id: 9, date: '2026-11-24', used_at: '2026-11-24T08:12:00Z' }],
  never_came: [{ kind: 'day_pass', id: 8, what: 'Day pass for 2 November 2026' }],
};

function deskHub(answer: LedgerView, asked: ApiRequest[] = [], account = frontDesk) {
  const hub = fakeHub({
    'GET /locations': () => [location],
    'GET /people/4': () => ({ id: 4, name: 'Mia Keller', email: 'mia@harbor.example' }),
    'GET /people/4/ledger': (request) => {
      asked.push(request);
      return answer;
    },
  });
  signedInAs(hub, account);
  return hub;
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );

describe('a person’s Ledger tab', () => {
  it('says each door she opened or tried against what Doorlink gave her, at Berlin times', async () => {
    const asked: ApiRequest[] = [];
    renderApp(deskHub(ledger, asked), '/desk/people/4/ledger');
    const table = await screen.findByRole('table', {
      name: 'Doors at Harbor Berlin, Mon 26 Oct – Tue 24 Nov, newest first (Berlin time)',
    });
    const rows = rowsOf(table);
    expect(rows.map((cells) => cells.slice(0, 3))).toEqual([
      [
        'Tue 24 Nov 10:30',
        'Front Door',
        'Locked out: Kisi refused although Doorlink granted this door — Lock is offline',
      ],
      ['Tue 24 Nov 09:40', 'Server Room', 'Denied at the door: User has no access to this lock'],
      ['Tue 24 Nov 09:12', 'Front Door', 'Entered — because Hot desk (Monthly plan)'],
      ['Fri 20 Nov 23:30', 'Spree', 'Entered without a valid entitlement'],
    ]);
    // The rule that stood in the way, in the Access page's words, with what to do.
    expect(rows[1]?.[3]).toBe(
      'No booking or subscription gives access to "Server Room".Add a plan with this door, or a manual grant.',
    );
    expect(rows[3]?.[3]).toBe(
      'The booking of Spree ended at 22:00.Nothing to do unless she should still have been in.',
    );
    // The last 30 days as Berlin dates, at the selected location.
    expect(asked[0]?.query).toEqual({ location_id: 1, from: '2026-10-26', to: '2026-11-24' });
  });

  it('marks a lockout as the case to act on, and says where to look', async () => {
    renderApp(deskHub(ledger), '/desk/people/4/ledger');
    const table = await screen.findByRole('table', { name: /^Doors at Harbor Berlin/ });
    const lockedOut = within(table).getAllByRole('row')[1];
    expect(lockedOut?.getAttribute('data-attention')).toBe('true');
    expect(within(table).getAllByRole('row')[2]?.hasAttribute('data-attention')).toBe(false);
    const notice = screen.getByText('Mia Keller was locked out once').closest('[role="alert"]') as HTMLElement;
    expect(notice.textContent).toContain('Mia Keller was locked out once');
    expect(notice.textContent).toContain('An admin can look at Admin › Sync with Kisi.');
  });

  it('lists the day passes she used and what she paid for and never came to', async () => {
    renderApp(deskHub(ledger), '/desk/people/4/ledger');
    const used = await screen.findByRole('list', { name: 'Day passes used' });
    expect(within(used).getByRole('listitem').textContent).toBe('Day pass for Tue 24 Nov: used at 09:12');
    const missed = screen.getByRole('list', { name: 'Paid or booked, never came' });
    expect(within(missed).getByRole('listitem').textContent).toBe('Paid but never came: Day pass for 2 November 2026');
  });

  it('asks for the days chosen, and says why a range cannot be asked for', async () => {
    const asked: ApiRequest[] = [];
    const { user } = renderApp(deskHub(nothing, asked), '/desk/people/4/ledger');
    await screen.findByText(/opened or tried no door/);
    const days = screen.getByRole('group', { name: 'Days' });
    const from = within(days).getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-12-01');
    expect(within(days).getByRole('alert').textContent).toBe('The first day is after the last one.');
    expect(asked.every((request) => request.query?.from !== '2026-12-01')).toBe(true);
    await user.clear(from);
    await user.type(from, '2026-11-01');
    await screen.findByText('Mia Keller opened or tried no door at Harbor Berlin from Sun 1 Nov to Tue 24 Nov.');
    expect(asked.at(-1)?.query).toEqual({ location_id: 1, from: '2026-11-01', to: '2026-11-24' });
  });

  it('says in words that she came to no door, used no pass and missed nothing', async () => {
    renderApp(deskHub(nothing), '/desk/people/4/ledger');
    expect(
      await screen.findByText('Mia Keller opened or tried no door at Harbor Berlin from Mon 26 Oct to Tue 24 Nov.'),
    ).toBeTruthy();
    expect(screen.getByText('No day pass used from Mon 26 Oct to Tue 24 Nov.')).toBeTruthy();
    expect(screen.getByText('Nothing paid for or booked went unused from Mon 26 Oct to Tue 24 Nov.')).toBeTruthy();
  });

  it('is a tab of the person’s page, next to Attendance', async () => {
    const { user } = renderApp(deskHub(nothing), '/desk/people/4/attendance');
    const tabs = await screen.findByRole('navigation', { name: /sections/ });
    const names = within(tabs)
      .getAllByRole('link')
      .map((link) => link.textContent);
    expect(names.slice(names.indexOf('Attendance'))).toEqual(['Attendance', 'Ledger']);
    await user.click(within(tabs).getByRole('link', { name: 'Ledger' }));
    expect(await screen.findByText(/opened or tried no door at Harbor Berlin/)).toBeTruthy();
  });
});
