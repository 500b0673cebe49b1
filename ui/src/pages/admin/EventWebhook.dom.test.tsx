/**
 * Admin › Kisi connection › Event webhook and check-in settings (issue 15) in a simulated DOM over
 * a fake hub: the secret is shown once and never again, replacing it is said first, reading
 * Kisi's events reports in words, and the check-in settings send exactly what the admin chose.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import type { ApiRequest } from '../../api/transport';
import type { AccountView } from '../../gen/AccountView';
import type { KisiConnectionView } from '../../gen/KisiConnectionView';
import type { KisiWebhookView } from '../../gen/KisiWebhookView';
import type { PresenceSettingsView } from '../../gen/PresenceSettingsView';
import { fakeHub, type FakeHub } from '../../test/fakeHub';
import { NOW, signedInAs } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const admin: AccountView = { id: 1, email: 'owner@harbor.example', role: 'admin', person_id: null };

const connection: KisiConnectionView = {
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

const webhook: KisiWebhookView = {
  location_id: 1,
  path: '/api/kisi/webhooks/1',
  url: null,
  created_at: '2026-11-24T09:58:00Z',
  backfilled_through: null,
  events_kept: 0,
  latest_event_at: null,
};

const SECRET = 'whsec-4f1c9a0e7b2d';

const settings: PresenceSettingsView = {
  location_id: 1,
  inactivity_minutes: null,
  entrance_lock_ids: [],
  exit_lock_ids: [],
};

function kisiHub(current: () => KisiWebhookView | null) {
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
    'GET /locations/1/kisi/catalogue': () => ({
      places: [],
      groups: [],
      locks: [lock(11, 'Front Door'), lock(12, 'Server Room'), lock(13, 'Back Door')],
    }),
    'GET /locations/1/kisi/webhook': () => {
      const now = current();
      if (!now) throw new ApiError(404, 'not_found', 'No event webhook is set up at this location.');
      return now;
    },
    'GET /locations/1/presence/settings': () => settings,
  });
  signedInAs(hub, admin);
  return hub;
}

function lock(id: number, name: string) {
  return { id, name, place_id: null, reader_restriction: false, geofence_restriction: false, time_restriction: false };
}

async function webhookCard() {
  return within(await screen.findByRole('region', { name: 'Event webhook' }));
}

describe('the event webhook', () => {
  it('explains what it does and offers "Set up" when there is none', async () => {
    renderApp(
      kisiHub(() => null),
      '/admin/kisi',
    );
    const card = await webhookCard();
    await card.findByRole('button', { name: 'Set up' });
    expect(card.getByText(/every unlock and every refused attempt/)).toBeTruthy();
  });

  // The adversary: a secret that lingers on the page, or comes back when the status is read again.
  it('shows the secret once after set-up, and not after the page reads the webhook again', async () => {
    let current: KisiWebhookView | null = null;
    const hub = kisiHub(() => current);
    hub.on('POST /locations/1/kisi/webhook', () => {
      current = webhook;
      return { webhook, secret: SECRET };
    });
    const { user } = renderApp(hub, '/admin/kisi');
    await user.click(await (await webhookCard()).findByRole('button', { name: 'Set up' }));

    const key = await screen.findByRole('textbox', { name: 'Signature key' });
    expect((key as HTMLInputElement).value).toBe(SECRET);
    expect(
      screen.getByText('Paste it as the signature key of Kisi’s Event Webhook integration; it is not shown again.'),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy secret' })).toBeTruthy();
    // Without the hub's public address: the path after it.
    expect(screen.getByText('/api/kisi/webhooks/1')).toBeTruthy();
    expect(screen.getByText('this hub’s address, then')).toBeTruthy();

    // A reload: the webhook is read again, and its answer has no secret to show.
    cleanup();
    renderApp(hub, '/admin/kisi');
    const card = await webhookCard();
    await card.findByText('/api/kisi/webhooks/1');
    expect(screen.queryByRole('textbox', { name: 'Signature key' })).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('says the current secret stops working before it makes a new one', async () => {
    const hub = kisiHub(() => ({ ...webhook, url: 'https://doors.harbor.example/api/kisi/webhooks/1' }));
    const posts: ApiRequest[] = [];
    hub.on('POST /locations/1/kisi/webhook', (request) => {
      posts.push(request);
      return { webhook, secret: SECRET };
    });
    const { user } = renderApp(hub, '/admin/kisi');
    const card = await webhookCard();
    await card.findByText('https://doors.harbor.example/api/kisi/webhooks/1');
    await user.click(card.getByRole('button', { name: 'New secret…' }));
    const dialog = screen.getByRole('dialog', { name: 'Make a new secret?' });
    expect(dialog.textContent).toContain('The current secret stops working at once');
    expect(posts).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Replace the secret' }));
    const key = await screen.findByRole('textbox', { name: 'Signature key' });
    expect((key as HTMLInputElement).value).toBe(SECRET);
    expect(posts).toHaveLength(1);
  });

  it('says in words what reading Kisi’s events found', async () => {
    const hub = kisiHub(() => ({
      ...webhook,
      events_kept: 41,
      latest_event_at: '2026-11-24T09:41:00Z',
      backfilled_through: '2026-11-24T09:45:00Z',
    }));
    hub.on('POST /locations/1/kisi/webhook/backfill', () => ({
      listed: 12,
      stored: 2,
      duplicates: 9,
      elsewhere: 1,
      complete: false,
    }));
    const { user } = renderApp(hub, '/admin/kisi');
    const card = await webhookCard();
    // Berlin time, not the browser's New York.
    await card.findByText('Tue 24 Nov 2026, 10:41');
    expect(card.getByText('Tue 24 Nov 2026, 10:45')).toBeTruthy();
    await user.click(card.getByRole('button', { name: 'Read Kisi’s events now' }));
    const found = await card.findByRole('status', { name: 'What reading Kisi’s events found' });
    expect(found.textContent).toBe(
      'Kisi listed 12 events: 2 missing and kept now, 9 already kept, 1 about another location’s doors. Kisi listed more than one reading takes; the rest is read next time.',
    );
  });
});

describe('check-in and check-out settings', () => {
  function settingsHub(put: (request: ApiRequest) => unknown) {
    const hub: FakeHub = kisiHub(() => webhook);
    hub.on('PUT /locations/1/presence/settings', put);
    return hub;
  }

  // The adversary: a body that sends a door twice, a door in the wrong list, or "" for minutes.
  it('sends exactly the doors and the window the admin chose', async () => {
    const sent: unknown[] = [];
    const hub = settingsHub((request) => {
      sent.push(request.body);
      return settings;
    });
    const { user } = renderApp(hub, '/admin/kisi');
    const card = within(await screen.findByRole('region', { name: 'Who’s in: check-in and check-out' }));
    await user.type(await card.findByRole('textbox', { name: 'Inactivity window (minutes)' }), '240');
    await user.selectOptions(card.getByRole('combobox', { name: 'Back Door' }), 'exit');
    await user.selectOptions(card.getByRole('combobox', { name: 'Front Door' }), 'entrance');
    await user.selectOptions(card.getByRole('combobox', { name: 'Server Room' }), 'exit');
    await user.selectOptions(card.getByRole('combobox', { name: 'Server Room' }), 'neither');
    await user.click(card.getByRole('button', { name: 'Save check-in and check-out' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ inactivity_minutes: 240, entrance_lock_ids: [11], exit_lock_ids: [13] });
  });

  it('sends no window when the minutes are emptied', async () => {
    const sent: unknown[] = [];
    const hub = settingsHub((request) => {
      sent.push(request.body);
      return settings;
    });
    hub.on('GET /locations/1/presence/settings', () => ({ ...settings, inactivity_minutes: 90, exit_lock_ids: [13] }));
    const { user } = renderApp(hub, '/admin/kisi');
    const minutes = await screen.findByRole('textbox', { name: 'Inactivity window (minutes)' });
    expect((minutes as HTMLInputElement).value).toBe('90');
    await user.clear(minutes);
    await user.click(screen.getByRole('button', { name: 'Save check-in and check-out' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ inactivity_minutes: null, entrance_lock_ids: [], exit_lock_ids: [13] });
  });

  it('shows the hub’s refusal at the field it names', async () => {
    const hub = settingsHub(() => {
      throw new ApiError(422, 'validation_failed', 'Check the fields.', [
        { field: 'inactivity_minutes', problem: 'At most 1440 minutes (a day).' },
      ]);
    });
    const { user } = renderApp(hub, '/admin/kisi');
    const minutes = await screen.findByRole('textbox', { name: 'Inactivity window (minutes)' });
    await user.type(minutes, '5000');
    await user.click(screen.getByRole('button', { name: 'Save check-in and check-out' }));
    await waitFor(() => expect(minutes.getAttribute('aria-invalid')).toBe('true'));
    const problem = minutes.ownerDocument.getElementById(
      minutes.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '',
    );
    expect(problem?.textContent).toBe('At most 1440 minutes (a day).');
  });

  it('shows the hub’s refusal of a door list at the doors', async () => {
    const hub = settingsHub(() => {
      throw new ApiError(422, 'validation_failed', 'Check the fields.', [
        { field: 'exit_lock_ids', problem: 'Lock 12 is no longer in Kisi’s directory of this location.' },
      ]);
    });
    const { user } = renderApp(hub, '/admin/kisi');
    const doors = await screen.findByRole('group', { name: 'Doors' });
    await user.click(screen.getByRole('button', { name: 'Save check-in and check-out' }));
    expect((await within(doors).findByRole('alert')).textContent).toBe(
      'Lock 12 is no longer in Kisi’s directory of this location.',
    );
  });

  it('leaves out on save a door chosen before that is no longer in Kisi, and says so', async () => {
    const sent: unknown[] = [];
    const hub = settingsHub((request) => {
      sent.push(request.body);
      return settings;
    });
    hub.on('GET /locations/1/presence/settings', () => ({ ...settings, entrance_lock_ids: [11, 99] }));
    const { user } = renderApp(hub, '/admin/kisi');
    expect(await screen.findByText(/A door chosen before is no longer in Kisi; saving leaves it out\./)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save check-in and check-out' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ inactivity_minutes: null, entrance_lock_ids: [11], exit_lock_ids: [] });
  });

  it('refuses minutes that are not a whole number before asking the hub', async () => {
    const sent: unknown[] = [];
    const hub = settingsHub((request) => {
      sent.push(request.body);
      return settings;
    });
    const { user } = renderApp(hub, '/admin/kisi');
    const minutes = await screen.findByRole('textbox', { name: 'Inactivity window (minutes)' });
    await user.type(minutes, '4h');
    await user.click(screen.getByRole('button', { name: 'Save check-in and check-out' }));
    expect(await screen.findByText(/Enter a whole number of minutes/)).toBeTruthy();
    expect(sent).toEqual([]);
  });
});
