/**
 * The front desk's people at the current location: find a person fast (Enter opens a single
 * match), see each one's plans and hold, keep only members, people on no plan or people on hold,
 * then their page.
 */
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { NavLink, useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { peopleKeys } from '../../api/families/people';
import { useAction } from '../../api/hooks';
import { useCurrentLocation } from '../../app/location';
import { Button } from '../../components/Button';
import { PageHeader } from '../../components/Card';
import { SelectField, TextField } from '../../components/Field';
import { Badge, Notice } from '../../components/Notice';
import { useForm } from '../../components/useForm';
import type { StandingFilter } from '../../gen/StandingFilter';
import { ImportPeople } from './ImportPeople';
import { draftFromSearch, noMatch, validatePerson, type NewPerson } from './newPerson';
import { PersonDetail } from './person/PersonDetail';
import { useTypedSearch } from './usePeopleFinder';

/** How many matches the list shows; finding someone is typing, not scrolling. */
const SHOWN = 50;

const STANDINGS: { value: StandingFilter | ''; label: string }[] = [
  { value: '', label: 'Everybody' },
  { value: 'members', label: 'Members (on a plan)' },
  { value: 'no_plan', label: 'On no plan' },
  { value: 'on_hold', label: 'Door access on hold' },
];

/** The location's people whose name or e-mail contains `query`, kept by `standing`. */
function useLocationPeople(query: string, standing: StandingFilter | null) {
  const api = useApi();
  const { location } = useCurrentLocation();
  const locationId = location?.id ?? 0;
  return useTypedSearch(query, (settled) => ({
    queryKey: peopleKeys.atLocation(locationId, settled, standing, SHOWN),
    queryFn: () => api.people.atLocation(locationId, settled, standing, 0, SHOWN),
    enabled: location !== undefined,
  }));
}

export function PeoplePage() {
  const { personId } = useParams();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [standing, setStanding] = useState<StandingFilter | ''>('');
  const search = useLocationPeople(query, standing === '' ? null : standing);
  // The new-person form, filled with what the search already says about them.
  const [adding, setAdding] = useState<NewPerson>();
  const [importing, setImporting] = useState(false);
  const total = search.data?.total ?? 0;
  // Offer to add whoever the search names, unless a filter hides people who exist.
  const nobody = standing === '' && query.trim() !== '' && search.searched === query.trim() && total === 0;

  return (
    <>
      <PageHeader
        title="People"
        actions={
          <>
            <Button onClick={() => setImporting((a) => !a)}>{importing ? 'Close import' : 'Import…'}</Button>
            <Button onClick={() => setAdding((a) => (a ? undefined : { name: '', email: '' }))}>
              {adding ? 'Close' : 'New person'}
            </Button>
          </>
        }
      />
      {importing && <ImportPeople />}
      {/* On a narrow window the list gives way to the person picked, until a new search. */}
      <div className="split" data-collapse-list={Boolean(personId) && !query.trim()}>
        <aside className="stack" aria-label="People search">
          {adding && (
            <NewPersonForm
              key={`${adding.name}|${adding.email}`}
              initial={adding}
              onDone={() => setAdding(undefined)}
            />
          )}
          <div className="field">
            <label htmlFor="people-search">Find a person</label>
            <input
              id="people-search"
              type="search"
              placeholder="Name or e-mail"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
                // Enter opens the one person found.
                const only = search.data?.items.length === 1 && !search.searching ? search.data.items[0] : undefined;
                if (e.key === 'Enter' && only) void navigate(`/desk/people/${only.id}`);
              }}
              autoFocus
              autoComplete="off"
            />
            <span className="hint" role="status">
              {search.searching || !search.data ? 'Searching…' : `${total} ${total === 1 ? 'person' : 'people'}`}
            </span>
          </div>
          <SelectField
            label="Show"
            value={standing}
            options={STANDINGS}
            onChange={(e) => setStanding(e.target.value as StandingFilter | '')}
          />
          {search.error && <Notice tone="danger">{describeError(search.error)}</Notice>}
          {nobody && (
            <div className="stack">
              <p>{noMatch(query)}.</p>
              <div className="row">
                <Button onClick={() => setAdding(draftFromSearch(query))}>Add person</Button>
              </div>
            </div>
          )}
          <ul className="list" aria-label="People found" aria-busy={search.searching}>
            {search.data?.items.map((person) => (
              <li key={person.id}>
                <NavLink to={`/desk/people/${person.id}`}>
                  {person.name}
                  <br />
                  <span className="muted">{person.email}</span>
                  <br />
                  <span className="muted">{person.plans.length > 0 ? person.plans.join(', ') : 'No plan'}</span>
                  {person.on_hold_since !== null && (
                    <>
                      {' '}
                      <Badge tone="warning">On hold</Badge>
                    </>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
          {total > SHOWN && (
            <p className="muted">
              Showing the first {SHOWN} of {total}: type more of the name or e-mail.
            </p>
          )}
        </aside>
        <div>
          {personId ? (
            <PersonDetail personId={Number(personId)} />
          ) : (
            <p className="muted">Pick a person to see their access.</p>
          )}
        </div>
      </div>
    </>
  );
}

function NewPersonForm({ initial, onDone }: { initial: NewPerson; onDone: () => void }) {
  const api = useApi();
  const navigate = useNavigate();
  const form = useForm<NewPerson>(initial, validatePerson);
  const [failure, setFailure] = useState<string>();
  const create = useAction(api.people.create, {
    done: (p) => `${p.name} added`,
    invalidates: ['people'],
    quiet: true,
    onDone: (person) => {
      onDone();
      void navigate(`/desk/people/${person.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setFailure(undefined);
    create.mutate(
      { name: form.values.name.trim(), email: form.values.email.trim() },
      { onError: (error) => setFailure(form.takeServerError(error)) },
    );
  };
  return (
    <form className="card form" onSubmit={submit} noValidate aria-label="New person">
      {failure && <Notice tone="danger">{failure}</Notice>}
      <TextField
        label="Name"
        value={form.values.name}
        onChange={(e) => form.set('name', e.target.value)}
        problem={form.problem('name')}
      />
      <TextField
        label="E-mail"
        type="email"
        value={form.values.email}
        onChange={(e) => form.set('email', e.target.value)}
        problem={form.problem('email')}
      />
      <Button type="submit" variant="primary" busy={create.isPending}>
        Add person
      </Button>
    </form>
  );
}
