/**
 * The location staff and admins work on. Remembered per browser; the first location otherwise.
 * Every time on the front desk and admin pages is shown in this location's zone.
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../api/context';
import { queryKeys } from '../api/queries';
import type { LocationView } from '../gen/LocationView';
import { browserZone } from '../time/locationZone';
import { hasRole, useAuth } from './auth';

interface CurrentLocation {
  locations: LocationView[];
  location: LocationView | undefined;
  select: (id: number) => void;
  loading: boolean;
}

const LocationContext = createContext<CurrentLocation | null>(null);
const KEY = 'doorlink.location';

export function LocationProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const { account } = useAuth();
  // Only staff may list locations; a member's Access page carries what it needs.
  const locations = useQuery({
    queryKey: queryKeys.locations(),
    queryFn: api.locations.list,
    enabled: account !== null && hasRole(account.role, 'staff'),
  });
  const [chosen, setChosen] = useState<number | null>(() => Number(localStorage.getItem(KEY)) || null);
  const value = useMemo<CurrentLocation>(() => {
    const all = locations.data ?? [];
    return {
      locations: all,
      location: all.find((l) => l.id === chosen) ?? all[0],
      loading: locations.isLoading,
      select: (id) => {
        localStorage.setItem(KEY, String(id));
        setChosen(id);
      },
    };
  }, [locations.data, locations.isLoading, chosen]);
  return <LocationContext.Provider value={value}>{children}</LocationContext.Provider>;
}

export function useCurrentLocation(): CurrentLocation {
  const value = useContext(LocationContext);
  if (!value) throw new Error('useCurrentLocation needs a <LocationProvider> above it');
  return value;
}

/**
 * The zone moments are shown in: the current location's, the browser's only while no location is
 * known (a member's own pages, a hub without locations).
 */
export function useDisplayZone(): string {
  const { location } = useCurrentLocation();
  return location?.time_zone ?? browserZone();
}
