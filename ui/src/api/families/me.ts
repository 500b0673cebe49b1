/** The signed-in person's Access page (A1–A5), explanations and unlocks (A4). */
import type { LockExplanation } from '../../gen/LockExplanation';
import type { MyAccess } from '../../gen/MyAccess';
import type { MyOtherDoors } from '../../gen/MyOtherDoors';
import type { UnlockOutcome } from '../../gen/UnlockOutcome';
import type { UnlockRequest } from '../../gen/UnlockRequest';
import { path, type Caller } from '../client';

export const meApi = (c: Caller) => ({
  access: (locationId?: number) => c.get<MyAccess>('/me/access', { location_id: locationId }),
  /** Issue 17: the doors of the location the person cannot open now, by name. */
  otherDoors: (locationId?: number) => c.get<MyOtherDoors>('/me/other-doors', { location_id: locationId }),
  explain: (lockId: number, locationId?: number) =>
    c.get<LockExplanation>(path`/me/locks/${lockId}/explain`, { location_id: locationId }),
  unlock: (lockId: number, request: UnlockRequest = { location_id: null, latitude: null, longitude: null }) =>
    c.post<UnlockOutcome>(path`/me/locks/${lockId}/unlock`, request),
});
