/** A new person as the front desk types them (name and e-mail, I2: the e-mail is their identity). */

export interface NewPerson {
  name: string;
  email: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export const validatePerson = (v: NewPerson) => ({
  name: v.name.trim() ? undefined : 'Enter the person’s name.',
  email: EMAIL.test(v.email.trim()) ? undefined : 'Enter an e-mail address like ana@example.com.',
});

/** What a search that found no one already says about the person: their e-mail or their name. */
export function draftFromSearch(search: string): NewPerson {
  const text = search.trim().replace(/\s+/g, ' ');
  return text.includes('@') ? { name: '', email: text } : { name: text, email: '' };
}

/** "No one matches “x”" — the words a search that found nobody shows. */
export const noMatch = (search: string) => `No one matches “${search.trim()}”`;
