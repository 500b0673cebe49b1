/**
 * "Your account", for everyone signed in: change the password (the current one is required; the
 * hub then ends every other session) and see and end your sessions.
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { useAction } from '../../api/hooks';
import { queryKeys } from '../../api/queries';
import { useAccount } from '../../app/auth';
import { Button } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { TextField } from '../../components/Field';
import { Badge, Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { Table } from '../../components/Table';
import { useForm } from '../../components/useForm';
import type { OwnSessionView } from '../../gen/OwnSessionView';
import { formatTimestamp } from '../../time/format';
import { zoneName } from '../../time/locationZone';
import { useDisplayZone } from '../../app/location';

export function YourAccountPage() {
  const account = useAccount();
  return (
    <div className="stack">
      <PageHeader title="Your account" subtitle={`${account.email} · ${account.role}`} />
      <ChangePassword />
      <Sessions />
    </div>
  );
}

interface Passwords {
  current_password: string;
  new_password: string;
  repeat: string;
}

const validate = (v: Passwords) => ({
  current_password: v.current_password ? undefined : 'Enter your current password.',
  new_password: v.new_password.length >= 10 ? undefined : 'Use at least 10 characters.',
  repeat: v.repeat === v.new_password ? undefined : 'The two passwords differ.',
});

const EMPTY: Passwords = { current_password: '', new_password: '', repeat: '' };

function ChangePassword() {
  const api = useApi();
  const form = useForm<Passwords>(EMPTY, validate);
  const [failure, setFailure] = useState<string>();
  const change = useAction(
    (v: Passwords) =>
      api.accounts.changePassword({ current_password: v.current_password, new_password: v.new_password }),
    { quiet: true, invalidates: ['own-sessions'], done: (d) => d.message, onDone: () => form.reset(EMPTY) },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    if (!form.touchAll()) return;
    change.mutate(form.values, { onError: (error) => setFailure(form.takeServerError(error)) });
  };
  return (
    <Card title="Password" labelId="your-password">
      <form className="form" onSubmit={submit} noValidate aria-labelledby="your-password">
        {failure && <Notice tone="danger">{failure}</Notice>}
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={form.values.current_password}
          onChange={(e) => form.set('current_password', e.target.value)}
          problem={form.problem('current_password')}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters. Your other sessions end when it changes."
          value={form.values.new_password}
          onChange={(e) => form.set('new_password', e.target.value)}
          problem={form.problem('new_password')}
        />
        <TextField
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={form.values.repeat}
          onChange={(e) => form.set('repeat', e.target.value)}
          problem={form.problem('repeat')}
        />
        <Button type="submit" variant="primary" busy={change.isPending}>
          Change password
        </Button>
      </form>
    </Card>
  );
}

function Sessions() {
  const api = useApi();
  const zone = useDisplayZone();
  const sessions = useQuery({ queryKey: queryKeys.ownSessions(), queryFn: () => api.accounts.ownSessions() });
  const endOne = useAction((id: number) => api.accounts.endOwnSession(id), {
    invalidates: ['own-sessions'],
    done: 'Session ended',
  });
  const endOthers = useAction(() => api.accounts.endOtherSessions(), {
    invalidates: ['own-sessions'],
    done: (d) => d.message,
  });
  const others = sessions.data?.filter((s) => !s.current).length ?? 0;
  return (
    <Card
      title="Sessions"
      labelId="your-sessions"
      actions={
        <Button
          size="small"
          disabled={others === 0}
          busy={endOthers.isPending}
          onClick={() => endOthers.mutate(undefined)}
        >
          End all other sessions
        </Button>
      }
    >
      {sessions.isPending && <Loading what="your sessions" />}
      {sessions.error && <Notice tone="danger">{describeError(sessions.error)}</Notice>}
      {sessions.data && (
        <Table<OwnSessionView>
          caption={`Where you are signed in (times in ${zoneName(zone)})`}
          rows={sessions.data}
          rowKey={(s) => s.id}
          columns={[
            { header: 'Signed in', cell: (s) => formatTimestamp(s.created_at, zone) },
            { header: 'Last used', cell: (s) => formatTimestamp(s.last_seen_at, zone) },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (s) =>
                s.current ? (
                  <Badge>this session</Badge>
                ) : (
                  <Button
                    size="small"
                    aria-label={`End the session signed in ${formatTimestamp(s.created_at, zone)}`}
                    onClick={() => endOne.mutate(s.id)}
                  >
                    End
                  </Button>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}
