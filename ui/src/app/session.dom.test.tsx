/**
 * A reload in a simulated DOM with the real fetch transport over a fake `fetch`: the session comes
 * back from the hub's cookie with its CSRF token, and nothing is kept in the page.
 */
import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, fetchTransport } from '../api/fetchTransport';
import { accessOf, berlin, mia, NOW } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

/** What the hub saw of each request. */
interface Seen {
  route: string;
  csrf: string | undefined;
}

/** The hub behind `fetch`: the browser has a session cookie for Mia. */
function hubWithSessionCookie() {
  const seen: Seen[] = [];
  const answers: Record<string, unknown> = {
    'GET /api/auth/session': { account: mia, csrf_token: 'csrf-from-the-session', expires_at: '2026-12-01T00:00:00Z' },
    'GET /api/me/access': accessOf(berlin()),
    'POST /api/me/locks/1/unlock': { lock_id: 1, unlocked: true, message: 'Unlocked', reason: null },
  };
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const route = `${init?.method ?? 'GET'} ${new URL(String(input), 'http://hub.test').pathname}`;
    seen.push({ route, csrf: (init?.headers as Record<string, string> | undefined)?.[CSRF_HEADER] });
    const answer = answers[route];
    return answer === undefined ? new Response('{}', { status: 404 }) : Response.json(answer);
  };
  return { seen, fetch: fetch as typeof globalThis.fetch };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe('after a reload', () => {
  it('writes carry the CSRF token the session answered, and the page stores none of it', async () => {
    const hub = hubWithSessionCookie();
    const transport = fetchTransport({
      fetch: hub.fetch,
      // No live events in this test: a stream that never opens.
      eventSource: () => ({ close: () => undefined, addEventListener: () => undefined }) as unknown as EventSource,
    });
    const { user } = renderApp({ transport }, '/access');
    await user.click(await screen.findByRole('button', { name: /^Unlock Front Door, / }));
    await waitFor(() => expect(hub.seen.map((s) => s.route)).toContain('POST /api/me/locks/1/unlock'));
    expect(hub.seen.find((s) => s.route === 'POST /api/me/locks/1/unlock')?.csrf).toBe('csrf-from-the-session');
    expect(hub.seen.find((s) => s.route === 'GET /api/me/access')?.csrf).toBeUndefined();
    const stored = Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`);
    expect(stored.filter((entry) => entry.includes('csrf'))).toEqual([]);
  });
});
