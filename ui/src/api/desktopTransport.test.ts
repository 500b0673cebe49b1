import { describe, expect, it } from 'vitest';
import { createApi } from './api';
import {
  ACCESS_CHANGED_EVENT,
  type DesktopAccess,
  desktopTransport,
  type Invoke,
  LIVE_EVENT,
  LIVE_STATUS_EVENT,
  type Listen,
} from './desktopTransport';
import { ApiError } from './errors';
import type { LiveEvent } from './transport';

const page = (checkedAt: string) => ({
  person_id: 3,
  checked_at: checkedAt,
  locations: [
    {
      location_id: 1,
      location_name: 'Berlin Mitte',
      time_zone: 'Europe/Berlin',
      visible: true,
      open_now: [
        {
          lock_id: 7,
          name: 'Front door',
          window: { from: '2026-11-22T08:00:00Z', until: null },
          why: ['plan Hot desk'],
          restriction: null,
          door_state: null,
        },
      ],
      upcoming: [],
      reasons: [],
      kisi: { state: 'confirmed' as const, failing_since: null, message: '' },
    },
  ],
});

const answer = (over: Partial<DesktopAccess>): DesktopAccess => ({
  access: null,
  source: 'hub',
  confirmed_at: null,
  offline_reason: null,
  can_unlock: true,
  ...over,
});

/** A stand-in desktop: records each command and answers from `reply`. */
function fakeDesktop(reply: (command: string, args: unknown) => unknown) {
  const seen: { command: string; args: unknown }[] = [];
  const invoke = (async (command: string, args: unknown) => {
    seen.push({ command, args });
    return reply(command, args);
  }) as Invoke;
  const handlers = new Map<string, (payload: unknown) => void>();
  const listen: Listen = async (event, handler) => {
    handlers.set(event, handler);
    return () => handlers.delete(event);
  };
  /** The app emits `event` with `payload` to whoever listens. */
  const emit = (event: string, payload?: unknown) => handlers.get(event)?.(payload);
  return { seen, invoke, listen, emit, listening: () => [...handlers.keys()] };
}

