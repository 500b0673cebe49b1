/** People, companies and memberships (R5), and a person's Kisi account (R14, R15). */
import type { AddMemberRequest } from '../../gen/AddMemberRequest';
import type { CompanyRequest } from '../../gen/CompanyRequest';
import type { CompanyView } from '../../gen/CompanyView';
import type { Done } from '../../gen/Done';
import type { DisconnectPersonRequest } from '../../gen/DisconnectPersonRequest';
import type { KisiAccountView } from '../../gen/KisiAccountView';
import type { LockExplanation } from '../../gen/LockExplanation';
import type { MembershipView } from '../../gen/MembershipView';
import type { MyAccess } from '../../gen/MyAccess';
import type { NewPersonRequest } from '../../gen/NewPersonRequest';
import type { Page } from '../../gen/Page';
import type { LocationPeopleQuery } from '../../gen/LocationPeopleQuery';
import type { PeopleQuery } from '../../gen/PeopleQuery';
import type { PersonStandingView } from '../../gen/PersonStandingView';
import type { PersonView } from '../../gen/PersonView';
import type { StandingFilter } from '../../gen/StandingFilter';
import type { UpdatePersonRequest } from '../../gen/UpdatePersonRequest';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

/** Query keys of the people searches; under the `people` family, so live changes refresh them. */
export const peopleKeys = {
  find: (search: string, limit: number) => ['people', 'find', search.trim(), limit] as const,
  atLocation: (locationId: number, search: string, standing: StandingFilter | null, limit: number) =>
    ['people', 'at', locationId, search.trim(), standing, limit] as const,
};

export const peopleApi = (c: Caller) => ({
  /**
   * The hub's people search (`GET /api/people?search=`): name or e-mail contains `search`,
   * case-insensitive, trimmed; empty = everyone. Sorted by name, a page at a time.
   */
  find: (search: string, offset = 0, limit = 50) => {
    const query: PeopleQuery = { search: search.trim(), offset, limit };
    return c.get<Page<PersonView>>(route(routes.PEOPLE), query);
  },
  /**
   * A location's People list (`GET /api/locations/{id}/people`): the search above, each person
   * with the plans they are on there now and their hold, kept by `standing` when given.
   */
  atLocation: (locationId: number, search: string, standing: StandingFilter | null, offset = 0, limit = 50) => {
    const query: LocationPeopleQuery = { search: search.trim(), standing, offset, limit };
    return c.get<Page<PersonStandingView>>(route(routes.LOCATIONS_ID_PEOPLE, { id: locationId }), query);
  },
  get: (id: number) => c.get<PersonView>(route(routes.PEOPLE_ID, { id })),
  create: (request: NewPersonRequest) => c.post<PersonView>(route(routes.PEOPLE), request),
  update: (id: number, request: UpdatePersonRequest) => c.patch<PersonView>(route(routes.PEOPLE_ID, { id }), request),
  /** The person's effective access now and ahead, with provenance, as their Access page shows it. */
  access: (id: number, locationId?: number) =>
    c.get<MyAccess>(route(routes.PEOPLE_ID_ACCESS, { id }), { location_id: locationId }),
  explain: (id: number, lockId: number, locationId?: number) =>
    c.get<LockExplanation>(route(routes.PEOPLE_ID_LOCKS_LOCK_ID_EXPLAIN, { id, lock_id: lockId }), {
      location_id: locationId,
    }),
  kisiAccount: (id: number, locationId: number) =>
    c.get<KisiAccountView>(
      route(routes.LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI, { location_id: locationId, person_id: id }),
    ),
  /** R14: revokes every grant in Kisi and keeps them in Doorlink. */
  hold: (id: number, locationId: number) =>
    c.post<KisiAccountView>(
      route(routes.LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_HOLD, { location_id: locationId, person_id: id }),
    ),
  /** R14: restores the grants as they were. */
  release: (id: number, locationId: number) =>
    c.delete<KisiAccountView>(
      route(routes.LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_HOLD, { location_id: locationId, person_id: id }),
    ),
  /** R15: stop managing the Kisi user, or delete it from Kisi. */
  disconnect: (id: number, locationId: number, request: DisconnectPersonRequest) =>
    c.post<KisiAccountView>(
      route(routes.LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_DISCONNECT, { location_id: locationId, person_id: id }),
      request,
    ),
  /**
   * The "repair" beside an explanation: re-evaluates the person at the location now
   * and wakes the sync worker; 202 once enqueued. The result arrives as live change notices.
   */
  resync: (id: number, locationId: number) =>
    c.post<Done>(
      route(routes.LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_RESYNC, { location_id: locationId, person_id: id }),
    ),
  reconnect: (id: number, locationId: number) =>
    c.post<KisiAccountView>(
      route(routes.LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_RECONNECT, { location_id: locationId, person_id: id }),
    ),
});

export const companiesApi = (c: Caller) => ({
  /** Every company (the hub pages them; a space has few). */
  list: async () => (await c.get<Page<CompanyView>>(route(routes.COMPANIES), { offset: 0, limit: 200 })).items,
  create: (request: CompanyRequest) => c.post<CompanyView>(route(routes.COMPANIES), request),
  members: (id: number) => c.get<MembershipView[]>(route(routes.COMPANIES_ID_MEMBERS, { id })),
  addMember: (id: number, request: AddMemberRequest) =>
    c.post<MembershipView>(route(routes.COMPANIES_ID_MEMBERS, { id }), request),
  removeMember: (id: number, personId: number) =>
    c.delete<MembershipView>(route(routes.COMPANIES_ID_MEMBERS_PERSON_ID, { id, person_id: personId })),
});
