/**
 * Reads a list of people to import: one person a line, "name, e-mail" (or "e-mail, name"), with
 * or without a header line, commas, semicolons or tabs between. Lines that cannot be read are
 * reported with their number, never dropped silently.
 */
import type { NewPersonRequest } from '../../gen/NewPersonRequest';

export interface ParsedPeople {
  people: (NewPersonRequest & { line: number })[];
  problems: { line: number; text: string; problem: string }[];
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function cells(line: string): string[] {
  const separator = line.includes('\t') ? '\t' : line.includes(';') ? ';' : ',';
  return line.split(separator).map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );
}

export function parsePeopleCsv(text: string): ParsedPeople {
  const result: ParsedPeople = { people: [], problems: [] };
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    const row = cells(raw);
    const emailAt = row.findIndex((cell) => EMAIL.test(cell));
    if (emailAt < 0) {
      // A header line ("name,email") is skipped; anything else is a problem.
      if (line === 1 && /mail/i.test(raw)) return;
      result.problems.push({ line, text: raw, problem: 'no e-mail address on this line' });
      return;
    }
    const email = row[emailAt] ?? '';
    const name = row
      .filter((_, i) => i !== emailAt)
      .join(' ')
      .trim();
    if (!name) {
      result.problems.push({ line, text: raw, problem: 'no name on this line' });
      return;
    }
    const key = email.toLowerCase();
    if (seen.has(key)) {
      result.problems.push({ line, text: raw, problem: `${email} is already on an earlier line` });
      return;
    }
    seen.add(key);
    result.people.push({ line, name, email });
  });
  return result;
}
