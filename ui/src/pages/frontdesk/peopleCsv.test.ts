import { describe, expect, it } from 'vitest';
import { parsePeopleCsv } from './peopleCsv';

describe('reading people to import', () => {
  it('reads name and e-mail in either order, skipping a header', () => {
    const parsed = parsePeopleCsv('name,email\nAna Lima, ana@example.com\nbo@example.com;Bo Chen\n');
    expect(parsed.people).toEqual([
      { line: 2, name: 'Ana Lima', email: 'ana@example.com' },
      { line: 3, name: 'Bo Chen', email: 'bo@example.com' },
    ]);
    expect(parsed.problems).toEqual([]);
  });

  it('reads tab-separated and quoted cells', () => {
    expect(parsePeopleCsv('"Cy Diaz"\t"cy@example.com"').people).toEqual([
      { line: 1, name: 'Cy Diaz', email: 'cy@example.com' },
    ]);
  });

  it('reports lines without an e-mail or a name, and repeated e-mails, by line number', () => {
    const parsed = parsePeopleCsv('Dee Ek\nee@example.com\nFay Gu, fay@example.com\nFay Again, FAY@example.com');
    expect(parsed.people.map((p) => p.email)).toEqual(['fay@example.com']);
    expect(parsed.problems).toEqual([
      { line: 1, text: 'Dee Ek', problem: 'no e-mail address on this line' },
      { line: 2, text: 'ee@example.com', problem: 'no name on this line' },
      { line: 4, text: 'Fay Again, FAY@example.com', problem: 'FAY@example.com is already on an earlier line' },
    ]);
  });
});
