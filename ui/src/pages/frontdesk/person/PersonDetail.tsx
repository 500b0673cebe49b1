/** A person's page: their access now and ahead, and everything that gives it, tab by tab. */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/context';
import { usePerson } from '../../../api/hooks';
import { describeError } from '../../../api/errors';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation } from '../../../app/location';
import { Badge, Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { PersonAccess } from './PersonAccess';
import { PersonAttendance } from './PersonAttendance';
import { PersonLedger } from './PersonLedger';
import { KisiAccount } from './KisiAccount';
import { Subscriptions } from './Subscriptions';
import { PersonBookings } from './PersonBookings';
import { PassesAndGrants } from './PassesAndGrants';
import { Memberships } from './Memberships';
import { InviteButton } from './InviteDialog';

const TABS = [
  ['access', 'Access'],
  ['subscriptions', 'Subscriptions'],
  ['bookings', 'Bookings'],
  ['passes', 'Passes, visits & grants'],
  ['companies', 'Companies'],
  ['kisi', 'Kisi user'],
  ['attendance', 'Attendance'],
  ['ledger', 'Ledger'],
] as const;

/** R14: "On hold" beside the name, wherever staff are on the person's page. */
function HoldBadge({ personId }: { personId: number }) {
  const api = useApi();
  const { location } = useCurrentLocation();
  const locationId = location?.id ?? 0;
  const account = useQuery({
    queryKey: queryKeys.kisiAccount(personId, locationId),
    queryFn: () => api.people.kisiAccount(personId, locationId),
    enabled: location !== undefined,
  });
  if (!account.data?.on_hold_since) return null;
  return (
    <Link to={`/desk/people/${personId}/kisi`}>
      <Badge tone="warning">Door access on hold</Badge>
    </Link>
  );
}

export function PersonDetail({ personId }: { personId: number }) {
  const { tab = 'access' } = useParams();
  const person = usePerson(personId);
  if (person.isPending) return <Loading what="the person" />;
  if (person.error) return <Notice tone="danger">{describeError(person.error)}</Notice>;
  const p = person.data;
  return (
    <article className="stack" aria-labelledby="person-name">
      <header className="page-header">
        <div>
          <h2 id="person-name">{p.name}</h2>
          <p className="muted">
            {p.email} <HoldBadge personId={p.id} />
          </p>
        </div>
        <InviteButton person={p} />
      </header>
      <nav className="tabs" aria-label={`${p.name}'s sections`}>
        {TABS.map(([key, label]) => (
          <Link key={key} to={`/desk/people/${personId}/${key}`} aria-current={tab === key ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {tab === 'access' && <PersonAccess person={p} />}
      {tab === 'subscriptions' && <Subscriptions holder={{ kind: 'person', id: p.id }} />}
      {tab === 'bookings' && <PersonBookings person={p} />}
      {tab === 'passes' && <PassesAndGrants person={p} />}
      {tab === 'companies' && <Memberships person={p} />}
      {tab === 'kisi' && <KisiAccount person={p} />}
      {tab === 'attendance' && <PersonAttendance person={p} />}
      {tab === 'ledger' && <PersonLedger person={p} />}
    </article>
  );
}
