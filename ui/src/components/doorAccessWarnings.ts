/**
 * Warnings staff see when they pick a Kisi group or lock for a door access: things that make
 * unlocking from Doorlink fail (A5: reader or geofence restriction; A4: app access off or primary
 * device only, worded by the hub as `setting_warnings`), groups Doorlink should not share (M8) and
 * groups or locks gone from Kisi (C4).
 */
import type { DoorAccess } from '../gen/DoorAccess';
import type { KisiDirectory } from '../gen/KisiDirectory';
import type { KisiGroupView } from '../gen/KisiGroupView';
import type { KisiLockView } from '../gen/KisiLockView';

/** Every warning of a group: the directory's own, then the hub's words for its Kisi settings. */
export function groupWarnings(group: KisiGroupView): string[] {
  return [...directoryWarnings(group), ...group.setting_warnings];
}

function directoryWarnings(group: KisiGroupView): string[] {
  const warnings: string[] = [];
  if (group.deleted) warnings.push('Deleted in Kisi ("Group is not found"): pick an existing group.');
  if (group.reader_restriction)
    warnings.push('Kisi Reader restriction: members cannot unlock its doors from Doorlink.');
  if (group.geofence_restriction)
    warnings.push('Bluetooth/geofence restriction: remote unlocks need the person on site.');
  if (group.foreign_members > 0) {
    const who = group.foreign_members === 1 ? '1 member' : `${group.foreign_members} members`;
    warnings.push(`Has ${who} Doorlink did not add: use a group dedicated to Doorlink.`);
  }
  if (!group.deleted && group.lock_ids.length === 0) warnings.push('Has no locks in Kisi: nobody will see a door.');
  return warnings;
}

export function lockWarnings(lock: KisiLockView): string[] {
  const warnings: string[] = [];
  if (lock.reader_restriction) warnings.push('Kisi Reader restriction: it cannot be unlocked from Doorlink.');
  if (lock.geofence_restriction)
    warnings.push('Bluetooth/geofence restriction: remote unlocks need the person on site.');
  return warnings;
}

/**
 * Every warning of a door access, by the name of what it concerns; ids missing from Kisi are
 * orphaned (C4). `restrictionsOnly` leaves out what the hub already reports on a mapping (deleted,
 * orphaned and shared groups, app access off, primary device only) and keeps what only the
 * directory shows (reader, geofence, no locks).
 */
export function doorAccessWarnings(access: DoorAccess, directory: KisiDirectory, restrictionsOnly = false): string[] {
  const warnings: string[] = [];
  for (const id of access.groups) {
    const group = directory.groups.find((g) => g.id === id);
    if (!group || (restrictionsOnly && group.deleted)) {
      if (!restrictionsOnly)
        warnings.push('A group picked here is no longer in Kisi (orphaned): pick an existing group.');
      continue;
    }
    const own = restrictionsOnly
      ? directoryWarnings({ ...group, deleted: false, foreign_members: 0 })
      : directoryWarnings(group);
    warnings.push(...own.map((w) => `${group.name}: ${w}`));
    // The hub's words name the group already, and its mapping warnings carry them too.
    if (!restrictionsOnly) warnings.push(...group.setting_warnings);
  }
  for (const id of access.locks) {
    const lock = directory.locks.find((l) => l.id === id);
    if (!lock) {
      if (!restrictionsOnly)
        warnings.push('A door picked here is no longer in Kisi (orphaned): pick an existing door.');
    } else warnings.push(...lockWarnings(lock).map((w) => `${lock.name}: ${w}`));
  }
  return warnings;
}

/** "Front door group, Server room", or "Not selected". */
export function describeDoorAccess(
  access: DoorAccess | null | undefined,
  directory: KisiDirectory | undefined,
): string {
  if (!access || (access.groups.length === 0 && access.locks.length === 0)) return 'Not selected';
  const names = [
    ...access.groups.map(
      (id) => directory?.groups.find((g) => g.id === id)?.name ?? (directory ? 'a group gone from Kisi' : '…'),
    ),
    ...access.locks.map(
      (id) =>
        `${directory?.locks.find((l) => l.id === id)?.name ?? (directory ? 'a door gone from Kisi' : '…')} (single door)`,
    ),
  ];
  return names.join(', ');
}
