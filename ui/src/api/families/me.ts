/** The signed-in person's Access page (A1–A5), explanations and unlocks (A4). */
import type { LockExplanation } from '../../gen/LockExplanation';
import type { MyAccess } from '../../gen/MyAccess';
import type { MyOtherDoors } from '../../gen/MyOtherDoors';
import type { UnlockOutcome } from '../../gen/UnlockOutcome';
import type { UnlockRequest } from '../../gen/UnlockRequest';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const meApi = (c: Caller) => ({
  access: (locationId?: number) => c.get<MyAccess>(route(routes.ME_ACCESS), { location_id: locationId }),
  /** Issue 17: the doors of the location the person cannot open now, by name. */
  otherDoors: (locationId?: number) => c.get<MyOtherDoors>(route(routes.ME_OTHER_DOORS), { location_id: locationId }),
  explain: (lockId: number, locationId?: number) =>
    c.get<LockExplanation>(route(routes.ME_LOCKS_LOCK_ID_EXPLAIN, { lock_id: lockId }), { location_id: locationId }),
  unlock: (lockId: number, request: UnlockRequest = { location_id: null, latitude: null, longitude: null }) =>
    c.post<UnlockOutcome>(route(routes.ME_LOCKS_LOCK_ID_UNLOCK, { lock_id: lockId }), request),
});
