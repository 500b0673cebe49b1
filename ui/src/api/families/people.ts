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
import { path, type Caller } from '../client';

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
    return c.get<Page<PersonView>>('/people', query);
  },
  /**
   * A location's People list (`GET /api/locations/{id}/people`): the search above, each person
   * with the plans they are on there now and their hold, kept by `standing` when given.
   */
  atLocation: (locationId: number, search: string, standing: StandingFilter | null, offset = 0, limit = 50) => {
    const query: LocationPeopleQuery = { search: search.trim(), standing, offset, limit };
    return c.get<Page<PersonStandingView>>(path`/locations/${locationId}/people`, query);
  },
  get: (id: number) => c.get<PersonView>(path`/people/${id}`),
  create: (request: NewPersonRequest) => c.post<PersonView>('/people', request),
  update: (id: number, request: UpdatePersonRequest) => c.patch<PersonView>(path`/people/${id}`, request),
  /** The person's effective access now and ahead, with provenance, as their Access page shows it. */
  access: (id: number, locationId?: number) => c.get<MyAccess>(path`/people/${id}/access`, { location_id: locationId }),
  explain: (id: number, lockId: number, locationId?: number) =>
    c.get<LockExplanation>(path`/people/${id}/locks/${lockId}/explain`, { location_id: locationId }),
  kisiAccount: (id: number, locationId: number) =>
    c.get<KisiAccountView>(path`/locations/${locationId}/people/${id}/kisi`),
  /** R14: revokes every grant in Kisi and keeps them in Doorlink. */
  hold: (id: number, locationId: number) => c.post<KisiAccountView>(path`/locations/${locationId}/people/${id}/hold`),
  /** R14: restores the grants as they were. */
  release: (id: number, locationId: number) =>
    c.delete<KisiAccountView>(path`/locations/${locationId}/people/${id}/hold`),
  /** R15: stop managing the Kisi user, or delete it from Kisi. */
  disconnect: (id: number, locationId: number, request: DisconnectPersonRequest) =>
    c.post<KisiAccountView>(path`/locations/${locationId}/people/${id}/kisi/disconnect`, request),
  /**
   * The "repair" beside an explanation: re-evaluates the person at the location now
   * and wakes the sync worker; 202 once enqueued. The result arrives as live change notices.
   */
  resync: (id: number, locationId: number) => c.post<Done>(path`/locations/${locationId}/people/${id}/resync`),
  reconnect: (id: number, locationId: number) =>
    c.post<KisiAccountView>(path`/locations/${locationId}/people/${id}/kisi/reconnect`),
});

export const companiesApi = (c: Caller) => ({
  /** Every company (the hub pages them; a space has few). */
  list: async () => (await c.get<Page<CompanyView>>('/companies', { offset: 0, limit: 200 })).items,
  create: (request: CompanyRequest) => c.post<CompanyView>('/companies', request),
  members: (id: number) => c.get<MembershipView[]>(path`/companies/${id}/members`),
  addMember: (id: number, request: AddMemberRequest) => c.post<MembershipView>(path`/companies/${id}/members`, request),
  removeMember: (id: number, personId: number) => c.delete<MembershipView>(path`/companies/${id}/members/${personId}`),
});
