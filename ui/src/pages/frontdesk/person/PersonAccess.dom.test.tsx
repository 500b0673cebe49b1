/**
 * A person's Access tab on the front desk (issue 17): a door says "works" only once Kisi confirmed
 * it; while writing to Kisi fails, each door and the location say "Kisi failing since …" with the
 * staff message and its fix, in the location's zone.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../../gen/AccountView';
import type { KisiConfirmation } from '../../../gen/KisiConfirmation';
import type { LocationView } from '../../../gen/LocationView';
import { fakeHub } from '../../../test/fakeHub';
import { accessOf, berlin, NOW, signedInAs } from '../../../test/fixtures';
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

/** The adversary: Kisi answers every call with a server error since 09:12 Berlin time. */
const failingForStaff: KisiConfirmation = {
  state: 'failing',
  failing_since: '2026-11-24T08:12:00Z',
  message:
    '1 of 1 Kisi operations failed; first: grant a role assignment: Kisi had an internal error (HTTP 500). What to do: nothing; Kisi is having trouble and the entry is retried after its back-off',
};

function deskHub(kisi?: KisiConfirmation) {
  const hub = fakeHub({
    'GET /locations': () => [location],
    'GET /people/4': () => ({ id: 4, name: 'Mia Keller', email: 'mia@harbor.example' }),
    'GET /people/4/access': () => accessOf(kisi ? berlin({ kisi }) : berlin()),
    'GET /locations/1/kisi/catalogue': () => ({ places: [], groups: [], locks: [] }),
  });
  signedInAs(hub, frontDesk);
  return hub;
}

describe('a person’s Access tab', () => {
  it('says a door works once Kisi confirmed it', async () => {
    renderApp(deskHub(), '/desk/people/4/access');
    const open = await screen.findByRole('table', { name: 'Open now' });
    expect(within(open).getByText('works')).toBeTruthy();
    expect(screen.queryByText(/Kisi failing/)).toBeNull();
  });

  it('says "Kisi failing since 09:12" with the fix instead of "works" while Kisi fails', async () => {
    renderApp(deskHub(failingForStaff), '/desk/people/4/access');
    const open = await screen.findByRole('table', { name: 'Open now' });
    expect(within(open).queryByText('works')).toBeNull();
    expect(within(open).getByText('Kisi failing since 09:12')).toBeTruthy();
    const notice = screen.getAllByRole('alert').find((a) => a.textContent?.startsWith('Kisi failing since 09:12'));
    expect(notice?.textContent).toContain('What to do: nothing; Kisi is having trouble');
  });
});
