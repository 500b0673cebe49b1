/** The frame of every signed-in page: role-based navigation, location, live status, theme, sign-out. */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useApi } from '../api/context';
import { isDesktop } from '../api/desktopTransport';
import { invalidateFor } from '../api/live';
import { Button } from '../components/Button';
import { hasRole, useAccount, useAuth } from './auth';
import { ConnectionBadge } from './ConnectionBadge';
import { useCurrentLocation } from './location';
import { applyTheme, nextTheme, storedTheme, type ThemeChoice } from './theme';

const THEME_LABEL: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };

/**
 * Keeps open pages current from the hub's live events; the badge shows how that goes. Notices
 * only tell what changes once the events are open: whenever they open — the first time (the page
 * was read while they were still connecting) or back after an outage — what is shown may have
 * missed some, so it is read again.
 */
function useLiveUpdates(): void {
  const api = useApi();
  const client = useQueryClient();
  useEffect(() => {
    let open = false;
    return api.subscribe(
      (event) => invalidateFor(client, event),
      (status) => {
        if (status === 'live' && !open) invalidateFor(client, { kind: 'lagged', data: null });
        open = status === 'live';
      },
    );
  }, [api, client]);
}

export function Layout() {
  const account = useAccount();
  const { signOut } = useAuth();
  const { locations, location, select } = useCurrentLocation();
  useLiveUpdates();
  const [theme, setTheme] = useState<ThemeChoice>(storedTheme);
  const staff = hasRole(account.role, 'staff');
  const admin = hasRole(account.role, 'admin');

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          Doorlink
        </NavLink>
        <nav aria-label="Main">
          <ul>
            {account.person_id !== null && (
              <li>
                <NavLink to="/access">Access</NavLink>
              </li>
            )}
            {staff && (
              <>
                <li>
                  <NavLink to="/desk/today">Today</NavLink>
                </li>
                <li>
                  <NavLink to="/desk/whos-in">Who’s in</NavLink>
                </li>
                <li>
                  <NavLink to="/desk/people">People</NavLink>
                </li>
                <li>
                  <NavLink to="/desk/companies">Companies</NavLink>
                </li>
                <li>
                  <NavLink to="/desk/bookings">Bookings</NavLink>
                </li>
                <li>
                  <NavLink to="/desk/visitors">Visitors</NavLink>
                </li>
              </>
            )}
            {admin && (
              <li>
                <NavLink to="/admin">Admin</NavLink>
              </li>
            )}
            {isDesktop() && (
              <li>
                <NavLink to="/settings">Settings</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="who">
          {staff && locations.length > 1 && (
            <label className="row">
              <span className="muted">Location</span>
              <select value={location?.id ?? ''} onChange={(e) => select(Number(e.target.value))}>
                {locations.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <ConnectionBadge />
          <Button
            variant="ghost"
            size="small"
            onClick={() => {
              const next = nextTheme(theme);
              applyTheme(next);
              setTheme(next);
            }}
            aria-label={`${THEME_LABEL[theme]}; switch theme`}
          >
            {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
          </Button>
          <NavLink to="/account">
            <span className="visually-hidden">Your account: </span>
            {account.email}
          </NavLink>
          <Button size="small" onClick={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
