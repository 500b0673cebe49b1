/**
 * Admin › Outcome webhooks (issue 15) in a simulated DOM over a fake hub: the endpoints as the
 * hub lists them, the form's refusals at their fields, the secret shown once and gone once the
 * page is left, a new secret and removing said first, and the delivery log in words with "Send
 * again" on its route.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/errors';
import type { ApiRequest } from '../../../api/transport';
import type { AccountView } from '../../../gen/AccountView';
import type { OutcomeDeliveryView } from '../../../gen/OutcomeDeliveryView';
import type { OutcomeEndpointView } from '../../../gen/OutcomeEndpointView';
import { fakeHub } from '../../../test/fakeHub';
import { NOW, signedInAs } from '../../../test/fixtures';
import { description, renderApp } from '../../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const admin: AccountView = { id: 1, email: 'owner@harbor.example', role: 'admin', person_id: null };

const location = (id: number, name: string) => ({
  id,
  name,
  time_zone: 'Europe/Berlin',
  booking_grace_minutes: 30,
  access_page_visibility: 'public',
  kisi_place_id: null,
});

const crm: OutcomeEndpointView = {
  id: 4,
  url: 'https://crm.harbor.example/doorlink',
  description: 'CRM: access written and revoked',
  events: ['grant.applied', 'revocation.completed'],
  location_id: null,
  enabled: true,
  created_at: '2026-11-20T08:00:00Z',
  pending: 0,
  failed: 1,
  last_delivered_at: '2026-11-24T09:41:00Z',
};

const chat: OutcomeEndpointView = {
  ...crm,
  id: 5,
  url: 'https://chat.harbor.example/hooks/doors',
  description: '',
  events: ['unlock.denied'],
  location_id: 2,
  enabled: false,
  failed: 0,
  last_delivered_at: null,
};

const SECRET = 'dlsec-8c1e2f0a9b7d';

function delivery(id: number, changes: Partial<OutcomeDeliveryView>): OutcomeDeliveryView {
  return {
    id,
    endpoint_id: 4,
    event_id: `evt-${id}`,
    event_type: 'grant.applied',
    location_id: 1,
    status: 'delivered',
    attempts: 1,
    last_status_code: 200,
    last_error: null,
    next_attempt_at: null,
    created_at: '2026-11-24T09:30:00Z',
    delivered_at: '2026-11-24T09:30:01Z',
    body: `{"id":"evt-${id}","type":"grant.applied"}`,
    ...changes,
  };
}

const deliveries = [
  delivery(30, { event_type: 'ping', body: '{"id":"evt-30","type":"ping","data":{"message":"hello"}}' }),
  delivery(29, {
    event_type: 'revocation.completed',
    status: 'pending',
    attempts: 2,
    last_status_code: 503,
    last_error: 'Service Unavailable',
    next_attempt_at: '2026-11-24T10:05:00Z',
    delivered_at: null,
  }),
  delivery(28, {
    status: 'failed',
    attempts: 10,
    last_status_code: null,
    last_error: 'connection refused',
    delivered_at: null,
  }),
];

function outcomesHub(listed: () => OutcomeEndpointView[] = () => [crm, chat]) {
  const hub = fakeHub({
    'GET /locations': () => [location(1, 'Harbor Berlin'), location(2, 'Harbor Hamburg')],
    'GET /outcome-endpoints': () => listed(),
    'GET /outcome-endpoints/4/deliveries': () => ({ deliveries, next_before: 28 }),
  });
  signedInAs(hub, admin);
  return hub;
}

const endpointItem = async (url: string) => within(await screen.findByRole('listitem', { name: url }));

describe('the outcome webhooks page', () => {
  it('is an admin section, says what it is for and where the delivery contract is', async () => {
    renderApp(outcomesHub(), '/admin/outcomes');
    const card = within(await screen.findByRole('region', { name: 'Outcome webhooks' }));
    expect(screen.getByRole('link', { name: 'Outcome webhooks' }).getAttribute('aria-current')).toBe('page');
    expect(card.getByText(/Doorlink tells other systems/).textContent).toContain('docs/outcome-webhooks.md');
    expect(card.getByText(/Doorlink tells other systems/).textContent).toContain('Doorlink-Signature: t=…,v1=…');
  });

  it('lists each endpoint with its event types, location, counts and last delivery (Berlin time)', async () => {
    renderApp(outcomesHub(), '/admin/outcomes');
    const first = await endpointItem(crm.url);
    expect(first.getByText('CRM: access written and revoked')).toBeTruthy();
    expect(first.getByText('grant.applied, revocation.completed')).toBeTruthy();
    expect(first.getByText('All locations')).toBeTruthy();
    expect(first.getByText('1 given up')).toBeTruthy();
    expect(first.getByText('Tue 24 Nov 2026, 10:41')).toBeTruthy();
    expect(first.getByRole('button', { name: 'Pause' })).toBeTruthy();
    const second = await endpointItem(chat.url);
    expect(second.getByText('Harbor Hamburg')).toBeTruthy();
    expect(second.getByText('paused')).toBeTruthy();
    expect(second.getByText('never yet')).toBeTruthy();
    expect(second.getByRole('button', { name: 'Resume' })).toBeTruthy();
  });

  it('says when there is no endpoint yet', async () => {
    renderApp(
      outcomesHub(() => []),
      '/admin/outcomes',
    );
    expect(await screen.findByText('No endpoint yet: nothing is sent.')).toBeTruthy();
  });
});

describe('adding an endpoint', () => {
  it('sends what the admin chose: the event types in their order, one location', async () => {
    const sent: unknown[] = [];
    const hub = outcomesHub();
    hub.on('POST /outcome-endpoints', (request) => {
      sent.push(request.body);
      return { endpoint: { ...chat, id: 9 }, secret: SECRET };
    });
    const { user } = renderApp(hub, '/admin/outcomes');
    await user.click(await screen.findByRole('button', { name: 'Add endpoint' }));
    const form = within(screen.getByRole('form', { name: 'Add endpoint' }));
    await user.type(form.getByRole('textbox', { name: 'Address (URL)' }), '  https://bill.harbor.example/in ');
    await user.type(form.getByRole('textbox', { name: 'Description' }), 'Billing');
    await user.click(form.getByRole('checkbox', { name: 'presence.changed' }));
    await user.click(form.getByRole('checkbox', { name: 'grant.failed' }));
    expect(description(form.getByRole('checkbox', { name: 'grant.failed' }))).toBe(
      'Kisi refused or could not take a grant; the cause says what to do.',
    );
    await user.selectOptions(form.getByRole('combobox', { name: 'Location' }), 'Harbor Hamburg');
    await user.click(form.getByRole('button', { name: 'Add endpoint' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      url: 'https://bill.harbor.example/in',
      description: 'Billing',
      events: ['grant.failed', 'presence.changed'],
      location_id: 2,
      enabled: true,
    });
  });

  it('asks for an address and an event type before asking the hub', async () => {
    const hub = outcomesHub();
    const { user } = renderApp(hub, '/admin/outcomes');
    await user.click(await screen.findByRole('button', { name: 'Add endpoint' }));
    const form = within(screen.getByRole('form', { name: 'Add endpoint' }));
    await user.type(form.getByRole('textbox', { name: 'Address (URL)' }), 'crm.harbor.example');
    await user.click(form.getByRole('button', { name: 'Add endpoint' }));
    expect(await form.findByText('Enter a web address starting with https:// (or http://).')).toBeTruthy();
    expect(within(form.getByRole('group', { name: 'Event types' })).getByRole('alert').textContent).toBe(
      'Choose at least one event type.',
    );
    expect(hub.seen).not.toContain('POST /outcome-endpoints');
  });

  // The adversary: the hub's problems in one banner, or at the wrong field.
  it('shows each of the hub’s field problems next to its field', async () => {
    const hub = outcomesHub();
    hub.on('POST /outcome-endpoints', () => {
      throw new ApiError(422, 'validation_failed', 'Check the fields.', [
        { field: 'url', problem: 'The address must not point into this network.' },
        { field: 'description', problem: 'At most 200 characters.' },
        { field: 'events', problem: 'Unknown event type "door.opened".' },
        { field: 'location_id', problem: 'Location 2 no longer exists.' },
      ]);
    });
    const { user } = renderApp(hub, '/admin/outcomes');
    await user.click(await screen.findByRole('button', { name: 'Add endpoint' }));
    const form = within(screen.getByRole('form', { name: 'Add endpoint' }));
    const url = form.getByRole('textbox', { name: 'Address (URL)' });
    await user.type(url, 'https://10.0.0.5/in');
    await user.click(form.getByRole('checkbox', { name: 'unlock.denied' }));
    await user.click(form.getByRole('button', { name: 'Add endpoint' }));

    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    expect(description(url)).toContain('The address must not point into this network.');
    expect(description(form.getByRole('textbox', { name: 'Description' }))).toContain('At most 200 characters.');
    expect(description(form.getByRole('combobox', { name: 'Location' }))).toContain('Location 2 no longer exists.');
    expect(within(form.getByRole('group', { name: 'Event types' })).getByRole('alert').textContent).toBe(
      'Unknown event type "door.opened".',
    );
    expect(form.queryByText('Check the fields.')).toBeNull();
  });

  // The adversary: a secret that lingers after the admin left, or comes back when the list is read again.
  it('shows the new endpoint’s secret once, and not after leaving the page and coming back', async () => {
    let listed = [crm];
    const made = { ...chat, id: 9, url: 'https://bill.harbor.example/in', location_id: null, enabled: true };
    const hub = outcomesHub(() => listed);
    hub.on('POST /outcome-endpoints', () => {
      listed = [crm, made];
      return { endpoint: made, secret: SECRET };
    });
    const { user } = renderApp(hub, '/admin/outcomes');
    await user.click(await screen.findByRole('button', { name: 'Add endpoint' }));
    const form = within(screen.getByRole('form', { name: 'Add endpoint' }));
    await user.type(form.getByRole('textbox', { name: 'Address (URL)' }), made.url);
    await user.click(form.getByRole('checkbox', { name: 'unlock.denied' }));
    await user.click(form.getByRole('button', { name: 'Add endpoint' }));

    const item = await endpointItem(made.url);
    const key = await item.findByRole('textbox', { name: 'Signing secret' });
    expect((key as HTMLInputElement).value).toBe(SECRET);
    expect(item.getByText(/Check each delivery’s/).textContent).toBe(
      'Check each delivery’s Doorlink-Signature with it; it is not shown again.',
    );
    expect(item.getByRole('button', { name: 'Copy secret' })).toBeTruthy();

    await user.click(screen.getByRole('link', { name: 'Audit log' }));
    await user.click(screen.getByRole('link', { name: 'Outcome webhooks' }));
    await endpointItem(made.url);
    expect(screen.queryByRole('textbox', { name: 'Signing secret' })).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });
});

describe('an endpoint’s actions', () => {
  it('pauses it by sending it back unchanged but for "enabled"', async () => {
    const sent: unknown[] = [];
    const hub = outcomesHub();
    hub.on('PUT /outcome-endpoints/4', (request) => {
      sent.push(request.body);
      return { ...crm, enabled: false };
    });
    const { user } = renderApp(hub, '/admin/outcomes');
    await user.click((await endpointItem(crm.url)).getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      url: crm.url,
      description: crm.description,
      events: crm.events,
      location_id: null,
      enabled: false,
    });
  });

  it('changes it through its form', async () => {
    const sent: unknown[] = [];
    const hub = outcomesHub();
    hub.on('PUT /outcome-endpoints/5', (request) => {
      sent.push(request.body);
      return chat;
    });
    const { user } = renderApp(hub, '/admin/outcomes');
    await user.click((await endpointItem(chat.url)).getByRole('button', { name: 'Edit' }));
    const form = within(screen.getByRole('form', { name: `Change ${chat.url}` }));
    expect((form.getByRole('combobox', { name: 'Location' }) as HTMLSelectElement).value).toBe('2');
    await user.click(form.getByRole('checkbox', { name: 'unlock.succeeded' }));
    await user.click(form.getByRole('checkbox', { name: /^Enabled/ }));
    await user.click(form.getByRole('button', { name: 'Save endpoint' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      url: chat.url,
      description: '',
      events: ['unlock.succeeded', 'unlock.denied'],
      location_id: 2,
      enabled: true,
    });
  });

  it('says the current secret stops at once before it makes a new one, then shows it once', async () => {
    const posts: ApiRequest[] = [];
    const hub = outcomesHub();
    hub.on('POST /outcome-endpoints/4/secret', (request) => {
      posts.push(request);
      return { endpoint: crm, secret: SECRET };
    });
    const { user } = renderApp(hub, '/admin/outcomes');
    await user.click((await endpointItem(crm.url)).getByRole('button', { name: 'New secret…' }));
    const dialog = screen.getByRole('dialog', { name: `Make a new secret for ${crm.url}?` });
    expect(dialog.textContent).toContain('The current secret stops working at once');
    expect(posts).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Make a new secret' }));
    const key = await (await endpointItem(crm.url)).findByRole('textbox', { name: 'Signing secret' });
    expect((key as HTMLInputElement).value).toBe(SECRET);
    expect(posts).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'I have saved it' }));
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('says its undelivered events are dropped before it removes it', async () => {
    const hub = outcomesHub(() => [{ ...crm, pending: 3 }]);
    hub.on('DELETE /outcome-endpoints/4', () => null);
    const { user } = renderApp(hub, '/admin/outcomes');
    await user.click((await endpointItem(crm.url)).getByRole('button', { name: 'Remove…' }));
    const dialog = screen.getByRole('dialog', { name: `Remove the endpoint ${crm.url}?` });
    expect(dialog.textContent).toContain('its undelivered events are dropped (3 waiting)');
    expect(hub.seen).not.toContain('DELETE /outcome-endpoints/4');
    await user.click(within(dialog).getByRole('button', { name: 'Remove the endpoint' }));
    await waitFor(() => expect(hub.seen).toContain('DELETE /outcome-endpoints/4'));
  });

  it('queues a test event and opens the delivery log', async () => {
    const hub = outcomesHub();
    hub.on('POST /outcome-endpoints/4/test', () =>
      delivery(31, { event_type: 'ping', status: 'pending', attempts: 0 }),
    );
    const { user } = renderApp(hub, '/admin/outcomes');
    const item = await endpointItem(crm.url);
    await user.click(item.getByRole('button', { name: 'Send a test event' }));
    expect(await item.findByRole('table', { name: /^Deliveries to https:\/\/crm/ })).toBeTruthy();
    expect(hub.seen).toContain('POST /outcome-endpoints/4/test');
    expect(item.getByRole('button', { name: 'Delivery log' }).getAttribute('aria-expanded')).toBe('true');
  });
});

describe('the delivery log', () => {
  async function openLog(hub = outcomesHub()) {
    const view = renderApp(hub, '/admin/outcomes');
    const item = await endpointItem(crm.url);
    await view.user.click(item.getByRole('button', { name: 'Delivery log' }));
    const table = await item.findByRole('table', { name: /^Deliveries to https:\/\/crm/ });
    const rows = within(table).getAllByRole('row').slice(1);
    return { ...view, table, rows };
  }

  // The adversary: UTC or New York times, attempts made said as the next attempt, statuses as codes.
  it('says where each delivery stands in words, with the endpoint’s last answer', async () => {
    const { rows } = await openLog();
    expect(rows.map((row) => within(row).getAllByRole('cell')[2]?.textContent)).toEqual([
      'Delivered',
      'Waiting to retry at 11:05 (attempt 3)',
      'Gave up after 10 attempts',
    ]);
    expect(rows.map((row) => within(row).getAllByRole('cell')[3]?.textContent)).toEqual([
      'HTTP 200',
      'HTTP 503 · Service Unavailable',
      'connection refused',
    ]);
    expect(rows[0]?.textContent).toContain('Tue 24 Nov 2026, 10:30');
  });

  it('shows the body as sent, with its event id, inside a disclosure', async () => {
    const { rows, user } = await openLog();
    const body = within(rows[0] as HTMLElement).getByText('Body');
    const details = body.closest('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    await user.click(body);
    expect(details.open).toBe(true);
    expect(details.textContent).toContain('evt-30');
    expect(details.querySelector('pre')?.textContent).toBe(
      '{\n  "id": "evt-30",\n  "type": "ping",\n  "data": {\n    "message": "hello"\n  }\n}',
    );
  });

  it('sends a delivered or given-up event again on its route, and offers nothing for one that waits', async () => {
    const hub = outcomesHub();
    const again: ApiRequest[] = [];
    hub.on('POST /outcome-deliveries/28/send-again', (request) => {
      again.push(request);
      return delivery(28, { status: 'pending', attempts: 0 });
    });
    const { rows, user } = await openLog(hub);
    expect(within(rows[1] as HTMLElement).queryByRole('button', { name: /^Send again/ })).toBeNull();
    expect(within(rows[0] as HTMLElement).getByRole('button', { name: /^Send again/ })).toBeTruthy();
    await user.click(
      within(rows[2] as HTMLElement).getByRole('button', {
        name: 'Send again the grant.applied event of Tue 24 Nov 2026, 10:30',
      }),
    );
    await waitFor(() => expect(again).toHaveLength(1));
    expect(hub.seen.filter((route) => route.includes('send-again'))).toEqual([
      'POST /outcome-deliveries/28/send-again',
    ]);
  });

  it('filters by status and pages to older deliveries', async () => {
    const hub = outcomesHub();
    const asked: ApiRequest['query'][] = [];
    hub.on('GET /outcome-endpoints/4/deliveries', (request) => {
      asked.push(request.query);
      return { deliveries, next_before: 28 };
    });
    const { user } = await openLog(hub);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Gave up');
    await waitFor(() => expect(asked.at(-1)).toEqual({ status: 'failed', before: null, limit: 50 }));
    await user.click(screen.getByRole('button', { name: 'Older' }));
    await waitFor(() => expect(asked.at(-1)).toEqual({ status: 'failed', before: 28, limit: 50 }));
  });
});
