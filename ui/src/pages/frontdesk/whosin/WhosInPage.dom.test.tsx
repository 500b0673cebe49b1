/**
 * Who's in over a fake hub, the browser in New York and the space in Berlin (issue 15): who is in
 * at Berlin times, live as the hub announces door events; why the list is empty (no webhook, no
 * door opened today); the door log with Kisi's own words for a refusal, how Doorlink learnt of
 * each event, and older pages.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/errors';
import type { AccountView } from '../../../gen/AccountView';
import type { DoorEventPage } from '../../../gen/DoorEventPage';
import type { DoorEventView } from '../../../gen/DoorEventView';
import type { KisiWebhookView } from '../../../gen/KisiWebhookView';
import type { PresenceView } from '../../../gen/PresenceView';
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

const webhook: KisiWebhookView = {
  location_id: 1,
  path: '/api/kisi/webhooks/1',
  url: null,
  created_at: '2026-11-20T08:00:00Z',
  backfilled_through: '2026-11-24T09:55:00Z',
  events_kept: 3,
  latest_event_at: '2026-11-24T09:40:00Z',
};

const CHECKOUT = 'People are checked out at midnight.';

function presence(present: PresenceView['present']): PresenceView {
  return { location_id: 1, as_of: NOW.toISOString(), present, checkout: CHECKOUT };
}

/** 09:12 in Berlin. */
const miaIn = {
  person_id: 4,
  name: 'Mia Keller',
  since: '2026-11-24T08:12:00Z',
  last_seen: '2026-11-24T09:40:00Z',
  last_door: 'Meeting Room Spree',
};

function event(changes: Partial<DoorEventView>): DoorEventView {
  return {
    id: 1,
    uuid: 'e1',
    kind: 'lock.unlock',
    opened: true,
    kisi_lock_id: 11,
    lock_name: 'Front Door',
    actor_type: 'User',
    actor_name: 'Mia Keller',
    person_id: 4,
    person_name: 'Mia Keller',
    error_code: null,
    error_message: null,
    occurred_at: '2026-11-24T08:12:00Z',
    received_at: '2026-11-24T08:12:01Z',
    source: 'webhook',
    ...changes,
  };
}

/** Kisi's own words for a reader-only door opened from the app (the adversary: a code, no words). */
const refused = event({
  id: 2,
  uuid: 'e2',
  opened: false,
  lock_name: 'Server Room',
  error_code: 'reader_restriction',
  error_message: 'This lock can only be unlocked with a Kisi Reader',
  occurred_at: '2026-11-24T09:05:00Z',
  source: 'backfill',
});

function whosInHub(options: {
  account?: AccountView;
  present?: () => PresenceView['present'];
  log?: (before: string | undefined) => DoorEventPage;
  webhook?: KisiWebhookView | null;
}) {
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
    'GET /locations/1/presence': () => presence(options.present?.() ?? []),
    'GET /locations/1/door-events': (request) =>
      options.log?.(request.query?.before === null ? undefined : String(request.query?.before)) ?? {
        events: [],
        next_before: null,
      },
    'GET /locations/1/kisi/webhook': () => {
      const current = options.webhook === undefined ? webhook : options.webhook;
      if (!current) throw new ApiError(404, 'not_found', 'No event webhook is set up at this location.');
      return current;
    },
  });
  signedInAs(hub, options.account ?? staff);
  return hub;
}

