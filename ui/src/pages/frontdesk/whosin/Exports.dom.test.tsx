/**
 * The CSV exports over a fake hub (issue 15): on Who's in, the attendance and everyone's ledger,
 * on the audit log the audit log, each a download link to the hub's route carrying the range
 * picked (Berlin dates, the last 31 days at first, at most 366); a range that cannot be asked for
 * leaves the links without an address; the desktop app, which has no link to its hub, says where
 * to download them instead.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Transport } from '../../../api/transport';
import type { AccountView } from '../../../gen/AccountView';
import { fakeHub } from '../../../test/fakeHub';
import { NOW, signedInAs } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const staff: AccountView = { id: 2, email: 'desk@harbor.example', role: 'staff', person_id: null };
const admin: AccountView = { id: 1, email: 'owner@harbor.example', role: 'admin', person_id: null };

function exportsHub(account = staff) {
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
    'GET /locations/1/presence': () => ({ location_id: 1, as_of: NOW.toISOString(), present: [], checkout: '' }),
    'GET /locations/1/door-events': () => ({ events: [], next_before: null }),
    'GET /audit': () => ({ entries: [], next_before: null }),
    'GET /accounts': () => [],
  });
  signedInAs(hub, account);
  return hub;
}

describe('CSV exports', () => {
  it('links Who’s in’s attendance and everyone’s ledger to the hub with the last 31 Berlin days', async () => {
    renderApp(exportsHub(), '/desk/whos-in');
    const card = await screen.findByRole('region', { name: 'Download as CSV' });
    expect(within(card).getByRole('link', { name: 'Attendance (CSV)' }).getAttribute('href')).toBe(
      '/api/locations/1/exports/attendance.csv?from=2026-10-25&to=2026-11-24',
    );
    const ledger = within(card).getByRole('link', { name: 'Everyone’s ledger (CSV)' });
    expect(ledger.getAttribute('href')).toBe('/api/locations/1/exports/ledger.csv?from=2026-10-25&to=2026-11-24');
    expect(ledger.hasAttribute('download')).toBe(true);
  });

  it('carries the range picked, and no address while the range cannot be asked for', async () => {
    const { user } = renderApp(exportsHub(), '/desk/whos-in');
    const card = await screen.findByRole('region', { name: 'Download as CSV' });
    const days = within(card).getByRole('group', { name: 'Days to download' });
    expect(days.textContent).toContain('at most 366 days');
    const from = within(days).getByLabelText('From');
    const to = within(days).getByLabelText('To');
    await user.clear(from);
    await user.type(from, '2025-01-01');
    expect(within(days).getByRole('alert').textContent).toBe('At most 366 days at once: these are 693.');
    const attendance = within(card).getByRole('link', { name: 'Attendance (CSV)' });
    expect(attendance.hasAttribute('href')).toBe(false);
    expect(attendance.getAttribute('aria-disabled')).toBe('true');
    await user.clear(from);
    await user.type(from, '2026-11-01');
    await user.clear(to);
    await user.type(to, '2026-11-15');
    expect(within(card).getByRole('link', { name: 'Attendance (CSV)' }).getAttribute('href')).toBe(
      '/api/locations/1/exports/attendance.csv?from=2026-11-01&to=2026-11-15',
    );
    expect(within(card).getByRole('link', { name: 'Everyone’s ledger (CSV)' }).getAttribute('href')).toBe(
      '/api/locations/1/exports/ledger.csv?from=2026-11-01&to=2026-11-15',
    );
  });

  it('links the audit log to the hub with its range', async () => {
    const { user } = renderApp(exportsHub(admin), '/admin/audit');
    const section = await screen.findByRole('region', { name: 'Download as CSV' });
    const link = within(section).getByRole('link', { name: 'Audit log (CSV)' });
    expect(link.getAttribute('href')).toBe('/api/locations/1/exports/audit.csv?from=2026-10-25&to=2026-11-24');
    const to = within(section).getByLabelText('To');
    await user.clear(to);
    await user.type(to, '2026-11-20');
    expect(link.getAttribute('href')).toBe('/api/locations/1/exports/audit.csv?from=2026-10-25&to=2026-11-20');
  });

  it('says where to download them in the desktop app, which has no link to its hub', async () => {
    const hub = exportsHub();
    delete (hub.transport as Partial<Transport>).downloadUrl;
    renderApp(hub, '/desk/whos-in');
    const card = await screen.findByRole('region', { name: 'Download as CSV' });
    expect(within(card).queryByRole('link')).toBeNull();
    expect(card.textContent).toContain('CSV files download in a web browser');
  });
});
