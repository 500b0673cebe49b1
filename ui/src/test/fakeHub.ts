/**
 * A stand-in hub behind the real `Transport` seam: each route answers from a handler the test
 * gives ("GET /me/access"), a route without one is refused as the hub would, and the test plays
 * the live events' side (`live('reconnecting')`). No network.
 */
import { ApiError } from '../api/errors';
import {
  queryString,
  type ApiRequest,
  type LiveEvent,
  type LiveStatus,
  type SessionCredentials,
  type Transport,
} from '../api/transport';

type Handler = (request: ApiRequest) => unknown;

export interface FakeHub {
  transport: Transport;
  /** Answers `route` ("POST /me/locks/3/unlock") from now on; a thrown error is the hub's refusal. */
  on(route: string, handler: Handler): void;
  /** Every request so far, as "METHOD /path". */
  seen: string[];
  /** The session the UI handed the transport last (sign-in, reload, sign-out). */
  credentials: SessionCredentials | null;
  /** Reports the live events' state, as a transport does. */
  live(status: LiveStatus): void;
  emit(event: LiveEvent): void;
}

/** The hub cannot be reached: what a transport throws when the network or the hub is down. */
export const unreachable = () =>
  new ApiError(0, 'offline', 'Doorlink’s hub cannot be reached. Check the connection and try again.');

export function fakeHub(routes: Record<string, Handler> = {}): FakeHub {
  const handlers = new Map(Object.entries(routes));
  const statusListeners = new Set<(status: LiveStatus) => void>();
  const eventListeners = new Set<(event: LiveEvent) => void>();
  const hub: FakeHub = {
    seen: [],
    credentials: null,
    on: (route, handler) => void handlers.set(route, handler),
    live: (status) => statusListeners.forEach((listener) => listener(status)),
    emit: (event) => eventListeners.forEach((listener) => listener(event)),
    transport: {
      authenticate(session) {
        hub.credentials = session;
      },
      async request<T>(request: ApiRequest): Promise<T> {
        const route = `${request.method} ${request.path}`;
        hub.seen.push(route);
        const handler = handlers.get(route);
        if (!handler) throw new ApiError(404, 'not_found', `The fake hub has no answer for ${route}.`);
        return (await handler(request)) as T;
      },
      // Downloads are links, as in a browser on the hub's own origin (the desktop has none).
      downloadUrl: ({ path, query }) => `/api${path}${queryString(query)}`,
      subscribe(onEvent, onStatus) {
        eventListeners.add(onEvent);
        statusListeners.add(onStatus);
        onStatus('connecting');
        return () => {
          eventListeners.delete(onEvent);
          statusListeners.delete(onStatus);
        };
      },
    },
  };
  return hub;
}

/** A promise the test settles when it wants to: to see what shows while the hub is thinking. */
export function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}
