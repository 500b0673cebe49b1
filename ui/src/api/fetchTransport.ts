/**
 * The browser transport: `fetch` to the hub that served the page, with the session cookie and the
 * CSRF header the hub requires on every write (the token from sign-in or, after a reload, from
 * `GET /auth/session`), and server-sent events for live updates.
 */
import { routes } from '../gen/routes';
import { route } from './client';
import { ApiError, errorFromBody, offlineError } from './errors';
import { queryString, type ApiRequest, type LiveEvent, type LiveStatus, type Transport } from './transport';

/** The header the hub expects the session's CSRF token in on every write. */
export const CSRF_HEADER = 'x-csrf-token';

export interface FetchTransportOptions {
  /** Where the hub's API lives; the page's own origin by default. */
  baseUrl?: string;
  /** Injected in tests; the browser's `fetch` otherwise. */
  fetch?: typeof fetch;
  /** Opens the event stream; the browser's `EventSource` by default. */
  eventSource?: (url: string) => EventSource;
}

/**
 * The events the hub sends on `/api/events`: `change` carries a `ChangeNotice`; `lagged` says
 * notices were lost and everything shown should be reloaded. Unnamed events arrive as `message`.
 */
export const LIVE_EVENT_KINDS = ['change', 'lagged'] as const;

/** EventSource.readyState values (named here: the global is absent outside browsers). */
const OPEN = 1;
const CLOSED = 2;

export function fetchTransport(options: FetchTransportOptions = {}): Transport {
  const base = `${options.baseUrl ?? ''}/api`;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  // Kept in memory only: the session token is in its HttpOnly cookie, and after a reload
  // `GET /auth/session` hands the CSRF token back, so nothing is stored in the page.
  let csrfToken: string | undefined;

  return {
    authenticate(session) {
      csrfToken = session?.csrf_token;
    },

    // Same origin as the requests (or the hub's `baseUrl`): the session cookie goes with the link.
    downloadUrl: (request) => `${base}${request.path}${queryString(request.query)}`,

    async request<T>(request: ApiRequest): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      if (request.method !== 'GET') {
        if (csrfToken) headers[CSRF_HEADER] = csrfToken;
      }
      let response: Response;
      try {
        response = await doFetch(`${base}${request.path}${queryString(request.query)}`, {
          method: request.method,
          headers,
          credentials: 'same-origin',
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
        });
      } catch (cause) {
        throw offlineError(cause);
      }
      const text = await response.text();
      let body: unknown = undefined;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          if (response.ok) {
            throw new ApiError(response.status, 'internal', 'The hub answered with something that is not JSON.');
          }
        }
      }
      if (!response.ok) throw errorFromBody(response.status, body);
      return body as T;
    },

    subscribe(onEvent: (event: LiveEvent) => void, onStatus: (status: LiveStatus) => void) {
      const open = options.eventSource ?? ((url: string) => new EventSource(url, { withCredentials: true }));
      const deliver = (kind: string) => (message: MessageEvent<string>) => {
        let data: unknown = message.data;
        try {
          data = JSON.parse(message.data);
        } catch {
          // A plain-text event carries its text.
        }
        onEvent({ kind, data });
      };
      let stopped = false;
      let probing = false;
      let retries = 0;
      let reopenTimer: ReturnType<typeof setTimeout> | undefined;
      let source: EventSource;

      // Whether the hub answers at all tells "reconnecting" from "offline": any answer will do,
      // except 401: the session ended, so the stream will be refused until someone signs in again.
      const probe = async () => {
        if (probing) return;
        probing = true;
        try {
          const answer = await doFetch(`${base}${route(routes.AUTH_SESSION)}`, {
            headers: { accept: 'application/json' },
            credentials: 'same-origin',
          });
          if (answer.status === 401 && !stopped) {
            clearTimeout(reopenTimer);
            source.close();
            onStatus('signed_out');
          }
        } catch {
          if (!stopped && source.readyState !== OPEN) onStatus('offline');
        } finally {
          probing = false;
        }
      };

      const connect = () => {
        source = open(`${base}${route(routes.EVENTS)}`);
        source.onopen = () => {
          retries = 0;
          onStatus('live');
        };
        source.onerror = () => {
          if (stopped) return;
          onStatus('reconnecting');
          void probe();
          // EventSource retries by itself unless the hub refused the stream (it is CLOSED then).
          if (source.readyState === CLOSED) {
            retries += 1;
            reopenTimer = setTimeout(connect, Math.min(30_000, 1000 * 2 ** retries));
          }
        };
        source.onmessage = deliver('message');
        for (const kind of LIVE_EVENT_KINDS) source.addEventListener(kind, deliver(kind));
      };

      onStatus('connecting');
      connect();
      return () => {
        stopped = true;
        clearTimeout(reopenTimer);
        source.close();
      };
    },
  };
}
