/** The routes of the session-2 contracts, as the typed calls send them (a recording transport, no network). */
import { describe, expect, it } from 'vitest';
import { createApi } from '../api';
import { routes } from '../../gen/routes';
import { queryString, type ApiRequest, type Transport } from '../transport';

function recording(answer: unknown = {}) {
  const sent: ApiRequest[] = [];
  const transport: Transport = {
    authenticate: () => undefined,
    request: <T>(request: ApiRequest) => {
      sent.push(request);
      return Promise.resolve(answer as T);
    },
    subscribe: () => () => undefined,
  };
  const url = (i: number) => `${sent[i]?.method} ${sent[i]?.path}${queryString(sent[i]?.query)}`;
  return { api: createApi(transport), sent, url };
}

describe('people search', () => {
  it('asks the hub to search, trimmed, a page at a time', async () => {
    const hub = recording({ items: [], total: 0, offset: 0, limit: 8 });
    await hub.api.people.find('  Mia K ', 0, 8);
    expect(hub.url(0)).toBe('GET /people?search=Mia+K&offset=0&limit=8');
  });

  it('asks for everyone when the search is empty', async () => {
    const hub = recording({ items: [], total: 0, offset: 0, limit: 50 });
    await hub.api.people.find('   ');
    expect(hub.url(0)).toBe('GET /people?offset=0&limit=50');
  });

  it('keeps the hub’s answer as it is (the hub matches, not the UI)', async () => {
    const page = {
      items: [{ id: 3, name: 'Mia Keller', email: 'mia@harbor.example' }],
      total: 1,
      offset: 0,
      limit: 50,
    };
    const hub = recording(page);
    expect(await hub.api.people.find('harbor')).toEqual(page);
  });
});

describe('bookings by date', () => {
  it('sends the shown days as instants beside the resource', async () => {
    const hub = recording({ items: [], total: 0, offset: 0, limit: 200 });
    await hub.api.bookings.list({
      resource_id: 4,
      person_id: null,
      from: '2026-11-21T23:00:00.000Z',
      until: '2026-11-22T23:00:00.000Z',
      offset: 0,
      limit: 200,
    });
    expect(hub.url(0)).toBe(
      'GET /bookings?resource_id=4&from=2026-11-21T23%3A00%3A00.000Z&until=2026-11-22T23%3A00%3A00.000Z&offset=0&limit=200',
    );
  });
});

describe('subscription items', () => {
  it('adds an item with its optional own door access and removes one by id', async () => {
    const hub = recording();
    await hub.api.subscriptions.addItem(5, { sells: { kind: 'plan', id: 2 }, access_override: null });
    await hub.api.subscriptions.removeItem(5, 9);
    expect(hub.sent[0]).toEqual({
      method: 'POST',
      path: '/subscriptions/5/items',
      body: { sells: { kind: 'plan', id: 2 }, access_override: null },
    });
    expect(hub.url(1)).toBe('DELETE /subscriptions/5/items/9');
  });
});

describe('re-sync one person now', () => {
  it('posts to the person at the location', async () => {
    const hub = recording({ message: 'queued' });
    expect(await hub.api.people.resync(12, 3)).toEqual({ message: 'queued' });
    expect(hub.sent[0]).toMatchObject({ method: 'POST', path: '/locations/3/people/12/resync' });
  });
});

describe('catalog edits', () => {
  it('patches a plan, resource, product or visitor policy by its route', async () => {
    const hub = recording({ id: 1, name: 'x' });
    await hub.api.catalog.plans.update(1, { name: 'Flex desk', door_access: null });
    await hub.api.catalog.resources.update(2, { name: null, kind: 'office', door_access: null });
    await hub.api.catalog.products.update(3, { name: null, kind: null, door_access: { groups: [], locks: [4] } });
    await hub.api.catalog.visitorPolicies.update(4, { name: 'Guests', door_access: null });
    expect(hub.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PATCH /plans/1',
      'PATCH /resources/2',
      'PATCH /products/3',
      'PATCH /visitor-policies/4',
    ]);
    expect(hub.sent[2]?.body).toEqual({ name: null, kind: null, door_access: { groups: [], locks: [4] } });
  });
});

describe('door events (issue 15)', () => {
  it('asks for an older page of the door log with `before`, leaving unset filters out', async () => {
    const hub = recording({ events: [], next_before: null });
    await hub.api.doorEvents.list(3, { person_id: null, from: null, to: null, before: 120, limit: 50 });
    expect(hub.url(0)).toBe('GET /locations/3/door-events?before=120&limit=50');
  });

  it('sets up, replaces and removes the webhook on one route, and reads Kisi’s events on its own', async () => {
    const hub = recording();
    await hub.api.webhook.setUp(3);
    await hub.api.webhook.remove(3);
    await hub.api.webhook.backfill(3);
    expect(hub.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /locations/3/kisi/webhook',
      'DELETE /locations/3/kisi/webhook',
      'POST /locations/3/kisi/webhook/backfill',
    ]);
  });

  it('asks for a person’s attendance at one location', async () => {
    const hub = recording({ person_id: 4, location_id: 1, days: [] });
    await hub.api.attendance.of(4, { location_id: 1, from: '2026-10-26', to: '2026-11-24' });
    expect(hub.url(0)).toBe('GET /people/4/attendance?location_id=1&from=2026-10-26&to=2026-11-24');
  });
});

