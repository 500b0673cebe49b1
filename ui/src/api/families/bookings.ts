/** Bookings with invitees (R6–R8). */
import type { BookingQuery } from '../../gen/BookingQuery';
import type { BookingView } from '../../gen/BookingView';
import type { MoveBookingRequest } from '../../gen/MoveBookingRequest';
import type { NewBookingRequest } from '../../gen/NewBookingRequest';
import type { Page } from '../../gen/Page';
import type { SetInviteesRequest } from '../../gen/SetInviteesRequest';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const bookingsApi = (c: Caller) => ({
  /** A resource's and/or a person's bookings; `from`/`until` keep those overlapping that range. */
  list: (query: BookingQuery) => c.get<Page<BookingView>>(route(routes.BOOKINGS), { ...query }),
  create: (request: NewBookingRequest) => c.post<BookingView>(route(routes.BOOKINGS), request),
  move: (id: number, request: MoveBookingRequest) =>
    c.put<BookingView>(route(routes.BOOKINGS_ID_TIME, { id }), request),
  setInvitees: (id: number, request: SetInviteesRequest) =>
    c.put<BookingView>(route(routes.BOOKINGS_ID_INVITEES, { id }), request),
  cancel: (id: number) => c.post<BookingView>(route(routes.BOOKINGS_ID_CANCEL, { id })),
});
