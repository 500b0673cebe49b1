/** Signing in, in a simulated DOM over a fake hub: problems show next to the field they concern. */
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { fakeHub } from '../test/fakeHub';
import { accessOf, berlin, mia } from '../test/fixtures';
import { description, renderApp } from '../test/renderApp';

function signedOutHub() {
  return fakeHub({
    'GET /auth/session': () => {
      throw new ApiError(401, 'unauthenticated', 'Sign in first.');
    },
    'GET /me/access': () => accessOf(berlin()),
  });
}

async function fillIn(user: ReturnType<typeof renderApp>['user'], email: string, password: string) {
  await user.type(await screen.findByLabelText('E-mail'), email);
  if (password) await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('signing in', () => {
  it('shows the hub’s field error next to the field it names', async () => {
    const hub = signedOutHub();
    hub.on('POST /auth/sign-in', () => {
      throw new ApiError(422, 'validation_failed', 'The sign-in was refused.', [
        { field: 'email', problem: 'This address has no Doorlink account; ask the front desk for an invitation.' },
      ]);
    });
    const { user } = renderApp(hub, '/sign-in');
    await fillIn(user, 'nobody@harbor.example', 'correct horse battery');
    const email = screen.getByLabelText('E-mail');
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(description(email)).toBe('This address has no Doorlink account; ask the front desk for an invitation.');
    expect(description(screen.getByLabelText('Password'))).toBe('');
  });

  it('checks the e-mail as you type, before asking the hub', async () => {
    const hub = signedOutHub();
    const { user } = renderApp(hub, '/sign-in');
    await fillIn(user, 'mia', 'x');
    expect(description(screen.getByLabelText('E-mail'))).toBe('Enter the e-mail address you were invited with.');
    expect(hub.seen).not.toContain('POST /auth/sign-in');
  });

  it('says why a wrong password was refused and stays on the page', async () => {
    const hub = signedOutHub();
    hub.on('POST /auth/sign-in', () => {
      throw new ApiError(401, 'unauthenticated', 'The e-mail or the password is wrong.');
    });
    const { user } = renderApp(hub, '/sign-in');
    await fillIn(user, 'mia@harbor.example', 'wrong password');
    expect((await screen.findByRole('alert')).textContent).toContain('The e-mail or the password is wrong.');
    expect(screen.getByRole('heading', { name: 'Sign in to Doorlink' })).toBeTruthy();
  });

  it('signs in, hands the session to the transport and opens the Access page', async () => {
    const hub = signedOutHub();
    hub.on('POST /auth/sign-in', () => ({
      token: 't',
      csrf_token: 'csrf-1',
      expires_at: '2026-12-01T00:00:00Z',
      account: mia,
    }));
    const { user } = renderApp(hub, '/sign-in');
    await fillIn(user, 'mia@harbor.example', 'correct horse battery');
    expect(await screen.findByRole('heading', { name: 'Access', level: 1 })).toBeTruthy();
    expect(hub.credentials?.csrf_token).toBe('csrf-1');
  });
});
