/** Reads the Kisi emulator's own records, as a Kisi admin would in the dashboard. */
import { kisiOwner } from './scenario';

export interface KisiEvent {
  actor_name?: string | null;
  actor_email?: string | null;
  object_name?: string | null;
  success?: boolean;
  type?: string;
  [key: string]: unknown;
}

/** `GET /events` with the owner's key: every unlock attempt, newest first, attributed to its user. */
export async function kisiEvents(kisiUrl: string, apiKey: string): Promise<KisiEvent[]> {
  const response = await fetch(`${kisiUrl}/events?limit=100`, {
    headers: { Authorization: `KISI-LOGIN ${apiKey}`, Accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`the Kisi emulator answered ${response.status} to GET /events: ${await response.text()}`);
  return (await response.json()) as KisiEvent[];
}

/**
 * The owner's secret: the API key `doorlink demo` printed, else a login created with the owner's
 * sign-in from the emulator's demo seed (`POST /logins`, as an admin connecting would).
 */
export async function ownerSecret(kisiUrl: string, printedKey: string | undefined): Promise<string> {
  if (printedKey) return printedKey;
  const owner = kisiOwner();
  const response = await fetch(`${kisiUrl}/logins`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ login: { type: 'device' }, user: { domain: owner.domain, email: owner.email, password: owner.password } }),
  });
  if (!response.ok) throw new Error(`the Kisi emulator refused the owner sign-in: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { secret: string }).secret;
}
