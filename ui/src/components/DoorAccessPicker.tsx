/**
 * Picks Kisi groups and/or single locks for a door access (M7), with the warnings of each choice
 * next to it. Nothing picked is "Not selected".
 */
import { useId } from 'react';
import type { DoorAccess } from '../gen/DoorAccess';
import type { KisiCatalogue } from '../gen/KisiCatalogue';
import { groupWarnings, lockWarnings } from './doorAccessWarnings';
import { Badge } from './Notice';

const toggle = (ids: number[], id: number) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]);

export function DoorAccessPicker({ catalogue, value, onChange, legend = 'Door access' }: {
  catalogue: KisiCatalogue;
  value: DoorAccess;
  onChange: (value: DoorAccess) => void;
  legend?: string;
}) {
  const id = useId();
  const nothing = value.groups.length === 0 && value.locks.length === 0;
  return (
    <fieldset className="field">
      <legend>{legend}</legend>
      <p className="hint">{nothing ? 'Not selected.' : 'Grants the doors of every group and single door picked.'}</p>
      {catalogue.groups.length === 0 && catalogue.locks.length === 0 && (
        <p className="muted">Doorlink has not read any group or lock from Kisi yet: connect Kisi and run a sync.</p>
      )}
      {catalogue.groups.length > 0 && <strong>Groups</strong>}
      {catalogue.groups.map((group) => {
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
              {group.name} <span className="muted">({group.lock_ids.length} locks)</span>
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
      {catalogue.locks.length > 0 && <strong>Single doors</strong>}
      {catalogue.locks.map((lock) => {
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
    </fieldset>
  );
}