describe('who’s in', () => {
  it('lists who is in, since when and where last seen, in Berlin time, with the checkout rule', async () => {
    renderApp(whosInHub({ present: () => [miaIn] }), '/desk/whos-in');
    const list = await screen.findByRole('list', { name: 'People in now' });
    const mia = within(list).getByRole('link', { name: 'Mia Keller' });
    expect(mia.getAttribute('href')).toBe('/desk/people/4');
    expect(list.textContent).toContain('since 09:12');
    expect(list.textContent).toContain('last seen at Meeting Room Spree, 10:40');
    expect(screen.getByRole('heading', { name: 'In now: 1 person' })).toBeTruthy();
    expect(screen.getByText(CHECKOUT)).toBeTruthy();
  });

  it('is reached from the front desk’s menu', async () => {
    const { user } = renderApp(whosInHub({}), '/desk/people');
    await user.click(await screen.findByRole('link', { name: 'Who’s in' }));
    expect(await screen.findByRole('heading', { name: 'Who’s in', level: 1 })).toBeTruthy();
  });

  // The adversary: a list that waits for a reload while people walk in.
  it('adds someone who just opened a door as soon as the hub announces it, without a reload', async () => {
    let present: PresenceView['present'] = [];
    const hub = whosInHub({ present: () => present });
    renderApp(hub, '/desk/whos-in');
    await screen.findByRole('heading', { name: 'In now: 0 people' });
    act(() => hub.live('live'));
    present = [miaIn];
    act(() =>
      hub.emit({ kind: 'message', data: { kind: 'door_events_changed', location_id: 1, people: [4], id: null } }),
    );
    expect(await screen.findByRole('heading', { name: 'In now: 1 person' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Mia Keller' })).toBeTruthy();
  });

  it('says no one has opened a door today when the doors are quiet', async () => {
    renderApp(whosInHub({}), '/desk/whos-in');
    expect(await screen.findByText('No one has opened a door today.')).toBeTruthy();
  });

  it('does not claim no one came when everyone who came today has been checked out', async () => {
    renderApp(whosInHub({ log: () => ({ events: [event({})], next_before: null }) }), '/desk/whos-in');
    expect(
      await screen.findByText('No one is in now: everyone who opened a door today has been checked out.'),
    ).toBeTruthy();
    expect(screen.queryByText('No one has opened a door today.')).toBeNull();
  });

  // The adversary: an empty list read as "nobody came" when nothing can hear the doors.
  it('says the event webhook is missing, and links admins to it', async () => {
    renderApp(whosInHub({ webhook: null, account: admin }), '/desk/whos-in');
    const title = await screen.findByText('Set up Kisi’s event webhook');
    const box = title.closest('.notice') as HTMLElement;
    expect(within(box).getByRole('link', { name: 'Set it up in Admin › Kisi connection.' }).getAttribute('href')).toBe(
      '/admin/kisi',
    );
    expect(screen.queryByText('No one has opened a door today.')).toBeNull();
  });

  it('tells staff who sets the webhook up, without a link they cannot follow', async () => {
    renderApp(whosInHub({ webhook: null }), '/desk/whos-in');
    const title = await screen.findByText('Set up Kisi’s event webhook');
    const box = title.closest('.notice') as HTMLElement;
    expect(box.textContent).toContain('An admin sets it up in Admin › Kisi connection.');
    expect(within(box).queryByRole('link')).toBeNull();
  });

  it('shows staff the webhook’s status without the admin’s buttons', async () => {
    renderApp(whosInHub({}), '/desk/whos-in');
    const card = within(await screen.findByRole('region', { name: 'Event webhook' }));
    await card.findByText('/api/kisi/webhooks/1');
    expect(card.getByRole('button', { name: 'Read Kisi’s events now' })).toBeTruthy();
    expect(card.queryByRole('button', { name: 'New secret…' })).toBeNull();
    expect(card.queryByRole('button', { name: 'Remove…' })).toBeNull();
  });
});

describe('the door log', () => {
  it('shows a refusal in Kisi’s own words, and that it was found later in Kisi’s log', async () => {
    renderApp(whosInHub({ log: () => ({ events: [refused, event({})], next_before: null }) }), '/desk/whos-in');
    const table = await screen.findByRole('table', { name: /^Events at the doors, newest first/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]?.textContent).toContain('Refused: This lock can only be unlocked with a Kisi Reader');
    expect(rows[0]?.textContent).toContain('Server Room');
    expect(rows[0]?.textContent).toContain('10:05');
    expect(rows[0]?.textContent).toContain('found later in Kisi’s log');
    expect(rows[1]?.textContent).toContain('Opened');
    expect(rows[1]?.textContent).toContain('via webhook');
    expect(
      within(rows[1] as HTMLElement)
        .getByRole('link', { name: 'Mia Keller' })
        .getAttribute('href'),
    ).toBe('/desk/people/4');
  });

  it('names someone Doorlink does not know by Kisi’s name for them', async () => {
    renderApp(
      whosInHub({
        log: () => ({
          events: [event({ person_id: null, person_name: null, actor_name: 'Cleaning crew', actor_type: 'GroupLink' })],
          next_before: null,
        }),
      }),
      '/desk/whos-in',
    );
    const table = await screen.findByRole('table', { name: /^Events at the doors/ });
    expect(within(table).getByText('Cleaning crew')).toBeTruthy();
    expect(within(table).queryByRole('link')).toBeNull();
  });

  it('pages to older events with the hub’s `before`, and back', async () => {
    const older = event({ id: 1, uuid: 'e1', lock_name: 'Back Door', occurred_at: '2026-11-23T16:00:00Z' });
    const hub = whosInHub({
      log: (before) =>
        before === '2' ? { events: [older], next_before: null } : { events: [refused], next_before: 2 },
    });
    const { user } = renderApp(hub, '/desk/whos-in');
    const table = await screen.findByRole('table', { name: /^Events at the doors/ });
    await within(table).findByText('Server Room');
    await user.click(screen.getByRole('button', { name: 'Older' }));
    await waitFor(() => expect(within(table).queryByText('Server Room')).toBeNull());
    expect(within(table).getByText('Back Door')).toBeTruthy();
    expect(within(table).getByText('yesterday 17:00')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Older' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await within(table).findByText('Server Room')).toBeTruthy();
  });
});
