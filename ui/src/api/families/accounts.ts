/** Accounts: an admin's list, roles, disabling, sessions, invitations and history; everyone's own password and sessions. */
import type { AccountEventView } from '../../gen/AccountEventView';
import type { AccountSummaryView } from '../../gen/AccountSummaryView';
import type { ChangePasswordRequest } from '../../gen/ChangePasswordRequest';
import type { Done } from '../../gen/Done';
import type { OwnSessionView } from '../../gen/OwnSessionView';
import type { PendingInvitationView } from '../../gen/PendingInvitationView';
import type { Role } from '../../gen/Role';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const accountsApi = (c: Caller) => ({
  list: () => c.get<AccountSummaryView[]>(route(routes.ACCOUNTS)),
  setRole: (id: number, role: Role) => c.put<AccountSummaryView>(route(routes.ACCOUNTS_ID_ROLE, { id }), { role }),
  disable: (id: number) => c.post<AccountSummaryView>(route(routes.ACCOUNTS_ID_DISABLE, { id })),
  enable: (id: number) => c.post<AccountSummaryView>(route(routes.ACCOUNTS_ID_ENABLE, { id })),
  endSessions: (id: number) => c.post<Done>(route(routes.ACCOUNTS_ID_SESSIONS_END, { id })),
  history: () => c.get<AccountEventView[]>(route(routes.ACCOUNTS_HISTORY)),
  pendingInvitations: () => c.get<PendingInvitationView[]>(route(routes.AUTH_INVITATIONS)),
  withdrawInvitation: (id: number) => c.delete<Done>(route(routes.AUTH_INVITATIONS_ID, { id })),
  changePassword: (request: ChangePasswordRequest) => c.post<Done>(route(routes.AUTH_PASSWORD), request),
  ownSessions: () => c.get<OwnSessionView[]>(route(routes.AUTH_SESSIONS)),
  endOwnSession: (id: number) => c.delete<Done>(route(routes.AUTH_SESSIONS_ID, { id })),
  endOtherSessions: () => c.post<Done>(route(routes.AUTH_SESSIONS_END_OTHERS)),
});
