/** Reads the Kisi emulator's own records, as a Kisi admin would in the dashboard. */

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
