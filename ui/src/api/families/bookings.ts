/** Bookings with invitees (R6–R8). */
import type { BookingQuery } from '../../gen/BookingQuery';
import type { BookingView } from '../../gen/BookingView';
import type { MoveBookingRequest } from '../../gen/MoveBookingRequest';
import type { NewBookingRequest } from '../../gen/NewBookingRequest';
import type { Page } from '../../gen/Page';
import type { SetInviteesRequest } from '../../gen/SetInviteesRequest';
import { path, type Caller } from '../client';

export const bookingsApi = (c: Caller) => ({
  /** A resource's and/or a person's bookings; `from`/`until` keep those overlapping that range. */
  list: (query: BookingQuery) => c.get<Page<BookingView>>('/bookings', { ...query }),
  create: (request: NewBookingRequest) => c.post<BookingView>('/bookings', request),
  move: (id: number, request: MoveBookingRequest) => c.put<BookingView>(path`/bookings/${id}/time`, request),
  setInvitees: (id: number, request: SetInviteesRequest) => c.put<BookingView>(path`/bookings/${id}/invitees`, request),
  cancel: (id: number) => c.post<BookingView>(path`/bookings/${id}/cancel`),
});
