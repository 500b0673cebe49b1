import { describe, expect, it } from 'vitest';
import { QUEUE_KINDS, formatEta, splitFix } from './syncQueue';

describe('the Sync page queue (issue 12)', () => {
  it('names every kind the hub sends, most urgent first', () => {
    expect(Object.keys(QUEUE_KINDS)).toEqual(['urgent', 'later', 'bulk']);
  });

  it('says when a 2,000-person connect is done at 5 requests a second in hours and minutes', () => {
    // 4,000 grants and users at 5 per second.
    expect(formatEta(800)).toBe('about 14 min');
    expect(formatEta(4_200)).toBe('about 1 h 10 min');
    expect(formatEta(7_200)).toBe('about 2 h');
  });

  it('says "now" for an empty kind and never shows zero minutes', () => {
    expect(formatEta(0)).toBe('now');
    expect(formatEta(1)).toBe('under a minute');
    expect(formatEta(60)).toBe('about 1 min');
  });

  it('splits a failure into what happened and what to do', () => {
    const message =
      'grant group 7 to person 3: Kisi had an internal error (HTTP 503, ); try again later. What to do: nothing; the entry is retried after its back-off';
    expect(splitFix(message)).toEqual({
      what: 'grant group 7 to person 3: Kisi had an internal error (HTTP 503, ); try again later',
      fix: 'nothing; the entry is retried after its back-off',
    });
  });

  it('never shows an empty failure, even from an older hub that sent none', () => {
    expect(splitFix('')).toEqual({ what: 'The sync failed without saying why.', fix: null });
    expect(splitFix('   ').what).not.toBe('');
  });
});
