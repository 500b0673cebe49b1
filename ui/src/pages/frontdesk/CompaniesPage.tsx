/** Companies, their members (R5) and their subscriptions. */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { NavLink, useParams } from 'react-router';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { useAction, useCompanies } from '../../api/hooks';
import { queryKeys } from '../../api/queries';
import { useCurrentLocation } from '../../app/location';
import { Button } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { TextField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { PersonFinder } from './PersonFinder';
import { Loading } from '../../components/Progress';
import { Table } from '../../components/Table';
import { useForm } from '../../components/useForm';
import type { CompanyView } from '../../gen/CompanyView';
import { formatTimestamp } from '../../time/format';
import { Subscriptions } from './person/Subscriptions';
import { PersonName } from './PersonName';

export function CompaniesPage() {
  const { companyId } = useParams();
  const companies = useCompanies();
  const company = companies.data?.find((c) => c.id === Number(companyId));
  return (
    <>
      <PageHeader title="Companies" />
      <div className="split">
        <aside className="stack" aria-label="Companies">
          <NewCompanyForm />
          {companies.isPending && <Loading what="companies" />}
          {companies.error && <Notice tone="danger">{describeError(companies.error)}</Notice>}
          <ul className="list">
            {companies.data?.map((c) => (
              <li key={c.id}>
                <NavLink to={`/desk/companies/${c.id}`}>{c.name}</NavLink>
              </li>
            ))}
          </ul>
        </aside>
        <div>{company ? <CompanyDetail company={company} /> : <p className="muted">Pick a company.</p>}</div>
      </div>
    </>
  );
}

function NewCompanyForm() {
  const api = useApi();
  const form = useForm({ name: '' }, (v) => ({ name: v.name.trim() ? undefined : 'Enter the company name.' }));
  const [failure, setFailure] = useState<string>();
  const create = useAction(api.companies.create, {
    done: (c) => `${c.name} added`,
    invalidates: ['companies'],
    quiet: true,
    onDone: () => form.reset(),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    create.mutate({ name: form.values.name.trim() }, { onError: (error) => setFailure(form.takeServerError(error)) });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New company">
      {failure && <Notice tone="danger">{failure}</Notice>}
      <TextField
        label="New company"
        value={form.values.name}
        onChange={(e) => form.set('name', e.target.value)}
        problem={form.problem('name')}
      />
      <Button type="submit" busy={create.isPending}>
        Add company
      </Button>
    </form>
  );
}

function CompanyDetail({ company }: { company: CompanyView }) {
  const api = useApi();
  const { location } = useCurrentLocation();
  const zone = location?.time_zone ?? 'UTC';
  const members = useQuery({
    queryKey: queryKeys.companyMembers(company.id),
    queryFn: () => api.companies.members(company.id),
  });
  const invalidates = ['companies', 'people', 'access'];
  const add = useAction(
    (personId: number) => api.companies.addMember(company.id, { person_id: personId, joined_at: null }),
    {
      done: 'Member added; they have the company’s access now',
      invalidates,
    },
  );
  const remove = useAction((personId: number) => api.companies.removeMember(company.id, personId), {
    done: 'Member removed; their company access is revoked',
    invalidates,
  });
  const current = (members.data ?? []).filter((m) => !m.left_at);
  return (
    <article className="stack" aria-labelledby="company-name">
      <h2 id="company-name">{company.name}</h2>
      <Card title="Members" labelId="company-members">
        <div className="stack">
          {members.error && <Notice tone="danger">{describeError(members.error)}</Notice>}
          <Table
            caption="Current members"
            rows={current}
            rowKey={(m) => m.person_id}
            empty="No members yet."
            columns={[
              { header: 'Person', cell: (m) => <PersonName id={m.person_id} /> },
              { header: 'Joined', cell: (m) => formatTimestamp(m.joined_at, zone) },
              {
                header: 'Actions',
                hideHeader: true,
                cell: (m) => (
                  <Button size="small" onClick={() => remove.mutate(m.person_id)}>
                    Remove
                  </Button>
                ),
              },
            ]}
          />
          <PersonFinder label="Add a member" picked={[]} onPick={(p) => add.mutate(p.id)} onRemove={() => undefined} />
        </div>
      </Card>
      <h3>Subscriptions</h3>
      <Subscriptions holder={{ kind: 'company', id: company.id }} />
    </article>
  );
}
