/**
 * The Sync page's words for the queue (issue 12): each kind of work in the order the sync takes
 * it, when it is expected to be done at Kisi's budget, and a failure split into what happened
 * and what to do.
 */
import type { QueueKind } from '../../gen/QueueKind';

/** Each kind, most urgent first, as staff read it. */
export const QUEUE_KINDS: Record<QueueKind, string> = {
  urgent: 'Revocations and access starting within the hour',
  later: 'Later access changes',
  bulk: 'Full syncs of the location',
};

/** "now", "under a minute", "about 4 min", "about 1 h 10 min". */
export function formatEta(seconds: number): string {
  if (seconds <= 0) return 'now';
  if (seconds < 60) return 'under a minute';
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h` : `about ${hours} h ${rest} min`;
}

/** The separator the hub puts between what went wrong and what to do about it. */
const FIX = '. What to do: ';

/** A failed entry's message as what happened and the fix (null when the message has none). */
export function splitFix(message: string): { what: string; fix: string | null } {
  const at = message.indexOf(FIX);
  if (at < 0) return { what: message.trim() || 'The sync failed without saying why.', fix: null };
  return { what: message.slice(0, at).trim(), fix: message.slice(at + FIX.length).trim() || null };
}
