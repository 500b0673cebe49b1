/**
 * Who is signed in, and what they may see: member < staff < admin. The session survives a reload
 * through the hub's cookie; `current()` reads the account back and hands the session's CSRF token
 * to the transport, so nothing about the session is kept in the page. When the hub
 * refuses the session later (401 on a request or the live events: it expired or was revoked), the
 * account is forgotten and `sessionEnded` says so, so the sign-in page can tell why it is back.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../api/context';
import { ApiError } from '../api/errors';
import type { AccountView } from '../gen/AccountView';
import type { Role } from '../gen/Role';
import type { SignInRequest } from '../gen/SignInRequest';
import { forgetCachedAccess } from '../pages/access/accessCache';
import { rememberAccount, rememberedAccount } from './installable';

const RANK: Record<Role, number> = { member: 0, staff: 1, admin: 2 };

/** Whether `role` includes everything `needed` may do. */
export const hasRole = (role: Role, needed: Role) => RANK[role] >= RANK[needed];

interface Auth {
  account: AccountView | null;
  /** True until the hub said whether this browser has a session. */
  checking: boolean;
  /** True once the hub refused the session of the account signed in here, until the next sign-in. */
  sessionEnded: boolean;
  signIn: (request: SignInRequest) => Promise<AccountView>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/**
 * Sets who is signed in and forgets everything cached for the previous person. The session
 * query itself stays (its observers would otherwise keep watching a removed query).
 */
export function switchAccount(client: QueryClient, account: AccountView | null): void {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
  client.setQueryData(['session'], account);
  rememberAccount(account);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const client = useQueryClient();
  const session = useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        const account = await api.session.current();
        rememberAccount(account);
        return account;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.code === 'unauthenticated')) {
          rememberAccount(null);
          return null;
        }
        // Without the hub, the portal opens as the account last signed in here, to show its last
        // confirmed doors (A6); every request still goes to the hub, which decides.
        const remembered = error instanceof ApiError && error.isOffline ? rememberedAccount() : null;
        if (remembered) return remembered;
        throw error;
      }
    },
    retry: false,
    staleTime: Infinity,
  });
  const [sessionEnded, setSessionEnded] = useState(false);

  // A refusal only ends a session someone holds: a wrong password or a reload without a session
  // cookie is answered 401 too, with no one signed in.
  useEffect(
    () =>
      api.connection.watch(() => {
        if (api.connection.current().status !== 'signed_out' || !client.getQueryData(['session'])) return;
        switchAccount(client, null);
        setSessionEnded(true);
      }),
    [api, client],
  );

  const signIn = useCallback(
    async (request: SignInRequest) => {
      const fresh = await api.session.signIn(request);
      switchAccount(client, fresh.account);
      setSessionEnded(false);
      return fresh.account;
    },
    [api, client],
  );

  const signOut = useCallback(async () => {
    await api.session.signOut().catch(() => undefined);
    // A shared computer keeps nothing of the person who signed out, not even their last doors.
    const previous = client.getQueryData<AccountView | null>(['session']);
    if (previous) forgetCachedAccess(previous.id);
    switchAccount(client, null);
    setSessionEnded(false);
  }, [api, client]);

  const value = useMemo<Auth>(
    () => ({ account: session.data ?? null, checking: session.isPending, sessionEnded, signIn, signOut }),
    [session.data, session.isPending, sessionEnded, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth needs an <AuthProvider> above it');
  return auth;
}

/** The account signed in; only for pages behind <RequireRole>. */
export function useAccount(): AccountView {
  const { account } = useAuth();
  if (!account) throw new Error('useAccount is only for signed-in pages');
  return account;
}
