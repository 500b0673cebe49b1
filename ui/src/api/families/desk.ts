/** The front desk's day or week at one location (issue 17, point 8). */
import type { DeskDayView } from '../../gen/DeskDayView';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const deskApi = (c: Caller) => ({
  /** `days` days from `date` ("YYYY-MM-DD" in the location's zone): 1 (the day) to 7 (the week). */
  day: (locationId: number, date: string, days: number) =>
    c.get<DeskDayView>(route(routes.LOCATIONS_ID_DESK_DAY, { id: locationId }), { date, days }),
});
