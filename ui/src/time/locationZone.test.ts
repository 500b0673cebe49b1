import { describe, expect, it } from 'vitest';
import type { LocationAccess } from '../gen/LocationAccess';
import { zoneOfAccess } from './locationZone';

const page: LocationAccess = { location_id: 1, location_name: 'Harbor', visible: true, open_now: [], upcoming: [], reasons: [] };
const berlin = { id: 1, name: 'Harbor', time_zone: 'Europe/Berlin', booking_grace_minutes: 30, access_page_visibility: 'public' as const, kisi_place_id: null };

describe('the zone an Access page shows its times in', () => {
  it('is the zone the hub sends with the page', () => {
    expect(zoneOfAccess({ ...page, time_zone: 'America/New_York' } as LocationAccess, [berlin])).toBe('America/New_York');
  });

  it('is the location’s zone from the location list otherwise', () => {
    expect(zoneOfAccess(page, [berlin])).toBe('Europe/Berlin');
  });

  it('is unknown when neither says', () => {
    expect(zoneOfAccess(page, [])).toBeUndefined();
  });
});
