/**
 * A person's Attendance tab (issue 15) over a fake hub, the browser in New York and the space in
 * Berlin: the last 30 days at the selected location, asked as Berlin dates, each day's first and
 * last time in Berlin time with its unlocks and refusals; an empty state naming the person.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiRequest } from '../../../api/transport';
import type { AccountView } from '../../../gen/AccountView';
import type { AttendanceView } from '../../../gen/AttendanceView';
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

function deskHub(attendance: AttendanceView, asked: ApiRequest[] = []) {
  const hub = fakeHub({
    'GET /locations': () => [location],
    'GET /people/4': () => ({ id: 4, name: 'Mia Keller', email: 'mia@harbor.example' }),
    'GET /people/4/attendance': (request) => {
      asked.push(request);
      return attendance;
    },
  });
  signedInAs(hub, frontDesk);
  return hub;
}

describe('a person’s Attendance tab', () => {
  it('lists each day she came, newest first, at Berlin times with unlocks and refusals', async () => {
    const asked: ApiRequest[] = [];
    renderApp(
      deskHub(
        {
          person_id: 4,
          location_id: 1,
          days: [
            // 09:12–10:40 in Berlin; New York would say 03:12–04:40.
            {
              date: '2026-11-24',
              first_in: '2026-11-24T08:12:00Z',
              last_seen: '2026-11-24T09:40:00Z',
              unlocks: 3,
              refusals: 1,
            },
            // Late in Berlin: still the 20th there, already the 21st in UTC.
            {
              date: '2026-11-20',
              first_in: '2026-11-20T07:55:00Z',
              last_seen: '2026-11-20T23:30:00Z',
              unlocks: 6,
              refusals: 0,
            },
          ],
        },
        asked,
      ),
      '/desk/people/4/attendance',
    );
    const table = await screen.findByRole('table', { name: /^Days at Harbor Berlin in the last 30 days/ });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    expect(rows).toEqual([
      ['Tue 24 Nov', '09:12', '10:40', '3', '1'],
      ['Fri 20 Nov', '08:55', '00:30', '6', '0'],
    ]);
    // The last 30 days as Berlin dates, at the selected location.
    expect(asked[0]?.query).toEqual({ location_id: 1, from: '2026-10-26', to: '2026-11-24' });
  });

  it('says she opened no door there in the last 30 days when she did not come', async () => {
    renderApp(deskHub({ person_id: 4, location_id: 1, days: [] }), '/desk/people/4/attendance');
    expect(await screen.findByText('Mia Keller opened no door at Harbor Berlin in the last 30 days.')).toBeTruthy();
  });

  it('is a tab of the person’s page', async () => {
    const { user } = renderApp(deskHub({ person_id: 4, location_id: 1, days: [] }), '/desk/people/4');
    await user.click(await screen.findByRole('link', { name: 'Attendance' }));
    expect(await screen.findByText(/opened no door at Harbor Berlin/)).toBeTruthy();
  });
});
