/** The whole hub API over one transport. */
import { caller } from './client';
import { accountsApi } from './families/accounts';
import { monitorConnection } from './connection';
import { bookingsApi } from './families/bookings';
import { catalogApi } from './families/catalog';
import { deskApi } from './families/desk';
import { attendanceApi, doorEventsApi, presenceApi, webhookApi } from './families/doorEvents';
import { kisiApi, locationsApi } from './families/locations';
import { meApi } from './families/me';
import { outcomesApi } from './families/outcomes';
import { passesApi } from './families/passes';
import { exportsApi, ledgerApi, occupancyApi } from './families/reports';
import { companiesApi, peopleApi } from './families/people';
import { sessionApi } from './families/session';
import { subscriptionsApi } from './families/subscriptions';
import { auditApi, syncApi } from './families/sync';
import type { Transport } from './transport';

export type SessionApi = ReturnType<typeof sessionApi>;
export type MeApi = ReturnType<typeof meApi>;

/**
 * A transport's own versions of some API methods, by family: the desktop signs in, reads the
 * Access page and unlocks through its own commands rather than the hub routes. Each is given the
 * family's usual methods (to fall back on) and returns the ones it replaces.
 */
export interface ApiOverrides {
  session?: (usual: SessionApi) => Partial<SessionApi>;
  me?: (usual: MeApi) => Partial<MeApi>;
}

/** A transport, with the API methods it answers itself. */
export type ApiTransport = Transport & { overrides?: ApiOverrides };

type Observe = <T>(call: () => Promise<T>) => Promise<T>;

/** `methods` with each call's outcome seen by the connection monitor, as a request's is. */
function observed<F extends object>(methods: Partial<F> | undefined, observe: Observe): Partial<F> {
  if (!methods) return {};
  const wrapped = Object.entries(methods).map(([name, method]) => [
    name,
    (...args: unknown[]) => observe(() => (method as (...args: unknown[]) => Promise<unknown>)(...args)),
  ]);
  return Object.fromEntries(wrapped) as Partial<F>;
}

/** `clock` is injected in tests (when the hub last answered). */
export function createApi(rawTransport: ApiTransport, clock?: () => Date) {
  const { transport, connection, observe } = monitorConnection(rawTransport, clock);
  const c = caller(transport);
  const session = sessionApi(c, transport);
  const me = meApi(c);
  const overrides = rawTransport.overrides ?? {};
  return {
    session: { ...session, ...observed(overrides.session?.(session), observe) },
    accounts: accountsApi(c),
    me: { ...me, ...observed(overrides.me?.(me), observe) },
    locations: locationsApi(c),
    kisi: kisiApi(c),
    webhook: webhookApi(c),
    doorEvents: doorEventsApi(c),
    presence: presenceApi(c),
    attendance: attendanceApi(c),
    ledger: ledgerApi(c),
    occupancy: occupancyApi(c),
    exports: exportsApi(transport),
    catalog: catalogApi(c),
    people: peopleApi(c),
    companies: companiesApi(c),
    subscriptions: subscriptionsApi(c),
    bookings: bookingsApi(c),
    passes: passesApi(c),
    desk: deskApi(c),
    sync: syncApi(c),
    audit: auditApi(c),
    outcomes: outcomesApi(c),
    /** Live change notices; returns the function that stops listening. */
    subscribe: transport.subscribe.bind(transport),
    /** Whether the hub answers and live events arrive (the header's badge). */
    connection,
  };
}

export type Api = ReturnType<typeof createApi>;
