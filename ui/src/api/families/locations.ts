/** Locations (time zone, grace, visibility) and their Kisi connection (C1–C4). */
import type { ConnectKisiRequest } from '../../gen/ConnectKisiRequest';
import type { DisconnectKisiRequest } from '../../gen/DisconnectKisiRequest';
import type { DisconnectKisiResponse } from '../../gen/DisconnectKisiResponse';
import type { KisiDirectory } from '../../gen/KisiDirectory';
import type { KisiConnectionView } from '../../gen/KisiConnectionView';
import type { LocationView } from '../../gen/LocationView';
import type { MappingView } from '../../gen/MappingView';
import type { NewLocationRequest } from '../../gen/NewLocationRequest';
import type { SetPlaceRequest } from '../../gen/SetPlaceRequest';
import type { UpdateLocationRequest } from '../../gen/UpdateLocationRequest';
import { route, type Caller } from '../client';
import { routes } from '../../gen/routes';

export const locationsApi = (c: Caller) => ({
  list: () => c.get<LocationView[]>(route(routes.LOCATIONS)),
  get: (id: number) => c.get<LocationView>(route(routes.LOCATIONS_ID, { id })),
  create: (request: NewLocationRequest) => c.post<LocationView>(route(routes.LOCATIONS), request),
  update: (id: number, request: UpdateLocationRequest) =>
    c.patch<LocationView>(route(routes.LOCATIONS_ID, { id }), request),
});

export const kisiApi = (c: Caller) => ({
  /** The connection, or a `not_found` ApiError when the location was never connected. */
  connection: (locationId: number) => c.get<KisiConnectionView>(route(routes.LOCATIONS_ID_KISI, { id: locationId })),
  connect: (locationId: number, request: ConnectKisiRequest) =>
    c.post<KisiConnectionView>(route(routes.LOCATIONS_ID_KISI, { id: locationId }), request),
  setPlace: (locationId: number, request: SetPlaceRequest) =>
    c.put<KisiConnectionView>(route(routes.LOCATIONS_ID_KISI_PLACE, { id: locationId }), request),
  disconnect: (locationId: number, request: DisconnectKisiRequest) =>
    c.post<DisconnectKisiResponse>(route(routes.LOCATIONS_ID_KISI_DISCONNECT, { id: locationId }), request),
  directory: (locationId: number) =>
    c.get<KisiDirectory>(route(routes.LOCATIONS_ID_KISI_CATALOGUE, { id: locationId })),
  mappings: (locationId: number) => c.get<MappingView[]>(route(routes.LOCATIONS_ID_MAPPINGS, { id: locationId })),
});
