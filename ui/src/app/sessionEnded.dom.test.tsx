/**
 * A session the hub no longer accepts (expired or revoked), in a simulated DOM over a fake hub:
 * whether the live events or a request meet the 401, the UI returns to the sign-in page saying
 * why, and signing in again goes back to the page it was on.
 */
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { AccountView } from '../gen/AccountView';
import { fakeHub } from '../test/fakeHub';
import { NOW, signedInAs } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const admin: AccountView = { id: 1, email: 'owner@harbor.example', role: 'admin', person_id: null };
const sessionEnded = () => new ApiError(401, 'unauthenticated', 'Sign in first.');

/** An admin on the door-access mappings, whose session the hub will stop accepting. */
function adminHub() {
  const hub = fakeHub({
    'GET /locations': () => [
      {
        id: 1,
        name: 'Harbor Berlin',
        time_zone: 'Europe/Berlin',
        booking_grace_minutes: 30,
        access_page_visibility: 'public',
        kisi_place_id: null,
      },
    ],
    'GET /locations/1/kisi/catalogue': () => ({ places: [], groups: [], locks: [] }),
    'GET /locations/1/mappings': () => [],
    'GET /locations/1/plans': () => [],
    'GET /locations/1/resources': () => [],
    'GET /locations/1/products': () => [],
    'GET /locations/1/visitor-policies': () => [],
    'POST /auth/sign-in': () => ({
      token: 't',
      csrf_token: 'csrf-2',
      expires_at: '2026-12-01T00:00:00Z',
      account: admin,
    }),
  });
  signedInAs(hub, admin);
  return hub;
}

async function onMappings(hub: ReturnType<typeof adminHub>) {
  const view = renderApp(hub, '/admin/mappings');
  await screen.findByText(/No plans yet/);
  return view;
}

async function signInAgain(user: ReturnType<typeof renderApp>['user']) {
  await user.type(screen.getByLabelText('E-mail'), 'owner@harbor.example');
  await user.type(screen.getByLabelText('Password'), 'correct horse battery');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('when the hub ends the session', () => {
  it('refused live events bring back the sign-in page, and signing in returns to the page it was on', async () => {
    const hub = adminHub();
    const { user } = await onMappings(hub);
    act(() => hub.live('live'));
    act(() => hub.live('reconnecting'));
    act(() => hub.live('signed_out'));
    expect(await screen.findByRole('heading', { name: 'Sign in to Doorlink' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Your session ended; sign in again.');
    await signInAgain(user);
    expect(await screen.findByText(/No plans yet/)).toBeTruthy();
    expect(screen.queryByText('Your session ended; sign in again.')).toBeNull();
  });

  it('a request answered 401 brings back the sign-in page instead of an error on the page', async () => {
    const hub = adminHub();
    const { user, client } = await onMappings(hub);
    hub.on('GET /locations/1/plans', () => {
      throw sessionEnded();
    });
    await act(() => client.refetchQueries({ queryKey: ['catalog'] }).catch(() => undefined));
    expect(await screen.findByRole('heading', { name: 'Sign in to Doorlink' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Your session ended; sign in again.');
    hub.on('GET /locations/1/plans', () => []);
    await signInAgain(user);
    expect(await screen.findByText(/No plans yet/)).toBeTruthy();
  });

  it('says nothing of an ended session to someone who was not signed in', async () => {
    const hub = adminHub();
    hub.on('GET /auth/session', () => {
      throw sessionEnded();
    });
    renderApp(hub, '/admin/mappings');
    expect(await screen.findByRole('heading', { name: 'Sign in to Doorlink' })).toBeTruthy();
    await waitFor(() => expect(hub.seen).toContain('GET /auth/session'));
    expect(screen.queryByText('Your session ended; sign in again.')).toBeNull();
  });
});
