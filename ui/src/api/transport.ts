/**
 * The transport interface: the only seam between the UI and where the hub is. In a browser it is
 * `fetch` to the hub (fetchTransport.ts); the desktop app's is desktopTransport.ts, over Tauri commands.
 * Nothing outside src/api/ knows which one runs.
 */
import type { AccountView } from '../gen/AccountView';
import type { LiveStatus } from '../gen/LiveStatus';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | null | undefined;

export interface ApiRequest {
  method: Method;
  /** The hub path below `/api`, e.g. `/people/12`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

/** One live update from the hub's server-sent events. */
export interface LiveEvent {
  /** The event name, e.g. `person_changed`, `sync_progress`. */
  kind: string;
  data: unknown;
}

/**
 * The state of the live events, which the header shows (app/ConnectionBadge.tsx); the desktop
 * app announces it too, so the type is the contract's (crates/api/src/desktop.rs):
 * - `connecting`: the first attempt, nothing known yet;
 * - `live`: live events arrive, so the hub answers;
 * - `reconnecting`: the live events dropped and are being retried; the hub may still answer;
 * - `offline`: the hub cannot be reached (a transport that knows it says so at once);
 * - `signed_out`: the hub refused the live events because the session ended (expired or revoked);
 *   retrying is pointless until someone signs in again.
 */
export type { LiveStatus };

/**
 * What a browser keeps of a session to prove its writes: the CSRF token that sign-in and
 * `GET /auth/session` answer (`SessionView`, `CurrentSession`). The session token itself stays in
 * its HttpOnly cookie, or in the desktop process.
 */
export interface SessionCredentials {
  csrf_token: string;
}

export interface Transport {
  /**
   * Remembers the session after sign-in or a reload (or forgets it at sign-out): the browser
   * proves writes with the CSRF token beside its session cookie; the desktop needs none.
   */
  authenticate(session: SessionCredentials | null): void;
  /** Sends one request; resolves with the decoded body or rejects with an `ApiError`. */
  request<T>(request: ApiRequest): Promise<T>;
  /** Subscribes to live events; returns the function that unsubscribes. */
  subscribe(onEvent: (event: LiveEvent) => void, onStatus: (status: LiveStatus) => void): () => void;
  /**
   * Who is signed in, for a transport that keeps the session itself (the desktop: its token never
   * enters the webview, so it has no CSRF token to hand back and answers from this computer even
   * offline). Without it, `GET /auth/session` answers the hub's `CurrentSession`.
   */
  currentAccount?: () => Promise<AccountView>;
  /**
   * True for an answer the transport gave without the hub (the desktop's cached Access page): it
   * proves nothing about the hub being reachable. Without it, every answer came from the hub.
   */
  answeredLocally?: (answer: unknown) => boolean;
  /**
   * The address of a hub GET a plain link downloads (the CSV exports): the browser follows it
   * with its session cookie and saves what the hub sends as an attachment. Absent when no link can
   * reach the hub with the session: the desktop app keeps its session token in its own process,
   * and its webview is not on the hub's origin.
   */
  downloadUrl?: (request: Pick<ApiRequest, 'path' | 'query'>) => string;
}

/** `?a=1&b=x` for the defined values of `query`, or "" when there are none. */
export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
