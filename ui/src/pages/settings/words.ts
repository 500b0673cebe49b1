/** The settings in plain words, and the first check of a hub's address before it is sent. */
import type { DesktopMode, DesktopStatus } from '../../api/desktopTransport';

/** The form's own check of a typed hub address; the app then checks that a hub answers there. */
export function hubAddressProblem(raw: string): string | undefined {
  const typed = raw.trim();
  if (!typed) return 'Enter your hub’s address, like https://doorlink.example.com.';
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return `“${typed}” is not a web address: write it in full, like https://doorlink.example.com.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `The address must start with https:// (not ${url.protocol}//).`;
  }
  return undefined;
}

/** What the mode means for this computer. */
export function modeInWords(mode: DesktopMode | null): string {
  if (!mode) return 'Not chosen yet.';
  return mode.kind === 'front_desk'
    ? 'This computer is the front desk: Doorlink’s hub runs inside this app and keeps its data on this computer.'
    : `This computer signs in to the hub at ${mode.url}.`;
}

/** Where the session token and the person's Kisi login are kept, and what that protects. */
export function secretsInWords(backend: DesktopStatus['secrets_backend']): string {
  return backend === 'keychain'
    ? 'Your session and your Kisi login are kept in this computer’s keychain.'
    : 'This computer has no keychain, so your session and your Kisi login are kept in an encrypted file in ' +
        'Doorlink’s data folder: never in plain text, but anyone who can read your files here could use them.';
}

export function unlockingInWords(status: DesktopStatus): string {
  return status.can_unlock_directly
    ? 'Doors open straight through Kisi with your own Kisi login.'
    : 'Your hub has not given this computer a Kisi login yet, so doors cannot be opened from here.';
}

/** The hub's password rule, as the first-admin form says it next to the field. */
export function passwordRuleInWords(rule: { min_chars: number; max_chars: number }): string {
  return `At least ${rule.min_chars} characters (at most ${rule.max_chars}). A few unrelated words are easy to remember.`;
}
