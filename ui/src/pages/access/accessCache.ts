/**
 * A6: the last Access page the hub confirmed, kept in this browser so that without a connection
 * the page still shows the doors and windows, with when they were last confirmed.
 */
import type { MyAccess } from '../../gen/MyAccess';

const key = (accountId: number) => `doorlink.access.${accountId}`;

export function loadCachedAccess(accountId: number): MyAccess | undefined {
  try {
    const text = localStorage.getItem(key(accountId));
    return text ? (JSON.parse(text) as MyAccess) : undefined;
  } catch {
    return undefined;
  }
}

export function saveCachedAccess(accountId: number, access: MyAccess): void {
  try {
    localStorage.setItem(key(accountId), JSON.stringify(access));
  } catch {
    // A full or disabled storage only costs the offline view.
  }
}

export function forgetCachedAccess(accountId: number): void {
  try {
    localStorage.removeItem(key(accountId));
  } catch {
    // Nothing was kept.
  }
}
