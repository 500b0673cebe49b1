import { describe, expect, it } from 'vitest';
import type { KisiDirectory } from '../gen/KisiDirectory';
import type { KisiGroupView } from '../gen/KisiGroupView';
import { describeDoorAccess, doorAccessWarnings, groupWarnings } from './doorAccessWarnings';

const group = (overrides: Partial<KisiGroupView>): KisiGroupView => ({
  id: 1,
  name: 'Members',
  lock_ids: [10],
  reader_restriction: false,
  geofence_restriction: false,
  time_restriction: false,
  deleted: false,
  foreign_members: 0,
  app_access: null,
  primary_device_restriction: null,
  setting_warnings: [],
  ...overrides,
});

const directory: KisiDirectory = {
  places: [{ id: 1, name: 'Harbor' }],
  groups: [group({}), group({ id: 2, name: 'Server', reader_restriction: true })],
  locks: [
    {
      id: 10,
      name: 'Front door',
      place_id: 1,
      reader_restriction: false,
      geofence_restriction: false,
      time_restriction: false,
    },
    {
      id: 11,
      name: 'Cellar',
      place_id: 1,
      reader_restriction: false,
      geofence_restriction: true,
      time_restriction: false,
    },
  ],
};

describe('door-access warnings on mappings', () => {
  it('says nothing about a clean dedicated group', () => {
    expect(groupWarnings(group({}))).toEqual([]);
  });

  it('warns that a reader-restricted group cannot be unlocked from Doorlink', () => {
    expect(groupWarnings(group({ reader_restriction: true }))[0]).toMatch(/Kisi Reader restriction/);
  });

  it('warns about members Doorlink did not add (M8), counting them', () => {
    expect(groupWarnings(group({ foreign_members: 3 }))).toEqual([
      'Has 3 members Doorlink did not add: use a group dedicated to Doorlink.',
    ]);
  });

  it('names a group deleted in Kisi with the seed message', () => {
    expect(groupWarnings(group({ deleted: true, lock_ids: [] }))).toEqual([
      'Deleted in Kisi ("Group is not found"): pick an existing group.',
    ]);
  });

  it('marks ids no longer in Kisi as orphaned and names the restricted ones', () => {
    expect(doorAccessWarnings({ groups: [2, 99], locks: [11] }, directory)).toEqual([
      'Server: Kisi Reader restriction: members cannot unlock its doors from Doorlink.',
      'A group picked here is no longer in Kisi (orphaned): pick an existing group.',
      'Cellar: Bluetooth/geofence restriction: remote unlocks need the person on site.',
    ]);
  });

  it('describes an empty door access as "Not selected"', () => {
    expect(describeDoorAccess({ groups: [], locks: [] }, directory)).toBe('Not selected');
    expect(describeDoorAccess({ groups: [1], locks: [10] }, directory)).toBe('Members, Front door (single door)');
  });
});

describe('a group whose Kisi settings refuse Doorlink’s unlocks (A4)', () => {
  const appAccessOff =
    '"Members" has app access turned off in Kisi: members of this group cannot unlock its doors from Doorlink or any other app; turn on app access ("Allow App Access") for the group in the Kisi dashboard, or select a group that has it on (A4)';

  it('shows the hub’s words when the group is picked', () => {
    expect(groupWarnings(group({ app_access: false, setting_warnings: [appAccessOff] }))).toEqual([appAccessOff]);
  });

  it('names it once on a door access, and leaves it to the hub’s mapping warnings beside them', () => {
    const off = { ...directory, groups: [group({ app_access: false, setting_warnings: [appAccessOff] })] };
    expect(doorAccessWarnings({ groups: [1], locks: [] }, off)).toEqual([appAccessOff]);
    expect(doorAccessWarnings({ groups: [1], locks: [] }, off, true)).toEqual([]);
  });
});

describe('warnings beside the hub’s own mapping warnings', () => {
  it('keeps only what the directory alone shows', () => {
    const shared = {
      ...directory,
      groups: [group({ foreign_members: 2 }), group({ id: 3, name: 'Gone', deleted: true, lock_ids: [] })],
    };
    expect(doorAccessWarnings({ groups: [1, 3, 99], locks: [11] }, shared, true)).toEqual([
      'Cellar: Bluetooth/geofence restriction: remote unlocks need the person on site.',
    ]);
  });
});
