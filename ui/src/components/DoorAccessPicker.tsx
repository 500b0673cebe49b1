/**
 * Picks Kisi groups and/or single locks for a door access (M7), with the warnings of each choice
 * next to it. What is picked is said first ("Not selected." when nothing); a long directory gets a
 * filter and scrolls in a bounded box instead of pushing the form's fields off the screen.
 */
import { useId, useState } from 'react';
import type { DoorAccess } from '../gen/DoorAccess';
import type { KisiDirectory } from '../gen/KisiDirectory';
import { describeDoorAccess, groupWarnings, lockWarnings } from './doorAccessWarnings';
import { Badge } from './Notice';

const toggle = (ids: number[], id: number) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]);

/** More choices than this get a filter. */
const FILTER_FROM = 8;

export const lockCount = (count: number) => `${count} ${count === 1 ? 'lock' : 'locks'}`;

export function DoorAccessPicker({
  directory,
  value,
  onChange,
  legend = 'Door access',
}: {
  directory: KisiDirectory;
  value: DoorAccess;
  onChange: (value: DoorAccess) => void;
  legend?: string;
}) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const nothing = value.groups.length === 0 && value.locks.length === 0;
  const wanted = filter.trim().toLowerCase();
  // A picked choice stays listed whatever the filter, so it can be unpicked where it is seen.
  const shown = <T extends { id: number; name: string }>(items: T[], picked: number[]) =>
    items.filter((item) => !wanted || item.name.toLowerCase().includes(wanted) || picked.includes(item.id));
  const groups = shown(directory.groups, value.groups);
  const locks = shown(directory.locks, value.locks);
  const choices = directory.groups.length + directory.locks.length;
  return (
    <fieldset className="field door-access-picker">
      <legend>{legend}</legend>
      <p className="hint" id={`${id}-chosen`} aria-live="polite">
        {nothing ? 'Not selected.' : `Grants ${describeDoorAccess(value, directory)}.`}
      </p>
      {choices === 0 && (
        <p className="muted">Doorlink has not read any group or lock from Kisi yet: connect Kisi and run a sync.</p>
      )}
      {choices >= FILTER_FROM && (
        <input
          type="search"
          className="door-access-filter"
          aria-label={`Find in ${legend.toLowerCase()}`}
          placeholder="Find a group or door"
          maxLength={100}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      <div className="door-access-choices">
        {groups.length > 0 && <strong>Groups</strong>}
        {groups.map((group) => {
          const warnings = groupWarnings(group);
          return (
            <div key={`g${group.id}`} className="check">
              <input
                type="checkbox"
                id={`${id}-g${group.id}`}
                checked={value.groups.includes(group.id)}
                onChange={() => onChange({ ...value, groups: toggle(value.groups, group.id) })}
                aria-describedby={warnings.length ? `${id}-gw${group.id}` : undefined}
              />
              <label htmlFor={`${id}-g${group.id}`}>
                {group.name} <span className="muted">({lockCount(group.lock_ids.length)})</span>
              </label>
              {warnings.length > 0 && (
                <span id={`${id}-gw${group.id}`} className="row">
                  {warnings.map((w) => (
                    <Badge key={w} tone={group.deleted ? 'danger' : 'warning'}>
                      {w}
                    </Badge>
                  ))}
                </span>
              )}
            </div>
          );
        })}
        {locks.length > 0 && <strong>Single doors</strong>}
        {locks.map((lock) => {
          const warnings = lockWarnings(lock);
          return (
            <div key={`l${lock.id}`} className="check">
              <input
                type="checkbox"
                id={`${id}-l${lock.id}`}
                checked={value.locks.includes(lock.id)}
                onChange={() => onChange({ ...value, locks: toggle(value.locks, lock.id) })}
                aria-describedby={warnings.length ? `${id}-lw${lock.id}` : undefined}
              />
              <label htmlFor={`${id}-l${lock.id}`}>{lock.name}</label>
              {warnings.length > 0 && (
                <span id={`${id}-lw${lock.id}`} className="row">
                  {warnings.map((w) => (
                    <Badge key={w} tone="warning">
                      {w}
                    </Badge>
                  ))}
                </span>
              )}
            </div>
          );
        })}
        {choices > 0 && groups.length + locks.length === 0 && (
          <p className="muted">No group or door is named like “{filter.trim()}”.</p>
        )}
      </div>
    </fieldset>
  );
}
