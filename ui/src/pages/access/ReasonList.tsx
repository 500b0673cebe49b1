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
          <Notice tone={INFORMATIONAL.has(reason.cause) ? 'info' : 'warning'} title={sentence(reason.message)}>
            <p>{reason.fix}</p>
          </Notice>
        </li>
      ))}
    </ul>
  );
}

/** "lock "X" can only be opened…" → "Lock "X" can only be opened…." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
