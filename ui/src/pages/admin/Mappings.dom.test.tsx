/**
 * The door-access mappings page in a simulated DOM over a fake hub: every table's columns are
 * named for screen readers, the buttons' column too (axe "empty-table-header").
 */
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../gen/AccountView';
import { fakeHub } from '../../test/fakeHub';
import { signedInAs } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

const admin: AccountView = { id: 1, email: 'owner@harbor.example', role: 'admin', person_id: null };
const noDoors = { groups: [], locks: [] };

function adminHub() {
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
    'GET /locations/1/kisi/catalogue': () => ({ places: [], groups: [], locks: [] }),
    'GET /locations/1/mappings': () => [],
    'GET /locations/1/plans': () => [{ id: 1, location_id: 1, name: 'Hot Desk', door_access: noDoors }],
    'GET /locations/1/resources': () => [
      { id: 4, location_id: 1, name: 'Meeting Room Elbe', kind: 'room', door_access: noDoors },
    ],
    'GET /locations/1/products': () => [
      { id: 5, location_id: 1, name: 'Day Pass', kind: 'day_pass', door_access: noDoors },
    ],
    'GET /locations/1/visitor-policies': () => [{ id: 6, location_id: 1, name: 'Guests', door_access: noDoors }],
  });
  signedInAs(hub, admin);
  return hub;
}

describe('the door-access mappings', () => {
  it('name every column of the four tables, the buttons’ column as "Actions"', async () => {
    renderApp(adminHub(), '/admin/mappings');
    await screen.findByRole('table', { name: 'Visitor policies and their door access' });
    const tables = screen.getAllByRole('table');
    expect(tables).toHaveLength(4);
    for (const table of tables) {
      const headers = [...table.querySelectorAll('th')].map((th) => th.textContent.trim());
      expect(headers.every(Boolean), `${table.querySelector('caption')?.textContent}: ${headers.join(' | ')}`).toBe(
        true,
      );
      expect(headers.at(-1)).toBe('Actions');
    }
  });
});
