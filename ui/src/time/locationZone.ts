import type { LocationAccess } from '../gen/LocationAccess';
import type { LocationView } from '../gen/LocationView';

/** The browser's own zone: only a fallback while a location's zone is unknown. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The zone of an Access-page location: the page's own `time_zone` when the hub sends one, else
 * the location list (which only staff may read), else unknown.
 */
export function zoneOfAccess(access: LocationAccess, locations: LocationView[]): string | undefined {
  if ('time_zone' in access && typeof access.time_zone === 'string' && access.time_zone) return access.time_zone;
  return locations.find((l) => l.id === access.location_id)?.time_zone;
}
