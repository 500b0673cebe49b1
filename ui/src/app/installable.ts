/**
 * The browser portal as an installable web app (issue 17, point 14): the service worker in
 * `public/sw.js` keeps the app's files so it opens without a connection, and the last signed-in
 * account is remembered here so the Access page can show the last confirmed doors (A6) offline.
 * Only the account's public view is kept, never the session; signing out forgets it.
 */
import type { AccountView } from '../gen/AccountView';
import { forget, keep, readKept } from './keptInBrowser';

const ACCOUNT_KEY = 'doorlink.account';

/** Registers the offline shell in a built browser portal (not the desktop, not `npm run dev`). */
export function registerOfflineShell(desktop: boolean): void {
  if (desktop || !import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    // Without it the portal still works, only not offline.
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}

export function rememberAccount(account: AccountView | null): void {
  if (account) keep(ACCOUNT_KEY, account);
  else forget(ACCOUNT_KEY);
}

/** The account last signed in in this browser, if it did not sign out since. */
export const rememberedAccount = (): AccountView | null => readKept<AccountView>(ACCOUNT_KEY) ?? null;
