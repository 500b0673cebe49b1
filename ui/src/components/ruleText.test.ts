import { describe, expect, it } from 'vitest';
import { splitRules } from './ruleText';

describe('rule codes leave the words people read (issue 17 point 5)', () => {
  it('moves a trailing code to the rules', () => {
    expect(
      splitRules('"Room Elbe" no longer exists in Kisi: nothing is granted through it; select an existing group (C4)'),
    ).toEqual({
      words: '"Room Elbe" no longer exists in Kisi: nothing is granted through it; select an existing group',
      rules: ['C4'],
    });
  });

  it('takes several codes and a code mid-sentence, and keeps other parentheses', () => {
    expect(splitRules('left in place (R15, I4); the booking (10:00–12:00) stays (R8).')).toEqual({
      words: 'left in place; the booking (10:00–12:00) stays.',
      rules: ['R15', 'I4', 'R8'],
    });
    expect(splitRules('Office (single door)')).toEqual({ words: 'Office (single door)', rules: [] });
  });
});
