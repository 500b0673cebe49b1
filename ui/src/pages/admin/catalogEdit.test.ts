import { describe, expect, it } from 'vitest';
import { changesNothing, changesOf, draftOf, sameDoorAccess, validateDraft } from './catalogEdit';

const none = { name: null, kind: null, door_access: null };

const plan = { id: 1, name: 'Hot desk', door_access: { groups: [3, 5], locks: [] } };
const room = { id: 2, name: 'Meeting Room Elbe', kind: 'room', door_access: { groups: [7], locks: [9] } };

describe('editing a catalog record', () => {
  it('sends nothing when nothing changed', () => {
    expect(changesOf(plan, draftOf(plan))).toEqual(none);
    expect(changesNothing(changesOf(room, draftOf(room)))).toBe(true);
  });

  it('sends a new name trimmed, and only the name', () => {
    expect(changesOf(plan, { ...draftOf(plan), name: '  Flex desk ' })).toEqual({ ...none, name: 'Flex desk' });
  });

  it('sends the kind only for records that have one', () => {
    expect(changesOf(room, { ...draftOf(room), kind: 'office' })).toEqual({ ...none, kind: 'office' });
    expect(changesOf(plan, { ...draftOf(plan), kind: 'office' })).toEqual(none);
  });

  it('sends the door access when a group or lock was added or removed, not when only reordered', () => {
    expect(changesOf(plan, { ...draftOf(plan), door_access: { groups: [5, 3], locks: [] } })).toEqual(none);
    expect(changesOf(plan, { ...draftOf(plan), door_access: { groups: [3], locks: [] } })).toEqual({
      ...none,
      door_access: { groups: [3], locks: [] },
    });
    expect(changesOf(room, { ...draftOf(room), door_access: { groups: [7], locks: [] } })).toEqual({
      ...none,
      door_access: { groups: [7], locks: [] },
    });
  });

  it('treats "Not selected" as a door access of its own', () => {
    expect(sameDoorAccess({ groups: [], locks: [] }, { groups: [], locks: [] })).toBe(true);
    expect(sameDoorAccess({ groups: [], locks: [] }, { groups: [1], locks: [] })).toBe(false);
  });

  it('asks for a name', () => {
    expect(validateDraft({ ...draftOf(plan), name: '   ' })).toEqual({ name: 'Enter a name.' });
    expect(validateDraft(draftOf(plan))).toEqual({ name: undefined });
  });
});
