/**
 * TanStack Query hooks over the typed API: the reads pages share, and `useAction` for writes
 * that report their outcome as a toast.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useToast } from '../components/Toasts';
import { useApi } from './context';
import { ApiError, describeError } from './errors';
import { queryKeys } from './queries';

export function usePerson(personId: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.person(personId ?? 0),
    queryFn: () => api.people.get(personId ?? 0),
    enabled: personId !== undefined,
  });
}

export function useKisiDirectory(locationId: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.kisiDirectory(locationId ?? 0),
    queryFn: () => api.kisi.directory(locationId ?? 0),
    enabled: locationId !== undefined,
  });
}

/**
 * Kisi's event webhook at the location (issue 15): `null` when none is set up (the hub's 404),
 * which the Kisi page and Who's in both explain.
 */
export function useKisiWebhook(locationId: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.kisiWebhook(locationId ?? 0),
    queryFn: async () => {
      try {
        return await api.webhook.get(locationId ?? 0);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_found') return null;
        throw error;
      }
    },
    enabled: locationId !== undefined,
  });
}

export function useResources(locationId: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.catalog('resources', locationId ?? 0),
    queryFn: () => api.catalog.resources.list(locationId ?? 0),
    enabled: locationId !== undefined,
  });
}

export function usePlans(locationId: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.catalog('plans', locationId ?? 0),
    queryFn: () => api.catalog.plans.list(locationId ?? 0),
    enabled: locationId !== undefined,
  });
}

export function useProducts(locationId: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.catalog('products', locationId ?? 0),
    queryFn: () => api.catalog.products.list(locationId ?? 0),
    enabled: locationId !== undefined,
  });
}

export function useVisitorPolicies(locationId: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.catalog('visitorPolicies', locationId ?? 0),
    queryFn: () => api.catalog.visitorPolicies.list(locationId ?? 0),
    enabled: locationId !== undefined,
  });
}

export function useCompanies() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.companies(), queryFn: api.companies.list });
}

/**
 * A write with feedback: a toast saying what was done, or what failed in plain words. The query
 * families in `invalidates` are refetched at once (the hub's live events would follow anyway).
 * `quiet` leaves the failure to the form, which shows it next to the fields.
 */
export function useAction<Input, Output>(
  run: (input: Input) => Promise<Output>,
  options: {
    done: string | ((output: Output) => string);
    invalidates?: string[];
    onDone?: (output: Output) => void;
    quiet?: boolean;
  },
) {
  const toast = useToast();
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (output) => {
      toast(typeof options.done === 'function' ? options.done(output) : options.done);
      for (const family of options.invalidates ?? []) void client.invalidateQueries({ queryKey: [family] });
      options.onDone?.(output);
    },
    onError: (error) => {
      if (!options.quiet) toast(describeError(error), 'danger');
    },
  });
}
