/** Redeeming an invitation link in a simulated DOM: the hub's words at the field, or in a notice. */
import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { RedeemInvitationRequest } from '../gen/RedeemInvitationRequest';
import { fakeHub } from '../test/fakeHub';
import { accessOf, berlin, mia, NOW } from '../test/fixtures';
import { description, renderApp } from '../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

function invitedHub() {
  return fakeHub({
    'GET /auth/session': () => {
      throw new ApiError(401, 'unauthenticated', 'Sign in first.');
    },
    'GET /me/access': () => accessOf(berlin()),
  });
}

async function choosePassword(user: ReturnType<typeof renderApp>['user'], password: string, repeat = password) {
  await user.type(await screen.findByLabelText('Password'), password);
  await user.type(screen.getByLabelText('Password again'), repeat);
  await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));
}

describe('redeeming an invitation', () => {
  it('takes the code from the link, sets the password and opens the Access page', async () => {
    const hub = invitedHub();
    let sent: RedeemInvitationRequest | undefined;
    hub.on('POST /auth/invitations/redeem', (request) => {
      sent = request.body as RedeemInvitationRequest;
      return { token: 't', csrf_token: 'csrf-2', expires_at: '2026-12-01T00:00:00Z', account: mia };
    });
    const { user } = renderApp(hub, '/invite?token=abc123');
    expect(screen.queryByLabelText('Invitation code')).toBeNull();
    await choosePassword(user, 'a-long-enough-password');
    expect(await screen.findByRole('heading', { name: 'Access', level: 1 })).toBeTruthy();
    expect(sent).toEqual({ token: 'abc123', password: 'a-long-enough-password' });
    expect(hub.credentials?.csrf_token).toBe('csrf-2');
  });

  it('says when the two passwords differ, next to the second, without asking the hub', async () => {
    const hub = invitedHub();
    const { user } = renderApp(hub, '/invite?token=abc123');
    await choosePassword(user, 'a-long-enough-password', 'a-long-enough-passwort');
    expect(description(screen.getByLabelText('Password again'))).toBe('The two passwords differ.');
    expect(hub.seen).not.toContain('POST /auth/invitations/redeem');
  });

  it('shows the hub’s password rule next to the password field', async () => {
    const hub = invitedHub();
    hub.on('POST /auth/invitations/redeem', () => {
      throw new ApiError(422, 'validation_failed', 'refused', [
        { field: 'password', problem: 'must not be the e-mail address' },
      ]);
    });
    const { user } = renderApp(hub, '/invite?token=abc123');
    await choosePassword(user, 'mia@harbor.example');
    const password = screen.getByLabelText('Password');
    await waitFor(() => expect(description(password)).toContain('must not be the e-mail address'));
  });

  it('says in the hub’s words when the invitation was used or expired', async () => {
    const hub = invitedHub();
    hub.on('POST /auth/invitations/redeem', () => {
      throw new ApiError(
        404,
        'not_found',
        'this invitation does not exist, was already used or has expired; ask for a new one',
      );
    });
    const { user } = renderApp(hub, '/invite?token=used');
    await choosePassword(user, 'a-long-enough-password');
    expect((await screen.findByRole('alert')).textContent).toContain(
      'was already used or has expired; ask for a new one',
    );
  });
});
