/**
 * The Sync page over a fake hub (issue 12): the queue per kind in the order the sync takes it,
 * each with the time it should be done at Kisi's budget, and every failure with what to do.
 */
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../gen/AccountView';
import type { OutboxEntryView } from '../../gen/OutboxEntryView';
import type { RevocationStatsView } from '../../gen/RevocationStatsView';
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

const noRevocations: RevocationStatsView = {
  location_id: 1,
  since: '2026-02-23T08:00:00Z',
  count: 0,
  p50_millis: null,
  p99_millis: null,
  recent: [],
};

function adminHub(shown: SyncStatusView = status, revocations: RevocationStatsView = noRevocations) {
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
    'GET /locations/1/sync/revocations': () => revocations,
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

describe('the time to revoke (issue 15)', () => {
  const revocations: RevocationStatsView = {
    ...noRevocations,
    count: 23,
    p50_millis: 1_234,
    p99_millis: 3_980,
    recent: [
      {
        id: 41,
        person_id: 7,
        person_name: 'Mia Keller',
        what: 'Members’ doors (1 Feb 00:00 – 1 Mar 00:00)',
        ended_at: '2026-03-01T23:00:00Z',
        confirmed_at: '2026-03-01T23:00:01.200Z',
        millis: 1_200,
      },
      {
        id: 40,
        person_id: null,
        person_name: null,
        what: 'the Kisi group Elbe',
        ended_at: '2026-03-01T10:00:00Z',
        confirmed_at: '2026-03-01T10:02:05Z',
        millis: 125_000,
      },
    ],
  };

  it('says the median and the 99th percentile over the last 7 days, and each recent receipt', async () => {
    renderApp(adminHub(status, revocations), '/admin/sync');
    const panel = within(await screen.findByRole('region', { name: 'Time to revoke' }));
    expect(await panel.findByText('p50 1.2 s · p99 4.0 s over the last 7 days (23 revocations)')).toBeTruthy();
    const receipts = panel.getByRole('table', { name: /^Latest revocations, newest first/ });
    const rows = within(receipts)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    // Berlin time, not UTC or the browser's New York.
    expect(rows[0]).toEqual([
      'Mia Keller',
      'Members’ doors (1 Feb 00:00 – 1 Mar 00:00)',
      'Mon 2 Mar 2026, 00:00',
      'Mon 2 Mar 2026, 00:00',
      '1.2 s',
    ]);
    expect(rows[1]).toEqual([
      'someone no longer listed',
      'the Kisi group Elbe',
      'Sun 1 Mar 2026, 11:00',
      'Sun 1 Mar 2026, 11:02',
      '2 min 5 s',
    ]);
    expect(within(receipts).getByRole('link', { name: 'Mia Keller' }).getAttribute('href')).toBe('/desk/people/7');
  });

  it('says in words that there is none yet, without an empty table', async () => {
    renderApp(adminHub(), '/admin/sync');
    const panel = within(await screen.findByRole('region', { name: 'Time to revoke' }));
    expect(await panel.findByText('None yet: Kisi confirmed no revocation here in the last 7 days.')).toBeTruthy();
    expect(panel.queryByRole('table')).toBeNull();
  });

  it('is read again when a sync finished', async () => {
    const hub = adminHub();
    renderApp(hub, '/admin/sync');
    const panel = within(await screen.findByRole('region', { name: 'Time to revoke' }));
    await panel.findByText(/^None yet/);
    hub.on('GET /locations/1/sync/revocations', () => revocations);
    act(() => hub.emit({ kind: 'message', data: { kind: 'sync_changed', location_id: 1, people: [], id: null } }));
    expect(await panel.findByText(/^p50 1.2 s/)).toBeTruthy();
  });
});
