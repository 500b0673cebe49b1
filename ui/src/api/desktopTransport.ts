/**
 * The desktop transport: the same `Transport` as in a browser, over the Tauri commands of
 * `src-tauri/` instead of `fetch`. The session token and the person's Kisi login never enter the
 * webview: sign-in, the Access page and unlocking have their own commands; every other hub call
 * goes through `hub_request`, which adds the token in the Rust process.
 *
 * - `GET /me/access`: the first call answers from the desktop's SQLite cache at once and asks the
 *   hub in the background, announcing the fresh answer as a live `access_changed`; later calls ask
 *   the hub. When the hub cannot be reached the call fails as `offline` (A6), so the Access page
 *   shows the last confirmed doors and says unlocking needs a connection.
 * - `POST /me/locks/{id}/unlock`: straight to Kisi with the person's own login (A4).
 * - `POST /auth/invitations/redeem`: through its own command, so the session token it yields goes
 *   to the keychain like sign-in's.
 * - Live events: the app reads the hub's server-sent events (or, at the front desk, its own hub)
 *   and emits each as `doorlink://live`, and how that goes as `doorlink://live-status`.
 *
 * `<html data-access-source="cache|hub|offline">` says where the Access page's data last came from,
 * and `data-access-from-cache` stays once this run's first page came from the cache (the
 * end-to-end test and the start-up benchmark wait for them).
 */
import type { AccountView } from '../gen/AccountView';
import type { FieldProblem } from '../gen/FieldProblem';
import type { MyAccess } from '../gen/MyAccess';
import type { RedeemInvitationRequest } from '../gen/RedeemInvitationRequest';
import type { SessionView } from '../gen/SessionView';
import type { SignInRequest } from '../gen/SignInRequest';
import type { UnlockOutcome } from '../gen/UnlockOutcome';
import { ApiError } from './errors';
import { queryString, type ApiRequest, type LiveEvent, type LiveStatus, type Transport } from './transport';

/** The Access page as the desktop returns it (src-tauri/src/access.rs `DesktopAccess`). */
export interface DesktopAccess {
  access: MyAccess | null;
  source: 'hub' | 'cache';
  confirmed_at: string | null;
  offline_reason: string | null;
  can_unlock: boolean;
}

/** How the desktop runs (src-tauri/src/mode.rs). */
export type DesktopMode = { kind: 'front_desk' } | { kind: 'remote_hub'; url: string };

/** The settings page's view (src-tauri/src/desktop.rs `SessionStatus`). */
export interface DesktopStatus {
  settings: {
    mode: DesktopMode | null;
    signed_in: { hub_url: string; account: AccountView } | null;
    start_at_login: boolean;
    front_desk_port: number | null;
  };
  secrets_backend: 'keychain' | 'encryptedFile';
  can_unlock_directly: boolean;
}

/** Whether the front desk's own hub still needs its first admin (src-tauri/src/desktop/first_admin.rs). */
export interface FrontDeskSetup {
  needs_first_admin: boolean;
  /** The hub's password rule, shown and checked at the field. */
  password_rule: { min_chars: number; max_chars: number };
}

/** The first admin of the front desk's own hub, as the person there types them. */
export interface FirstAdmin {
  name: string;
  email: string;
  password: string;
}

/** The error every command rejects with (src-tauri/src/error.rs). */
interface CommandError {
  status: number;
  code: string;
  message: string;
  fields: FieldProblem[];
}

/** Every command of the app with its arguments and answer: the only place naming them. */
interface Commands {
  cached_access: { args: Record<string, never>; result: DesktopAccess };
  refresh_access: { args: Record<string, never>; result: DesktopAccess };
  unlock: { args: { lockId: number }; result: UnlockOutcome };
  session_status: { args: Record<string, never>; result: DesktopStatus };
  current_account: { args: Record<string, never>; result: AccountView };
  sign_in: { args: { email: string; password: string }; result: SessionView };
  front_desk_setup: { args: Record<string, never>; result: FrontDeskSetup };
  create_first_admin: { args: FirstAdmin; result: AccountView };
  redeem_invitation: { args: { token: string; password: string }; result: SessionView };
  live_status: { args: Record<string, never>; result: LiveStatus };
  sign_out: { args: Record<string, never>; result: null };
  choose_mode: { args: { mode: DesktopMode }; result: DesktopStatus };
  set_start_at_login: { args: { enabled: boolean }; result: DesktopStatus };
  hub_request: {
    args: { method: string; path: string; query: [string, string][]; body: unknown };
    result: unknown;
  };
}

