/**
 * A4: what a person reads after pressing a door, in plain words with what to do.
 */
import { ApiError } from '../../api/errors';
import type { UnlockOutcome } from '../../gen/UnlockOutcome';
import { sentence } from './ReasonList';

export type DoorState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'unlocked'; message: string }
  | { kind: 'failed'; message: string; fix: string | undefined };

export function feedbackForOutcome(outcome: UnlockOutcome): DoorState {
  if (outcome.unlocked) return { kind: 'unlocked', message: 'Unlocked — push the door now.' };
  return {
    kind: 'failed',
    message: sentence(outcome.reason?.message ?? outcome.message),
    fix: outcome.reason?.fix,
  };
}

export function feedbackForError(error: unknown): DoorState {
  if (error instanceof ApiError && error.isOffline) {
    return {
      kind: 'failed',
      message: 'You are offline: unlocking needs a connection.',
      fix: 'Check your network, then press the door again.',
    };
  }
  if (error instanceof ApiError && error.code === 'throttled') {
    return { kind: 'failed', message: 'Too many requests right now.', fix: 'Wait a few seconds and press again.' };
  }
  if (error instanceof ApiError && error.code === 'unauthenticated') {
    return { kind: 'failed', message: 'Your session has ended.', fix: 'Sign in again, then press the door.' };
  }
  return {
    kind: 'failed',
    message: sentence(error instanceof Error ? error.message : String(error)),
    fix: 'Try again; if it keeps failing, tell the front desk.',
  };
}
