/**
 * Finds people by name or e-mail and picks one or several (booker, invitees, company members).
 */
import { useId, useState } from 'react';
import { usePeopleSearch } from '../api/hooks';
import type { PersonView } from '../gen/PersonView';
import { Button } from './Button';

export function PersonPicker({ label, picked, onPick, onRemove, multiple = false, problem }: {
  label: string;
  picked: PersonView[];
  onPick: (person: PersonView) => void;
  onRemove: (person: PersonView) => void;
  multiple?: boolean;
  problem?: string | undefined;
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const search = usePeopleSearch(query);
  const canPick = multiple || picked.length === 0;
  const results = (query.trim() ? (search.data?.items ?? []) : []).filter((p) => !picked.some((x) => x.id === p.id));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {picked.length > 0 && (
        <ul className="row" aria-label={`${label}: picked`} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {picked.map((person) => (
            <li key={person.id} className="badge" data-tone="neutral">
              {person.name}{' '}
              <button type="button" className="button" data-variant="ghost" data-size="small" aria-label={`Remove ${person.name}`} onClick={() => onRemove(person)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {canPick && (
        <>
          <input
            id={id}
            type="search"
            placeholder="Name or e-mail"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            aria-invalid={Boolean(problem)}
            aria-describedby={problem ? `${id}-problem` : undefined}
            autoComplete="off"
          />
          {results.length > 0 && (
            <ul className="list" aria-label={`Matches for ${label}`}>
              {results.slice(0, 8).map((person) => (
                <li key={person.id}>
                  <Button
                    variant="ghost"
                    className="list-item"
                    onClick={() => {
                      onPick(person);
                      setQuery('');
                    }}
                  >
                    {person.name} <span className="muted">{person.email}</span>
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {problem && (
        <span className="problem" id={`${id}-problem`} role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
