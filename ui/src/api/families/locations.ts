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
import { path, type Caller } from '../client';

export const locationsApi = (c: Caller) => ({
  list: () => c.get<LocationView[]>('/locations'),
  get: (id: number) => c.get<LocationView>(path`/locations/${id}`),
  create: (request: NewLocationRequest) => c.post<LocationView>('/locations', request),
  update: (id: number, request: UpdateLocationRequest) => c.patch<LocationView>(path`/locations/${id}`, request),
});

export const kisiApi = (c: Caller) => ({
  /** The connection, or a `not_found` ApiError when the location was never connected. */
  connection: (locationId: number) => c.get<KisiConnectionView>(path`/locations/${locationId}/kisi`),
  connect: (locationId: number, request: ConnectKisiRequest) =>
    c.post<KisiConnectionView>(path`/locations/${locationId}/kisi`, request),
  setPlace: (locationId: number, request: SetPlaceRequest) =>
    c.put<KisiConnectionView>(path`/locations/${locationId}/kisi/place`, request),
  disconnect: (locationId: number, request: DisconnectKisiRequest) =>
    c.post<DisconnectKisiResponse>(path`/locations/${locationId}/kisi/disconnect`, request),
  directory: (locationId: number) => c.get<KisiDirectory>(path`/locations/${locationId}/kisi/catalogue`),
  mappings: (locationId: number) => c.get<MappingView[]>(path`/locations/${locationId}/mappings`),
});
