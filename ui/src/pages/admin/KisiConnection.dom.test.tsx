/** Admin › Kisi connection in a simulated DOM over a fake hub: the badge tells Kisi's health (issue 17). */
import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../gen/AccountView';
import type { KisiConnectionView } from '../../gen/KisiConnectionView';
import { fakeHub } from '../../test/fakeHub';
import { NOW, signedInAs } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const admin: AccountView = { id: 1, email: 'owner@harbor.example', role: 'admin', person_id: null };

const healthy: KisiConnectionView = {
  location_id: 1,
  auth: 'api_key',
  account_email: null,
  organization_domain: null,
  base_url: 'https://api.kisi.io',
  connected_at: '2026-11-20T08:00:00Z',
  disconnected_at: null,
  kisi_place_id: null,
  health: { last_success_at: '2026-11-24T08:00:00Z', failing_entries: 0, failing_since: null, message: null },
};

/** The adversary: Kisi answers every call with a server error since 09:12 Berlin time. */
const failing: KisiConnectionView = {
  ...healthy,
  health: {
    last_success_at: '2026-11-24T08:10:00Z',
    failing_entries: 1,
    failing_since: '2026-11-24T08:12:00Z',
    message:
      'grant group 3 to person 7: Kisi had an internal error (HTTP 500). What to do: nothing; Kisi is having trouble and the entry is retried after its back-off',
  },
};

function adminHub(connection: KisiConnectionView) {
  const hub = fakeHub({
    'GET /locations': () => [
      {
        id: 1,
        name: 'Harbor Berlin',
        time_zone: 'Europe/Berlin',
        booking_grace_minutes: 30,
        access_page_visibility: 'public',
        kisi_place_id: null,
      },
    ],
    'GET /locations/1/kisi': () => connection,
    'GET /locations/1/kisi/catalogue': () => ({ places: [], groups: [], locks: [] }),
    'GET /locations/1/presence/settings': () => ({
      location_id: 1,
      inactivity_minutes: null,
      entrance_lock_ids: [],
      exit_lock_ids: [],
    }),
  });
  signedInAs(hub, admin);
  return hub;
}

describe('the Kisi connection', () => {
  it('is a green "Connected" while Kisi answers', async () => {
    renderApp(adminHub(healthy), '/admin/kisi');
    const badge = await screen.findByText('Connected');
    expect(badge.getAttribute('data-tone')).toBe('success');
  });

  it('says "Connected · Kisi failing since 09:12" in a warning colour, with the fix, while Kisi fails', async () => {
    renderApp(adminHub(failing), '/admin/kisi');
    const badge = await screen.findByText('Connected · Kisi failing since 09:12', { selector: '.badge' });
    expect(badge.getAttribute('data-tone')).toBe('warning');
    expect(screen.getByRole('alert').textContent).toContain('What to do: nothing; Kisi is having trouble');
    expect(screen.queryByText('Connected')).toBeNull();
  });
});
