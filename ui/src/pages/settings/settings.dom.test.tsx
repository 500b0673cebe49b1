/**
 * The desktop's first start and settings page, in a simulated DOM: the real components over a fake
 * hub and a fake desktop (the commands' seam), no network and no Tauri.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../api/api';
import { ApiProvider } from '../../api/context';
import type { DesktopCommands, DesktopMode, DesktopStatus, FirstAdmin } from '../../api/desktopTransport';
import { ApiError } from '../../api/errors';
import { App } from '../../app/App';
import { ToastProvider } from '../../components/Toasts';
import { fakeHub, type FakeHub } from '../../test/fakeHub';
import { accessOf, berlin, mia } from '../../test/fixtures';
import { description } from '../../test/renderApp';
import { DesktopProvider } from './desktop';

const HUB = 'https://doorlink.harbor.example';

/**
 * A stand-in desktop app: keeps its settings, refuses what `refuse` names, records each call. Its
 * front desk hub has an account unless `firstAdmin` says what creating the first one answers.
 */
function fakeDesktop(
  mode: DesktopMode | null,
  refuse: (mode: DesktopMode) => ApiError | undefined = () => undefined,
  firstAdmin?: (admin: FirstAdmin) => ApiError | undefined,
) {
  let needsFirstAdmin = firstAdmin !== undefined;
  let status: DesktopStatus = {
    settings: { mode, signed_in: null, start_at_login: false, front_desk_port: null },
    secrets_backend: 'encryptedFile',
    can_unlock_directly: true,
  };
  const calls: string[] = [];
  const commands: DesktopCommands = {
    status: async () => status,
    chooseMode: async (next) => {
      calls.push(`choose ${JSON.stringify(next)}`);
      const refusal = refuse(next);
      if (refusal) throw refusal;
      status = { ...status, settings: { ...status.settings, mode: next, signed_in: null } };
      return status;
    },
    setStartAtLogin: async (enabled) => {
      calls.push(`start at login ${enabled}`);
      status = { ...status, settings: { ...status.settings, start_at_login: enabled } };
      return status;
    },
    frontDeskSetup: async () => ({
      needs_first_admin: needsFirstAdmin,
      password_rule: { min_chars: 10, max_chars: 256 },
    }),
    createFirstAdmin: async (admin) => {
      calls.push(`first admin ${admin.name} ${admin.email}`);
      const refusal = firstAdmin?.(admin);
      if (refusal) throw refusal;
      needsFirstAdmin = false;
      return { id: 1, email: admin.email, role: 'admin', person_id: 1 };
    },
  };
  return { commands, calls };
}

function renderDesktop(hub: FakeHub, desktop: DesktopCommands, path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const user = userEvent.setup();
  render(
    <DesktopProvider commands={desktop}>
      <ApiProvider api={createApi(hub.transport)}>
        <QueryClientProvider client={client}>
          <MemoryRouter initialEntries={[path]}>
            <ToastProvider>
              <App />
            </ToastProvider>
          </MemoryRouter>
        </QueryClientProvider>
      </ApiProvider>
    </DesktopProvider>,
  );
  return { user };
}

const signedOut = () =>
  fakeHub({
    'GET /auth/session': () => {
      throw new ApiError(401, 'unauthenticated', 'Sign in to see your doors.');
    },
  });

