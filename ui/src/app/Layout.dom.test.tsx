/** The frame of every signed-in page in a simulated DOM: navigation by role, theme, sign-out. */
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../gen/AccountView';
import { fakeHub } from '../test/fakeHub';
import { accessOf, berlin, mia, NOW, signedInAs } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const ada: AccountView = { id: 1, email: 'ada@harbor.example', role: 'admin', person_id: null };

function hubFor(account: AccountView) {
  const hub = fakeHub({ 'GET /me/access': () => accessOf(berlin()), 'GET /locations': () => [] });
  signedInAs(hub, account);
  return hub;
}

const mainNavigation = () => within(screen.getByRole('navigation', { name: 'Main' }));

describe('the signed-in frame', () => {
  it('shows a member their Access page and nothing of the front desk or admin', async () => {
    renderApp(hubFor(mia), '/');
    await screen.findByRole('heading', { name: 'Access', level: 1 });
    expect(mainNavigation().getByRole('link', { name: 'Access' })).toBeTruthy();
    expect(mainNavigation().queryByRole('link', { name: 'People' })).toBeNull();
    expect(mainNavigation().queryByRole('link', { name: 'Admin' })).toBeNull();
  });

  it('sends an admin without a person to the admin pages, with the front desk beside them', async () => {
    renderApp(hubFor(ada), '/');
    await screen.findByRole('heading', { name: 'Admin', level: 1 });
    for (const name of ['People', 'Companies', 'Bookings', 'Admin']) {
      expect(mainNavigation().getByRole('link', { name })).toBeTruthy();
    }
    expect(mainNavigation().queryByRole('link', { name: 'Access' })).toBeNull();
  });

  it('keeps a member out of the admin pages', async () => {
    renderApp(hubFor(mia), '/admin/mappings');
    expect(await screen.findByRole('heading', { name: 'Access', level: 1 })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Admin' })).toBeNull();
  });

  it('switches the theme system → light → dark → system and remembers the choice', async () => {
    const { user } = renderApp(hubFor(mia), '/access');
    const root = document.documentElement;
    await user.click(await screen.findByRole('button', { name: 'System theme; switch theme' }));
    expect(root.dataset.theme).toBe('light');
    expect(localStorage.getItem('doorlink.theme')).toBe('light');
    await user.click(screen.getByRole('button', { name: 'Light theme; switch theme' }));
    expect(root.dataset.theme).toBe('dark');
    await user.click(screen.getByRole('button', { name: 'Dark theme; switch theme' }));
    expect(root.dataset.theme).toBeUndefined();
    expect(localStorage.getItem('doorlink.theme')).toBeNull();
  });

  it('signs out: back to the sign-in page, and the transport forgets the session', async () => {
    const hub = hubFor(mia);
    hub.on('POST /auth/sign-out', () => undefined);
    const { user } = renderApp(hub, '/access');
    await screen.findByRole('heading', { name: 'Access', level: 1 });
    expect(hub.credentials?.csrf_token).toBe('csrf-of-the-session');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Doorlink' })).toBeTruthy();
    expect(hub.seen).toContain('POST /auth/sign-out');
    expect(hub.credentials).toBeNull();
  });
});