export type Invoke = <C extends keyof Commands>(command: C, args: Commands[C]['args']) => Promise<Commands[C]['result']>;
/** Listens to an app event; the handler gets its payload. Resolves with the function that stops. */
export type Listen = (event: string, handler: (payload: unknown) => void) => Promise<() => void>;

/** The event the app emits when its background refresh changed the Access page. */
export const ACCESS_CHANGED_EVENT = 'doorlink://access-changed';
/** One of the hub's live events, `{kind, data}` as in a browser (src-tauri/src/live.rs). */
export const LIVE_EVENT = 'doorlink://live';
/** The live events' state, a `LiveStatus`. */
export const LIVE_STATUS_EVENT = 'doorlink://live-status';

const LIVE_STATUSES: readonly LiveStatus[] = ['connecting', 'live', 'reconnecting', 'offline', 'signed_out'];
const isLiveStatus = (value: unknown): value is LiveStatus => LIVE_STATUSES.includes(value as LiveStatus);
const isLiveEvent = (value: unknown): value is LiveEvent =>
  typeof value === 'object' && value !== null && typeof (value as LiveEvent).kind === 'string';

interface TauriInternals {
  invoke: (command: string, args?: unknown) => Promise<unknown>;
  transformCallback: (callback: (event: unknown) => void, once?: boolean) => number;
}

declare global {
  interface Window {
    __TAURI_INTERNALS__?: TauriInternals;
    __TAURI_EVENT_PLUGIN_INTERNALS__?: { unregisterListener: (event: string, id: number) => void };
  }
}

/** True inside the desktop app's webview. */
export const isDesktop = (): boolean => typeof window !== 'undefined' && window.__TAURI_INTERNALS__ !== undefined;

/** Tauri's IPC, as `@tauri-apps/api` calls it (the webview injects it; no package needed). */
const tauriInvoke: Invoke = (command, args) => {
  const internals = window.__TAURI_INTERNALS__;
  if (!internals) return Promise.reject(new ApiError(0, 'offline', 'Not running inside the Doorlink desktop app.'));
  return internals.invoke(command, args) as Promise<never>;
};

const tauriListen: Listen = async (event, handler) => {
  const internals = window.__TAURI_INTERNALS__;
  if (!internals) return () => undefined;
  const id = (await internals.invoke('plugin:event|listen', {
    event,
    target: { kind: 'Any' },
    handler: internals.transformCallback((event) => handler((event as { payload?: unknown } | null)?.payload)),
  })) as number;
  return () => {
    window.__TAURI_EVENT_PLUGIN_INTERNALS__?.unregisterListener(event, id);
    void internals.invoke('plugin:event|unlisten', { event, eventId: id });
  };
};

function isCommandError(value: unknown): value is CommandError {
  return typeof value === 'object' && value !== null && typeof (value as CommandError).code === 'string';
}

/** A command's rejection as the UI's one error type. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isCommandError(error)) return new ApiError(error.status, error.code, error.message, error.fields ?? []);
  return new ApiError(500, 'internal', `The desktop app failed: ${String(error)}`);
}

const markSource = (source: 'cache' | 'hub' | 'offline') => {
  if (typeof document !== 'undefined') document.documentElement.dataset.accessSource = source;
};

const UNLOCK_PATH = /^\/me\/locks\/(\d+)\/unlock$/;

export interface DesktopTransportOptions {
  /** Injected in tests; Tauri's IPC otherwise. */
  invoke?: Invoke;
  listen?: Listen;
}

/** The desktop-only settings calls: the first-start screen and the settings page use these. */
export interface DesktopCommands {
  status: () => Promise<DesktopStatus>;
  /** Checks a hub's address (an https URL where a Doorlink hub answers) before keeping it. */
  chooseMode: (mode: DesktopMode) => Promise<DesktopStatus>;
  setStartAtLogin: (enabled: boolean) => Promise<DesktopStatus>;
  /** Front desk only: whether its own hub still needs its first admin, and the password rule. */
  frontDeskSetup: () => Promise<FrontDeskSetup>;
  /** Front desk only: creates its hub's first admin (in the app, never over HTTP); sign-in follows. */
  createFirstAdmin: (admin: FirstAdmin) => Promise<AccountView>;
}

/** Calls a command and rejects with the UI's one error type. */
function caller(invoke: Invoke) {
  return async <C extends keyof Commands>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']> => {
    try {
      return await invoke(command, args);
    } catch (error) {
      throw toApiError(error);
    }
  };
}

