/**
 * Picks one or several people (booker, invitees, company members) by name or e-mail, searched by
 * the hub as you type. When no one matches, the person can be added on the spot and picked.
 * The app's one person picker; only the front desk picks people, so it lives there.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import { useApi } from '../../api/context';
import { useAction } from '../../api/hooks';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useForm } from '../../components/useForm';
import type { PersonView } from '../../gen/PersonView';
import { draftFromSearch, noMatch, validatePerson, type NewPerson } from './newPerson';
import { usePeopleFinder } from './usePeopleFinder';

/** How many matches a picker lists; picking is typing, not scrolling. */
const SHOWN = 8;

export function PersonFinder({
  label,
  picked,
  onPick,
  onRemove,
  multiple = false,
  problem,
}: {
  label: string;
  picked: PersonView[];
  onPick: (person: PersonView) => void;
  onRemove: (person: PersonView) => void;
  multiple?: boolean;
  problem?: string | undefined;
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [adding, setAdding] = useState<NewPerson>();
  const typed = query.trim() !== '';
  const search = usePeopleFinder(query, { limit: SHOWN + picked.length, everyoneWhenEmpty: false });
  const canPick = multiple || picked.length === 0;
  const results = typed
    ? (search.data?.items ?? []).filter((p) => !picked.some((x) => x.id === p.id)).slice(0, SHOWN)
    : [];
  const nobody = typed && search.searched === query.trim() && search.data?.total === 0;
  const pick = (person: PersonView) => {
    onPick(person);
    setQuery('');
    setAdding(undefined);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {picked.length > 0 && (
        <ul className="row" aria-label={`${label}: picked`} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {picked.map((person) => (
            <li key={person.id} className="badge" data-tone="neutral">
              {person.name}{' '}
              <button
                type="button"
                className="button"
                data-variant="ghost"
                data-size="small"
                aria-label={`Remove ${person.name}`}
                onClick={() => onRemove(person)}
              >
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
            aria-describedby={`${id}-status${problem ? ` ${id}-problem` : ''}`}
            autoComplete="off"
          />
          <span className="hint" id={`${id}-status`} role="status">
            {typed && search.searching ? 'Searching…' : nobody ? `${noMatch(query)}.` : ''}
          </span>
          {search.error && <Notice tone="danger">{search.error.message}</Notice>}
          {results.length > 0 && (
            <ul className="list" aria-label={`Matches for ${label}`} aria-busy={search.searching}>
              {results.map((person) => (
                <li key={person.id}>
                  <Button variant="ghost" className="list-item" onClick={() => pick(person)}>
                    {person.name} <span className="muted">{person.email}</span>
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {nobody && !adding && (
            <div className="row">
              <Button size="small" onClick={() => setAdding(draftFromSearch(query))}>
                Add person
              </Button>
            </div>
          )}
          {adding && <AddAndPick draft={adding} label={label} onPicked={pick} onCancel={() => setAdding(undefined)} />}
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

/**
 * The new person's name and e-mail inside the surrounding form: a group, not a nested `<form>`,
 * so Enter adds the person instead of submitting the booking.
 */
function AddAndPick({
  draft,
  label,
  onPicked,
  onCancel,
}: {
  draft: NewPerson;
  label: string;
  onPicked: (p: PersonView) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const form = useForm<NewPerson>(draft, validatePerson);
  const [failure, setFailure] = useState<string>();
  const create = useAction(api.people.create, {
    done: (p) => `${p.name} added`,
    invalidates: ['people'],
    quiet: true,
    onDone: onPicked,
  });
  const add = () => {
    if (!form.touchAll()) return;
    setFailure(undefined);
    create.mutate(
      { name: form.values.name.trim(), email: form.values.email.trim() },
      { onError: (error) => setFailure(form.takeServerError(error)) },
    );
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    add();
  };
  return (
    <div className="card form" role="group" aria-label={`New person for ${label}`} onKeyDown={onKeyDown}>
      {failure && <Notice tone="danger">{failure}</Notice>}
      <TextField
        label="Name"
        value={form.values.name}
        onChange={(e) => form.set('name', e.target.value)}
        problem={form.problem('name')}
        autoFocus={!draft.name}
      />
      <TextField
        label="E-mail"
        type="email"
        value={form.values.email}
        onChange={(e) => form.set('email', e.target.value)}
        problem={form.problem('email')}
        autoFocus={Boolean(draft.name)}
      />
      <div className="row">
        <Button variant="primary" busy={create.isPending} onClick={add}>
          Add and pick
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </div>
  );
}
