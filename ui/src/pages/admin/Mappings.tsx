/**
 * Door-access mappings: which Kisi groups and doors plans (M1), resources (M2), products (M4) and
 * visitor policies (M5) grant, with warnings for restricted, shared or orphaned groups (M8, C4).
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { useAction, useKisiDirectory, usePlans, useProducts, useResources, useVisitorPolicies } from '../../api/hooks';
import { queryKeys } from '../../api/queries';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { describeDoorAccess, doorAccessWarnings } from '../../components/doorAccessWarnings';
import { EditCatalogRecord, type CatalogFamily } from './EditCatalogRecord';
import { SelectField, TextField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { Table } from '../../components/Table';
import type { DoorAccess } from '../../gen/DoorAccess';
import type { KisiDirectory } from '../../gen/KisiDirectory';
import type { LocationView } from '../../gen/LocationView';
import type { MappingView } from '../../gen/MappingView';
import { RuleText } from '../../components/RuleText';

type Family = CatalogFamily;

/** How each family is named on the page and in the hub's mapping list. */
const FAMILIES: {
  family: Family;
  title: string;
  singular: string;
  mappingKind: string;
  kinds?: { value: string; label: string }[];
}[] = [
  { family: 'plans', title: 'Plans', singular: 'plan', mappingKind: 'plan' },
  {
    family: 'resources',
    title: 'Resources',
    singular: 'resource',
    mappingKind: 'resource',
    kinds: ['room', 'desk', 'office', 'equipment', 'parking'].map((k) => ({
      value: k,
      label: k[0]?.toUpperCase() + k.slice(1),
    })),
  },
  {
    family: 'products',
    title: 'Day passes and services',
    singular: 'product',
    mappingKind: 'product',
    kinds: [
      { value: 'day_pass', label: 'Day pass' },
      { value: 'service', label: 'Service' },
    ],
  },
  { family: 'visitorPolicies', title: 'Visitor policies', singular: 'visitor policy', mappingKind: 'visitor_policy' },
];

interface Row {
  id: number;
  name: string;
  kind?: string;
  door_access: DoorAccess;
}

export function Mappings({ location }: { location: LocationView }) {
  const api = useApi();
  const directory = useKisiDirectory(location.id);
  const mappings = useQuery({
    queryKey: queryKeys.mappings(location.id),
    queryFn: () => api.kisi.mappings(location.id),
  });
  const lists: Record<Family, { data?: Row[]; isPending: boolean }> = {
    plans: usePlans(location.id),
    resources: useResources(location.id),
    products: useProducts(location.id),
    visitorPolicies: useVisitorPolicies(location.id),
  };
  if (directory.isPending) return <Loading what="Kisi groups and locks" />;
  if (directory.error) return <Notice tone="danger">{describeError(directory.error)}</Notice>;
  return (
    <div className="stack">
      {mappings.error && <Notice tone="danger">{describeError(mappings.error)}</Notice>}
      {FAMILIES.map(({ family, title, singular, mappingKind, kinds }) => (
        <FamilyCard
          key={family}
          family={family}
          title={title}
          singular={singular}
          kinds={kinds}
          location={location}
          directory={directory.data}
          rows={lists[family].data}
          mappings={(mappings.data ?? []).filter((m) => m.kind === mappingKind)}
        />
      ))}
    </div>
  );
}

function FamilyCard({
  family,
  title,
  singular,
  kinds,
  location,
  directory,
  rows,
  mappings,
}: {
  family: Family;
  title: string;
  singular: string;
  kinds?: { value: string; label: string }[];
  location: LocationView;
  directory: KisiDirectory;
  rows: Row[] | undefined;
  mappings: MappingView[];
}) {
  const [editing, setEditing] = useState<{ row: Row; only?: 'door_access' }>();
  return (
    <Card title={title} labelId={`mappings-${family}`}>
      <div className="stack">
        {!rows ? (
          <Loading what={title.toLowerCase()} />
        ) : (
          <Table<Row>
            caption={`${title} and their door access`}
            rows={rows}
            rowKey={(r) => r.id}
            empty={`No ${title.toLowerCase()} yet.`}
            columns={[
              { header: 'Name', cell: (r) => <strong>{r.name}</strong> },
              ...(kinds
                ? [{ header: 'Kind', cell: (r: Row) => kinds.find((k) => k.value === r.kind)?.label ?? r.kind }]
                : []),
              { header: 'Door access', cell: (r) => describeDoorAccess(r.door_access, directory) },
              {
                header: 'Warnings',
                cell: (r) => {
                  const warnings = [
                    ...(mappings.find((m) => m.id === r.id)?.warnings ?? []),
                    ...doorAccessWarnings(r.door_access, directory, true),
                  ];
                  return warnings.length === 0 ? (
                    '—'
                  ) : (
                    <ul className="problem" style={{ margin: 0, paddingLeft: '1em' }}>
                      {warnings.map((w) => (
                        <li key={w}>
                          <RuleText text={w} />
                        </li>
                      ))}
                    </ul>
                  );
                },
              },
              {
                header: 'Actions',
                hideHeader: true,
                cell: (r) => (
                  <span className="row">
                    <Button
                      size="small"
                      onClick={() => setEditing({ row: r, only: 'door_access' })}
                      aria-label={`Edit door access of ${r.name}`}
                    >
                      Door access…
                    </Button>
                    <Button
                      size="small"
                      onClick={() => setEditing({ row: r })}
                      aria-label={`Edit ${singular} ${r.name}`}
                    >
                      Edit…
                    </Button>
                  </span>
                ),
              },
            ]}
          />
        )}
        <NewRecordForm family={family} singular={singular} kinds={kinds} location={location} />
      </div>
      {editing && (
        <EditCatalogRecord
          key={`${editing.row.id}-${editing.only ?? 'all'}`}
          family={family}
          singular={singular}
          kinds={kinds}
          record={editing.row}
          directory={directory}
          only={editing.only}
          onClose={() => setEditing(undefined)}
        />
      )}
    </Card>
  );
}

function NewRecordForm({
  family,
  singular,
  kinds,
  location,
}: {
  family: Family;
  singular: string;
  kinds?: { value: string; label: string }[];
  location: LocationView;
}) {
  const api = useApi();
  const [name, setName] = useState('');
  const [kind, setKind] = useState(kinds?.[0]?.value ?? '');
  const [problem, setProblem] = useState<string>();
  const create = useAction(
    () => {
      const base = { location_id: location.id, name: name.trim(), door_access: { groups: [], locks: [] } };
      switch (family) {
        case 'plans':
          return api.catalog.plans.create(base);
        case 'resources':
          return api.catalog.resources.create({ ...base, kind: kind as 'room' });
        case 'products':
          return api.catalog.products.create({ ...base, kind: kind as 'day_pass' });
        case 'visitorPolicies':
          return api.catalog.visitorPolicies.create(base);
      }
    },
    { done: (r: Row) => `${r.name} added`, invalidates: ['catalog', 'mappings'], onDone: () => setName('') },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setProblem('Enter a name.');
      return;
    }
    setProblem(undefined);
    create.mutate(undefined);
  };
  return (
    <form className="form-row" onSubmit={submit} noValidate aria-label={`Add a ${singular}`}>
      <TextField
        label={`New ${singular}`}
        placeholder="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        problem={problem}
      />
      {kinds && <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value)} options={kinds} />}
      <div className="field" style={{ justifyContent: 'flex-end', alignItems: 'flex-start' }}>
        <Button type="submit" busy={create.isPending}>
          Add {singular}
        </Button>
      </div>
    </form>
  );
}
