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
  if (!response.ok)
    throw new Error(`the Kisi emulator answered ${response.status} to GET /events: ${await response.text()}`);
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
    body: JSON.stringify({
      login: { type: 'device' },
      user: { domain: owner.domain, email: owner.email, password: owner.password },
    }),
  });
  if (!response.ok)
    throw new Error(`the Kisi emulator refused the owner sign-in: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { secret: string }).secret;
}

/** The id of the Kisi lock named `name` (`GET /locks` with the owner's key). */
export async function kisiLockId(kisiUrl: string, apiKey: string, name: string): Promise<number> {
  const response = await fetch(`${kisiUrl}/locks?limit=100`, {
    headers: { Authorization: `KISI-LOGIN ${apiKey}`, Accept: 'application/json' },
  });
  if (!response.ok)
    throw new Error(`the Kisi emulator answered ${response.status} to GET /locks: ${await response.text()}`);
  const lock = ((await response.json()) as { id: number; name: string }[]).find((l) => l.name === name);
  if (!lock) throw new Error(`the Kisi emulator has no lock named ${name}`);
  return lock.id;
}

/** Takes a door offline or locks it down, as its controller or a Kisi admin would (emulator control API). */
export async function setKisiLockState(
  kisiUrl: string,
  lockId: number,
  state: { online: boolean; locked_down: boolean },
): Promise<void> {
  const response = await fetch(`${kisiUrl}/__emulator/locks/${lockId}/state`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(state),
  });
  if (response.status !== 204)
    throw new Error(`the Kisi emulator answered ${response.status} to the lock state: ${await response.text()}`);
}

/** The id of the Kisi user with `email` (`GET /users?query=` with the owner's key). */
export async function kisiUserId(kisiUrl: string, apiKey: string, email: string): Promise<number> {
  const response = await fetch(`${kisiUrl}/users?query=${encodeURIComponent(email)}&limit=100`, {
    headers: { Authorization: `KISI-LOGIN ${apiKey}`, Accept: 'application/json' },
  });
  if (!response.ok)
    throw new Error(`the Kisi emulator answered ${response.status} to GET /users: ${await response.text()}`);
  const user = ((await response.json()) as { id: number; email: string }[]).find(
    (u) => u.email.toLowerCase() === email.toLowerCase(),
  );
  if (!user) throw new Error(`the Kisi emulator has no user ${email}`);
  return user.id;
}

/** Every lock of the emulator by name (`GET /locks` with the owner's key). */
export async function kisiLocks(kisiUrl: string, apiKey: string): Promise<{ id: number; name: string }[]> {
  const response = await fetch(`${kisiUrl}/locks?limit=100`, {
    headers: { Authorization: `KISI-LOGIN ${apiKey}`, Accept: 'application/json' },
  });
  if (!response.ok)
    throw new Error(`the Kisi emulator answered ${response.status} to GET /locks: ${await response.text()}`);
  return (await response.json()) as { id: number; name: string }[];
}

export interface TapOutcome {
  success: boolean;
  error_code: string | null;
  error_message: string | null;
}

/**
 * A card held to the door's reader by the Kisi user `userId` (emulator control API): judged as an
 * unlock by that user in person, logged as their `lock.unlock` event and delivered by webhook.
 */
export async function tapAtReader(kisiUrl: string, lockId: number, userId: number): Promise<TapOutcome> {
  const response = await fetch(`${kisiUrl}/__emulator/locks/${lockId}/tap`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId, credential: 'card' }),
  });
  if (!response.ok)
    throw new Error(`the Kisi emulator answered ${response.status} to the tap: ${await response.text()}`);
  return (await response.json()) as TapOutcome;
}
