/**
 * Newest-first paging by a cursor (`before`, the hub's `next_before`): the audit log, the door
 * log and an endpoint's delivery log. The pages visited are kept, so "Newer" steps back.
 */
import { useState } from 'react';
import { Button } from './Button';

export interface CursorPages {
  /** The cursor of the page shown; `null` for the newest page. */
  before: number | null;
  /** Back to the newest page (a filter changed). */
  reset: () => void;
  newer: () => void;
  older: (next: number) => void;
  onNewest: boolean;
}

export function useCursorPages(): CursorPages {
  const [pages, setPages] = useState<(number | null)[]>([null]);
  return {
    before: pages.at(-1) ?? null,
    reset: () => setPages([null]),
    newer: () => setPages((p) => (p.length > 1 ? p.slice(0, -1) : p)),
    older: (next) => setPages((p) => [...p, next]),
    onNewest: pages.length === 1,
  };
}

/** "Newer" and "Older" under a page whose answer named `next` (none: this is the oldest page). */
export function CursorPager({ pages, next }: { pages: CursorPages; next: number | null }) {
  return (
    <div className="row">
      <Button disabled={pages.onNewest} onClick={pages.newer}>
        Newer
      </Button>
      <Button disabled={next === null} onClick={() => next !== null && pages.older(next)}>
        Older
      </Button>
    </div>
  );
}
