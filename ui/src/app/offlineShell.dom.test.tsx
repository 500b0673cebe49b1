/**
 * The portal opened with no hub to answer (issue 17, point 14; A6): the real fetch transport over
 * a `fetch` that cannot reach anything. Adversaries: the network gone between two visits, and a
 * shared computer after the member signed out.
 */
import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchTransport } from '../api/fetchTransport';
import { saveCachedAccess } from '../pages/access/accessCache';
import { accessOf, berlin, mia, NOW } from '../test/fixtures';
import { renderApp } from '../test/renderApp';
import { rememberAccount } from './installable';

function noHub() {
  return fetchTransport({
    fetch: (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch,
    eventSource: () => ({ close: () => undefined, addEventListener: () => undefined }) as unknown as EventSource,
  });
}

beforeEach(() => {
  localStorage.clear();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe('without a connection', () => {
  it('opens as the member last signed in here, with their last confirmed doors', async () => {
    rememberAccount(mia);
    saveCachedAccess(mia.id, accessOf(berlin()));
    renderApp({ transport: noHub() }, '/access');
    expect(await screen.findByText('You are offline.')).toBeTruthy();
    expect(await screen.findByText(/These are your doors as last confirmed/)).toBeTruthy();
    const door = await screen.findByRole('button', { name: /Front Door, / });
    expect((door as HTMLButtonElement).disabled).toBe(true);
  });

  it('asks for a sign-in when nobody is remembered (they signed out)', async () => {
    saveCachedAccess(mia.id, accessOf(berlin()));
    renderApp({ transport: noHub() }, '/access');
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Front Door, / })).toBeNull();
  });
});
