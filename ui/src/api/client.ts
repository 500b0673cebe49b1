/**
 * `createApi(transport)`: every hub route as a typed function, grouped by family. Paths live here
 * and in the family files only; components call `api.bookings.create(...)`, never a URL.
 */
import type { ApiRequest, QueryValue, Transport } from './transport';

/** The small helper every family uses to describe its requests. */
export interface Caller {
  get<T>(path: string, query?: Record<string, QueryValue>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string, body?: unknown): Promise<T>;
}

export function caller(transport: Transport): Caller {
  const send = <T>(request: ApiRequest) => transport.request<T>(request);
  return {
    get: (path, query) => send({ method: 'GET', path, query }),
    post: (path, body) => send({ method: 'POST', path, body: body ?? {} }),
    put: (path, body) => send({ method: 'PUT', path, body: body ?? {} }),
    patch: (path, body) => send({ method: 'PATCH', path, body: body ?? {} }),
    delete: (path, body) => send({ method: 'DELETE', path, body }),
  };
}

/** `/people/{id}` with the id encoded, so a path never carries user text unescaped. */
export const path = (strings: TemplateStringsArray, ...values: (string | number)[]) =>
  strings.reduce((out, text, i) => out + text + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
