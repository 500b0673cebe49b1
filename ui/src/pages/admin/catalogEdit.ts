/**
 * Editing a plan (M1), resource (M2), product (M4) or visitor policy (M5): the draft the dialog
 * holds, its own checks, and the PATCH body with only what changed.
 */
import type { DoorAccess } from '../../gen/DoorAccess';

/** What the edit dialog shows of any catalog record; `kind` only for resources and products. */
export interface CatalogRecord {
  id: number;
  name: string;
  kind?: string;
  door_access: DoorAccess;
}

export interface CatalogDraft {
  name: string;
  kind: string;
  door_access: DoorAccess;
}

export const draftOf = (record: CatalogRecord): CatalogDraft => ({
  name: record.name,
  kind: record.kind ?? '',
  door_access: record.door_access,
});

export const validateDraft = (draft: CatalogDraft) => ({
  name: draft.name.trim() ? undefined : 'Enter a name.',
});

/** The same groups and locks, whatever their order. */
export function sameDoorAccess(a: DoorAccess, b: DoorAccess): boolean {
  const same = (x: number[], y: number[]) =>
    x.length === y.length && [...x].sort((p, q) => p - q).every((v, i) => v === [...y].sort((p, q) => p - q)[i]);
  return same(a.groups, b.groups) && same(a.locks, b.locks);
}

/** The PATCH's fields: each one that changed, null for the rest (the hub leaves those as they are). */
export interface CatalogChanges {
  name: string | null;
  kind: string | null;
  door_access: DoorAccess | null;
}

/** What the edit changes, so it never rewrites what it did not touch. */
export function changesOf(record: CatalogRecord, draft: CatalogDraft): CatalogChanges {
  return {
    name: draft.name.trim() !== record.name ? draft.name.trim() : null,
    kind: record.kind !== undefined && draft.kind !== record.kind ? draft.kind : null,
    door_access: sameDoorAccess(draft.door_access, record.door_access) ? null : draft.door_access,
  };
}

export const changesNothing = (changes: CatalogChanges) => Object.values(changes).every((value) => value === null);
