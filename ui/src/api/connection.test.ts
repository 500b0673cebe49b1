import { describe, expect, it } from 'vitest';
import { monitorConnection } from './connection';
import { ApiError } from './errors';
import type { LiveStatus, Transport } from './transport';

/** A transport whose answers and live status the test decides. */
function scriptedTransport() {
  let answer: () => Promise<unknown> = () => Promise.resolve({});
  let report: (status: LiveStatus) => void = () => undefined;
  const transport: Transport = {
    authenticate: () => undefined,
    request: () => answer() as Promise<never>,
    subscribe: (_onEvent, onStatus) => {
      report = onStatus;
      return () => undefined;
    },
  };
  return {
    transport,
    answers: (next: () => Promise<unknown>) => (answer = next),
    report: (status: LiveStatus) => report(status),
  };
}

const at = (time: string) => new Date(`2026-11-22T${time}:00Z`);

describe('the connection monitor', () => {
  it('is live only once the live events are connected', async () => {
    const hub = scriptedTransport();
    const { transport, connection } = monitorConnection(hub.transport, () => at('13:21'));
    transport.subscribe(
      () => undefined,
      () => undefined,
    );
    expect(connection.current().status).toBe('connecting');
    await transport.request({ method: 'GET', path: '/me/access' });
    expect(connection.current().status).toBe('connecting');
    hub.report('live');
    expect(connection.current()).toEqual({ status: 'live', confirmedAt: at('13:21') });
  });

  it('is offline with the last confirmed time when a request cannot reach the hub, although the events seemed live', async () => {
    const hub = scriptedTransport();
    let now = at('13:21');
    const { transport, connection } = monitorConnection(hub.transport, () => now);
    transport.subscribe(
      () => undefined,
      () => undefined,
    );
    hub.report('live');
    now = at('13:40');
    hub.answers(() => Promise.reject(new ApiError(0, 'offline', 'cannot be reached')));
    await expect(transport.request({ method: 'GET', path: '/me/access' })).rejects.toThrow();
    expect(connection.current()).toEqual({ status: 'offline', confirmedAt: at('13:21') });
  });

  it('counts a refusal as an answer: the hub is there', async () => {
    const hub = scriptedTransport();
    const { transport, connection } = monitorConnection(hub.transport, () => at('13:21'));
    transport.subscribe(
      () => undefined,
      () => undefined,
    );
    hub.report('live');
    hub.answers(() => Promise.reject(new ApiError(0, 'offline', 'cannot be reached')));
    await transport.request({ method: 'GET', path: '/x' }).catch(() => undefined);
    hub.answers(() => Promise.reject(new ApiError(403, 'forbidden', 'staff only')));
    await transport.request({ method: 'GET', path: '/x' }).catch(() => undefined);
    expect(connection.current().status).toBe('live');
  });

  it('stays offline when a request sent before the hub went away is answered late', async () => {
    const hub = scriptedTransport();
    const { transport, connection } = monitorConnection(hub.transport, () => at('13:21'));
    transport.subscribe(
      () => undefined,
      () => undefined,
    );
    hub.report('live');
    let answerSlowRequest: (value: unknown) => void = () => undefined;
    hub.answers(() => new Promise((resolve) => (answerSlowRequest = resolve)));
    const slow = transport.request({ method: 'GET', path: '/me/access' });
    hub.answers(() => Promise.reject(new ApiError(0, 'offline', 'cannot be reached')));
    await transport.request({ method: 'GET', path: '/people' }).catch(() => undefined);
    answerSlowRequest({});
    await slow;
    expect(connection.current().status).toBe('offline');
    hub.answers(() => Promise.resolve({}));
    await transport.request({ method: 'GET', path: '/me/access' });
    expect(connection.current().status).toBe('live');
  });

  it('stays offline while the live events retry after finding the hub gone', () => {
    const hub = scriptedTransport();
    const { transport, connection } = monitorConnection(hub.transport, () => at('13:21'));
    transport.subscribe(
      () => undefined,
      () => undefined,
    );
    hub.report('live');
    hub.report('offline');
    hub.report('reconnecting');
    expect(connection.current().status).toBe('offline');
    hub.report('live');
    expect(connection.current().status).toBe('live');
  });

  it('does not take an answer the transport gave from its own cache for the hub answering', async () => {
    const cached = { from: 'this computer' };
    const hub = scriptedTransport();
    const transport0: Transport = { ...hub.transport, answeredLocally: (answer) => answer === cached };
    const { transport, connection } = monitorConnection(transport0, () => at('13:21'));
    transport.subscribe(
      () => undefined,
      () => undefined,
    );
    hub.report('offline');
    hub.answers(() => Promise.resolve(cached));
    await transport.request({ method: 'GET', path: '/me/access' });
    expect(connection.current()).toEqual({ status: 'offline', confirmedAt: null });
    hub.answers(() => Promise.resolve({}));
    await transport.request({ method: 'GET', path: '/me/access' });
    expect(connection.current().status).toBe('reconnecting');
  });

  it('says reconnecting, not offline, when the hub answers again before the live events are back', async () => {
    const hub = scriptedTransport();
    const { transport, connection } = monitorConnection(hub.transport, () => at('13:21'));
    transport.subscribe(
      () => undefined,
      () => undefined,
    );
    hub.report('offline');
    expect(connection.current().status).toBe('offline');
    await transport.request({ method: 'GET', path: '/me/access' });
    expect(connection.current().status).toBe('reconnecting');
  });

  it('tells its watchers about each change, and only about changes', () => {
    const hub = scriptedTransport();
    const { transport, connection } = monitorConnection(hub.transport, () => at('13:21'));
    let calls = 0;
    const stop = connection.watch(() => (calls += 1));
    transport.subscribe(
      () => undefined,
      () => undefined,
    );
    hub.report('connecting');
    hub.report('reconnecting');
    hub.report('reconnecting');
    expect(calls).toBe(1);
    stop();
    hub.report('live');
    expect(calls).toBe(1);
  });

  it('is signed out once the hub refuses the session, and follows the live events again once it accepts one', async () => {
    const hub = scriptedTransport();
    const { transport, connection } = monitorConnection(hub.transport, () => at('13:21'));
    transport.subscribe(
      () => undefined,
      () => undefined,
    );
    hub.report('live');
    hub.answers(() => Promise.reject(new ApiError(401, 'unauthenticated', 'Sign in first.')));
    await expect(transport.request({ method: 'GET', path: '/me/access' })).rejects.toThrow();
    expect(connection.current().status).toBe('signed_out');
    hub.answers(() => Promise.resolve({}));
    await transport.request({ method: 'POST', path: '/auth/sign-in' });
    expect(connection.current().status).toBe('live');
  });
});
