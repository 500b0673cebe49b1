/** The browser's own zone: only a fallback while a location's zone is unknown. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
