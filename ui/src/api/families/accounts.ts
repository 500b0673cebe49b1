/** Accounts: an admin's list, roles, disabling, sessions, invitations and history; everyone's own password and sessions. */
import type { AccountEventView } from '../../gen/AccountEventView';
import type { AccountSummaryView } from '../../gen/AccountSummaryView';
import type { ChangePasswordRequest } from '../../gen/ChangePasswordRequest';
import type { Done } from '../../gen/Done';
import type { OwnSessionView } from '../../gen/OwnSessionView';
import type { PendingInvitationView } from '../../gen/PendingInvitationView';
import type { Role } from '../../gen/Role';
import { path, type Caller } from '../client';

export const accountsApi = (c: Caller) => ({
  list: () => c.get<AccountSummaryView[]>('/accounts'),
  setRole: (id: number, role: Role) => c.put<AccountSummaryView>(path`/accounts/${id}/role`, { role }),
  disable: (id: number) => c.post<AccountSummaryView>(path`/accounts/${id}/disable`),
  enable: (id: number) => c.post<AccountSummaryView>(path`/accounts/${id}/enable`),
  endSessions: (id: number) => c.post<Done>(path`/accounts/${id}/sessions/end`),
  history: () => c.get<AccountEventView[]>('/accounts/history'),
  pendingInvitations: () => c.get<PendingInvitationView[]>('/auth/invitations'),
  withdrawInvitation: (id: number) => c.delete<Done>(path`/auth/invitations/${id}`),
  changePassword: (request: ChangePasswordRequest) => c.post<Done>('/auth/password', request),
  ownSessions: () => c.get<OwnSessionView[]>('/auth/sessions'),
  endOwnSession: (id: number) => c.delete<Done>(path`/auth/sessions/${id}`),
  endOtherSessions: () => c.post<Done>('/auth/sessions/end-others'),
});
