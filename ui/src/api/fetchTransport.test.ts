import { describe, expect, it, vi } from 'vitest';
import { createApi } from './api';
import { ApiError } from './errors';
import { CSRF_HEADER, fetchTransport } from './fetchTransport';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A stand-in hub: records each request and answers from `reply`. */
function fakeHub(reply: (seen: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request: Seen = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    seen.push(request);
    return reply(request);
  };
  return { seen, fetch: fetch as typeof globalThis.fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const session = {
  token: 'session-token',
  csrf_token: 'csrf-123',
  expires_at: '2026-12-12T10:00:00Z',
  account: { id: 1, email: 'ana@example.com', role: 'staff', person_id: 3 },
};

describe('the fetch transport', () => {
  it('sends the CSRF token of the session on writes, and only after sign-in', async () => {
    const hub = fakeHub((request) =>
      request.url.endsWith('/api/auth/sign-in') ? json(200, session) : json(200, { message: 'ok' }),
    );
    const api = createApi(fetchTransport({ fetch: hub.fetch }));

    await api.sync.runFull(1).catch(() => undefined);
    expect(hub.seen[0]?.headers[CSRF_HEADER]).toBeUndefined();

    await api.session.signIn({ email: 'ana@example.com', password: 'correct horse' });
    await api.sync.runFull(1);
    const write = hub.seen.at(-1);
    expect(write?.method).toBe('POST');
    expect(write?.headers[CSRF_HEADER]).toBe('csrf-123');
  });

  it('sends no CSRF token on reads and forgets it at sign-out', async () => {
    const hub = fakeHub((request) =>
      request.url.endsWith('/sign-out') ? new Response(null, { status: 204 }) : json(200, session),
    );
    const api = createApi(fetchTransport({ fetch: hub.fetch }));
    await api.session.signIn({ email: 'ana@example.com', password: 'correct horse' });
    await api.locations.list();
    expect(hub.seen.at(-1)?.headers[CSRF_HEADER]).toBeUndefined();
    await api.session.signOut();
    await api.bookings.cancel(4);
    expect(hub.seen.at(-1)?.headers[CSRF_HEADER]).toBeUndefined();
  });

  it('takes the CSRF token back from the session after a reload', async () => {
    const current = { account: session.account, csrf_token: 'csrf-after-reload', expires_at: session.expires_at };
    const hub = fakeHub((request) =>
      request.url.endsWith('/api/auth/session') ? json(200, current) : json(200, { message: 'ok' }),
    );
    const afterReload = createApi(fetchTransport({ fetch: hub.fetch }));
    await afterReload.bookings.cancel(3);
    expect(hub.seen.at(-1)?.headers[CSRF_HEADER]).toBeUndefined();
    expect(await afterReload.session.current()).toEqual(session.account);
    await afterReload.bookings.cancel(3);
    expect(hub.seen.at(-1)?.headers[CSRF_HEADER]).toBe('csrf-after-reload');
  });

  it('turns the hub error body into an ApiError with field problems', async () => {
    const hub = fakeHub(() =>
      json(422, {
        error: {
          code: 'validation_failed',
          message: 'The booking was refused.',
          fields: [{ field: 'end', problem: 'must be after the start' }],
        },
      }),
    );
    const api = createApi(fetchTransport({ fetch: hub.fetch }));
    const failure = await api.bookings
      .create({
        resource_id: 1,
        booker_id: 2,
        invitee_ids: [],
        start: '2026-12-11T12:00:00Z',
        end: '2026-12-11T11:00:00Z',
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    const error = failure as ApiError;
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_failed');
    expect(error.fieldProblem('end')).toBe('must be after the start');
    expect(error.fieldProblem('start')).toBeUndefined();
  });

  it('explains an error answer without a body', async () => {
    const hub = fakeHub(() => new Response('', { status: 502 }));
    const api = createApi(fetchTransport({ fetch: hub.fetch }));
    await expect(api.locations.list()).rejects.toMatchObject({ code: 'internal', status: 502 });
  });

  it('reports an unreachable hub as offline with what to do', async () => {
    const fetch = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof globalThis.fetch;
    const api = createApi(fetchTransport({ fetch }));
    const error = (await api.me.access().catch((e: unknown) => e)) as ApiError;
    expect(error.isOffline).toBe(true);
    expect(error.message).toMatch(/cannot be reached.*Failed to fetch.*try again/);
  });

  it('puts query parameters in the URL, leaving out the empty ones', async () => {
    const hub = fakeHub(() => json(200, { items: [], total: 0, offset: 0, limit: 50 }));
    const api = createApi(fetchTransport({ fetch: hub.fetch, baseUrl: 'http://hub.test' }));
    await api.people.find('  ana k ');
    expect(hub.seen[0]?.url).toBe('http://hub.test/api/people?search=ana+k&offset=0&limit=50');
    await api.people.find('', 0, 8);
    expect(hub.seen[1]?.url).toBe('http://hub.test/api/people?offset=0&limit=8');
    await api.me.access();
    expect(hub.seen[2]?.url).toBe('http://hub.test/api/me/access');
  });

  it('links a download to the hub the requests go to, with its query', () => {
    const hub = fakeHub(() => json(200, {}));
    const api = createApi(fetchTransport({ fetch: hub.fetch, baseUrl: 'http://hub.test' }));
    expect(api.exports.ledger(2, { from: '2026-11-01', to: null })).toBe(
      'http://hub.test/api/locations/2/exports/ledger.csv?from=2026-11-01',
    );
    expect(createApi(fetchTransport({ fetch: hub.fetch })).exports.audit(2, { from: null, to: null })).toBe(
      '/api/locations/2/exports/audit.csv',
    );
    expect(hub.seen).toEqual([]);
  });

  it('encodes ids into paths and sends JSON bodies', async () => {
    const hub = fakeHub(() => json(200, { lock_id: 7, unlocked: true, message: 'Unlocked!', reason: null }));
    const api = createApi(fetchTransport({ fetch: hub.fetch }));
    const outcome = await api.me.unlock(7);
    expect(outcome.unlocked).toBe(true);
    expect(hub.seen[0]?.url).toMatch(/\/api\/me\/locks\/7\/unlock$/);
    expect(hub.seen[0]?.headers['content-type']).toBe('application/json');
    expect(hub.seen[0]?.body).toEqual({ location_id: null, latitude: null, longitude: null });
  });
});

describe('live events', () => {
  /** A stand-in EventSource that lets the test play the hub's side. */
  class FakeSource {
    static CLOSED = 2;
    readyState = 1;
    url: string;
    closed = false;
    listeners = new Map<string, (event: MessageEvent<string>) => void>();
    onopen: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onmessage: ((event: MessageEvent<string>) => void) | null = null;
    constructor(url: string) {
      this.url = url;
    }
    addEventListener(name: string, listener: (event: MessageEvent<string>) => void) {
      this.listeners.set(name, listener);
    }
    close() {
      this.closed = true;
    }
    emit(name: string, data: unknown) {
      const event = { data: JSON.stringify(data) } as MessageEvent<string>;
      if (name === 'message') this.onmessage?.(event);
      else this.listeners.get(name)?.(event);
    }
  }

  it('delivers named and unnamed change notices and reports when it is live', () => {
    let source: FakeSource | undefined;
    const transport = fetchTransport({
      baseUrl: 'http://hub.test',
      eventSource: (url) => {
        source = new FakeSource(url);
        return source as unknown as EventSource;
      },
    });
    const events: unknown[] = [];
    const statuses: string[] = [];
    const stop = transport.subscribe(
      (e) => events.push(e),
      (s) => statuses.push(s),
    );
    assert(source);
    expect(source.url).toBe('http://hub.test/api/events');
    source.onopen?.();
    const notice = { kind: 'booking_changed', location_id: 1, people: [4], id: 12 };
    source.emit('change', notice);
    source.emit('lagged', {});
    expect(events).toEqual([
      { kind: 'change', data: notice },
      { kind: 'lagged', data: {} },
    ]);
    expect(statuses).toEqual(['connecting', 'live']);
    stop();
    expect(source.closed).toBe(true);
  });
});

describe('live events when the connection drops', () => {
  /** A stand-in EventSource the test opens, breaks and closes. */
  class DroppingSource {
    readyState = 0;
    closed = false;
    onopen: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onmessage: (() => void) | null = null;
    addEventListener() {}
    close() {
      this.closed = true;
    }
  }

  const watch = (fetch: typeof globalThis.fetch) => {
    const sources: DroppingSource[] = [];
    const transport = fetchTransport({
      fetch,
      eventSource: () => {
        const source = new DroppingSource();
        sources.push(source);
        return source as unknown as EventSource;
      },
    });
    const statuses: string[] = [];
    const stop = transport.subscribe(
      () => undefined,
      (s) => statuses.push(s),
    );
    return { sources, statuses, stop };
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('says reconnecting while the hub still answers', async () => {
    const { sources, statuses } = watch((() => Promise.resolve(json(200, {}))) as typeof globalThis.fetch);
    sources[0]?.onopen?.();
    sources[0]?.onerror?.();
    await settle();
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting']);
  });

  it('says offline when the hub cannot be reached at all', async () => {
    const { sources, statuses } = watch((() =>
      Promise.reject(new TypeError('Failed to fetch'))) as typeof globalThis.fetch);
    sources[0]?.onopen?.();
    sources[0]?.onerror?.();
    await settle();
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'offline']);
  });

  it('says signed out and stops retrying when the hub refuses the session', async () => {
    vi.useFakeTimers();
    try {
      const { sources, statuses } = watch((() =>
        Promise.resolve(json(401, { code: 'unauthenticated', message: 'Sign in first.' }))) as typeof globalThis.fetch);
      const first = sources[0];
      assert(first);
      first.onopen?.();
      first.readyState = 2;
      first.onerror?.();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'signed_out']);
      expect(first.closed).toBe(true);
      expect(sources).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens the events again after the hub refused the stream, and stops for good when asked', async () => {
    vi.useFakeTimers();
    try {
      const { sources, stop } = watch((() => Promise.resolve(json(200, {}))) as typeof globalThis.fetch);
      const first = sources[0];
      assert(first);
      first.readyState = 2;
      first.onerror?.();
      await vi.advanceTimersByTimeAsync(2000);
      expect(sources).toHaveLength(2);
      stop();
      expect(sources[1]?.closed).toBe(true);
      sources[1]?.onerror?.();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(sources).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

function assert(value: unknown): asserts value {
  if (!value) throw new Error('expected a value');
}
