/**
 * The desktop transport: the same `Transport` as in a browser, over the Tauri commands of
 * `src-tauri/` instead of `fetch`. The session token and the person's Kisi login never enter the
 * webview: sign-in, the Access page and unlocking have their own commands; every other hub call
 * goes through `hub_request`, which adds the token in the Rust process. The commands, their
 * shapes and the app's events are the contract's (`crates/api/src/desktop.rs`, generated into
 * `src/gen`); the calls that have their own command replace the API's methods (`overrides`), so
 * no request is matched by its path here.
 *
 * - `me.access()`: the first call answers from the desktop's SQLite cache at once and asks the
 *   hub in the background, announcing the fresh answer as a live `access_changed`; later calls ask
 *   the hub. When the hub cannot be reached the call fails as `offline` (A6), so the Access page
 *   shows the last confirmed doors and says unlocking needs a connection.
 * - `me.unlock(id)`: straight to Kisi with the person's own login (A4).
 * - `session.signIn`, `session.redeem`, `session.signOut`: through their own commands, so the
 *   session token goes to the keychain and never to the webview.
 * - Live events: the app reads the hub's server-sent events (or, at the front desk, its own hub)
 *   and emits each as `doorlink://live`, and how that goes as `doorlink://live-status`.
 *
 * `<html data-access-source="cache|hub|offline">` says where the Access page's data last came from,
 * and `data-access-from-cache` stays once this run's first page came from the cache (the
 * end-to-end test and the start-up benchmark wait for them).
 */
import { invoke as tauriInvokeRaw, isTauri } from '@tauri-apps/api/core';
import { listen as tauriListenRaw } from '@tauri-apps/api/event';
import type { AccountView } from '../gen/AccountView';
import type { CommandError } from '../gen/CommandError';
import type { DesktopAccess } from '../gen/DesktopAccess';
import type { DesktopCommand } from '../gen/DesktopCommand';
import type { DesktopEvent } from '../gen/DesktopEvent';
import type { DesktopMode } from '../gen/DesktopMode';
import type { DesktopStatus } from '../gen/DesktopStatus';
import type { FirstAdmin } from '../gen/FirstAdmin';
import type { FrontDeskSetup } from '../gen/FrontDeskSetup';
import type { HubRequest } from '../gen/HubRequest';
import type { MyAccess } from '../gen/MyAccess';
import type { SessionView } from '../gen/SessionView';
import type { UnlockOutcome } from '../gen/UnlockOutcome';
import type { ApiOverrides, ApiTransport } from './api';
import { ApiError } from './errors';
import type { ApiRequest, LiveEvent, LiveStatus } from './transport';

export type { DesktopAccess, DesktopMode, DesktopStatus, FirstAdmin, FrontDeskSetup };

type NoArgs = Record<string, never>;

/** Each command of the contract (`DesktopCommand`) with its arguments and answer. */
interface Commands {
  cached_access: { args: NoArgs; result: DesktopAccess };
  refresh_access: { args: NoArgs; result: DesktopAccess };
  unlock: { args: { lockId: number }; result: UnlockOutcome };
  session_status: { args: NoArgs; result: DesktopStatus };
  current_account: { args: NoArgs; result: AccountView };
  sign_in: { args: { email: string; password: string }; result: SessionView };
  front_desk_setup: { args: NoArgs; result: FrontDeskSetup };
  create_first_admin: { args: FirstAdmin; result: AccountView };
  redeem_invitation: { args: { token: string; password: string }; result: SessionView };
  live_status: { args: NoArgs; result: LiveStatus };
  sign_out: { args: NoArgs; result: null };
  choose_mode: { args: { mode: DesktopMode }; result: DesktopStatus };
  set_start_at_login: { args: { enabled: boolean }; result: DesktopStatus };
  hub_request: { args: HubRequest; result: unknown };
}

/** True when `A` and `B` are the same set of names. */
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile while a command above is not one of the contract's, or one of the contract's is missing. */
const commandsAreTheContracts: SameNames<keyof Commands, DesktopCommand> = true;
void commandsAreTheContracts;

export type Invoke = <C extends keyof Commands>(
  command: C,
  args: Commands[C]['args'],
) => Promise<Commands[C]['result']>;
/** Listens to an app event; the handler gets its payload. Resolves with the function that stops. */
export type Listen = (event: DesktopEvent, handler: (payload: unknown) => void) => Promise<() => void>;

/** The event the app emits when its background refresh changed the Access page. */
export const ACCESS_CHANGED_EVENT: DesktopEvent = 'doorlink://access-changed';
/** One of the hub's live events, `{kind, data}` as in a browser (src-tauri/src/live.rs). */
export const LIVE_EVENT: DesktopEvent = 'doorlink://live';
/** The live events' state, a `LiveStatus`. */
export const LIVE_STATUS_EVENT: DesktopEvent = 'doorlink://live-status';

const LIVE_STATUSES: readonly LiveStatus[] = ['connecting', 'live', 'reconnecting', 'offline', 'signed_out'];
const isLiveStatus = (value: unknown): value is LiveStatus => LIVE_STATUSES.includes(value as LiveStatus);
const isLiveEvent = (value: unknown): value is LiveEvent =>
  typeof value === 'object' && value !== null && typeof (value as LiveEvent).kind === 'string';

/** True inside the desktop app's webview. */
export const isDesktop = (): boolean => isTauri();

/** Tauri's IPC (`@tauri-apps/api`). */
const tauriInvoke: Invoke = (command, args) => {
  if (!isDesktop()) return Promise.reject(new ApiError(0, 'offline', 'Not running inside the Doorlink desktop app.'));
  return tauriInvokeRaw(command, args);
};

const tauriListen: Listen = async (event, handler) => {
  if (!isDesktop()) return () => undefined;
  return tauriListenRaw<unknown>(event, (received) => handler(received.payload));
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

export function desktopTransport(options: DesktopTransportOptions = {}): ApiTransport & {
  overrides: ApiOverrides;
  desktop: DesktopCommands;
} {
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
      throw new ApiError(
        0,
        'offline',
        answer.offline_reason ?? 'The hub cannot be reached. Unlocking needs a connection.',
      );
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

  /** Every hub call without a command of its own: the desktop adds the token (and refuses the routes it must keep to itself). */
  const request = async (request: ApiRequest): Promise<unknown> => {
    const query = Object.entries(request.query ?? {})
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([key, value]) => [key, String(value)] as [string, string]);
    return call('hub_request', { method: request.method, path: request.path, query, body: request.body ?? null });
  };

  const overrides: ApiOverrides = {
    session: () => ({
      signIn: ({ email, password }) => {
        answeredFromCache = false;
        return call('sign_in', { email, password });
      },
      redeem: ({ token, password }) => {
        answeredFromCache = false;
        return call('redeem_invitation', { token, password });
      },
      signOut: async () => {
        await call('sign_out', {});
      },
    }),
    me: (usual) => ({
      // The person's own page from the cache first; a location's page is the hub's.
      access: (locationId) => (locationId === undefined || locationId === null ? myAccess() : usual.access(locationId)),
      unlock: (lockId) => call('unlock', { lockId }),
    }),
  };

  return {
    // The token stays in the desktop process; there is nothing to remember here.
    authenticate() {},
    request: request as ApiTransport['request'],
    overrides,
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
