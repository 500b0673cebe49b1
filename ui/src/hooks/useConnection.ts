import { useSyncExternalStore } from 'react';
import { useApi } from '../api/context';
import type { ConnectionState } from '../api/connection';

/** Whether the hub answers and live events arrive; re-renders on every change. */
export function useConnection(): ConnectionState {
  const { connection } = useApi();
  return useSyncExternalStore(connection.watch, connection.current);
}