describe('the first start of the desktop app', () => {
  it('asks how this computer is used before anything else, and no sign-in form shows yet', async () => {
    const desktop = fakeDesktop(null);
    renderDesktop(signedOut(), desktop.commands, '/');
    expect(await screen.findByText('How will you use Doorlink on this computer?')).toBeTruthy();
    expect(screen.getByLabelText(/This computer is the front desk/)).toBeTruthy();
    expect(screen.getByLabelText(/Sign in to a hub/)).toBeTruthy();
    expect(screen.queryByLabelText('E-mail')).toBeNull();
  });

  it('checks the hub address’s shape next to the field before the app is asked', async () => {
    const desktop = fakeDesktop(null);
    const { user } = renderDesktop(signedOut(), desktop.commands, '/sign-in');
    await user.type(await screen.findByLabelText('Hub address'), 'doorlink.harbor.example');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(description(screen.getByLabelText('Hub address'))).toMatch(/not a web address/);
    expect(desktop.calls).toEqual([]);
  });

  it('says next to the field when no hub answers at a well-formed address', async () => {
    const unreachable = new ApiError(422, 'offline', 'the hub at https://doorlink.harbor.example cannot be reached', [
      {
        field: 'url',
        problem:
          'the hub at https://doorlink.harbor.example cannot be reached (connection refused). Check the address.',
      },
    ]);
    const desktop = fakeDesktop(null, () => unreachable);
    const { user } = renderDesktop(signedOut(), desktop.commands, '/sign-in');
    await user.type(await screen.findByLabelText('Hub address'), HUB);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(description(screen.getByLabelText('Hub address'))).toMatch(/cannot be reached/));
    expect(screen.queryByLabelText('E-mail')).toBeNull();
  });

  it('goes on to the sign-in form for the chosen hub, with the way in by invitation', async () => {
    const desktop = fakeDesktop(null);
    const { user } = renderDesktop(signedOut(), desktop.commands, '/sign-in');
    await user.type(await screen.findByLabelText('Hub address'), HUB);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    expect(desktop.calls).toEqual([`choose {"kind":"remote_hub","url":"${HUB}"}`]);
    expect(screen.getByText(`This computer signs in to the hub at ${HUB}.`, { exact: false })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Use it to set your password' }).getAttribute('href')).toBe('/invite');
  });

  it('makes this computer the front desk in one choice', async () => {
    const desktop = fakeDesktop(null);
    const { user } = renderDesktop(signedOut(), desktop.commands, '/sign-in');
    await user.click(await screen.findByLabelText(/This computer is the front desk/));
    expect(screen.queryByLabelText('Hub address')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    expect(desktop.calls).toEqual(['choose {"kind":"front_desk"}']);
  });
});

describe('the desktop settings page', () => {
  const signedIn = () => {
    const hub = fakeHub({
      'GET /auth/session': () => ({
        account: mia,
        csrf_token: 'csrf-of-the-session',
        expires_at: '2026-12-01T00:00:00Z',
      }),
      'GET /me/access': () => accessOf(berlin()),
      'GET /locations': () => [],
    });
    hub.on('POST /auth/sign-out', () => null);
    return hub;
  };

  it('shows the hub, start at login, and where secrets are kept in words', async () => {
    const desktop = fakeDesktop({ kind: 'remote_hub', url: HUB });
    renderDesktop(signedIn(), desktop.commands, '/settings');
    expect(await screen.findByText(`This computer signs in to the hub at ${HUB}.`)).toBeTruthy();
    expect((screen.getByLabelText('Start Doorlink when I log in to this computer') as HTMLInputElement).checked).toBe(
      false,
    );
    expect(
      screen.getByText(/no keychain, so your session and your Kisi login are kept in an encrypted file/),
    ).toBeTruthy();
    expect(screen.getByText(/Signed in as/).textContent).toContain(mia.email);
  });

  it('turns start at login on through the app', async () => {
    const desktop = fakeDesktop({ kind: 'remote_hub', url: HUB });
    const { user } = renderDesktop(signedIn(), desktop.commands, '/settings');
    await user.click(await screen.findByLabelText('Start Doorlink when I log in to this computer'));
    await waitFor(() =>
      expect((screen.getByLabelText('Start Doorlink when I log in to this computer') as HTMLInputElement).checked).toBe(
        true,
      ),
    );
    expect(desktop.calls).toEqual(['start at login true']);
  });

  it('changing to the front desk signs out and shows the sign-in screen', async () => {
    const desktop = fakeDesktop({ kind: 'remote_hub', url: HUB });
    const { user } = renderDesktop(signedIn(), desktop.commands, '/settings');
    await user.click(await screen.findByRole('button', { name: 'Change…' }));
    const form = screen.getByTestId('choose-mode');
    expect(within(form).getByText(/Changing this signs you out/)).toBeTruthy();
    await user.click(within(form).getByLabelText(/This computer is the front desk/));
    await user.click(within(form).getByRole('button', { name: 'Continue' }));
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    expect(screen.getByText(/This computer is the front desk/)).toBeTruthy();
  });

  it('signs out from the settings page', async () => {
    const hub = signedIn();
    const desktop = fakeDesktop({ kind: 'remote_hub', url: HUB });
    const { user } = renderDesktop(hub, desktop.commands, '/settings');
    await user.click(await screen.findByRole('button', { name: 'Sign out of this computer' }));
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    expect(hub.seen).toContain('POST /auth/sign-out');
  });
});

describe('the front desk on a fresh computer', () => {
  const ADA = { name: 'Ada Okafor', email: 'ada@harbor.example', password: 'a long enough password' };
  const ada = { id: 1, email: ADA.email, role: 'admin' as const, person_id: 1 };

  async function fillIn(
    user: ReturnType<typeof userEvent.setup>,
    values: { name: string; email: string; password: string; repeat: string },
  ) {
    await user.type(await screen.findByLabelText('Your name'), values.name);
    await user.type(screen.getByLabelText('E-mail'), values.email);
    await user.type(screen.getByLabelText('Password'), values.password);
    await user.type(screen.getByLabelText('Password again'), values.repeat);
    await user.click(screen.getByRole('button', { name: 'Create and sign in' }));
  }

  it('asks for the first admin with the hub’s password rule next to the field, not a sign-in', async () => {
    const desktop = fakeDesktop({ kind: 'front_desk' }, undefined, () => undefined);
    renderDesktop(signedOut(), desktop.commands, '/sign-in');
    expect(await screen.findByRole('heading', { name: 'Create the first admin' })).toBeTruthy();
    expect(description(screen.getByLabelText('Password'))).toMatch(/At least 10 characters/);
    expect(screen.queryByRole('heading', { name: 'Sign in to Doorlink' })).toBeNull();
  });

  it('enforces the password rule and the repeat at the fields before the app is asked', async () => {
    const desktop = fakeDesktop({ kind: 'front_desk' }, undefined, () => undefined);
    const { user } = renderDesktop(signedOut(), desktop.commands, '/sign-in');
    await fillIn(user, { ...ADA, password: 'too short', repeat: 'too shorT' });
    expect(description(screen.getByLabelText('Password'))).toMatch(/at least 10 characters \(this has 9\)/);
    expect(description(screen.getByLabelText('Password again'))).toMatch(/does not match/);
    expect(desktop.calls).toEqual([]);
  });

  it('creates the first admin in the app and signs them in', async () => {
    const hub = signedOut();
    hub.on('POST /auth/sign-in', () => ({
      token: '',
      csrf_token: '',
      expires_at: '2026-12-01T00:00:00Z',
      account: ada,
    }));
    const desktop = fakeDesktop({ kind: 'front_desk' }, undefined, () => undefined);
    const { user } = renderDesktop(hub, desktop.commands, '/sign-in');
    await fillIn(user, { ...ADA, repeat: ADA.password });
    await waitFor(() => expect(hub.seen).toContain('POST /auth/sign-in'));
    expect(desktop.calls).toEqual([`first admin ${ADA.name} ${ADA.email}`]);
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Create the first admin' })).toBeNull());
  });

  it('shows the hub’s refusal next to the field it names', async () => {
    const refusal = new ApiError(422, 'validation_failed', 'email: has no @', [
      { field: 'email', problem: 'the hub says: not an address' },
    ]);
    const desktop = fakeDesktop({ kind: 'front_desk' }, undefined, () => refusal);
    const { user } = renderDesktop(signedOut(), desktop.commands, '/sign-in');
    await fillIn(user, { ...ADA, repeat: ADA.password });
    await waitFor(() => expect(description(screen.getByLabelText('E-mail'))).toMatch(/the hub says: not an address/));
    expect(screen.getByRole('heading', { name: 'Create the first admin' })).toBeTruthy();
  });

  it('goes straight to sign-in when the hub already has its admin', async () => {
    const desktop = fakeDesktop({ kind: 'front_desk' });
    renderDesktop(signedOut(), desktop.commands, '/sign-in');
    expect(await screen.findByRole('heading', { name: 'Sign in to Doorlink' })).toBeTruthy();
    expect(screen.queryByLabelText('Your name')).toBeNull();
  });
});
