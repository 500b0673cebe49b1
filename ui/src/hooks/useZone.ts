import { useCurrentLocation } from '../app/location';

/** The browser's own zone: only a fallback while a location's zone is unknown. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The IANA zone of a location (every time shown there is in it), or of the current location. */
export function useZone(locationId?: number): string {
  const { locations, location } = useCurrentLocation();
  const found = locationId === undefined ? location : locations.find((l) => l.id === locationId);
  return found?.time_zone ?? browserZone();
}
