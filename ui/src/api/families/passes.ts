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
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const passesApi = (c: Caller) => ({
  dayPasses: (personId: number) => c.get<DayPassView[]>(route(routes.PEOPLE_ID_DAY_PASSES, { id: personId })),
  createDayPass: (request: NewDayPassRequest) => c.post<DayPassView>(route(routes.DAY_PASSES), request),
  cancelDayPass: (id: number) => c.post<DayPassView>(route(routes.DAY_PASSES_ID_CANCEL, { id })),
  visits: (personId: number) => c.get<VisitView[]>(route(routes.PEOPLE_ID_VISITS, { id: personId })),
  createVisit: (request: NewVisitRequest) => c.post<VisitView>(route(routes.VISITS), request),
  cancelVisit: (id: number) => c.post<VisitView>(route(routes.VISITS_ID_CANCEL, { id })),
  /** The desk's day at a location (its time zone): expected visitors and day passes. */
  visitorsOf: (locationId: number, date: string) =>
    c.get<VisitorsDayView>(route(routes.VISITORS), { location_id: locationId, date }),
  registerVisitor: (request: RegisterVisitorRequest) => c.post<RegisteredVisitorView>(route(routes.VISITORS), request),
  manualGrants: (personId: number) => c.get<ManualGrantView[]>(route(routes.PEOPLE_ID_MANUAL_GRANTS, { id: personId })),
  createManualGrant: (request: NewManualGrantRequest) => c.post<ManualGrantView>(route(routes.MANUAL_GRANTS), request),
  endManualGrant: (id: number, request: EndGrantRequest = { at: null }) =>
    c.post<ManualGrantView>(route(routes.MANUAL_GRANTS_ID_END, { id }), request),
});
