import { describe, expect, it } from 'vitest';
import { draftFromSearch, noMatch, validatePerson } from './newPerson';

describe('adding the person a search did not find', () => {
  it('takes a typed e-mail as the e-mail and anything else as the name', () => {
    expect(draftFromSearch('  ada.invitee@example.com ')).toEqual({ name: '', email: 'ada.invitee@example.com' });
    expect(draftFromSearch(' Ada   Invitee ')).toEqual({ name: 'Ada Invitee', email: '' });
  });

  it('says who was searched for, in the product’s words', () => {
    expect(noMatch(' zed ')).toBe('No one matches “zed”');
  });

  it('asks for a name and a real-looking e-mail', () => {
    expect(validatePerson({ name: ' ', email: 'ada' })).toEqual({
      name: 'Enter the person’s name.',
      email: 'Enter an e-mail address like ana@example.com.',
    });
    expect(validatePerson({ name: 'Ada', email: 'ada@example.com' })).toEqual({ name: undefined, email: undefined });
  });
});
