/**
 * The Sync page over a fake hub (issue 12): the queue per kind in the order the sync takes it,
 * each with the time it should be done at Kisi's budget, and every failure with what to do.
 */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../gen/AccountView';
import type { OutboxEntryView } from '../../gen/OutboxEntryView';
import type { SyncStatusView } from '../../gen/SyncStatusView';
import { fakeHub } from '../../test/fakeHub';
import { signedInAs } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

const admin: AccountView = { id: 1, email: 'owner@harbor.example', role: 'admin', person_id: null };
const at = '2026-03-02T08:00:00Z';

/** A hold waiting behind nothing, and a connect of 2,000 people (4,000 Kisi requests) behind it. */
const failedHold: OutboxEntryView = {
  id: 2,
  location_id: 1,
  person_id: 7,
  reason: 'door access put on hold',
  kind: 'urgent',
  attempts: 1,
  next_try_at: at,
  created_at: at,
  failing_since: at,
  last_error:
    'revoke group 3 from person 7: Kisi had an internal error (HTTP 503, ); try again later. What to do: nothing; the entry is retried after its back-off',
};
const status: SyncStatusView = {
  queue: [
    failedHold,
    {
      id: 1,
      location_id: 1,
      person_id: null,
      reason: 'connected to Kisi',
      kind: 'bulk',
      attempts: 0,
      next_try_at: at,
      created_at: at,
      last_error: null,
      failing_since: null,
    },
  ],
  failures: [failedHold],
  kinds: [
    { kind: 'urgent', entries: 1, running: 0, backing_off: 1, kisi_requests: 2, eta_seconds: 5 },
    { kind: 'later', entries: 0, running: 0, backing_off: 0, kisi_requests: 0, eta_seconds: 0 },
    { kind: 'bulk', entries: 1, running: 1, backing_off: 0, kisi_requests: 4_006, eta_seconds: 801 },
  ],
  requests_per_second: 5,
  orphaned_mappings: [],
};

function adminHub(shown: SyncStatusView = status) {
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
    'GET /sync/status': () => shown,
    'GET /audit': () => ({ entries: [], next_before: null }),
  });
  signedInAs(hub, admin);
  return hub;
}

describe('the Sync page', () => {
  it('shows the queue per kind, most urgent first, with when each is done at 5 requests a second', async () => {
    renderApp(adminHub(), '/admin/sync');
    const kinds = await screen.findByRole('table', { name: /^Queue by kind/ });
    const rows = within(kinds)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.textContent);
    expect(rows[0]).toContain('Revocations and access starting within the hour');
    expect(rows[0]).toContain('under a minute');
    expect(rows[1]).toContain('Later access changes');
    expect(rows[1]).toContain('—');
    expect(rows[2]).toContain('Full syncs of the location');
    expect(rows[2]).toContain('about 14 min');
    expect(within(kinds).getByText(/5 requests a second/)).toBeTruthy();
  });

  it('shows each failure with what went wrong and what to do', async () => {
    renderApp(adminHub(), '/admin/sync');
    const failures = await screen.findByRole('table', { name: 'Failures' });
    const cells = within(failures)
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells).toContain('revoke group 3 from person 7: Kisi had an internal error (HTTP 503, ); try again later');
    expect(cells).toContain('nothing; the entry is retried after its back-off');
  });

  it('names every mapping whose Kisi group was deleted, beside the queue (C4, issue 17)', async () => {
    const warning =
      'resource "Elbe": "Room Elbe" no longer exists in Kisi: nothing is granted through it; select an existing group (C4)';
    renderApp(adminHub({ ...status, orphaned_mappings: [warning] }), '/admin/sync');
    expect(await screen.findByText('1 mapping gone from Kisi')).toBeTruthy();
    // The rule code leaves the words and stays in the tooltip (issue 17 point 5).
    const shown = screen.getByText(warning.replace(' (C4)', ''));
    expect(shown.getAttribute('title')).toBe('Rule C4');
  });
});
