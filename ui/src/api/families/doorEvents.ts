/**
 * What happens at the doors (issue 15): Kisi's event webhook and its backfill, the door log, who
 * is in now and how a location checks people in and out, and a person's attendance by day.
 */
import type { AttendanceQuery } from '../../gen/AttendanceQuery';
import type { AttendanceView } from '../../gen/AttendanceView';
import type { BackfillView } from '../../gen/BackfillView';
import type { DoorEventPage } from '../../gen/DoorEventPage';
import type { DoorEventsQuery } from '../../gen/DoorEventsQuery';
import type { KisiWebhookSetUp } from '../../gen/KisiWebhookSetUp';
import type { KisiWebhookView } from '../../gen/KisiWebhookView';
import type { PresenceSettingsRequest } from '../../gen/PresenceSettingsRequest';
import type { PresenceSettingsView } from '../../gen/PresenceSettingsView';
import type { PresenceView } from '../../gen/PresenceView';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const webhookApi = (c: Caller) => ({
  /** The webhook, or a `not_found` ApiError when none is set up at the location. */
  get: (locationId: number) => c.get<KisiWebhookView>(route(routes.LOCATIONS_ID_KISI_WEBHOOK, { id: locationId })),
  /** Sets it up, or replaces its secret at once: the answer holds the new secret, shown this once. */
  setUp: (locationId: number) => c.post<KisiWebhookSetUp>(route(routes.LOCATIONS_ID_KISI_WEBHOOK, { id: locationId })),
  remove: (locationId: number) => c.delete<null>(route(routes.LOCATIONS_ID_KISI_WEBHOOK, { id: locationId })),
  /** Reads Kisi's events list now for deliveries that never came. */
  backfill: (locationId: number) =>
    c.post<BackfillView>(route(routes.LOCATIONS_ID_KISI_WEBHOOK_BACKFILL, { id: locationId })),
});

export const doorEventsApi = (c: Caller) => ({
  /** Newest first; the next page is asked with `before: page.next_before`. */
  list: (locationId: number, query: DoorEventsQuery) =>
    c.get<DoorEventPage>(route(routes.LOCATIONS_ID_DOOR_EVENTS, { id: locationId }), { ...query }),
});

export const presenceApi = (c: Caller) => ({
  now: (locationId: number) => c.get<PresenceView>(route(routes.LOCATIONS_ID_PRESENCE, { id: locationId })),
  settings: (locationId: number) =>
    c.get<PresenceSettingsView>(route(routes.LOCATIONS_ID_PRESENCE_SETTINGS, { id: locationId })),
  saveSettings: (locationId: number, request: PresenceSettingsRequest) =>
    c.put<PresenceSettingsView>(route(routes.LOCATIONS_ID_PRESENCE_SETTINGS, { id: locationId }), request),
});

export const attendanceApi = (c: Caller) => ({
  /** Days as "YYYY-MM-DD" in the location's zone; the hub's default is the last 30 days. */
  of: (personId: number, query: AttendanceQuery) =>
    c.get<AttendanceView>(route(routes.PEOPLE_ID_ATTENDANCE, { id: personId }), { ...query }),
});