export function desktopCommands(invoke: Invoke = tauriInvoke): DesktopCommands {
  const call = caller(invoke);
  return {
    status: () => call('session_status', {}),
    chooseMode: (mode) => call('choose_mode', { mode }),
    setStartAtLogin: (enabled) => call('set_start_at_login', { enabled }),
    frontDeskSetup: () => call('front_desk_setup', {}),
    createFirstAdmin: (admin) => call('create_first_admin', admin),
  };
}

export function desktopTransport(options: DesktopTransportOptions = {}): Transport & { desktop: DesktopCommands } {
  const invoke = options.invoke ?? tauriInvoke;
  const listen = options.listen ?? tauriListen;
  const call = caller(invoke);
  const changeListeners = new Set<(event: LiveEvent) => void>();
  const announceAccessChanged = () => {
    for (const deliver of changeListeners) deliver({ kind: 'changed', data: { kind: 'access_changed' } });
  };
  let answeredFromCache = false;
  /** The cached pages handed out: answers of this computer, not of the hub. */
  const cacheAnswers = new WeakSet<object>();

  const fresh = async (): Promise<MyAccess> => {
    const answer = await call('refresh_access', {});
    if (answer.offline_reason || !answer.access) {
      markSource('offline');
      throw new ApiError(0, 'offline', answer.offline_reason ?? 'The hub cannot be reached. Unlocking needs a connection.');
    }
    markSource('hub');
    return answer.access;
  };

  const myAccess = async (): Promise<MyAccess> => {
    if (!answeredFromCache) {
      answeredFromCache = true;
      const cached = await call('cached_access', {});
      if (cached.access) {
        markSource('cache');
        // When (epoch ms) the cached page was handed to the UI: the start-up benchmark's finish line.
        if (typeof document !== 'undefined') document.documentElement.dataset.accessFromCache = String(Date.now());
        // Render now; the hub's answer follows as a live change (or the page learns it is offline).
        void fresh().then(announceAccessChanged, announceAccessChanged);
        cacheAnswers.add(cached.access);
        return cached.access;
      }
    }
    return fresh();
  };

  const request = async (request: ApiRequest): Promise<unknown> => {
    const { method, path } = request;
    if (method === 'POST' && path === '/auth/sign-in') {
      const { email, password } = request.body as SignInRequest;
      answeredFromCache = false;
      return call('sign_in', { email, password });
    }
    if (method === 'POST' && path === '/auth/invitations/redeem') {
      const { token, password } = request.body as RedeemInvitationRequest;
      answeredFromCache = false;
      return call('redeem_invitation', { token, password });
    }
    if (method === 'POST' && path === '/auth/sign-out') return call('sign_out', {});
    if (method === 'GET' && path === '/me/access' && !queryString(request.query)) return myAccess();
    const unlock = method === 'POST' ? UNLOCK_PATH.exec(path) : null;
    if (unlock) return call('unlock', { lockId: Number(unlock[1]) });
    const query = Object.entries(request.query ?? {})
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([key, value]) => [key, String(value)] as [string, string]);
    return call('hub_request', { method, path, query, body: request.body ?? null });
  };

  return {
    // The token stays in the desktop process; there is nothing to remember here.
    authenticate() {},
    request: request as Transport['request'],
    // From this computer's settings, without the network: a restart offline still knows who it is.
    currentAccount: () => call('current_account', {}),
    answeredLocally: (answer: unknown) => typeof answer === 'object' && answer !== null && cacheAnswers.has(answer),
    subscribe(onEvent: (event: LiveEvent) => void, onStatus: (status: LiveStatus) => void) {
      changeListeners.add(onEvent);
      const stops: (() => void)[] = [];
      let stopped = false;
      /** Set once the app announced a status: newer than any answer to `live_status` in flight. */
      let heard = false;
      const status = (next: LiveStatus) => {
        if (!stopped) onStatus(next);
      };
      status('connecting');
      void Promise.all([
        listen(ACCESS_CHANGED_EVENT, announceAccessChanged),
        listen(LIVE_EVENT, (payload) => {
          if (!stopped && isLiveEvent(payload)) onEvent(payload);
        }),
        listen(LIVE_STATUS_EVENT, (payload) => {
          if (!isLiveStatus(payload)) return;
          heard = true;
          status(payload);
        }),
      ]).then(
        async (unlistens) => {
          if (stopped) unlistens.forEach((unlisten) => unlisten());
          else stops.push(...unlistens);
          // What was announced before this page listened.
          const current = await call('live_status', {}).catch(() => 'offline' as const);
          if (!heard) status(current);
        },
        () => status('offline'),
      );
      return () => {
        stopped = true;
        changeListeners.delete(onEvent);
        stops.forEach((stop) => stop());
      };
    },
    desktop: desktopCommands(invoke),
  };
}
