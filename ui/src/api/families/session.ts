/** Sign-in, the current session, invitations. */
import type { AccountView } from '../../gen/AccountView';
import type { CurrentSession } from '../../gen/CurrentSession';
import type { InvitationRequest } from '../../gen/InvitationRequest';
import type { InvitationView } from '../../gen/InvitationView';
import type { RedeemInvitationRequest } from '../../gen/RedeemInvitationRequest';
import type { SessionView } from '../../gen/SessionView';
import type { SignInRequest } from '../../gen/SignInRequest';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';
import type { Transport } from '../transport';

/** Every call that yields a session hands it to the transport, which proves later requests with it. */
export const sessionApi = (c: Caller, transport: Transport) => {
  const remember = <S extends SessionView | CurrentSession>(session: S) => {
    transport.authenticate(session);
    return session;
  };
  return {
    signIn: (request: SignInRequest) => c.post<SessionView>(route(routes.AUTH_SIGN_IN), request).then(remember),
    /**
     * The session this browser already has (after a reload), with its CSRF token back (contract
     * 3): the account it is for. A transport that keeps the session itself (the desktop) says so
     * through `currentAccount`.
     */
    current: async (): Promise<AccountView> => {
      if (transport.currentAccount) return transport.currentAccount();
      return remember(await c.get<CurrentSession>(route(routes.AUTH_SESSION))).account;
    },
    signOut: async () => {
      try {
        await c.post<unknown>(route(routes.AUTH_SIGN_OUT));
      } finally {
        transport.authenticate(null);
      }
    },
    invite: (request: InvitationRequest) => c.post<InvitationView>(route(routes.AUTH_INVITATIONS), request),
    redeem: (request: RedeemInvitationRequest) =>
      c.post<SessionView>(route(routes.AUTH_INVITATIONS_REDEEM), request).then(remember),
  };
};
