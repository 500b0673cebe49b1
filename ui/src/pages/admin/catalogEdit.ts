/**
 * Editing a plan (M1), resource (M2), product (M4) or visitor policy (M5): the draft the dialog
 * holds, its own checks, and the PATCH body with only what changed.
 */
import type { DoorAccess } from '../../gen/DoorAccess';

/** What the edit dialog shows of any catalogue record; `kind` only for resources and products. */
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
  const same = (x: number[], y: number[]) => x.length === y.length && [...x].sort((p, q) => p - q).every((v, i) => v === [...y].sort((p, q) => p - q)[i]);
  return same(a.groups, b.groups) && same(a.locks, b.locks);
}

/** The fields of the PATCH: only those that changed, so an edit never rewrites what it did not touch. */
export function changesOf(record: CatalogRecord, draft: CatalogDraft): { name?: string; kind?: string; door_access?: DoorAccess } {
  const changes: { name?: string; kind?: string; door_access?: DoorAccess } = {};
  if (draft.name.trim() !== record.name) changes.name = draft.name.trim();
  if (record.kind !== undefined && draft.kind !== record.kind) changes.kind = draft.kind;
  if (!sameDoorAccess(draft.door_access, record.door_access)) changes.door_access = draft.door_access;
  return changes;
}
