/** The companies a person belongs to (R5): joining gives the company's access at once, leaving removes it. */
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useAction, useCompanies } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation } from '../../../app/location';
import { Button } from '../../../components/Button';
import { SelectField } from '../../../components/Field';
import { Notice } from '../../../components/Notice';
import { Table } from '../../../components/Table';
import type { PersonView } from '../../../gen/PersonView';
import { formatTimestamp } from '../../../time/format';

const invalidates = ['people', 'companies', 'access'];

export function Memberships({ person }: { person: PersonView }) {
  const api = useApi();
  const { location } = useCurrentLocation();
  const zone = location?.time_zone ?? 'UTC';
  const companies = useCompanies();
  // The hub lists members per company; a space has few companies, so ask each (cached, shared
  // with the companies page).
  const perCompany = useQueries({
    queries: (companies.data ?? []).map((company) => ({
      queryKey: queryKeys.companyMembers(company.id),
      queryFn: () => api.companies.members(company.id),
    })),
  });
  const memberships = {
    data: perCompany.flatMap((q) => q.data ?? []).filter((m) => m.person_id === person.id),
    error: perCompany.find((q) => q.error)?.error ?? companies.error,
  };
  const [companyId, setCompanyId] = useState('');
  const add = useAction((id: number) => api.companies.addMember(id, { person_id: person.id, joined_at: null }), {
    done: 'Added to the company',
    invalidates,
  });
  const remove = useAction((id: number) => api.companies.removeMember(id, person.id), {
    done: 'Removed from the company',
    invalidates,
  });
  const current = (memberships.data ?? []).filter((m) => !m.left_at);
  const others = (companies.data ?? []).filter((c) => !current.some((m) => m.company_id === c.id));
  const chosen = companyId || String(others[0]?.id ?? '');
  const name = (id: number) => companies.data?.find((c) => c.id === id)?.name ?? '…';
  return (
    <div className="stack">
      {memberships.error && <Notice tone="danger">{describeError(memberships.error)}</Notice>}
      <Table
        caption="Companies"
        rows={memberships.data ?? []}
        rowKey={(m) => `${m.company_id}-${m.joined_at}`}
        empty={`${person.name} is in no company.`}
        columns={[
          { header: 'Company', cell: (m) => <Link to={`/desk/companies/${m.company_id}`}>{name(m.company_id)}</Link> },
          { header: 'Joined', cell: (m) => formatTimestamp(m.joined_at, zone) },
          { header: 'Left', cell: (m) => (m.left_at ? formatTimestamp(m.left_at, zone) : '—') },
          {
            header: 'Actions',
            hideHeader: true,
            cell: (m) =>
              m.left_at ? null : (
                <Button size="small" onClick={() => remove.mutate(m.company_id)}>
                  Remove
                </Button>
              ),
          },
        ]}
      />
      {others.length > 0 && (
        <div className="form-row">
          <SelectField
            label="Add to company"
            value={chosen}
            onChange={(e) => setCompanyId(e.target.value)}
            options={others.map((c) => ({ value: String(c.id), label: c.name }))}
          />
          <Button onClick={() => add.mutate(Number(chosen))} busy={add.isPending}>
            Add
          </Button>
        </div>
      )}
    </div>
  );
}
