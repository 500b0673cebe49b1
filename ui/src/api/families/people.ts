/** People, companies and memberships (R5), and a person's Kisi account (R14, R15). */
import type { AddMemberRequest } from '../../gen/AddMemberRequest';
import type { CompanyRequest } from '../../gen/CompanyRequest';
import type { CompanyView } from '../../gen/CompanyView';
import type { DisconnectPersonRequest } from '../../gen/DisconnectPersonRequest';
import type { KisiAccountView } from '../../gen/KisiAccountView';
import type { LockExplanation } from '../../gen/LockExplanation';
import type { MembershipView } from '../../gen/MembershipView';
import type { MyAccess } from '../../gen/MyAccess';
import type { NewPersonRequest } from '../../gen/NewPersonRequest';
import type { Page } from '../../gen/Page';
import type { PersonView } from '../../gen/PersonView';
import type { UpdatePersonRequest } from '../../gen/UpdatePersonRequest';
import { path, type Caller } from '../client';

export const peopleApi = (c: Caller) => ({
  /** Finds people by name or e-mail, a page at a time. */
  search: (query: string, offset = 0, limit = 50) =>
    c.get<Page<PersonView>>('/people', { q: query.trim(), offset, limit }),
  get: (id: number) => c.get<PersonView>(path`/people/${id}`),
  create: (request: NewPersonRequest) => c.post<PersonView>('/people', request),
  update: (id: number, request: UpdatePersonRequest) => c.patch<PersonView>(path`/people/${id}`, request),
  /** The person's effective access now and ahead, with provenance, as their Access page shows it. */
  access: (id: number, locationId?: number) =>
    c.get<MyAccess>(path`/people/${id}/access`, { location_id: locationId }),
  explain: (id: number, lockId: number, locationId?: number) =>
    c.get<LockExplanation>(path`/people/${id}/locks/${lockId}/explain`, { location_id: locationId }),
  memberships: (id: number) => c.get<MembershipView[]>(path`/people/${id}/memberships`),
  kisiAccount: (id: number, locationId: number) =>
    c.get<KisiAccountView>(path`/people/${id}/kisi`, { location_id: locationId }),
  hold: (id: number, locationId: number) =>
    c.post<KisiAccountView>(path`/people/${id}/kisi/hold?location_id=${locationId}`),
  release: (id: number, locationId: number) =>
    c.post<KisiAccountView>(path`/people/${id}/kisi/release?location_id=${locationId}`),
  disconnect: (id: number, locationId: number, request: DisconnectPersonRequest) =>
    c.post<KisiAccountView>(path`/people/${id}/kisi/disconnect?location_id=${locationId}`, request),
});

export const companiesApi = (c: Caller) => ({
  list: () => c.get<CompanyView[]>('/companies'),
  create: (request: CompanyRequest) => c.post<CompanyView>('/companies', request),
  members: (id: number) => c.get<MembershipView[]>(path`/companies/${id}/members`),
  addMember: (id: number, request: AddMemberRequest) =>
    c.post<MembershipView>(path`/companies/${id}/members`, request),
  removeMember: (id: number, personId: number) =>
    c.delete<MembershipView>(path`/companies/${id}/members/${personId}`),
});
