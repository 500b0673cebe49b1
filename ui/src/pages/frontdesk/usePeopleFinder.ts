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
export function usePeopleFinder(query: string, { limit = 50, everyoneWhenEmpty = true }: { limit?: number; everyoneWhenEmpty?: boolean } = {}) {
  const api = useApi();
  const typed = query.trim();
  const settled = useDebounced(typed);
  const enabled = everyoneWhenEmpty || settled !== '';
  const result = useQuery({
    queryKey: peopleKeys.find(settled, limit),
    queryFn: () => api.people.find(settled, 0, limit),
    placeholderData: keepPreviousData,
    enabled,
  });
  return {
    data: result.data,
    error: result.error,
    searching: settled !== typed || (enabled && result.isFetching),
    searched: result.isPlaceholderData ? undefined : settled,
  };
}
