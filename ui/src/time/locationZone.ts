/** The browser's own zone: only a fallback while a location's zone is unknown. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * A zone as people say it ("Europe/Berlin" → "Berlin time"), for moments that could be misread
 * when the reader's computer is elsewhere (issue 17: one moment, one wall time, its zone named).
 */
export function zoneName(zone: string): string {
  const city = zone.split('/').pop() ?? zone;
  return `${city.replace(/_/g, ' ')} time`;
}
