/**
 * "Your account" in a simulated DOM over a fake hub: a wrong current password shown at its field,
 * the change sent, the sessions listed with this one marked, another one ended.
 */
import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import type { AccountView } from '../../gen/AccountView';
import { fakeHub } from '../../test/fakeHub';
import { accessOf, berlin, mia, NOW, signedInAs } from '../../test/fixtures';
import { description, renderApp } from '../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

function accountHub(account: AccountView = mia) {
  const hub = fakeHub({
    'GET /locations': () => [],
    'GET /me/access': () => accessOf(berlin()),
    'GET /auth/sessions': () => [
      {
        id: 11,
        created_at: '2026-11-24T09:00:00Z',
        last_seen_at: '2026-11-24T09:59:00Z',
        expires_at: '2026-12-08T09:00:00Z',
        current: true,
      },
      {
        id: 12,
        created_at: '2026-11-20T09:00:00Z',
        last_seen_at: '2026-11-23T18:00:00Z',
        expires_at: '2026-12-04T09:00:00Z',
        current: false,
      },
    ],
  });
  signedInAs(hub, account);
  return hub;
}

async function fill(user: ReturnType<typeof renderApp>['user'], current: string, next: string) {
  await user.type(await screen.findByLabelText('Current password'), current);
  await user.type(screen.getByLabelText('New password'), next);
  await user.type(screen.getByLabelText('New password again'), next);
  await user.click(screen.getByRole('button', { name: 'Change password' }));
}

describe('Your account', () => {
  it('is reached from the header by every signed-in person', async () => {
    const { user } = renderApp(accountHub(), '/access');
    await user.click(await screen.findByRole('link', { name: `Your account: ${mia.email}` }));
    expect(await screen.findByRole('heading', { name: 'Your account', level: 1 })).toBeTruthy();
  });

  it('shows a wrong current password next to that field', async () => {
    const hub = accountHub();
    hub.on('POST /auth/password', () => {
      throw new ApiError(422, 'validation_failed', 'current_password: is not the account’s current password', [
        { field: 'current_password', problem: 'is not the account’s current password' },
      ]);
    });
    const { user } = renderApp(hub, '/account');
    await fill(user, 'a wrong guess', 'a brand new passphrase');
    await waitFor(() =>
      expect(description(screen.getByLabelText('Current password'))).toContain('is not the account’s current password'),
    );
  });

  it('sends the current and the new password, never the repeat', async () => {
    const hub = accountHub();
    let sent: unknown;
    hub.on('POST /auth/password', (request) => {
      sent = request.body;
      return { message: 'the password was changed; your other sessions were ended' };
    });
    const { user } = renderApp(hub, '/account');
    await fill(user, 'the old passphrase', 'a brand new passphrase');
    await waitFor(() =>
      expect(sent).toEqual({ current_password: 'the old passphrase', new_password: 'a brand new passphrase' }),
    );
  });

  it('refuses two different new passwords without asking the hub', async () => {
    const hub = accountHub();
    const { user } = renderApp(hub, '/account');
    await user.type(await screen.findByLabelText('Current password'), 'the old passphrase');
    await user.type(screen.getByLabelText('New password'), 'a brand new passphrase');
    await user.type(screen.getByLabelText('New password again'), 'a brand new passphrasf');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(description(screen.getByLabelText('New password again'))).toBe('The two passwords differ.');
    expect(hub.seen).not.toContain('POST /auth/password');
  });

  it('lists the sessions with this one marked, and ends another', async () => {
    const hub = accountHub();
    hub.on('DELETE /auth/sessions/12', () => ({ message: 'the session was ended' }));
    const { user } = renderApp(hub, '/account');
    expect(await screen.findByText('this session')).toBeTruthy();
    // One button: this session has none (signing out is how it ends).
    await user.click(screen.getByRole('button', { name: /^End the session signed in/ }));
    await waitFor(() => expect(hub.seen).toContain('DELETE /auth/sessions/12'));
  });
});
