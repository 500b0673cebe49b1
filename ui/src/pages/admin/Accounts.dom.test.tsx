/**
 * The admin's Accounts page in a simulated DOM over a fake hub: the list, a role change, the hub's
 * refusal to demote the last admin shown at the role field, disabling, withdrawing an invitation.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import type { AccountSummaryView } from '../../gen/AccountSummaryView';
import type { AccountView } from '../../gen/AccountView';
import { fakeHub } from '../../test/fakeHub';
import { NOW, signedInAs } from '../../test/fixtures';
import { description, renderApp } from '../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const owner: AccountView = { id: 1, email: 'owner@harbor.example', role: 'admin', person_id: null };
const ownerRow: AccountSummaryView = {
  ...owner,
  disabled_at: null,
  last_sign_in_at: '2026-11-24T08:00:00Z',
  created_at: '2026-01-01T00:00:00Z',
};
const deskRow: AccountSummaryView = {
  id: 2,
  email: 'desk@harbor.example',
  role: 'staff',
  person_id: null,
  disabled_at: null,
  last_sign_in_at: null,
  created_at: '2026-02-01T00:00:00Z',
};

function accountsHub() {
  const hub = fakeHub({
    'GET /locations': () => [],
    'GET /accounts': () => [deskRow, ownerRow],
    'GET /auth/invitations': () => [
      {
        id: 9,
        email: 'new@harbor.example',
        role: 'member',
        person_id: 4,
        invited_by: 2,
        created_at: '2026-11-23T10:00:00Z',
        expires_at: '2026-11-30T10:00:00Z',
      },
    ],
    'GET /accounts/history': () => [
      {
        id: 3,
        at: '2026-11-23T10:00:00Z',
        actor_id: 2,
        actor_email: 'desk@harbor.example',
        account_id: null,
        subject_email: 'new@harbor.example',
        action: 'invited',
        detail: 'as member',
      },
    ],
  });
  signedInAs(hub, owner);
  return hub;
}

describe('the Accounts page', () => {
  it('lists every account with its role, whether it ever signed in, and who did what', async () => {
    renderApp(accountsHub(), '/admin/accounts');
    const desk = await screen.findByRole('listitem', { name: 'desk@harbor.example' });
    expect(within(desk).getByText('Never signed in')).toBeTruthy();
    expect((within(desk).getByLabelText('Role of desk@harbor.example') as HTMLSelectElement).value).toBe('staff');
    const mine = screen.getByRole('listitem', { name: 'owner@harbor.example' });
    expect(within(mine).getByText('you')).toBeTruthy();
    const history = await screen.findByRole('table', { name: /^Who did what, newest first \(times in .+ time\)$/ });
    expect(within(history).getByText('desk@harbor.example')).toBeTruthy();
    expect(within(history).getByText('invited as member')).toBeTruthy();
  });

  it('changes a role', async () => {
    const hub = accountsHub();
    let sent: unknown;
    hub.on('PUT /accounts/2/role', (request) => {
      sent = request.body;
      return { ...deskRow, role: 'admin' };
    });
    const { user } = renderApp(hub, '/admin/accounts');
    await user.selectOptions(await screen.findByLabelText('Role of desk@harbor.example'), 'admin');
    await waitFor(() => expect(sent).toEqual({ role: 'admin' }));
  });

  it('shows the hub’s refusal to demote the last admin next to the role field', async () => {
    const hub = accountsHub();
    hub.on('PUT /accounts/1/role', () => {
      throw new ApiError(409, 'conflict', 'role: this is the last admin: make another account admin first', [
        { field: 'role', problem: 'this is the last admin: make another account admin first' },
      ]);
    });
    const { user } = renderApp(hub, '/admin/accounts');
    const role = await screen.findByLabelText('Role of owner@harbor.example');
    await user.selectOptions(role, 'staff');
    await waitFor(() => expect(description(role)).toContain('this is the last admin'));
    expect((role as HTMLSelectElement).value).toBe('admin');
  });

  it('disables an account', async () => {
    const hub = accountsHub();
    hub.on('POST /accounts/2/disable', () => ({ ...deskRow, disabled_at: NOW.toISOString() }));
    const { user } = renderApp(hub, '/admin/accounts');
    const desk = await screen.findByRole('listitem', { name: 'desk@harbor.example' });
    await user.click(within(desk).getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(hub.seen).toContain('POST /accounts/2/disable'));
  });

  it('withdraws a pending invitation', async () => {
    const hub = accountsHub();
    hub.on('DELETE /auth/invitations/9', () => ({ message: 'the invitation was withdrawn' }));
    const { user } = renderApp(hub, '/admin/accounts');
    await user.click(await screen.findByRole('button', { name: 'Withdraw the invitation of new@harbor.example' }));
    await waitFor(() => expect(hub.seen).toContain('DELETE /auth/invitations/9'));
  });
});
