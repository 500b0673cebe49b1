/** The header's connection badge in a simulated DOM: it says "Live" only when it is true. */
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeHub, unreachable } from '../test/fakeHub';
import { accessOf, berlin, mia, NOW, signedInAs } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

function memberHub() {
  const hub = fakeHub({ 'GET /me/access': () => accessOf(berlin()) });
  signedInAs(hub, mia);
  return hub;
}

/** The badge's status region, as a screen reader hears it. */
function badge(): HTMLElement {
  const region = screen.getAllByRole('status').find((element) => element.textContent?.startsWith('Connection: '));
  if (!region) throw new Error('no status region announces the connection');
  return region;
}

async function signedIn(hub = memberHub()) {
  const view = renderApp(hub, '/access');
  await screen.findByRole('button', { name: /^Unlock Front Door, / });
  return { hub, ...view };
}

describe('the connection badge', () => {
  it('says "Connecting…" until the live events connect, then "Live"', async () => {
    const { hub } = await signedIn();
    expect(badge().textContent).toBe('Connection: Connecting…');
    act(() => hub.live('live'));
    expect(badge().textContent).toBe('Connection: Live');
  });

  it('says "Reconnecting…" while the live events are retried', async () => {
    const { hub } = await signedIn();
    act(() => hub.live('live'));
    act(() => hub.live('reconnecting'));
    expect(badge().textContent).toBe('Connection: Reconnecting…');
  });

  it('says "Offline" with when the hub last answered once it cannot be reached, though the events never said so', async () => {
    const hub = memberHub();
    hub.on('GET /me/access', () => {
      throw unreachable();
    });
    renderApp(hub, '/access');
    // The session was read back at 10:00 UTC, 05:00 on this New York browser's clock.
    await waitFor(() => expect(badge().textContent).toBe('Connection: Offline · last confirmed 05:00'));
    expect(badge().closest('.connection')?.getAttribute('data-status')).toBe('offline');
  });

  it('says "Offline" when the transport reports the hub gone (the desktop app does), and "Live" again when it is back', async () => {
    const { hub } = await signedIn();
    act(() => hub.live('live'));
    vi.setSystemTime(new Date('2026-11-24T18:21:00Z'));
    act(() => hub.live('offline'));
    expect(badge().textContent).toBe('Connection: Offline · last confirmed 05:00');
    act(() => hub.live('live'));
    expect(badge().textContent).toBe('Connection: Live');
  });

  it('is never "Live" while requests cannot reach the hub', async () => {
    const { hub, client } = await signedIn();
    act(() => hub.live('live'));
    // The events opening reads the page again (notices may have been missed); let that settle.
    await waitFor(() => expect(client.isFetching()).toBe(0));
    hub.on('GET /me/access', () => {
      throw unreachable();
    });
    await act(() => client.refetchQueries({ queryKey: ['access'] }));
    expect(badge().textContent).toMatch(/^Connection: Offline · last confirmed /);
  });
});
