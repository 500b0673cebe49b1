/** Bookings with invitees (R6–R8). */
import type { BookingQuery } from '../../gen/BookingQuery';
import type { BookingView } from '../../gen/BookingView';
import type { MoveBookingRequest } from '../../gen/MoveBookingRequest';
import type { NewBookingRequest } from '../../gen/NewBookingRequest';
import type { Page } from '../../gen/Page';
import type { SetInviteesRequest } from '../../gen/SetInviteesRequest';
import { path, type Caller } from '../client';

/**
 * Which bookings to list. `from`/`until` (RFC 3339 instants) keep the bookings whose [start, end)
 * overlaps [from, until) (contract 2); the intersection stays until the generated type has them.
 */
export type BookingRange = BookingQuery & { from?: string | null; until?: string | null };

export const bookingsApi = (c: Caller) => ({
  list: (query: BookingRange) => c.get<Page<BookingView>>('/bookings', { ...query }),
  create: (request: NewBookingRequest) => c.post<BookingView>('/bookings', request),
  move: (id: number, request: MoveBookingRequest) => c.put<BookingView>(path`/bookings/${id}/time`, request),
  setInvitees: (id: number, request: SetInviteesRequest) =>
    c.put<BookingView>(path`/bookings/${id}/invitees`, request),
  cancel: (id: number) => c.post<BookingView>(path`/bookings/${id}/cancel`),
});
