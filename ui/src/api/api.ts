/** The whole hub API over one transport. */
import { caller } from './client';
import { accountsApi } from './families/accounts';
import { monitorConnection } from './connection';
import { bookingsApi } from './families/bookings';
import { catalogApi } from './families/catalog';
import { deskApi } from './families/desk';
import { kisiApi, locationsApi } from './families/locations';
import { meApi } from './families/me';
import { passesApi } from './families/passes';
import { companiesApi, peopleApi } from './families/people';
import { sessionApi } from './families/session';
import { subscriptionsApi } from './families/subscriptions';
import { auditApi, syncApi } from './families/sync';
import type { Transport } from './transport';

/** `clock` is injected in tests (when the hub last answered). */
export function createApi(rawTransport: Transport, clock?: () => Date) {
  const { transport, connection } = monitorConnection(rawTransport, clock);
  const c = caller(transport);
  return {
    session: sessionApi(c, transport),
    accounts: accountsApi(c),
    me: meApi(c),
    locations: locationsApi(c),
    kisi: kisiApi(c),
    catalog: catalogApi(c),
    people: peopleApi(c),
    companies: companiesApi(c),
    subscriptions: subscriptionsApi(c),
    bookings: bookingsApi(c),
    passes: passesApi(c),
    desk: deskApi(c),
    sync: syncApi(c),
    audit: auditApi(c),
    /** Live change notices; returns the function that stops listening. */
    subscribe: transport.subscribe.bind(transport),
    /** Whether the hub answers and live events arrive (the header's badge). */
    connection,
  };
}

export type Api = ReturnType<typeof createApi>;
