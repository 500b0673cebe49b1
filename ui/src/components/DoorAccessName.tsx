import { useKisiDirectory } from '../api/hooks';
import type { DoorAccess } from '../gen/DoorAccess';
import { describeDoorAccess } from './doorAccessWarnings';

/** The names of a door access's groups and doors, read from its own location's Kisi directory. */
export function DoorAccessName({ access, locationId }: { access: DoorAccess | null | undefined; locationId: number }) {
  const directory = useKisiDirectory(locationId);
  return <>{describeDoorAccess(access, directory.data)}</>;
}
