/** One door the person may open now: a large button with "until 16:30" and why (A1, A4). */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context';
import type { LockAccess } from '../../gen/LockAccess';
import { formatUntil } from '../../time/format';
import { sentence } from './ReasonList';
import { feedbackForError, feedbackForOutcome, type DoorState } from './unlockFeedback';

const SHOW_UNLOCKED_MS = 6000;

/** `offline`: the door is shown as last confirmed, but unlocking needs a connection (A6). */
export function DoorButton({ lock, locationId, zone, now, offline }: {
  lock: LockAccess;
  locationId: number;
  zone: string;
  now: Date;
  offline: boolean;
}) {
  const api = useApi();
  const [state, setState] = useState<DoorState>({ kind: 'idle' });

  useEffect(() => {
    if (state.kind !== 'unlocked') return;
    const timer = setTimeout(() => setState({ kind: 'idle' }), SHOW_UNLOCKED_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const press = async () => {
    setState({ kind: 'pending' });
    try {
      setState(feedbackForOutcome(await api.me.unlock(lock.lock_id, { location_id: locationId, latitude: null, longitude: null })));
    } catch (error) {
      setState(feedbackForError(error));
    }
  };

  const until = formatUntil(lock.window.until, zone, now);
  const feedbackId = `door-${locationId}-${lock.lock_id}-feedback`;
  return (
    <li className="door" data-state={state.kind} data-restricted={Boolean(lock.restriction)} data-lock-id={lock.lock_id}>
      <button
        type="button"
        className="door-button"
        onClick={() => void press()}
        disabled={offline || state.kind === 'pending'}
        aria-describedby={feedbackId}
        aria-label={`Unlock ${lock.name}, ${until}`}
      >
        <span className="door-name">{lock.name}</span>
        <span className="door-until">{until}</span>
        {lock.why.length > 0 && <span className="door-why">{[...new Set(lock.why)].join(' · ')}</span>}
      </button>
      <div id={feedbackId} role="status" aria-live="polite" className="door-feedback">
        {state.kind === 'pending' && (
          <p>
            <span className="spinner" aria-hidden="true" /> Unlocking…
          </p>
        )}
        {state.kind === 'unlocked' && <p className="notice" data-tone="success">{state.message}</p>}
        {state.kind === 'failed' && (
          <div className="notice" data-tone="danger">
            <strong>{state.message}</strong>
            {state.fix && <p>{state.fix}</p>}
          </div>
        )}
        {state.kind === 'idle' && lock.restriction && (
          <div className="notice" data-tone="warning">
            <strong>{sentence(lock.restriction.message)}</strong>
            <p>{lock.restriction.fix}</p>
          </div>
        )}
      </div>
    </li>
  );
}
