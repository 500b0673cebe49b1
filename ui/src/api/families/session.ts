/** Sign-in, the current session, invitations. */
import type { AccountView } from '../../gen/AccountView';
import type { CurrentSession } from '../../gen/CurrentSession';
import type { InvitationRequest } from '../../gen/InvitationRequest';
import type { InvitationView } from '../../gen/InvitationView';
import type { RedeemInvitationRequest } from '../../gen/RedeemInvitationRequest';
import type { SessionView } from '../../gen/SessionView';
import type { SignInRequest } from '../../gen/SignInRequest';
import type { Caller } from '../client';
import type { Transport } from '../transport';

/** Every call that yields a session hands it to the transport, which proves later requests with it. */
export const sessionApi = (c: Caller, transport: Transport) => {
  const remember = <S extends SessionView | CurrentSession>(session: S) => {
    transport.authenticate(session);
    return session;
  };
  return {
    signIn: (request: SignInRequest) => c.post<SessionView>('/auth/sign-in', request).then(remember),
    /**
     * The session this browser already has (after a reload), with its CSRF token back (contract
     * 3): the account it is for. A transport that keeps the session itself (the desktop) says so
     * through `currentAccount`.
     */
    current: async (): Promise<AccountView> => {
      if (transport.currentAccount) return transport.currentAccount();
      return remember(await c.get<CurrentSession>('/auth/session')).account;
    },
    signOut: async () => {
      try {
        await c.post<unknown>('/auth/sign-out');
      } finally {
        transport.authenticate(null);
      }
    },
    invite: (request: InvitationRequest) => c.post<InvitationView>('/auth/invitations', request),
    redeem: (request: RedeemInvitationRequest) =>
      c.post<SessionView>('/auth/invitations/redeem', request).then(remember),
  };
};
