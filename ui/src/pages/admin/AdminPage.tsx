/** Admin settings, one section at a time. */
import { Link, useParams } from 'react-router';
import { useCurrentLocation } from '../../app/location';
import { PageHeader } from '../../components/Card';
import { Loading } from '../../components/Progress';
import { Accounts } from './Accounts';
import { AuditLog } from './AuditLog';
import { KisiConnection } from './KisiConnection';
import { LocationSettings, NewLocation } from './LocationSettings';
import { Mappings } from './Mappings';
import { OutcomeWebhooks } from './outcomes/OutcomeWebhooks';
import { SupportBundleButton } from './SupportBundle';
import { SyncStatus } from './SyncStatus';

const SECTIONS = [
  ['location', 'Location'],
  ['kisi', 'Kisi connection'],
  ['mappings', 'Door access'],
  ['sync', 'Sync'],
  ['audit', 'Audit log'],
  ['outcomes', 'Outcome webhooks'],
  ['accounts', 'Accounts'],
] as const;

export function AdminPage() {
  const { section = 'location' } = useParams();
  const { location, loading } = useCurrentLocation();
  if (loading) return <Loading what="locations" />;
  return (
    <>
      <PageHeader
        title="Admin"
        subtitle={location ? `${location.name} · ${location.time_zone}` : 'No location yet'}
        actions={<SupportBundleButton />}
      />
      <nav className="tabs" aria-label="Admin sections">
        {SECTIONS.map(([key, label]) => (
          <Link key={key} to={`/admin/${key}`} aria-current={section === key ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {section === 'accounts' ? (
        <Accounts />
      ) : section === 'outcomes' ? (
        // Endpoints are the hub's, not a location's: each one takes one location's events or all.
        <OutcomeWebhooks />
      ) : !location ? (
        <NewLocation />
      ) : (
        <>
          {section === 'location' && <LocationSettings location={location} />}
          {section === 'kisi' && <KisiConnection location={location} />}
          {section === 'mappings' && <Mappings location={location} />}
          {section === 'sync' && <SyncStatus location={location} />}
          {section === 'audit' && <AuditLog location={location} />}
        </>
      )}
    </>
  );
}