describe('outcome webhooks and time-to-revoke (issue 15)', () => {
  const request = {
    url: 'https://crm.harbor.example/doorlink',
    description: 'CRM',
    events: ['grant.applied'],
    location_id: null,
    enabled: true,
  };

  it('registers, changes, pauses through the same PUT, removes and re-keys an endpoint by its routes', async () => {
    const hub = recording();
    await hub.api.outcomes.create(request);
    await hub.api.outcomes.update(4, { ...request, enabled: false });
    await hub.api.outcomes.newSecret(4);
    await hub.api.outcomes.test(4);
    await hub.api.outcomes.remove(4);
    expect(hub.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /outcome-endpoints',
      'PUT /outcome-endpoints/4',
      'POST /outcome-endpoints/4/secret',
      'POST /outcome-endpoints/4/test',
      'DELETE /outcome-endpoints/4',
    ]);
    expect(hub.sent[1]?.body).toEqual({ ...request, enabled: false });
  });

  it('asks for an older page of failed deliveries, leaving unset filters out, and sends one again', async () => {
    const hub = recording({ deliveries: [], next_before: null });
    await hub.api.outcomes.deliveries(4, { status: 'failed', before: 90, limit: null });
    await hub.api.outcomes.sendAgain(17);
    expect(hub.url(0)).toBe('GET /outcome-endpoints/4/deliveries?status=failed&before=90');
    expect(hub.url(1)).toBe('POST /outcome-deliveries/17/send-again');
  });

  it('reads a location’s time-to-revoke under its sync', async () => {
    const hub = recording();
    await hub.api.sync.revocations(3);
    expect(hub.url(0)).toBe('GET /locations/3/sync/revocations');
  });
});

describe('the ledger, occupancy and CSV exports (issue 15)', () => {
  it('asks for a person’s ledger at one location over local dates', async () => {
    const hub = recording({ person_id: 4, location_id: 1, entries: [], passes_used: [], never_came: [] });
    await hub.api.ledger.of(4, { location_id: 1, from: '2026-10-26', to: '2026-11-24' });
    expect(hub.url(0)).toBe('GET /people/4/ledger?location_id=1&from=2026-10-26&to=2026-11-24');
  });

  it('asks for a location’s occupancy, leaving the hub’s default range when none is given', async () => {
    const hub = recording({ location_id: 1, time_zone: 'Europe/Berlin', from: '', to: '', days: [] });
    await hub.api.occupancy.of(1, { from: '2026-10-28', to: '2026-11-24' });
    await hub.api.occupancy.of(1, { from: null, to: null });
    expect([hub.url(0), hub.url(1)]).toEqual([
      'GET /locations/1/occupancy?from=2026-10-28&to=2026-11-24',
      'GET /locations/1/occupancy',
    ]);
  });

  it('makes each export a link to its hub route with the range, where the transport has links', () => {
    const links: Transport = {
      authenticate: () => undefined,
      request: () => Promise.reject(new Error('an export is a link, not a request')),
      subscribe: () => () => undefined,
      downloadUrl: ({ path, query }) => `https://hub.test/api${path}${queryString(query)}`,
    };
    const api = createApi(links);
    const range = { from: '2026-11-01', to: '2026-11-24' };
    expect(api.exports.available).toBe(true);
    expect([api.exports.attendance(1, range), api.exports.ledger(1, range), api.exports.audit(1, range)]).toEqual([
      'https://hub.test/api/locations/1/exports/attendance.csv?from=2026-11-01&to=2026-11-24',
      'https://hub.test/api/locations/1/exports/ledger.csv?from=2026-11-01&to=2026-11-24',
      'https://hub.test/api/locations/1/exports/audit.csv?from=2026-11-01&to=2026-11-24',
    ]);
  });

  it('has no export link where no link reaches the hub (the desktop app)', () => {
    const { api } = recording();
    expect(api.exports.available).toBe(false);
    expect(api.exports.attendance(1, { from: '2026-11-01', to: '2026-11-24' })).toBeNull();
  });
});

describe('every call names a hub route (ui/src/gen/routes.ts, from crates/api/src/routes.rs)', () => {
  // The adversary: a path typed in a family file that drifted from the hub's (a renamed route, a
  // typo): the hub would answer 404 only when someone pressed that button.
  const templates = Object.values(routes).map(
    (route) => new RegExp(`^${route.replace(/\{[a-z_]+\}/g, '[^/]+').replace(/[-]/g, '\\-')}$`),
  );
  const isRoute = (path: string) => templates.some((template) => template.test(path));

  it('sends only paths the hub declares, for each method of each family', async () => {
    const hub = recording();
    const families = Object.entries(hub.api).filter(([name]) => name !== 'connection' && name !== 'subscribe');
    for (const [, family] of families) {
      for (const method of Object.values(family as Record<string, unknown>)) {
        if (typeof method !== 'function') continue;
        // Ids, and an object where a request is expected: what is sent is all that matters here.
        for (const args of [
          [1, 2, 3],
          [{}, {}, {}],
        ]) {
          try {
            await (method as (...args: unknown[]) => Promise<unknown>)(...args);
          } catch {
            // A method that refuses these arguments before sending anything sends no path.
          }
        }
      }
    }
    const unknown = hub.sent
      .filter((request) => !isRoute(request.path))
      .map((request) => `${request.method} ${request.path}`);
    expect(unknown).toEqual([]);
    expect(new Set(hub.sent.map((request) => request.path)).size).toBeGreaterThan(60);
  });

  it('knows a path that is not the hub’s when it sees one', () => {
    expect(isRoute('/people/12')).toBe(true);
    expect(isRoute('/people/12/visitz')).toBe(false);
  });
});
