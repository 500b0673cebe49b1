/** A5: each reason in plain words with what to do about it. */
import { Notice } from '../../components/Notice';
import type { Cause } from '../../gen/Cause';
import type { Reason } from '../../gen/Reason';

/** Causes nobody needs to act on: the door simply opens later. */
const INFORMATIONAL: ReadonlySet<Cause> = new Set<Cause>(['not_yet_open', 'subscription_not_started']);

export function ReasonList({ reasons, label }: { reasons: Reason[]; label: string }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="reasons" aria-label={label}>
      {reasons.map((reason) => (
        <li key={`${reason.cause}:${reason.message}`} data-cause={reason.cause}>
          <Notice tone={reasonTone(reason)} title={sentence(reason.message)}>
            <p>{reason.fix}</p>
          </Notice>
        </li>
      ))}
    </ul>
  );
}

/** Info for a door that simply opens later; a warning for what someone must act on. */
export function reasonTone(reason: Reason): 'info' | 'warning' {
  return INFORMATIONAL.has(reason.cause) ? 'info' : 'warning';
}

/**
 * One reason as the list above shows it, in a record of the past (the ledger): the same box and
 * words, not announced as news to screen readers.
 */
export function ReasonNote({ reason }: { reason: Reason }) {
  return (
    <div className="notice" data-tone={reasonTone(reason)} data-cause={reason.cause}>
      <strong>{sentence(reason.message)}</strong>
      <p>{reason.fix}</p>
    </div>
  );
}

/** "lock "X" can only be opened…" → "Lock "X" can only be opened…." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
