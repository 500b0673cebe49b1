/**
 * The desktop app's settings: how this computer is used (front desk or a hub, by its address),
 * start at login, where secrets are kept, and sign out. Desktop only: in a browser the page does
 * not exist and its link is hidden.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate } from 'react-router';
import type { DesktopCommands, DesktopStatus } from '../../api/desktopTransport';
import { describeError } from '../../api/errors';
import { switchAccount, useAccount, useAuth } from '../../app/auth';
import { Button } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { ChooseMode } from './ChooseMode';
import { DESKTOP_STATUS_KEY, useDesktop, useDesktopStatus } from './desktop';
import { modeInWords, secretsInWords, unlockingInWords } from './words';

export function SettingsPage() {
  const desktop = useDesktop();
  if (!desktop) return <Navigate to="/" replace />;
  return <DesktopSettings desktop={desktop} />;
}

function DesktopSettings({ desktop }: { desktop: DesktopCommands }) {
  const status = useDesktopStatus(desktop);
  return (
    <div className="stack" data-settings-page="">
      <PageHeader title="Settings" subtitle="How Doorlink runs on this computer." />
      {status.isPending && <Loading what="this computer’s settings" />}
      {status.isError && <Notice tone="danger">{describeError(status.error)}</Notice>}
      {status.data && (
        <>
          <ModeCard desktop={desktop} status={status.data} />
          <StartAtLoginCard desktop={desktop} status={status.data} />
          <SecretsCard status={status.data} />
          <AccountCard status={status.data} />
        </>
      )}
    </div>
  );
}

function ModeCard({ desktop, status }: { desktop: DesktopCommands; status: DesktopStatus }) {
  const client = useQueryClient();
  const [changing, setChanging] = useState(false);
  const mode = status.settings.mode;
  return (
    <Card title="This computer" labelId="settings-mode">
      {changing ? (
        <ChooseMode
          desktop={desktop}
          current={mode}
          note="Changing this signs you out: a session belongs to one hub."
          onCancel={() => setChanging(false)}
          onChosen={(next) => {
            client.setQueryData(DESKTOP_STATUS_KEY, next);
            setChanging(false);
            // Another mode means another hub: the app now shows the sign-in screen.
            if (!next.settings.signed_in) switchAccount(client, null);
          }}
        />
      ) : (
        <div className="row">
          <p data-mode={mode?.kind}>{modeInWords(mode)}</p>
          <Button onClick={() => setChanging(true)}>Change…</Button>
        </div>
      )}
    </Card>
  );
}

function StartAtLoginCard({ desktop, status }: { desktop: DesktopCommands; status: DesktopStatus }) {
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const toggle = async (enabled: boolean) => {
    setBusy(true);
    setFailure(undefined);
    try {
      client.setQueryData(DESKTOP_STATUS_KEY, await desktop.setStartAtLogin(enabled));
    } catch (error) {
      setFailure(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Start at login" labelId="settings-start">
      <div className="check">
        <input
          type="checkbox"
          id="start-at-login"
          checked={status.settings.start_at_login}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
        />
        <label htmlFor="start-at-login">Start Doorlink when I log in to this computer</label>
      </div>
      {failure && <Notice tone="danger">{failure}</Notice>}
    </Card>
  );
}

function SecretsCard({ status }: { status: DesktopStatus }) {
  return (
    <Card title="Your secrets" labelId="settings-secrets">
      <p data-secrets-backend={status.secrets_backend}>{secretsInWords(status.secrets_backend)}</p>
      <p className="muted">{unlockingInWords(status)}</p>
    </Card>
  );
}

function AccountCard({ status }: { status: DesktopStatus }) {
  const account = useAccount();
  const { signOut } = useAuth();
  const [busy, setBusy] = useState(false);
  const hub = status.settings.signed_in?.hub_url;
  return (
    <Card title="Account" labelId="settings-account">
      <p>
        Signed in as <strong>{account.email}</strong> ({account.role}){hub ? ` at ${hub}` : ''}.
      </p>
      <div className="row">
        <Button
          variant="danger"
          busy={busy}
          onClick={() => {
            setBusy(true);
            void signOut().finally(() => setBusy(false));
          }}
        >
          Sign out of this computer
        </Button>
        <span className="muted">Forgets your session, your Kisi login and your cached doors here.</span>
      </div>
    </Card>
  );
}
