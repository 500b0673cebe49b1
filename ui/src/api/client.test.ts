/** `route`: a hub path from its one declaration (ui/src/gen/routes.ts), with user text kept inside its segment. */
import { describe, expect, it } from 'vitest';
import { routes } from '../gen/routes';
import { caller, route } from './client';
import type { ApiRequest, Transport } from './transport';

describe('a hub path from its route', () => {
  it('fills each parameter by name, whatever their order in the route', () => {
    expect(route(routes.PEOPLE_ID_LOCKS_LOCK_ID_EXPLAIN, { lock_id: 7, id: 12 })).toBe('/people/12/locks/7/explain');
    expect(route(routes.PEOPLE)).toBe('/people');
  });

  it('keeps a hostile value inside its segment: a "/", "?" or "#" in it cannot reach another route', () => {
    // The adversary: text from a person (a search, a name) standing where an id goes. Unencoded,
    // "12/hold" would ask another route, "12?x=1" would add a query and "12#a" cut the path short.
    expect(route(routes.PEOPLE_ID_ACCESS, { id: '12/hold' })).toBe('/people/12%2Fhold/access');
    expect(route(routes.PEOPLE_ID_ACCESS, { id: '12?location_id=1' })).toBe('/people/12%3Flocation_id%3D1/access');
    expect(route(routes.PEOPLE_ID_ACCESS, { id: '12#top' })).toBe('/people/12%23top/access');
    expect(route(routes.PEOPLE_ID_ACCESS, { id: '%2F' })).toBe('/people/%252F/access');
    const url = new URL(
      `http://hub.test/api${route(routes.COMPANIES_ID_MEMBERS_PERSON_ID, { id: 'a/b?c#d', person_id: 3 })}`,
    );
    expect(url.pathname).toBe('/api/companies/a%2Fb%3Fc%23d/members/3');
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
  });

  it('refuses a value that would still name another route once encoded (empty, "." or "..")', () => {
    // The adversary: a URL resolves dot segments, encoded or not ("/people/../accounts" is "/accounts").
    expect(() => route(routes.PEOPLE_ID, { id: '..' })).toThrow(/cannot take "\.\." as its parameter "id"/);
    expect(() => route(routes.PEOPLE_ID, { id: '.' })).toThrow(/parameter "id"/);
    expect(() => route(routes.PEOPLE_ID_ACCESS, { id: '' })).toThrow(/parameter "id"/);
  });

  it('refuses a missing parameter: it does not compile, and at run time names it', () => {
    // The adversary: a call that forgot an argument (or got `undefined` from an unchecked value);
    // "/people/undefined/access" or "/people/{id}/access" would reach the hub as someone's path.
    // @ts-expect-error the route's parameter `id` is missing
    expect(() => route(routes.PEOPLE_ID_ACCESS)).toThrow('The route /people/{id}/access needs its parameter "id"');
    // @ts-expect-error `lock_id` is missing
    expect(() => route(routes.PEOPLE_ID_LOCKS_LOCK_ID_EXPLAIN, { id: 7 })).toThrow(/needs its parameter "lock_id"/);
    expect(() => route(routes.PEOPLE_ID, { id: undefined as unknown as number })).toThrow(/needs its parameter "id"/);
    // @ts-expect-error a route without parameters takes none
    expect(route(routes.PEOPLE, { id: 1 })).toBe('/people');
  });
});

describe('a family’s request', () => {
  it('takes only a path made by `route`: a path typed by hand does not compile', async () => {
    // The adversary: a path written in a family file that drifted from the hub's (families.test.ts
    // catches it when the call runs; this refuses it when it is written).
    const sent: ApiRequest[] = [];
    const transport: Transport = {
      authenticate: () => undefined,
      request: <T>(request: ApiRequest) => {
        sent.push(request);
        return Promise.resolve({} as T);
      },
      subscribe: () => () => undefined,
    };
    const c = caller(transport);
    // @ts-expect-error a hand-written path is not a `HubPath`
    await c.get('/people/12/visitz');
    await c.get(route(routes.PEOPLE_ID_VISITS, { id: 12 }));
    expect(sent.map((request) => request.path)).toEqual(['/people/12/visitz', '/people/12/visits']);
  });
});
