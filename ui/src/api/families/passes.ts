/** Day passes (R9), visits (R10) and manual grants (M6, R11). */
import type { DayPassView } from '../../gen/DayPassView';
import type { EndGrantRequest } from '../../gen/EndGrantRequest';
import type { ManualGrantView } from '../../gen/ManualGrantView';
import type { NewDayPassRequest } from '../../gen/NewDayPassRequest';
import type { NewManualGrantRequest } from '../../gen/NewManualGrantRequest';
import type { NewVisitRequest } from '../../gen/NewVisitRequest';
import type { RegisterVisitorRequest } from '../../gen/RegisterVisitorRequest';
import type { RegisteredVisitorView } from '../../gen/RegisteredVisitorView';
import type { VisitView } from '../../gen/VisitView';
import type { VisitorsDayView } from '../../gen/VisitorsDayView';
import { path, type Caller } from '../client';

export const passesApi = (c: Caller) => ({
  dayPasses: (personId: number) => c.get<DayPassView[]>(path`/people/${personId}/day-passes`),
  createDayPass: (request: NewDayPassRequest) => c.post<DayPassView>('/day-passes', request),
  cancelDayPass: (id: number) => c.post<DayPassView>(path`/day-passes/${id}/cancel`),
  visits: (personId: number) => c.get<VisitView[]>(path`/people/${personId}/visits`),
  createVisit: (request: NewVisitRequest) => c.post<VisitView>('/visits', request),
  cancelVisit: (id: number) => c.post<VisitView>(path`/visits/${id}/cancel`),
  /** The desk's day at a location (its time zone): expected visitors and day passes. */
  visitorsOf: (locationId: number, date: string) =>
    c.get<VisitorsDayView>('/visitors', { location_id: locationId, date }),
  registerVisitor: (request: RegisterVisitorRequest) => c.post<RegisteredVisitorView>('/visitors', request),
  manualGrants: (personId: number) => c.get<ManualGrantView[]>(path`/people/${personId}/manual-grants`),
  createManualGrant: (request: NewManualGrantRequest) => c.post<ManualGrantView>('/manual-grants', request),
  endManualGrant: (id: number, request: EndGrantRequest = { at: null }) =>
    c.post<ManualGrantView>(path`/manual-grants/${id}/end`, request),
});
