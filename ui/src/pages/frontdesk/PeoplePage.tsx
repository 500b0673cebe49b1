/** The front desk's people: find a person fast, then their page. */
import { useState, type FormEvent } from 'react';
import { NavLink, useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/context';
import { useAction, usePeopleSearch } from '../../api/hooks';
import { Button } from '../../components/Button';
import { PageHeader } from '../../components/Card';
import { TextField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useForm } from '../../components/useForm';
import { ImportPeople } from './ImportPeople';
import { PersonDetail } from './person/PersonDetail';

/** How many matches the list shows; finding someone is typing, not scrolling. */
const SHOWN = 50;

export function PeoplePage() {
  const { personId } = useParams();
  const [query, setQuery] = useState('');
  const search = usePeopleSearch(query);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);

  return (
    <>
      <PageHeader
        title="People"
        actions={
          <>
            <Button onClick={() => setImporting((a) => !a)}>{importing ? 'Close import' : 'Import…'}</Button>
            <Button onClick={() => setAdding((a) => !a)}>{adding ? 'Close' : 'New person'}</Button>
          </>
        }
      />
      {importing && <ImportPeople />}
      {/* On a narrow window the list gives way to the person picked, until a new search. */}
      <div className="split" data-collapse-list={Boolean(personId) && !query.trim()}>
        <aside className="stack" aria-label="People search">
          {adding && <NewPersonForm onDone={() => setAdding(false)} />}
          <div className="field">
            <label htmlFor="people-search">Find a person</label>
            <input
              id="people-search"
              type="search"
              placeholder="Name or e-mail"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              autoFocus
              autoComplete="off"
            />
            <span className="hint" role="status">
              {search.data ? `${search.data.total} ${search.data.total === 1 ? 'person' : 'people'}` : 'Searching…'}
            </span>
          </div>
          <ul className="list" aria-label="People found">
            {search.data?.items.slice(0, SHOWN).map((person) => (
              <li key={person.id}>
                <NavLink to={`/desk/people/${person.id}`}>
                  {person.name}
                  <br />
                  <span className="muted">{person.email}</span>
                </NavLink>
              </li>
            ))}
          </ul>
          {(search.data?.items.length ?? 0) > SHOWN && <p className="muted">Showing the first {SHOWN}: type more of the name or e-mail.</p>}
        </aside>
        <div>{personId ? <PersonDetail personId={Number(personId)} /> : <p className="muted">Pick a person to see their access.</p>}</div>
      </div>
    </>
  );
}

interface NewPerson {
  name: string;
  email: string;
}

const validatePerson = (v: NewPerson) => ({
  name: v.name.trim() ? undefined : 'Enter the person’s name.',
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.email.trim()) ? undefined : 'Enter an e-mail address like ana@example.com.',
});

function NewPersonForm({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const navigate = useNavigate();
  const form = useForm<NewPerson>({ name: '', email: '' }, validatePerson);
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
      <TextField label="Name" value={form.values.name} onChange={(e) => form.set('name', e.target.value)} problem={form.problem('name')} />
      <TextField label="E-mail" type="email" value={form.values.email} onChange={(e) => form.set('email', e.target.value)} problem={form.problem('email')} />
      <Button type="submit" variant="primary" busy={create.isPending}>
        Add person
      </Button>
    </form>
  );
}
