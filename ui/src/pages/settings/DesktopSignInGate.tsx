/**
 * The sign-in screen of the desktop app. At first start (no mode saved, none given on the command
 * line) it asks how this computer is used; at a front desk whose own hub has no account yet it
 * asks for the first admin; afterwards it shows the sign-in form with the hub it signs in to, a
 * way to change that, and the way in with an invitation code. In a browser it shows the sign-in
 * form alone.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Loading } from '../../components/Progress';
import { Notice } from '../../components/Notice';
import { describeError } from '../../api/errors';
import type { DesktopCommands, DesktopStatus, FrontDeskSetup } from '../../api/desktopTransport';
import { Button } from '../../components/Button';
import { ChooseMode } from './ChooseMode';
import { FirstAdminForm } from './FirstAdminForm';
import { DESKTOP_STATUS_KEY, useDesktop, useDesktopStatus } from './desktop';
import { modeInWords } from './words';

export function DesktopSignInGate({ children }: { children: ReactNode }) {
  const desktop = useDesktop();
  if (!desktop) return children;
  return <DesktopSignIn desktop={desktop}>{children}</DesktopSignIn>;
}

function DesktopSignIn({ desktop, children }: { desktop: DesktopCommands; children: ReactNode }) {
  const client = useQueryClient();
  const status = useDesktopStatus(desktop);
  const [changing, setChanging] = useState(false);

  if (status.isPending) return <Loading what="this computer’s settings" />;
  if (status.isError) {
    return (
      <main id="main" className="signin">
        <Notice tone="danger" title="Doorlink cannot read this computer’s settings">
          {describeError(status.error)}
        </Notice>
      </main>
    );
  }
  const mode = status.data.settings.mode;
  if (!mode || changing) {
    return (
      <main id="main" className="signin" data-first-start={mode ? undefined : ''}>
        <div className="card" style={{ maxWidth: 520, margin: '8vh auto' }}>
          <h1>{mode ? 'Change how Doorlink is used here' : 'Welcome to Doorlink'}</h1>
          <ChooseMode
            desktop={desktop}
            current={mode}
            onCancel={mode ? () => setChanging(false) : undefined}
            onChosen={(next) => {
              client.setQueryData(DESKTOP_STATUS_KEY, next);
              setChanging(false);
            }}
          />
        </div>
      </main>
    );
  }
  if (mode.kind === 'front_desk') {
    return (
      <FrontDeskFirstAdmin desktop={desktop}>
        <SignInWithMode onChange={() => setChanging(true)} mode={mode}>
          {children}
        </SignInWithMode>
      </FrontDeskFirstAdmin>
    );
  }
  return (
    <SignInWithMode onChange={() => setChanging(true)} mode={mode}>
      {children}
    </SignInWithMode>
  );
}

const FRONT_DESK_SETUP_KEY = ['front-desk-setup'] as const;

/** The front desk's own hub: the first admin is asked for while it has no account, else sign-in. */
function FrontDeskFirstAdmin({ desktop, children }: { desktop: DesktopCommands; children: ReactNode }) {
  const client = useQueryClient();
  const setup = useQuery<FrontDeskSetup>({
    queryKey: FRONT_DESK_SETUP_KEY,
    queryFn: () => desktop.frontDeskSetup(),
    staleTime: Infinity,
  });
  if (setup.isPending) return <Loading what="this computer’s hub" />;
  if (setup.isError) {
    return (
      <main id="main" className="signin">
        <Notice tone="danger" title="This computer’s hub cannot start">
          {describeError(setup.error)}
        </Notice>
      </main>
    );
  }
  if (!setup.data.needs_first_admin) return children;
  return (
    <main id="main" className="signin" data-first-admin="">
      <div className="card" style={{ maxWidth: 520, margin: '8vh auto' }}>
        <FirstAdminForm
          desktop={desktop}
          rule={setup.data.password_rule}
          onCreated={() =>
            client.setQueryData<FrontDeskSetup>(FRONT_DESK_SETUP_KEY, { ...setup.data, needs_first_admin: false })
          }
        />
      </div>
    </main>
  );
}

function SignInWithMode({
  mode,
  onChange,
  children,
}: {
  mode: NonNullable<DesktopStatus['settings']['mode']>;
  onChange: () => void;
  children: ReactNode;
}) {
  return (
    <>
      {children}
      <aside
        className="stack muted"
        aria-label="Where you sign in"
        style={{ maxWidth: 420, margin: '0 auto 10vh' }}
        data-desktop-mode={mode.kind}
      >
        <p>
          {modeInWords(mode)}{' '}
          <Button variant="ghost" size="small" onClick={onChange}>
            {mode.kind === 'front_desk' ? 'Use a hub elsewhere' : 'Use another hub or the front desk'}
          </Button>
        </p>
        <p>
          Have an invitation code? <Link to="/invite">Use it to set your password</Link>.
        </p>
      </aside>
    </>
  );
}
