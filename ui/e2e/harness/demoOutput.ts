/**
 * Reads what `doorlink demo` prints: the hub's URL, the Kisi emulator's URL and owner key, and
 * the demo sign-ins. Tolerant of layout (labels, colons, slashes), strict about content: a
 * missing piece is an error naming it.
 */

export interface SignIn {
  email: string;
  password: string;
}

export interface DemoOutput {
  hubUrl: string;
  kisiUrl: string;
  kisiApiKey: string | undefined;
  signIns: Partial<Record<'admin' | 'staff' | 'member', SignIn>>;
}

const URL_PATTERN = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+[^\s]*/;

/** The first URL on a line that mentions `label` (case-insensitive). */
function urlOnLine(lines: string[], label: RegExp): string | undefined {
  for (const line of lines) {
    const url = URL_PATTERN.exec(line)?.[0];
    if (url && label.test(line)) return url.replace(/[).,;]+$/, '').replace(/\/$/, '');
  }
  return undefined;
}

function signInOnLine(lines: string[], role: string): SignIn | undefined {
  const pattern = new RegExp(
    `\\b${role}\\b[^\\n]*?([\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+)\\s*(?:/|,|\\s)\\s*(?:password\\s*[:=]?\\s*)?(\\S+)`,
    'i',
  );
  for (const line of lines) {
    const match = pattern.exec(line);
    if (match?.[1] && match[2]) return { email: match[1], password: match[2].replace(/[),;]+$/, '') };
  }
  return undefined;
}

export function parseDemoOutput(text: string): Partial<DemoOutput> {
  const lines = text.split(/\r?\n/);
  const kisiUrl = urlOnLine(lines, /kisi|emulator/i);
  const hubUrl = urlOnLine(
    lines.filter((line) => !/kisi|emulator/i.test(line)),
    /doorlink|hub|web|open|ui|browser/i,
  );
  const key = lines.map((line) => /api[ _-]?key\s*[:=]?\s*([0-9a-zA-Z_-]{16,})/i.exec(line)?.[1]).find(Boolean);
  const signIns: DemoOutput['signIns'] = {};
  for (const role of ['admin', 'staff', 'member'] as const) {
    const found = signInOnLine(lines, role);
    if (found) signIns[role] = found;
  }
  return { hubUrl, kisiUrl, kisiApiKey: key, signIns };
}

/** True once the printout has everything the scenarios need. */
export function isComplete(output: Partial<DemoOutput>): output is DemoOutput {
  return Boolean(
    output.hubUrl && output.kisiUrl && output.signIns?.admin && output.signIns.staff && output.signIns.member,
  );
}

export function missingPieces(output: Partial<DemoOutput>): string[] {
  const missing: string[] = [];
  if (!output.hubUrl) missing.push('the hub URL');
  if (!output.kisiUrl) missing.push('the Kisi emulator URL');
  for (const role of ['admin', 'staff', 'member'] as const) {
    if (!output.signIns?.[role]) missing.push(`the ${role} sign-in`);
  }
  return missing;
}
