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

/**
 * The desktop transport still answers `GET /auth/session` with the account alone (its token never
 * enters the webview, so there is no CSRF token to hand back); a browser gets `CurrentSession`.
 */
const isAccount = (answer: CurrentSession | AccountView): answer is AccountView => !('account' in answer);

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
     * 3): the account it is for.
     */
    current: async (): Promise<AccountView> => {
      const answer = await c.get<CurrentSession | AccountView>('/auth/session');
      return isAccount(answer) ? answer : remember(answer).account;
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
