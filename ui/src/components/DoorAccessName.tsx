import { useKisiCatalogue } from '../api/hooks';
import type { DoorAccess } from '../gen/DoorAccess';
import { describeDoorAccess } from './doorAccessWarnings';

/** The names of a door access's groups and doors, read from its own location's Kisi catalogue. */
export function DoorAccessName({ access, locationId }: { access: DoorAccess | null | undefined; locationId: number }) {
  const catalogue = useKisiCatalogue(locationId);
  return <>{describeDoorAccess(access, catalogue.data)}</>;
}
