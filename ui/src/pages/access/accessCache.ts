/**
 * A6: the last Access page the hub confirmed, kept in this browser so that without a connection
 * the page still shows the doors and windows, with when they were last confirmed.
 */
import { forget, keep, readKept } from '../../app/keptInBrowser';
import type { MyAccess } from '../../gen/MyAccess';

const key = (accountId: number) => `doorlink.access.${accountId}`;

export const loadCachedAccess = (accountId: number): MyAccess | undefined => readKept<MyAccess>(key(accountId));

export const saveCachedAccess = (accountId: number, access: MyAccess): void => keep(key(accountId), access);

export const forgetCachedAccess = (accountId: number): void => forget(key(accountId));
