/**
 * One door on the Access page: a large button with "until 16:30" (or "opens 13:30") and why (A1),
 * pressed to unlock (A4). A door that cannot be pressed looks it and says why in one line under
 * it: not open yet, access ended, or offline (A6). Before it is pressed, a door Kisi last reported
 * locked down or offline says so in words (the hub's, with as of when); it can still be pressed,
 * since Kisi may know better by now, and a refusal then explains itself.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context';
import type { LockAccess } from '../../gen/LockAccess';
import { formatOpens, formatUntil } from '../../time/format';
import { doorAvailability, hasOpened } from './doorAvailability';
import { sentence } from './ReasonList';
import { feedbackForError, feedbackForOutcome, type DoorState } from './unlockFeedback';

const SHOW_UNLOCKED_MS = 6000;

/** `offline`: the door is shown as last confirmed, but unlocking needs a connection (A6). */
export function DoorButton({
  lock,
  locationId,
  zone,
  now,
  offline,
}: {
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

  const availability = doorAvailability(lock.window, now, zone, offline);
  const press = async () => {
    if (!availability.pressable) return;
    setState({ kind: 'pending' });
    try {
      setState(
        feedbackForOutcome(
          await api.me.unlock(lock.lock_id, { location_id: locationId, latitude: null, longitude: null }),
        ),
      );
    } catch (error) {
      setState(feedbackForError(error));
    }
  };

  const opened = hasOpened(lock.window, now);
  const when = opened ? formatUntil(lock.window.until, zone, now) : formatOpens(lock.window.from, zone, now);
  const id = `door-${locationId}-${lock.lock_id}-${lock.window.from}`;
  const whyId = `${id}-why`;
  const whyNotId = `${id}-why-not`;
  const feedbackId = `${id}-feedback`;
  const why = [...new Set(lock.why)].join(' · ');
  const describedBy = [why && whyId, !availability.pressable && whyNotId, feedbackId].filter(Boolean).join(' ');
  return (
    <li
      className="door"
      data-state={state.kind}
      data-restricted={Boolean(lock.restriction)}
      data-door-state={lock.door_state?.cause}
      data-available={availability.pressable}
      data-lock-id={lock.lock_id}
    >
      <button
        type="button"
        className="door-button"
        onClick={() => void press()}
        disabled={!availability.pressable || state.kind === 'pending'}
        aria-busy={state.kind === 'pending' || undefined}
        aria-describedby={describedBy}
        // Only a door that is open by the clock offers to unlock; one opening later says when. The
        // name holds all the visible text of the button (WCAG 2.5.3), so why stays outside it.
        aria-label={opened ? `Unlock ${lock.name}, ${when}` : `${lock.name}, ${when}`}
      >
        <span className="door-name">{lock.name}</span> <span className="door-until">{when}</span>
      </button>
      {why && (
        <p id={whyId} className="door-why">
          {why}
        </p>
      )}
      {!availability.pressable && (
        <p id={whyNotId} className="door-why-not">
          {availability.why}
        </p>
      )}
      <div id={feedbackId} role="status" aria-live="polite" className="door-feedback">
        {state.kind === 'pending' && (
          <p>
            <span className="spinner" aria-hidden="true" /> Unlocking…
          </p>
        )}
        {state.kind === 'unlocked' && (
          <p className="notice" data-tone="success">
            {state.message}
          </p>
        )}
        {state.kind === 'failed' && (
          <div className="notice" data-tone="danger">
            <strong>{state.message}</strong>
            {state.fix && <p>{state.fix}</p>}
          </div>
        )}
        {state.kind === 'idle' &&
          [lock.door_state, lock.restriction].map(
            (reason) =>
              reason && (
                <div key={reason.cause} className="notice" data-tone="warning" data-cause={reason.cause}>
                  <strong>{sentence(reason.message)}</strong>
                  <p>{reason.fix}</p>
                </div>
              ),
          )}
      </div>
    </li>
  );
}
