import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import { feedbackForError, feedbackForOutcome } from './unlockFeedback';

describe('what a person reads after pressing a door (A4)', () => {
  it('says the door is unlocked', () => {
    expect(feedbackForOutcome({ lock_id: 1, unlocked: true, message: 'Unlocked!', reason: null }).kind).toBe(
      'unlocked',
    );
  });

  it('explains a refusal with the reason and what to do', () => {
    const state = feedbackForOutcome({
      lock_id: 8,
      unlocked: false,
      message: 'Kisi refused',
      reason: {
        cause: 'reader_restriction',
        message: 'lock "Server Room" can only be opened at a Kisi Reader',
        fix: 'Ask a Kisi administrator to disable the Kisi Reader restriction on the lock or group.',
      },
    });
    expect(state).toEqual({
      kind: 'failed',
      message: 'Lock "Server Room" can only be opened at a Kisi Reader.',
      fix: 'Ask a Kisi administrator to disable the Kisi Reader restriction on the lock or group.',
    });
  });

  it('falls back to the hub message when a refusal has no reason', () => {
    expect(
      feedbackForOutcome({ lock_id: 2, unlocked: false, message: 'the lock is offline', reason: null }),
    ).toMatchObject({
      kind: 'failed',
      message: 'The lock is offline.',
    });
  });

  it('says unlocking needs a connection when the hub cannot be reached (A6)', () => {
    expect(feedbackForError(new ApiError(0, 'offline', 'cannot be reached'))).toMatchObject({
      message: 'You are offline: unlocking needs a connection.',
    });
  });

  it('asks to sign in again when the session ended', () => {
    expect(feedbackForError(new ApiError(401, 'unauthenticated', 'no session'))).toMatchObject({
      fix: 'Sign in again, then press the door.',
    });
  });

  it('asks to wait when throttled', () => {
    expect(feedbackForError(new ApiError(429, 'throttled', 'slow down'))).toMatchObject({
      fix: 'Wait a few seconds and press again.',
    });
  });
});
