/**
 * `createApi(transport)`: every hub route as a typed function, grouped by family. Each path comes
 * from `routes` (ui/src/gen/routes.ts, generated from crates/api/src/routes.rs: the one place a
 * route path is written) through `route`; components call `api.bookings.create(...)`, never a URL.
 */
import type { ApiRequest, QueryValue, Transport } from './transport';

declare const hubPath: unique symbol;
/** A path below `/api` made by `route` from one of the hub's routes: a path typed by hand does not compile. */
export type HubPath = string & { readonly [hubPath]: true };

/** The small helper every family uses to describe its requests. */
export interface Caller {
  get<T>(path: HubPath, query?: Record<string, QueryValue>): Promise<T>;
  post<T>(path: HubPath, body?: unknown): Promise<T>;
  put<T>(path: HubPath, body?: unknown): Promise<T>;
  patch<T>(path: HubPath, body?: unknown): Promise<T>;
  delete<T>(path: HubPath, body?: unknown): Promise<T>;
}

export function caller(transport: Transport): Caller {
  const send = <T>(request: ApiRequest) => transport.request<T>(request);
  return {
    get: (path, query) => send({ method: 'GET', path, query }),
    post: (path, body) => send({ method: 'POST', path, body: body ?? {} }),
    put: (path, body) => send({ method: 'PUT', path, body: body ?? {} }),
    patch: (path, body) => send({ method: 'PATCH', path, body: body ?? {} }),
    delete: (path, body) => send({ method: 'DELETE', path, body }),
  };
}

/** The names in braces of a route template: `'/people/{id}/locks/{lock_id}/explain'` → `'id' | 'lock_id'`. */
export type RouteParams<R extends string> = R extends `${string}{${infer Name}}${infer Rest}`
  ? Name | RouteParams<Rest>
  : never;

/** A value for each of the route's parameters: none for a route without, every one (and only those) otherwise. */
type RouteArgs<R extends string> = [RouteParams<R>] extends [never]
  ? []
  : [params: Record<RouteParams<R>, string | number>];

/**
 * `route(routes.PEOPLE_ID, { id })`: the route with each `{name}` filled with its value,
 * percent-encoded, so user text never changes which route is asked (a `/`, `?` or `#` in it stays
 * inside its segment). A missing parameter does not compile, and is refused at run time too; so is
 * a value that would still change the route once encoded: empty (`/people//access`), or `.`/`..`
 * (a URL resolves dot segments, even encoded ones).
 */
export function route<R extends string>(template: R, ...args: RouteArgs<R>): HubPath {
  const params: Partial<Record<string, string | number>> = args[0] ?? {};
  const path = template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) {
      throw new Error(`The route ${template} needs its parameter "${name}", and none was given.`);
    }
    const text = String(value);
    if (text === '' || text === '.' || text === '..') {
      throw new Error(
        `The route ${template} cannot take "${text}" as its parameter "${name}": it would name another route.`,
      );
    }
    return encodeURIComponent(text);
  });
  return path as HubPath;
}
