/** Sign-in, the current session, invitations. */
import type { AccountView } from '../../gen/AccountView';
import type { InvitationRequest } from '../../gen/InvitationRequest';
import type { InvitationView } from '../../gen/InvitationView';
import type { RedeemInvitationRequest } from '../../gen/RedeemInvitationRequest';
import type { SessionView } from '../../gen/SessionView';
import type { SignInRequest } from '../../gen/SignInRequest';
import type { Caller } from '../client';
import type { Transport } from '../transport';

/** Every call that yields a session hands it to the transport, which proves later requests with it. */
export const sessionApi = (c: Caller, transport: Transport) => {
  const remember = (session: SessionView) => {
    transport.authenticate(session);
    return session;
  };
  return {
    signIn: (request: SignInRequest) => c.post<SessionView>('/auth/sign-in', request).then(remember),
    /** The account of this browser's session, if it has one (after a reload). */
    current: () => c.get<AccountView>('/auth/session'),
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
