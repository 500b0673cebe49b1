/**
 * Editing a resource where the mappings are listed, in a simulated DOM over a fake hub: one PATCH of what changed, null for the rest, and the hub's field error next to
 * the field it names.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import type { AccountView } from '../../gen/AccountView';
import type { ResourceView } from '../../gen/ResourceView';
import { fakeHub } from '../../test/fakeHub';
import { signedInAs } from '../../test/fixtures';
import { description, renderApp } from '../../test/renderApp';

const admin: AccountView = { id: 1, email: 'owner@harbor.example', role: 'admin', person_id: null };
const elbe: ResourceView = {
  id: 4,
  location_id: 1,
  name: 'Meeting Room Elbe',
  kind: 'room',
  door_access: { groups: [7], locks: [] },
};

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
    'GET /locations/1/kisi/catalogue': () => ({
      places: [],
      groups: [
        {
          id: 7,
          name: 'Room Elbe',
          lock_ids: [],
          reader_restriction: false,
          geofence_restriction: false,
          time_restriction: false,
          deleted: false,
          foreign_members: 0,
          app_access: true,
          primary_device_restriction: false,
          setting_warnings: [],
        },
      ],
      locks: [],
    }),
    'GET /locations/1/mappings': () => [],
    'GET /locations/1/plans': () => [],
    'GET /locations/1/resources': () => [elbe],
    'GET /locations/1/products': () => [],
    'GET /locations/1/visitor-policies': () => [],
  });
  signedInAs(hub, admin);
  return hub;
}

describe('editing a resource', () => {
  it('sends only what changed: a new name and kind, the door access left as it is', async () => {
    const hub = adminHub();
    let sent: unknown;
    hub.on('PATCH /resources/4', (request) => {
      sent = request.body;
      return { ...elbe, name: 'Elbe Lounge', kind: 'office' };
    });
    const { user } = renderApp(hub, '/admin/mappings');
    await user.click(await screen.findByRole('button', { name: 'Edit resource Meeting Room Elbe' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit resource Meeting Room Elbe' });
    const save = within(dialog).getByRole('button', { name: 'Save changes' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    const name = within(dialog).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, ' Elbe Lounge ');
    await user.selectOptions(within(dialog).getByLabelText('Kind'), 'Office');
    await user.click(save);
    await waitFor(() => expect(sent).toEqual({ name: 'Elbe Lounge', kind: 'office', door_access: null }));
  });

  it('shows the hub’s refusal next to the name and keeps the dialog open', async () => {
    const hub = adminHub();
    hub.on('PATCH /resources/4', () => {
      throw new ApiError(422, 'validation_failed', 'The resource was refused.', [
        { field: 'name', problem: 'Another resource at this location is called Meeting Room Spree.' },
      ]);
    });
    const { user } = renderApp(hub, '/admin/mappings');
    await user.click(await screen.findByRole('button', { name: 'Edit resource Meeting Room Elbe' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit resource Meeting Room Elbe' });
    const name = within(dialog).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Meeting Room Spree{Enter}');
    await waitFor(() =>
      expect(description(name)).toBe('Another resource at this location is called Meeting Room Spree.'),
    );
    expect(screen.getByRole('dialog', { name: 'Edit resource Meeting Room Elbe' })).toBeTruthy();
  });
});
