/** The routes, guarded by role: members see Access, staff the front desk, admins the settings. */
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Loading } from '../components/Progress';
import type { Role } from '../gen/Role';
import { YourAccountPage } from '../pages/account/YourAccountPage';
import { AccessPage } from '../pages/access/AccessPage';
import { AdminPage } from '../pages/admin/AdminPage';
import { BookingsPage } from '../pages/frontdesk/BookingsPage';
import { CompaniesPage } from '../pages/frontdesk/CompaniesPage';
import { PeoplePage } from '../pages/frontdesk/PeoplePage';
import { TodayPage } from '../pages/frontdesk/today/TodayPage';
import { VisitorsPage } from '../pages/frontdesk/VisitorsPage';
import { WhosInPage } from '../pages/frontdesk/whosin/WhosInPage';
import { DesktopSignInGate } from '../pages/settings/DesktopSignInGate';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { AuthProvider, hasRole, useAuth } from './auth';
import { Layout } from './Layout';
import { LocationProvider } from './location';
import { SignInPage } from './SignInPage';
import { RedeemInvitationPage } from './RedeemInvitationPage';

function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { account } = useAuth();
  if (!account || !hasRole(account.role, role)) return <Navigate to="/" replace />;
  return children;
}

function Home() {
  const { account } = useAuth();
  if (!account) return null;
  // Staff and admins have doors of their own too (Access in the menu); they land on their work.
  if (hasRole(account.role, 'admin')) return <Navigate to="/admin" replace />;
  if (hasRole(account.role, 'staff')) return <Navigate to="/desk/today" replace />;
  return <Navigate to="/access" replace />;
}

function SignedIn() {
  const { account, checking } = useAuth();
  const here = useLocation();
  if (checking) return <Loading what="your session" />;
  // The page asked for is kept, so signing in (again) returns to it.
  if (!account) return <Navigate to="/sign-in" replace state={{ from: here.pathname + here.search }} />;
  return (
    <LocationProvider>
      <Layout />
    </LocationProvider>
  );
}

export function App() {
  return (
    <AuthProvider>
      <Routes>
        <Route
          path="/sign-in"
          element={
            <DesktopSignInGate>
              <SignInPage />
            </DesktopSignInGate>
          }
        />
        <Route path="/invite" element={<RedeemInvitationPage />} />
        <Route element={<SignedIn />}>
          <Route index element={<Home />} />
          <Route path="access" element={<AccessPage />} />
          <Route
            path="desk/today"
            element={
              <RequireRole role="staff">
                <TodayPage />
              </RequireRole>
            }
          />
          <Route
            path="desk/whos-in"
            element={
              <RequireRole role="staff">
                <WhosInPage />
              </RequireRole>
            }
          />
          <Route
            path="desk/people/:personId?/:tab?"
            element={
              <RequireRole role="staff">
                <PeoplePage />
              </RequireRole>
            }
          />
          <Route
            path="desk/companies/:companyId?"
            element={
              <RequireRole role="staff">
                <CompaniesPage />
              </RequireRole>
            }
          />
          <Route
            path="desk/bookings"
            element={
              <RequireRole role="staff">
                <BookingsPage />
              </RequireRole>
            }
          />
          <Route
            path="desk/visitors"
            element={
              <RequireRole role="staff">
                <VisitorsPage />
              </RequireRole>
            }
          />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="account" element={<YourAccountPage />} />
          <Route
            path="admin/:section?"
            element={
              <RequireRole role="admin">
                <AdminPage />
              </RequireRole>
            }
          />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </AuthProvider>
  );
}
