/** Time to revoke in words (issue 15): seconds to the tenth, then minutes, hours and days. */
import { describe, expect, it } from 'vitest';
import { formatMillis, revocationSummary } from './RevocationTimes';

describe('time to revoke in words', () => {
  it('says seconds to the tenth under a minute, then whole units', () => {
    expect(formatMillis(350)).toBe('0.4 s');
    expect(formatMillis(4_000)).toBe('4.0 s');
    expect(formatMillis(59_940)).toBe('59.9 s');
    expect(formatMillis(59_960)).toBe('1 min 0 s');
    expect(formatMillis(60_000)).toBe('1 min 0 s');
    expect(formatMillis(3_780_000)).toBe('1 h 3 min');
    // Kisi unreachable over a weekend.
    expect(formatMillis(52 * 3_600_000)).toBe('2 d 4 h');
  });

  it('says one revocation, and none yet in words', () => {
    expect(revocationSummary({ count: 1, p50_millis: 900, p99_millis: 900 })).toBe(
      'p50 0.9 s · p99 0.9 s over the last 7 days (1 revocation)',
    );
    expect(revocationSummary({ count: 0, p50_millis: null, p99_millis: null })).toBe(
      'None yet: Kisi confirmed no revocation here in the last 7 days.',
    );
  });
});