describe('the desktop transport', () => {
  it('answers the first Access page from the cache at once, then announces the hub answer', async () => {
    const desktop = fakeDesktop((command) =>
      command === 'cached_access'
        ? answer({ access: page('2026-11-22T09:00:00Z'), source: 'cache' })
        : answer({ access: page('2026-11-22T12:00:00Z') }),
    );
    const transport = desktopTransport(desktop);
    const events: LiveEvent[] = [];
    transport.subscribe(
      (event) => events.push(event),
      () => {},
    );
    const api = createApi(transport);

    const first = await api.me.access();
    expect(first.checked_at).toBe('2026-11-22T09:00:00Z');
    await new Promise((resolve) => setTimeout(resolve, 0));
    const accessCommands = desktop.seen.map((s) => s.command).filter((command) => command !== 'live_status');
    expect(accessCommands).toEqual(['cached_access', 'refresh_access']);
    expect(events).toEqual([{ kind: 'changed', data: { kind: 'access_changed' } }]);

    const second = await api.me.access();
    expect(second.checked_at).toBe('2026-11-22T12:00:00Z');
  });

  it("says the cached Access page is its own answer, not the hub's, so the badge does not take it for the hub", async () => {
    const desktop = fakeDesktop((command) =>
      command === 'cached_access'
        ? answer({ access: page('2026-11-22T09:00:00Z'), source: 'cache' })
        : answer({ access: page('2026-11-22T12:00:00Z') }),
    );
    const transport = desktopTransport(desktop);
    const api = createApi(transport);
    const cached = await api.me.access();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const fromHub = await api.me.access();
    expect(transport.answeredLocally?.(cached)).toBe(true);
    expect(transport.answeredLocally?.(fromHub)).toBe(false);
  });

  it('asks the hub, not the cache, for the Access page of one location', async () => {
    // The adversary: the cache holds the person's whole page; a location's page must not be
    // answered from it as if it were that location's.
    const desktop = fakeDesktop((command) =>
      command === 'hub_request'
        ? page('2026-11-22T12:00:00Z')
        : answer({ access: page('2026-11-22T09:00:00Z'), source: 'cache' }),
    );
    const api = createApi(desktopTransport(desktop));
    const located = await api.me.access(1);
    expect(located.checked_at).toBe('2026-11-22T12:00:00Z');
    expect(desktop.seen).toEqual([
      {
        command: 'hub_request',
        args: { method: 'GET', path: '/me/access', query: [['location_id', '1']], body: null },
      },
    ]);
  });

  it('says offline when the hub goes while the Access page is asked through its own command', async () => {
    // The adversary: an offline hub behind a command that is not a hub request; the header's
    // badge must still learn of it.
    const desktop = fakeDesktop((command) =>
      command === 'cached_access'
        ? answer({ access: null, source: 'cache' })
        : answer({ access: null, source: 'cache', offline_reason: 'the hub cannot be reached', can_unlock: false }),
    );
    const api = createApi(desktopTransport(desktop));
    await api.me.access().catch(() => undefined);
    expect(api.connection.current().status).toBe('offline');
  });

  it('fails as offline when the hub cannot be reached, so the page says unlocking needs a connection', async () => {
    const desktop = fakeDesktop((command) =>
      command === 'cached_access'
        ? answer({ access: null, source: 'cache' })
        : answer({
            access: page('2026-11-22T09:00:00Z'),
            source: 'cache',
            offline_reason: 'the hub at http://127.0.0.1:9 cannot be reached. Unlocking needs a connection.',
            can_unlock: false,
          }),
    );
    const api = createApi(desktopTransport(desktop));
    const error = await api.me.access().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).isOffline).toBe(true);
    expect((error as ApiError).message).toContain('Unlocking needs a connection');
  });

  it('unlocks through its own command and sends other hub calls with their query', async () => {
    const desktop = fakeDesktop((command) =>
      command === 'unlock' ? { lock_id: 7, unlocked: true, message: 'Unlocked!', reason: null } : { items: [] },
    );
    const api = createApi(desktopTransport(desktop));
    const outcome = await api.me.unlock(7);
    expect(outcome.unlocked).toBe(true);
    await api.me.explain(7, 1);
    expect(desktop.seen).toEqual([
      { command: 'unlock', args: { lockId: 7 } },
      {
        command: 'hub_request',
        args: { method: 'GET', path: '/me/locks/7/explain', query: [['location_id', '1']], body: null },
      },
    ]);
  });

  it('signs in through the desktop, which keeps the token out of the webview', async () => {
    const account = { id: 1, email: 'ana@example.com', role: 'member', person_id: 3 };
    const desktop = fakeDesktop(() => ({ token: '', csrf_token: '', expires_at: '2026-12-01T00:00:00Z', account }));
    const api = createApi(desktopTransport(desktop));
    const session = await api.session.signIn({ email: 'ana@example.com', password: 'correct horse' });
    expect(session.account).toEqual(account);
    expect(desktop.seen[0]).toEqual({
      command: 'sign_in',
      args: { email: 'ana@example.com', password: 'correct horse' },
    });
  });

  it('says who is signed in from this computer, with no CSRF token to make up', async () => {
    const account = { id: 1, email: 'ana@example.com', role: 'member', person_id: 3 };
    const desktop = fakeDesktop(() => account);
    const api = createApi(desktopTransport(desktop));
    expect(await api.session.current()).toEqual(account);
    expect(desktop.seen).toEqual([{ command: 'current_account', args: {} }]);
  });

  it('passes “no one is signed in” on as the 401 the UI reads as signed out', async () => {
    const desktop = fakeDesktop(() => {
      throw { status: 401, code: 'unauthenticated', message: 'No one is signed in on this computer.', fields: [] };
    });
    const error = (await createApi(desktopTransport(desktop))
      .session.current()
      .catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(401);
  });

  it('turns a command error into the API error the UI explains', async () => {
    const desktop = fakeDesktop(() => {
      throw {
        status: 422,
        code: 'validation_failed',
        message: 'email: not an address',
        fields: [{ field: 'email', problem: 'not an address' }],
      };
    });
    const api = createApi(desktopTransport(desktop));
    const error = (await api.session.signIn({ email: 'x', password: 'y' }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(422);
    expect(error.fieldProblem('email')).toBe('not an address');
  });

  it('redeems an invitation through its own command, so the token goes to the keychain like sign-in’s', async () => {
    const account = { id: 2, email: 'ben@example.com', role: 'member', person_id: 5 };
    const desktop = fakeDesktop(() => ({ token: '', csrf_token: '', expires_at: '2026-12-01T00:00:00Z', account }));
    const api = createApi(desktopTransport(desktop));
    const session = await api.session.redeem({ token: ' inv-123 ', password: 'a long password' });
    expect(session.account).toEqual(account);
    expect(desktop.seen).toEqual([
      { command: 'redeem_invitation', args: { token: ' inv-123 ', password: 'a long password' } },
    ]);
  });
});

describe('live events in the desktop app', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('passes the hub’s change notices on to the page as in a browser', async () => {
    const desktop = fakeDesktop(() => 'live');
    const events: LiveEvent[] = [];
    desktopTransport(desktop).subscribe(
      (event) => events.push(event),
      () => {},
    );
    await settle();
    const notice = { kind: 'booking_changed', location_id: 1, people: [4], id: 12 };
    desktop.emit(LIVE_EVENT, { kind: 'change', data: notice });
    desktop.emit(LIVE_EVENT, 'not an event');
    expect(events).toEqual([{ kind: 'change', data: notice }]);
  });

  it('reports the status the app had before the page listened, then each change it announces', async () => {
    const desktop = fakeDesktop((command) => (command === 'live_status' ? 'live' : null));
    const statuses: string[] = [];
    desktopTransport(desktop).subscribe(
      () => {},
      (status) => statuses.push(status),
    );
    await settle();
    await settle();
    desktop.emit(LIVE_STATUS_EVENT, 'offline');
    desktop.emit(LIVE_STATUS_EVENT, 'nonsense');
    expect(statuses).toEqual(['connecting', 'live', 'offline']);
  });

  it('says signed out when the hub refused the session to the app’s live events', async () => {
    const desktop = fakeDesktop((command) => (command === 'live_status' ? 'live' : null));
    const api = createApi(desktopTransport(desktop));
    api.subscribe(
      () => {},
      () => {},
    );
    await settle();
    await settle();
    desktop.emit(LIVE_STATUS_EVENT, 'signed_out');
    expect(api.connection.current().status).toBe('signed_out');
  });

  it('says signed out when the hub answers 401 to a request made through the app', async () => {
    const desktop = fakeDesktop((command) => {
      if (command === 'live_status') return 'live';
      throw { status: 401, code: 'unauthenticated', message: 'Your session has ended; sign in again.', fields: [] };
    });
    const api = createApi(desktopTransport(desktop));
    api.subscribe(
      () => {},
      () => {},
    );
    await settle();
    await settle();
    await api.people.get(4).catch(() => undefined);
    expect(api.connection.current().status).toBe('signed_out');
    expect(desktop.seen.map((s) => s.command)).toContain('hub_request');
  });

  it('refreshes the page when the app announces its background refresh changed the doors', async () => {
    const desktop = fakeDesktop(() => 'live');
    const events: LiveEvent[] = [];
    desktopTransport(desktop).subscribe(
      (event) => events.push(event),
      () => {},
    );
    await settle();
    desktop.emit(ACCESS_CHANGED_EVENT);
    expect(events).toEqual([{ kind: 'changed', data: { kind: 'access_changed' } }]);
  });

  it('stops listening when the page unsubscribes', async () => {
    const desktop = fakeDesktop(() => 'live');
    const events: LiveEvent[] = [];
    const stop = desktopTransport(desktop).subscribe(
      (event) => events.push(event),
      () => {},
    );
    await settle();
    stop();
    expect(desktop.listening()).toEqual([]);
    desktop.emit(LIVE_EVENT, { kind: 'change', data: {} });
    expect(events).toEqual([]);
  });
});
