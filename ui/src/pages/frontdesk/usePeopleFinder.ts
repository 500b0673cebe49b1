/**
 * The front desk's people search, answered by the hub (`GET /api/people?search=`): asked ~200 ms
 * after the last keystroke, showing the previous answer meanwhile so the list never blanks.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context';
import { peopleKeys } from '../../api/families/people';

export const SEARCH_DELAY_MS = 200;

/** `value`, once it has stopped changing for `delayMs`. */
export function useDebounced<T>(value: T, delayMs = SEARCH_DELAY_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * People whose name or e-mail contains `query`. An empty box lists everyone, unless
 * `everyoneWhenEmpty` is false (a picker asks nothing until something is typed). `searching` is
 * true while typing has not settled or the hub has not answered yet; `searched` is the text the
 * shown answer is for.
 */
export function usePeopleFinder(
  query: string,
  { limit = 50, everyoneWhenEmpty = true }: { limit?: number; everyoneWhenEmpty?: boolean } = {},
) {
  const api = useApi();
  return useTypedSearch(query, (settled) => ({
    queryKey: peopleKeys.find(settled, limit),
    queryFn: () => api.people.find(settled, 0, limit),
    enabled: everyoneWhenEmpty || settled !== '',
  }));
}

/**
 * A search asked of the hub once typing settles, keeping the previous answer on screen meanwhile:
 * `ask` says what to ask for the settled text. Shared by the people finder and the People list.
 */
export function useTypedSearch<T>(
  query: string,
  ask: (settled: string) => { queryKey: readonly unknown[]; queryFn: () => Promise<T>; enabled: boolean },
) {
  const typed = query.trim();
  const settled = useDebounced(typed);
  const asked = ask(settled);
  const result = useQuery({ ...asked, placeholderData: keepPreviousData });
  return {
    data: result.data,
    error: result.error,
    searching: settled !== typed || (asked.enabled && result.isFetching),
    searched: result.isPlaceholderData ? undefined : settled,
  };
}
