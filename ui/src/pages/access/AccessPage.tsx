/**
 * The Access page: the doors the person may open now, one large button each with "until 16:30"
 * and why (A1), what opens later, and always the reasons when there are no locks (A5). Without a
 * connection it shows the last confirmed state and says unlocking needs one (A6).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useApi } from '../../api/context';
import { ApiError, describeError } from '../../api/errors';
import { queryKeys } from '../../api/queries';
import { useAccount } from '../../app/auth';
import { PageHeader } from '../../components/Card';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import type { LocationAccess } from '../../gen/LocationAccess';
import { useConnection } from '../../hooks/useConnection';
import { useNow } from '../../hooks/useNow';
import { browserZone, zoneName } from '../../time/locationZone';
import type { MyAccess } from '../../gen/MyAccess';
import { formatTimestamp } from '../../time/format';
import { loadCachedAccess, saveCachedAccess } from './accessCache';
import { DoorButton } from './DoorButton';
import { hasOpened } from './doorAvailability';
import { KisiConfirmationNotice } from './KisiConfirmation';
import { OtherDoors } from './OtherDoors';
import { ReasonList } from './ReasonList';

/** When the doors shown were confirmed, in their location's zone, named. */
function confirmedAt(access: MyAccess): string {
  const zone = access.locations[0]?.time_zone ?? browserZone();
  return `${formatTimestamp(access.checked_at, zone)} (${zoneName(zone)})`;
}

export function AccessPage() {
  const api = useApi();
  const account = useAccount();
  const now = useNow();
  const access = useQuery({
    queryKey: queryKeys.myAccess(),
    queryFn: () => api.me.access(),
    // Windows open and close by the clock, not only when something changes.
    refetchInterval: 60_000,
  });

  useEffect(() => {
    if (access.data) saveCachedAccess(account.id, access.data);
  }, [access.data, account.id]);

  // Offline when loading the doors failed for want of the hub, or when the connection badge
  // learnt the hub is gone since (A6): the doors stay as last confirmed, unlocking waits.
  const connection = useConnection();
  const offline = (access.error instanceof ApiError && access.error.isOffline) || connection.status === 'offline';
  const shown = access.data ?? (offline ? loadCachedAccess(account.id) : undefined);

  if (access.isPending && !shown) return <Loading what="your doors" />;

  return (
    <>
      <PageHeader title="Access" subtitle="Press a door to unlock it." />
      <div className="stack">
        {offline && (
          <Notice tone="warning" title="You are offline.">
            <p>
              {shown
                ? `These are your doors as last confirmed ${confirmedAt(shown)}. Unlocking needs a connection.`
                : 'Your doors cannot be loaded and unlocking needs a connection.'}
            </p>
          </Notice>
        )}
        {access.error && !offline && (
          <Notice tone="danger" title="Your doors could not be loaded.">
            <p>{describeError(access.error)}</p>
          </Notice>
        )}
        {shown && shown.locations.length === 0 && (
          <Notice tone="warning" title="No locks">
            <p>You are not a member, invitee or visitor at any location yet. Ask the front desk to add you.</p>
          </Notice>
        )}
        {shown?.locations.map((location) => (
          <LocationDoors
            key={location.location_id}
            location={location}
            now={now}
            titled={shown.locations.length > 1}
            offline={offline}
          />
        ))}
      </div>
    </>
  );
}

function LocationDoors({
  location,
  now,
  titled,
  offline,
}: {
  location: LocationAccess;
  now: Date;
  titled: boolean;
  offline: boolean;
}) {
  const headingId = `location-${location.location_id}`;
  // Times read in the location's zone, whatever the viewer's browser says.
  const zone = location.time_zone;
  // A window the hub listed as upcoming may have opened by the clock since the page was loaded.
  const doors = [...location.open_now, ...location.upcoming.filter((lock) => hasOpened(lock.window, now))];
  const noLocks = doors.length === 0;
  const later = location.upcoming.filter((lock) => !hasOpened(lock.window, now));
  return (
    <section className="stack" aria-labelledby={headingId} data-location-id={location.location_id}>
      <h2 id={headingId} className={titled ? undefined : 'visually-hidden'}>
        {location.location_name}
      </h2>
      {!location.visible && (
        <Notice tone="warning" title="The Access page here is for members only.">
          <p>The reasons below say what would let you in.</p>
        </Notice>
      )}
      {/* "No locks" only when nothing is listed at all: doors opening later are doors (issue 17). */}
      {location.visible && noLocks && later.length === 0 && (
        <Notice tone="warning" title="No locks">
          <p>No door is open to you right now. {location.reasons.length > 0 ? 'Here is why:' : ''}</p>
        </Notice>
      )}
      {location.visible && noLocks && later.length > 0 && (
        <Notice tone="info" title="No door is open to you right now.">
          <p>Your doors below open later.</p>
        </Notice>
      )}
      {!noLocks && !offline && <KisiConfirmationNotice kisi={location.kisi} zone={zone} now={now} />}
      {!noLocks && (
        <ul className="doors" aria-label={`Doors you can open at ${location.location_name}`}>
          {doors.map((lock) => (
            <DoorButton
              key={`${lock.lock_id}-${lock.window.from}`}
              lock={lock}
              locationId={location.location_id}
              zone={zone}
              now={now}
              offline={offline}
            />
          ))}
        </ul>
      )}
      <ReasonList
        reasons={location.reasons}
        label={
          noLocks
            ? later.length > 0
              ? 'Why no door is open now'
              : 'Why there are no locks'
            : 'Why some doors are missing'
        }
      />
      {later.length > 0 && (
        <>
          <h3>Opening later</h3>
          <ul className="doors" aria-label="Doors opening later">
            {later.map((lock) => (
              <DoorButton
                key={`${lock.lock_id}-${lock.window.from}`}
                lock={lock}
                locationId={location.location_id}
                zone={zone}
                now={now}
                offline={offline}
              />
            ))}
          </ul>
        </>
      )}
      {!offline && <OtherDoors locationId={location.location_id} zone={zone} upcoming={location.upcoming} />}
      <p className="muted">Times are in {zone}.</p>
    </section>
  );
}
